"""Retention may be raised at any time, lowered only with a recorded
decision (domain §6): a change that shortens it needs a new
``retention_decision``; every change is in the audit trail. Holding a
dossier back from the archive (``held_until``) is approved by the office
head or a leader, for at most two years past its transfer date."""

from Acquisition import aq_base
from hdnd.content import audit
from hdnd.content.core.archive import check_hold_back
from hdnd.content.core.archive import lowered
from hdnd.content.core.archive import transfer_due
from plone import api
from hdnd.content.i18n import _
from zExceptions import BadRequest
from zope.globalrequest import getRequest
from zope.i18n import translate


SEEN = "_hdnd_retention_seen"
APPROVERS = ("OfficeHead", "DelegationLeader", "Manager", "Site Administrator")


def scheduled(code):
    """The schedule's retention for a dossier code (01.TCCB -> TCCB), or None."""
    from hdnd.content.vocabularies import registry_pairs

    heading = (code or "").split(".", 1)[-1].strip().upper() if code and "." in code else None
    return dict(registry_pairs("retention_schedule")).get(heading) if heading else None


def on_dossier_added(dossier, event=None):
    if not getattr(dossier, "retention", None):
        default = scheduled(getattr(dossier, "dossier_code", None))
        if default:
            dossier.retention = default
    on_dossier_changed(dossier, event)


def on_dossier_changed(dossier, event=None):
    before, decision_before = getattr(aq_base(dossier), SEEN, (None, None))
    now, decision = dossier.retention, getattr(dossier, "retention_decision", None)
    if before is not None and now != before:
        if lowered(before, now) and (not decision or decision == decision_before):
            raise BadRequest(translate(_(
                "error_lowering_retention",
                default="retention: lowering it (${before} to ${now}) needs a new decision in retention_decision.",
                mapping={"before": before, "now": now},
            ), context=getRequest()))
        audit.record("retention_changed", dossier, before=before, after=now, decision=decision or "")
    setattr(dossier, SEEN, (now, decision))


def hold_back(dossier, until, reason):
    """Approve keeping a closed dossier past its transfer date (the dossier
    itself is read-only once closed: this is the one way to set it)."""
    if not set(APPROVERS) & set(api.user.get_roles(obj=dossier)):
        raise ValueError("held_until: holding a dossier back is approved by the office head or a leader")
    if not (reason or "").strip():
        raise ValueError("reason: say why the unit keeps the dossier")
    check_hold_back(transfer_due(dossier.end_date, dossier.retention), until)
    dossier.held_until = until
    dossier.reindexObject()
    audit.record("held_back", dossier, until=until.isoformat(), reason=reason.strip())
