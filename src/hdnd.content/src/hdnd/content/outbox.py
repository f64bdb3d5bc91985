"""What the office sends to other agencies, and what they report back.

When an outgoing document addressed to agencies (``send_to``) is issued, an
envelope waits for each of them in its outbox; when it is recalled, a recall
envelope (business type 1) follows. An agency's system reads its outbox by
cursor (``GET /@hdnd-outbox?since=``): messages are numbered per agency in
the order they were queued, so a client that stops anywhere resumes from the
last number it kept, and reading writes nothing.

The agency reports the document's status back (``POST
/@hdnd-delivery-status``, an edXML status message or JSON): 01 arrived …
06 done, 15/16 on a recall. The office sees them per agency on the document
(``GET <document>/@hdnd-delivery``). A status reported twice is kept once.

Classified documents never travel: issuing one with ``send_to`` is refused
(hdnd.content.transitions.documents), and the outbox withholds any that became
classified after issue.
"""

from hdnd.content import agencies
from hdnd.content import audit
from hdnd.content import envelopes
from hdnd.content import signing
from hdnd.content.core import edxml
from hdnd.content.installation import exchange_enabled
from hdnd.content.core import officetime
from hdnd.content.security import effective_classification
from hdnd.content.stores import stored
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.uuid.utils import uuidToObject
from zope.annotation.interfaces import IAnnotations


OUTBOX = "hdnd.content.outbox"  # on the site: agency user id -> [message]
DELIVERY = "hdnd.content.outbox.delivery"  # on a document: agency user id -> [status]
PAGE = 20  # envelopes carry their files: pages stay small


class OutboxError(ValueError):
    def __init__(self, field, message):
        self.field = field
        self.errors = [{"field": field, "message": message if message.startswith(field) else f"{field}: {message}"}]
        super().__init__(self.errors[0]["message"])


def _box(user_id, create=False):
    boxes = stored(api.portal.get(), OUTBOX, PersistentMapping, create=create)
    if boxes is None:
        return ()
    if user_id not in boxes:
        if not create:
            return ()
        boxes[user_id] = PersistentList()
    return boxes[user_id]


def now():
    return officetime.now().replace(microsecond=0)


def refusal(document):
    """Why a document with ``send_to`` may not be issued, or None."""
    if not getattr(document, "send_to", None):
        return None
    if effective_classification(document) != "none":
        return "send_to: a classified document never travels over the exchange"
    if not exchange_enabled():
        return "send_to: exchange with other agencies is off on this installation"
    try:
        envelopes.this_organ()
    except envelopes.EnvelopeError as error:
        return str(error)
    missing = [user_id for user_id in document.send_to if agencies.agency(user_id) is None]
    if missing:
        return f"send_to: {missing[0]} is not an agency of the exchange"
    return None


def queue(document, business, reason=""):
    """Put the document's envelope in the outbox of every agency it is sent to."""
    if not getattr(document, "send_to", None) or not exchange_enabled():
        return
    uid = api.content.get_uuid(document)
    # Named once: the name stays the document's even if the organ id changes.
    document_id = envelopes.document_id_of(document)
    for user_id in document.send_to:
        box = _box(user_id, create=True)
        box.append(PersistentMapping(seq=len(box) + 1, uid=uid, document_id=document_id, business=business,
                                     reason=reason or "", time=now().isoformat()))
    audit.record("queued_for_agencies", document, agencies=list(document.send_to), business=business)


def on_transition(document, event):
    transition = event.transition.id if event.transition else None
    if transition == "issue":
        queue(document, 0)
    elif transition == "recall":
        queue(document, 1, (event.kwargs or {}).get("comment", ""))


def messages(user_id, since=0, limit=PAGE):
    """The agency's messages after ``since``: ``{"items", "cursor", "more"}``;
    each item has its number, business type, DocumentId and envelope."""
    box = _box(user_id)
    chosen = list(box[since:since + limit])
    items = []
    for message in chosen:
        document = uuidToObject(message["uid"], unrestricted=True)
        if document is None or effective_classification(document) != "none":
            # Deleted, or classified since: nothing of it leaves the office.
            items.append({"seq": message["seq"], "withheld": True})
            continue
        envelope = envelopes.envelope_of(document, message["business"], message["reason"], to=(user_id,),
                                         document_id=message["document_id"])
        items.append({"seq": message["seq"], "business": edxml.BUSINESS[message["business"]],
                      "document_id": message["document_id"], "time": message["time"], "edxml": signing.sign_envelope(edxml.build(envelope)).decode("utf-8")})
    cursor = chosen[-1]["seq"] if chosen else since
    return {"items": items, "cursor": cursor, "more": len(box) > cursor}


def _sent_document(user_id, document_id):
    """The document sent to ``user_id`` under ``document_id``, or None."""
    for message in _box(user_id):
        if message["document_id"] == document_id:
            document = uuidToObject(message["uid"], unrestricted=True)
            if document is not None and effective_classification(document) == "none":
                return document
    return None


def report(user_id, document_id, code, description="", timestamp=None):
    """Keep an agency's status of a document it was sent; ``(document,
    created)``; the same status reported again is not kept twice."""
    if not isinstance(code, str) or code not in edxml.STATUS_CODES:
        raise OutboxError("code", f"{code!r} is not a status code ({', '.join(edxml.STATUS_CODES)})")
    document = _sent_document(user_id, document_id) if isinstance(document_id, str) else None
    if document is None:
        raise OutboxError("document_id", "the office sent you no document with it")
    time = (timestamp or now()).isoformat()
    delivered = stored(document, DELIVERY, PersistentMapping)
    if user_id not in delivered:
        delivered[user_id] = PersistentList()
    statuses = delivered[user_id]
    if any(s["code"] == code and s["time"] == time for s in statuses):
        return document, False
    statuses.append(PersistentMapping(code=code, label=edxml.STATUS_CODES[code], description=description or "",
                                      time=time))
    audit.record("agency_status", document, agency=user_id, code=code)
    return document, True


def delivery(document):
    """Per agency the office sent the document to: its name and statuses."""
    found = IAnnotations(document).get(DELIVERY, {})
    return [
        {"agency": user_id, "name": (agencies.agency(user_id) or {}).get("name", user_id),
         "status": marked(found.get(user_id, ()))}
        for user_id in (document.send_to or ())
    ]


def marked(statuses):
    """The statuses, each with ``replaced``: an envelope refused (02) and
    then sent again starts over at its new arrival (01); what came before
    that arrival is replaced by it."""
    found = [dict(s) for s in statuses]
    start = 0
    for n, status in enumerate(found):
        if status.get("code") == "01" and any(s.get("code") == "02" for s in found[start:n]):
            start = n
    for n, status in enumerate(found):
        status["replaced"] = n < start
    return found
