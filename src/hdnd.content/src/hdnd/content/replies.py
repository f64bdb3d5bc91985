"""Reply and forward from an incoming document, in one action (issue 20).

- **Trả lời** (:func:`draft_reply`): a draft outgoing document in the
  documents section, prefilled — recipient the sender (the issuing body),
  trích yếu "V/v trả lời …" naming the incoming document, its classification
  and need to know, and, when it came from an agency of the exchange, that
  agency in ``send_to`` (the reply goes back the way it came, its envelope
  naming the document in ResponseFor) — linked to the incoming document by
  ``in_reply_to``; both pages show the link (the incoming one through the
  relation catalog).
- **Chuyển xử lý** (:func:`forward`): the processing slip of the document,
  with the lead unit, co-operating units, deadline, proposal and instruction.

The web pages (hdnd.policy browser/workpage.py) and REST
(``POST <document>/@hdnd-reply``, ``POST <document>/@hdnd-forward``) call
these, so both meet the same rules. Refusals are :class:`ReplyError` with a
sentence that names the field.
"""

from datetime import date
from hdnd.content import agencies
from hdnd.content.core import formats
from hdnd.content.installation import exchange_enabled
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.processing_slip import IProcessingSlip
from hdnd.content.vocabularies import registry_pairs
from plone import api
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds


DOCUMENTS_SECTION = "van-ban"
REPLY_TYPE = "CV"  # công văn: how an office answers a document
# States of an incoming document that can no longer be answered or forwarded.
CLOSED = ("returned", "withdrawn")
# A reply is drafted while the document is being handled (or once it is).
FORWARDABLE = ("received", "registered", "assigned", "in_progress")
SUBJECT_MAX = 500


class ReplyError(ValueError):
    """A refusal: ``field`` and a sentence naming it."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


def is_incoming(document):
    return IOfficialDocument.providedBy(document) and document.direction == "incoming"


def reply_subject(document):
    """ "V/v trả lời văn bản số 125/UBND-VP ngày 20/11/2026 của UBND Thành phố
    về …", what is known of it, at most 500 characters."""
    parts = ["V/v trả lời văn bản"]
    if document.symbol:
        parts.append(f"số {document.symbol}")
    if document.issue_date:
        parts.append(f"ngày {formats.day(document.issue_date)}")
    if document.issuing_body:
        parts.append(f"của {document.issuing_body}")
    subject = " ".join(parts)
    if document.title:
        about = f"{document.title[0].lower()}{document.title[1:]}"
        # A subject of its own already says what it is about: "V/v …", "Về việc …".
        if about.startswith("v/v "):
            about = "về " + about[4:]
        subject += f" {about}" if about.startswith("về ") else f" về {about}"
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject


def section():
    return api.portal.get().get(DOCUMENTS_SECTION)


def can_reply(document):
    """May the current user draft a reply to ``document`` now?"""
    if not is_incoming(document) or api.content.get_state(document, default=None) in CLOSED:
        return False
    target = section()
    return target is not None and api.user.has_permission("hdnd: Add OfficialDocument", obj=target)


def can_forward(document):
    """May the current user write (or open) the processing slip now?"""
    if not is_incoming(document) or api.content.get_state(document, default=None) not in FORWARDABLE:
        return False
    return api.user.has_permission("hdnd: Add ProcessingSlip", obj=document) or bool(slips(document))


def slips(document):
    """The processing slips of ``document`` the user may see, oldest first."""
    found = [o for o in document.objectValues() if IProcessingSlip.providedBy(o)]
    found = [s for s in found if api.user.has_permission("View", obj=s)]
    return sorted(found, key=lambda s: s.created())


def agency_to_answer(document):
    """The agency account a reply to ``document`` goes back to over the
    exchange, or None: an unclassified document from an agency of the
    exchange whose account still exists, the exchange being on."""
    if (getattr(document, "classification", None) or "none") != "none" or not exchange_enabled():
        return None
    account = agencies.account_of(agencies.organ_of_sender(document))
    return account if account and api.user.get(username=account) is not None else None


def draft_reply(document):
    """Create the draft reply to ``document`` (as the current user) and answer it."""
    if not is_incoming(document):
        raise ReplyError("document", "only an incoming document is answered")
    if api.content.get_state(document, default=None) in CLOSED:
        raise ReplyError("document", "a document returned to its sender or recalled is not answered")
    if not can_reply(document):
        raise ReplyError("document", "you may not draft documents in the documents section")
    agency = agency_to_answer(document)
    return api.content.create(
        container=section(), type="OfficialDocument", direction="outgoing",
        document_type=REPLY_TYPE, title=reply_subject(document),
        recipients=[document.issuing_body] if document.issuing_body else [],
        classification=getattr(document, "classification", None) or "none",
        need_to_know=list(getattr(document, "need_to_know", None) or ()),
        in_reply_to=RelationValue(getUtility(IIntIds).getId(document)),
        safe_id=True, **({"send_to": [agency]} if agency else {}),
    )


def _units():
    return dict(registry_pairs("units"))


def _date(value, field):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ReplyError(field, f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _text(value, field, limit=5000):
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ReplyError(field, "expected text")
    if len(value) > limit:
        raise ReplyError(field, f"at most {limit} characters")
    return value.strip()


def forward(document, lead_unit, cooperating_units=(), deadline=None, proposal="", instruction="",
            assignees=(), title=None):
    """Write the processing slip of ``document`` (phiếu xử lý): check every
    field first, then create it; nothing is created when one is refused."""
    if not is_incoming(document):
        raise ReplyError("document", "only an incoming document is forwarded")
    if api.content.get_state(document, default=None) not in FORWARDABLE:
        raise ReplyError("document", "the document is no longer being handled")
    if not api.user.has_permission("hdnd: Add ProcessingSlip", obj=document):
        raise ReplyError("document", "you may not write a processing slip here")
    units = _units()
    if not lead_unit:
        raise ReplyError("lead_unit", "choose the lead unit (đơn vị chủ trì)")
    if not isinstance(lead_unit, str) or lead_unit not in units:
        raise ReplyError("lead_unit", f"one of {', '.join(units)}")
    if not isinstance(cooperating_units, (list, tuple)) or any(
            not isinstance(u, str) or u not in units for u in cooperating_units):
        raise ReplyError("cooperating_units", f"a list of units among {', '.join(units)}")
    if lead_unit in cooperating_units:
        raise ReplyError("cooperating_units", "the lead unit cannot also be a co-operating unit")
    if not isinstance(assignees, (list, tuple)) or any(
            not isinstance(a, str) or api.user.get(userid=a) is None for a in assignees):
        raise ReplyError("assignees", "a list of the office's user ids")
    deadline = _date(deadline, "deadline")
    proposal = _text(proposal, "proposal")
    instruction = _text(instruction, "instruction")
    title = _text(title, "title", limit=300) or f"Phiếu xử lý {document.symbol or document.title}"[:300]
    return api.content.create(
        container=document, type="ProcessingSlip", title=title, lead_unit=lead_unit,
        cooperating_units=list(cooperating_units), deadline=deadline, proposal=proposal,
        instruction=instruction, assignees=list(assignees), safe_id=True,
    )
