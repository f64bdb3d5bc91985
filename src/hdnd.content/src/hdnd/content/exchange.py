"""Documents sent to the office by other agencies' systems, and the status
replies they read back (domain §7).

- ``receive(data, sender)``: an agency's document and its files become an
  incoming document in *Văn bản*, in state received. The sender's
  idempotency key makes a retry return the same document, never a second.
- ``receive_many(items, sender)``: many at once, all or nothing: the first
  bad item makes the whole call fail with each item's errors, nothing kept
  (every item is checked before any is created). Over REST the items are then
  created 5 per short transaction, so a long batch does not conflict with
  the office's own writes (issue 21); the keys make sending the same batch
  again after a crash complete it, never double it.
- Status replies (edXML status codes) are appended as the document moves:
  01 arrived, 02 rejected (with the reason), 03 accepted (registered),
  04 assigned, 05 in progress, 06 done. The sender reads them by its key.
- Recall (domain §7): the sender asks for its document back (13, with its
  reason); the office accepts (15: the document is *withdrawn*) or refuses
  (16, with the reason). A document already handled is refused at once.
- ``receive_envelope(xml, sender)``: the same for an edXML envelope
  (QCVN 102:2016): a new document (business type 0) or a recall (1); the
  envelope must come from the sender's own organ, to this office's.

An agency never browses the office: it sees its own documents' status, no
title of anything else, and may send unclassified documents only.
"""

from BTrees.OOBTree import OOBTree
from datetime import datetime
from hdnd.content import agencies
from hdnd.content import audit
from hdnd.content.core import officetime
from hdnd.content.core.edxml import STATUS_CODES
from hdnd.content.stores import stored
from hdnd.content.transitions import take
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.lifecycleevent import ObjectCreatedEvent
from ZODB.POSException import ConflictError

import base64
import binascii
import json
import logging
import random
import time


logger = logging.getLogger(__name__)
KEYS = "hdnd.content.exchange.keys"  # on the site: sender -> {key: uid}
STATUS = "hdnd.content.exchange.status"  # on a document: its status replies
SENDER = agencies.SENDER
ACCEPTED_FIELDS = ("symbol", "title", "description", "issuing_body", "issue_date", "document_type", "urgency",
                   "page_count", "channel", "recipients", "signer", "signer_position", "due_date")
RECALL = "recall_requested"  # on a document: the sender's reason while a recall waits
# The status a transition sends back; its label is the code table's (core/edxml.py).
STATUS_OF_TRANSITION = {
    "register": ("03", STATUS_CODES["03"]),
    "return_to_sender": ("02", STATUS_CODES["02"]),
    "assign": ("04", STATUS_CODES["04"]),
    "start": ("05", STATUS_CODES["05"]),
    "complete": ("06", STATUS_CODES["06"]),
    "withdraw": ("15", STATUS_CODES["15"]),
}
# Handled already: a recall is refused at once (16), nothing left to give back.
HANDLED = ("done", "filed", "returned")
MAX_FILE = 50 * 1024 * 1024


class ExchangeError(ValueError):
    """Bad input: ``errors`` lists {field, message} (field names as sent)."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(e["message"] for e in errors))


def _keys(sender, create=True):
    """The sender's idempotency keys; reading (a status request) writes nothing."""
    every = stored(api.portal.get(), KEYS, PersistentMapping, create=create, default={})
    if not create:
        return every.get(sender, {})
    keys = every.get(sender)
    if not isinstance(keys, OOBTree):
        # A BTree (issue 21): two documents of one sender received at once
        # add different keys and both commit; the same key sent twice at
        # once still conflicts, so it is one document. (A mapping from
        # before is one object every receive rewrote: replaced once.)
        keys = every[sender] = OOBTree(dict(keys or {}))
    return keys


def check_key(key):
    if not isinstance(key, str) or not 1 <= len(key) <= 200:
        raise ExchangeError([{"field": "idempotency_key", "message": "idempotency_key: a string of 1 to 200 characters"}])


def decode_files(files):
    if files is None:
        return []
    if not isinstance(files, list):
        raise ExchangeError([{"field": "files", "message": "files: expected a list of {filename, content_type, data}"}])
    decoded, errors = [], []
    for n, item in enumerate(files):
        where = f"files[{n}]"
        if not isinstance(item, dict) or not item.get("filename") or not item.get("data"):
            errors.append({"field": where, "message": f"{where}: needs filename and data (base64)"})
            continue
        try:
            data = base64.b64decode(item["data"], validate=True)
        except (binascii.Error, ValueError, TypeError):
            errors.append({"field": where, "message": f"{where}.data: not base64"})
            continue
        if len(data) > MAX_FILE:
            errors.append({"field": where, "message": f"{where}: larger than {MAX_FILE // (1024 * 1024)} MB"})
            continue
        decoded.append((str(item["filename"])[:200], data, str(item.get("content_type") or "application/octet-stream")))
    if errors:
        raise ExchangeError(errors)
    return decoded


def _deserialize(obj, fields, batch=None):
    """Validate and set ``fields`` as plone.restapi does for a new item;
    errors come back naming their field.

    ``batch`` (a bulk's ``_Maker``): the fields an item does not send are
    checked once per batch. plone.restapi's ``validate_all`` validates every
    field not sent too, which on a new document is its schema default, the
    same for every item of the batch (bound to a new document in the same
    section, by the same user): binding and checking those 25 fields (their
    vocabularies among them) cost a bulk item as much as its own fields. An
    item whose unsent fields were all found valid on an earlier item of the
    batch, none with a default made by a factory, is deserialized without
    ``validate_all``; its own fields and the schemas' invariants are checked
    as before."""
    from plone.restapi.interfaces import IDeserializeFromJson
    from zExceptions import BadRequest
    from zope.component import getMultiAdapter
    from zope.globalrequest import getRequest

    request = getRequest()
    deserializer = getMultiAdapter((obj, request), IDeserializeFromJson)
    unsent = None if batch is None else _unsent_fields(obj, fields)
    known = unsent is not None and unsent <= batch.valid_unsent
    try:
        deserializer(validate_all=not known, data=fields, create=True)
    except BadRequest as error:
        raise ExchangeError(_errors_of(error)) from None
    if unsent is not None:
        batch.valid_unsent |= unsent  # every field was valid: those not sent were checked with the rest


def _unsent_fields(obj, fields):
    """The names of ``obj``'s writable fields not in ``fields``, or None when
    one of them has a default made by a factory (then it is checked on every
    item, as plone.restapi does)."""
    from plone.dexterity.utils import iterSchemata
    from zope.schema import getFields

    unsent = set()
    for schema in iterSchemata(obj):
        for name, field in getFields(schema).items():
            if field.readonly or name in fields:
                continue
            if getattr(field, "defaultFactory", None) is not None:
                return None
            unsent.add((schema.__identifier__, name))
    return frozenset(unsent)


def _errors_of(error):
    detail = error.args[0] if error.args else str(error)
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return [{"field": "", "message": detail}]
    found = []
    for item in detail if isinstance(detail, list) else [detail]:
        if isinstance(item, dict):
            field = item.get("field") or ""
            message = str(item.get("message") or item)
            found.append({"field": field, "message": message if message.startswith(field) else f"{field}: {message}"})
        else:
            found.append({"field": "", "message": str(item)})
    return found


def check_enabled():
    from hdnd.content.installation import exchange_enabled

    if not exchange_enabled():
        raise ExchangeError([{"field": "", "message": "exchange with other agencies is off on this installation"}])


def receive(data, sender, files=None, dry=False):
    """``(document, created)`` for an agency's document (see the module);
    ``files`` as ``(name, bytes, mimetype)`` when already decoded. ``dry``:
    only check it (raises ExchangeError as the real call would; writes
    nothing)."""
    checked = _check(data, sender, files)
    if checked.existing is not None:
        return checked.existing, False
    if dry:
        return None, True
    return _add(checked, sender), True


class _Checked:
    """An item checked: the document it already is (``existing``), or a new
    document made and validated but not yet added (``obj``, ``files``, ``key``)."""

    def __init__(self, existing=None, obj=None, files=(), key=None):
        self.existing, self.obj, self.files, self.key = existing, obj, files, key


class _Maker:
    """plone.restapi's ``create`` of an OfficialDocument in *Văn bản*, its
    checks (the type exists, may be added here, by this user) asked once for
    a batch: they do not change between its items, and asking them (the
    container's allowed types, each type's constructability) cost a bulk
    item as much as its own catalog text index."""

    def __init__(self):
        self.factory = None
        self.valid_unsent = frozenset()  # fields not sent, found valid on an item of the batch (see _deserialize)

    def __call__(self, container):
        from plone.restapi.services.content.utils import create

        if self.factory is None:
            first = create(container, "OfficialDocument")  # raises as a single create would
            self.factory = api.portal.get_tool("portal_types").getTypeInfo("OfficialDocument")
            return first
        return _made(self.factory)


def _made(type_info):
    """What plone.restapi's create does once its checks have passed: the
    type's factory, with a temporary id of the same form (add() renames it)."""
    from DateTime import DateTime
    from zope.component import getUtility
    from zope.component.interfaces import IFactory

    now = DateTime()
    temporary = "officialdocument.{}.{}{:04d}".format(now.strftime("%Y-%m-%d"), str(now.millis())[7:],
                                                      random.randint(0, 9999))
    obj = getUtility(IFactory, type_info.factory)(temporary, title=None)
    obj._setPortalTypeName(type_info.getId())
    return obj


def _check(data, sender, files=None, make=None):
    from plone.restapi.services.content.utils import create

    check_enabled()
    if not isinstance(data, dict):
        raise ExchangeError([{"field": "", "message": "body: expected a JSON object"}])
    key = data.get("idempotency_key")
    check_key(key)
    known = _keys(sender, create=False).get(key)
    if known:
        existing = uuidToObject(known, unrestricted=True)
        if existing is not None:
            return _Checked(existing=existing)
    unknown = sorted(set(data) - set(ACCEPTED_FIELDS) - {"idempotency_key", "files", "classification"})
    if unknown:
        raise ExchangeError([{"field": unknown[0], "message": f"{unknown[0]}: not a field an agency sends"}])
    if (data.get("classification") or "none") != "none":
        raise ExchangeError([{"field": "classification",
                              "message": "classification: classified documents are not sent over this API"}])
    files = decode_files(data.get("files")) if files is None else files
    fields = {name: data[name] for name in ACCEPTED_FIELDS if name in data}
    fields.setdefault("channel", "state")
    if not fields.get("title"):
        raise ExchangeError([{"field": "title", "message": "title: the document's summary (trích yếu) is required"}])
    container = api.portal.get()["van-ban"]
    with api.env.adopt_roles(["Manager"]):
        obj = make(container) if make is not None else create(container, "OfficialDocument")
        obj.direction = "incoming"
        _deserialize(obj, fields, batch=make)
        obj.direction = "incoming"
    return _Checked(obj=obj, files=files, key=key)


def _add(checked, sender):
    """Add a checked new document to the office's documents: its files, key,
    arrival status and audit entry."""
    from plone.restapi.services.content.utils import add

    obj, files, key = checked.obj, checked.files, checked.key
    container = api.portal.get()["van-ban"]
    with api.env.adopt_roles(["Manager"]):
        if files:
            name, payload, mimetype = files[0]
            obj.file = NamedBlobFile(data=payload, filename=name, contentType=mimetype)
        notify(ObjectCreatedEvent(obj))  # as plone.restapi's add does: the UUID, the defaults
        obj = add(container, obj, rename=True)
        for name, payload, mimetype in files[1:]:
            api.content.create(container=obj, type="File", title=name,
                               file=NamedBlobFile(data=payload, filename=name, contentType=mimetype))
    setattr(obj, SENDER, sender)
    setattr(obj, "idempotency_key", key)
    _keys(sender)[key] = api.content.get_uuid(obj)
    add_status(obj, "01", "Đã đến")
    audit.record("received_from_agency", obj, sender=sender, key=key)
    return obj


def receive_many(items, sender, commit_every=None):
    """All or nothing: every item is checked first, and any error raises
    with each failing item's errors, nothing created (the caller aborts the
    transaction); then every item is created. Two items of the batch that
    would hold the same number (number, symbol, issuer) are refused too.

    Each item is validated once: the documents checked (made, not added) are
    the ones then added.

    ``commit_every`` (the REST service's choice): the items are created and
    committed that many at a time (twice as many after each part that met no
    conflict, up to ``PART_GROWTH`` times as many), each part a short transaction retried
    here on a conflict, instead of one long transaction that a stream of
    concurrent creates in the same section makes conflict at its end
    (issue 21). A part that is retried creates nothing twice (it is rolled
    back first; the keys make every item idempotent): if the process stops
    half-way, sending the same batch again completes it."""
    if not isinstance(items, list) or not items:
        raise ExchangeError([{"field": "items", "message": "items: expected a non-empty list of documents"}])
    if len(items) > MOST:
        raise ExchangeError([{"field": "items", "message": f"items: at most {MOST} documents in one call"}])
    keys = [i.get("idempotency_key") if isinstance(i, dict) and isinstance(i.get("idempotency_key"), str) else None
            for i in items]
    repeated = sorted({k for k in keys if k is not None and keys.count(k) > 1})
    if repeated:
        raise ExchangeError([{"field": "items", "message": f"items: idempotency_key {repeated[0]!r} given twice"}])
    import transaction

    failures, checked, holders, make = [], [], {}, _Maker()
    savepoint = transaction.savepoint(optimistic=True)
    for n, item in enumerate(items):
        try:
            checked.append((n, item, _check(item, sender, make=make)))
        except ExchangeError as error:
            failures.append({"index": n, "errors": error.errors})
            continue
        failures.extend(_held_in_batch(n, checked[-1][2], holders))
    savepoint.rollback()  # whatever checking touched (nothing is created)
    if failures:
        raise BulkError(sorted(failures, key=lambda f: f["index"]))
    if not commit_every:
        return _receive_part(checked, sender)
    transaction.commit()  # what the request did before: its own part
    results = []
    position, size, attempts, rolled_back = 0, commit_every, 0, 0
    while position < len(checked):
        part = checked[position:position + size]
        if position < rolled_back:
            # Documents made anew: those of a part rolled back keep what
            # adding them gave them (ids, history, blobs).
            part = _recheck(part, sender)
        try:
            done = _receive_part(part, sender)
            transaction.commit()
        except ConflictError as error:
            transaction.abort()
            attempts += 1
            rolled_back = max(rolled_back, position + len(part))
            logger.info("bulk receive: part of %d at item %d conflicted (%s), attempt %d",
                        len(part), position, error, attempts)
            if attempts == PART_ATTEMPTS:
                raise
            # Shorter parts while others write: a part is a transaction, and
            # a short one is less likely to meet another's commit.
            size = max(1, size // 2)
            time.sleep(random.uniform(0.01, 0.1) * attempts)
            continue
        results.extend(done)
        position += len(part)
        # Longer again when the others pause, up to PART_GROWTH times the
        # first part: each commit rewrites the catalog's newest buckets (its
        # metadata bucket alone is some 14 kB), so 500 documents committed 25
        # at a time wrote 8 MB of them, and a fifth of its Python calls went to commits.
        attempts, size = 0, min(commit_every * PART_GROWTH, size * 2)
    return results


PART = 25  # documents a REST bulk call creates in its first transaction (then more while nobody conflicts)
PART_GROWTH = 4  # a part grows to at most 4 x PART documents (100) while it meets no other writer
MOST = 500  # documents in one call of receive_many (and of @hdnd-receive-bulk)


def receive_all(items, sender, commit_every=PART):
    """The in-process import (``hdnd receive FILE``; a predecessor system's
    registers, a scale benchmark): any number of items, received
    ``MOST`` at a time by :func:`receive_many`, each call all or nothing and
    committed a part at a time, as over REST. Returns every item's result,
    ``index`` counted from the first item. A refusal raises BulkError (its
    ``index`` counted the same way): the calls before it are kept, and
    importing the same items again after fixing it completes the import
    (the idempotency keys), never doubles it. The caller is the sender's
    account, as over REST (the documents' creator)."""
    import transaction

    results = []
    for start in range(0, len(items), MOST):
        try:
            done = receive_many(items[start:start + MOST], sender, commit_every=commit_every)
        except BulkError as error:
            transaction.abort()
            raise BulkError([dict(f, index=start + f["index"]) for f in error.failures]) from None
        transaction.commit()
        results.extend(dict(r, index=start + r["index"]) for r in done)
    return results
PART_ATTEMPTS = 12


def _recheck(part, sender):
    checked, failures, make = [], [], _Maker()
    for n, item, _before in part:
        try:
            checked.append((n, item, _check(item, sender, make=make)))
        except ExchangeError as error:  # changed meanwhile (a number taken since)
            failures.append({"index": n, "errors": error.errors})
    if failures:
        raise BulkError(failures)
    return checked


def _held_in_batch(n, checked, holders):
    """The refusal of item ``n`` when an earlier item of the batch holds its
    number (the catalog only knows the documents already created)."""
    from hdnd.content.numbers.identity import identity_key

    obj = checked.obj
    if obj is None or not getattr(obj, "symbol", None):
        return []
    key = identity_key(obj.symbol, getattr(obj, "issue_date", None))
    if key is None:
        return []
    if key in holders:
        return [{"index": n, "errors": [{"field": "symbol", "message": f"symbol: the number {obj.symbol} is "
                                         f"also sent by item {holders[key]} of this batch"}]}]
    holders[key] = n
    return []


def _receive_part(part, sender):
    """Add the part's checked documents (one already received since, by
    another call with the same key, is answered as it is)."""
    results = []
    for n, item, checked in part:
        if checked.existing is None:
            known = _keys(sender, create=False).get(checked.key)
            existing = uuidToObject(known, unrestricted=True) if known else None
        else:
            existing = checked.existing
        if existing is not None:
            results.append({"index": n, "@id": existing.absolute_url(), "created": False})
            continue
        obj = _add(checked, sender)
        results.append({"index": n, "@id": obj.absolute_url(), "created": True})
    return results


class BulkError(ValueError):
    def __init__(self, failures):
        self.failures = failures
        super().__init__(f"{len(failures)} item(s) refused; nothing was registered")


# Status replies -------------------------------------------------------------------


def add_status(document, code, label, reason=""):
    stored(document, STATUS, PersistentList).append(PersistentMapping(
        code=code, label=label, reason=reason or "",
        time=officetime.now().replace(microsecond=0).isoformat(),
    ))


def status_of(document):
    return [dict(s) for s in IAnnotations(document).get(STATUS, ())]


def on_transition(document, event):
    """Append the status reply of a transition of a document an agency sent."""
    if event.transition is None or not getattr(document, SENDER, None):
        return
    found = STATUS_OF_TRANSITION.get(event.transition.id)
    if found:
        reason = (event.kwargs or {}).get("comment", "") if hasattr(event, "kwargs") else ""
        add_status(document, *found, reason=reason)
    if event.transition.id == "withdraw":
        setattr(document, RECALL, None)
    elif getattr(document, RECALL, None) and api.content.get_state(obj=document) in HANDLED:
        # Handled while the recall waited: nothing left to give back.
        add_status(document, "16", STATUS_CODES["16"], reason="Văn bản đã được xử lý")
        setattr(document, RECALL, None)


def _sent(sender, key):
    uid = _keys(sender, create=False).get(key) if isinstance(key, str) else None
    document = uuidToObject(uid, unrestricted=True) if uid else None
    if document is None:
        raise ExchangeError([{"field": "idempotency_key", "message": "idempotency_key: you sent no document with it"}])
    return document


def sent_status(sender, key):
    """The sender's view of one of its documents: symbol, state and replies."""
    document = _sent(sender, key)
    return {
        "idempotency_key": key,
        "symbol": document.symbol,
        "arrival_number": document.arrival_number,
        "recall_requested": bool(getattr(document, RECALL, None)),
        "status": status_of(document),
    }


# Recall -------------------------------------------------------------------------------


def request_recall(sender, key, reason):
    """The sender asks for its document back: ``(document, changed)``.
    Asking again while a request waits, or after it was decided, changes nothing."""
    check_enabled()
    if not isinstance(reason, str) or not reason.strip():
        raise ExchangeError([{"field": "reason", "message": "reason: say why the document is recalled"}])
    document = _sent(sender, key)
    state = api.content.get_state(obj=document)
    asked = [s["reason"] for s in status_of(document) if s["code"] == "13"]
    # A retry of the same request (same reason) is the same request.
    if getattr(document, RECALL, None) or state == "withdrawn" or (asked and asked[-1] == reason):
        return document, False
    add_status(document, "13", STATUS_CODES["13"], reason=reason)
    audit.record("recall_requested", document, sender=sender, reason=reason)
    if state in HANDLED:
        add_status(document, "16", STATUS_CODES["16"], reason="Văn bản đã được xử lý")
    else:
        setattr(document, RECALL, reason)
    return document, True


def decide_recall(document, accept, reason=""):
    """The office's answer to a waiting recall: accepted, the document is
    withdrawn (15, by the workflow, whose roles decide who may); refused,
    16 with the reason. Raises ExchangeError or WorkflowException."""
    if not getattr(document, RECALL, None):
        raise ExchangeError([{"field": "accept", "message": "accept: the sender asked for no recall of it"}])
    if not isinstance(accept, bool):
        raise ExchangeError([{"field": "accept", "message": "accept: true or false"}])
    if accept:
        # The workflow tool, not plone.api: a refused guard keeps its message.
        take(document, "withdraw", comment=reason or "")
        return
    if not isinstance(reason, str) or not reason.strip():
        raise ExchangeError([{"field": "reason", "message": "reason: say why the recall is refused"}])
    add_status(document, "16", STATUS_CODES["16"], reason=reason)
    setattr(document, RECALL, None)
    audit.record("recall_refused", document, reason=reason)


# edXML ------------------------------------------------------------------------------


def receive_envelope(data, sender, content_type=None):
    """An edXML envelope from an agency's system: ``(document, created)``.
    A new document is registered as by ``receive`` (its DocumentId is the
    idempotency key); a recall (business type 1) asks for it back. A body
    sent as multipart/related is SOAP with attachments (Bkav eDoc's form):
    the envelope is its SOAP part, the files its other parts."""
    from hdnd.content import envelopes
    from hdnd.content import signing
    from hdnd.content.core import edxml
    from hdnd.content.core import signatures

    check_enabled()
    mime = (content_type or "").lower().startswith(edxml.MULTIPART_RELATED)
    try:
        envelope = edxml.parse_mime(content_type, data) if mime else edxml.parse(data)
        signed = edxml.soap_part(content_type, data) if mime else data
    except edxml.EdxmlError as error:
        raise ExchangeError([{"field": error.field, "message": str(error)}]) from None
    # Parsed first (a safe parser); then a signature, if any, must check.
    try:
        signed_by = signing.check_envelope(signed if isinstance(signed, bytes) else str(signed).encode("utf-8"))
    except signatures.SignatureError as error:
        raise ExchangeError([{"field": "Signature", "message": str(error)}]) from None
    own = agencies.agency(sender)
    if own is None:
        raise ExchangeError([{"field": "From", "message": "From: your account has no organ id in the office's "
                              "directory of agencies; ask the office to register it"}])
    if envelope.sender.organ_id != own["organ_id"]:
        raise ExchangeError([{"field": "From/OrganId", "message": f"From/OrganId: {envelope.sender.organ_id} is "
                              f"not your organ ({own['organ_id']})"}])
    try:
        office = envelopes.this_organ().organ_id
    except envelopes.EnvelopeError as error:
        raise ExchangeError([{"field": "To", "message": f"To: the office cannot receive yet ({error})"}]) from None
    if office not in {organ.organ_id for organ in envelope.to}:
        raise ExchangeError([{"field": "To/OrganId", "message": f"To/OrganId: not addressed to this office ({office})"}])
    if envelope.business_type == 1:
        document, _changed = request_recall(sender, envelope.document_id, envelope.business_reason or "Thu hồi")
        return document, False
    if envelope.business_type != 0:
        raise ExchangeError([{"field": "Bussiness/BussinessDocType", "message": "Bussiness/BussinessDocType: "
                              f"{edxml.BUSINESS[envelope.business_type]} is not taken yet; send the new document"}])
    try:
        fields, files = envelopes.fields_of(envelope)
    except envelopes.EnvelopeError as error:
        raise ExchangeError([{"field": error.field, "message": str(error)}]) from None
    for name, payload, _mimetype in files:
        if len(payload) > MAX_FILE:
            raise ExchangeError([{"field": "AttachmentEncoded", "message": f"AttachmentEncoded: {name} is larger "
                                  f"than {MAX_FILE // (1024 * 1024)} MB"}])
    document, created = receive(dict(fields, idempotency_key=envelope.document_id), sender, files=files)
    if created:
        document.edxml_document_id = envelope.document_id
        document.sender_organ = envelope.sender.organ_id
        document.envelope_signed_by = signed_by
    return document, created
