"""Retention may be raised at any time, lowered only with a recorded
decision (domain §6): a change that shortens it needs a new
``retention_decision``; every change is in the audit trail."""

from Acquisition import aq_base
from hdnd.content import audit
from hdnd.content.core.archive import lowered
from hdnd.content.i18n import _
from zExceptions import BadRequest
from zope.globalrequest import getRequest
from zope.i18n import translate


SEEN = "_hdnd_retention_seen"


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
