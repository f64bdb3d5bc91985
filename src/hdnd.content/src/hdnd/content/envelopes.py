"""Official documents as edXML envelopes (QCVN 102:2016), and back.

- :func:`envelope_of` writes an issued outgoing document as the envelope the
  office sends: From is this body (the organisation settings), To the
  agencies in ``send_to``, its document type as the gateway's number, the
  copies (PromulgationAmount) and pages (PageAmount), its files as
  attachments (core/edxml.py writes them the gateway's way); a reply names
  the document it answers in ResponseFor (:func:`response_for_of`).
- :func:`fields_of` reads a received envelope into the fields of an incoming
  document (exchange.receive registers it).

Only what a document holds travels, and it comes back the same: the symbol
as printed, the signer's competence and position, the recipients, urgency
as the priority 0–3, the pages, every file byte for byte. The format itself
(building, parsing, checking) is plain Python in core/edxml.py.
"""

from datetime import datetime
from hdnd.content import agencies
from hdnd.content.core import edxml
from hdnd.content.core.levels import URGENCY
from hdnd.content.core import officetime
from hdnd.content.numbers.identity import parse as parse_symbol
from hdnd.content.settings import organisation_settings
from hdnd.content.vocabularies import registry_pairs
from plone.app.contenttypes.interfaces import IFile

import re


# "T/M BAN THƯỜNG VỤ, BÍ THƯ": the competence (thẩm quyền ký) before the
# position, as the signature block prints them on two lines.
_COMPETENCE = re.compile(r"^((?:T/M|TM\.|K/T|KT\.|TL\.|TUQ\.|Q\.)\s[^,]*), (.+)$", re.DOTALL)
_NUMBER = re.compile(r"^([0-9]+)[-/](.+)$", re.DOTALL)


class EnvelopeError(ValueError):
    """A document that cannot travel, or an envelope that cannot become one."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message if message.startswith(field) else f"{field}: {message}")


def split_position(text):
    found = _COMPETENCE.match(text or "")
    return (found.group(1), found.group(2)) if found else ("", text or "")


def join_position(competence, position):
    return f"{competence}, {position}" if competence else position


def code_of(symbol):
    """``(CodeNumber, CodeNotation)`` of a printed symbol: 07-TB/ĐĐHĐND ->
    ("07", "TB/ĐĐHĐND"); 125/UBND-VP -> ("125", "UBND-VP")."""
    found = _NUMBER.match(symbol or "")
    if not found:
        raise EnvelopeError("symbol", "an issued document needs its number and symbol")
    return found.group(1), found.group(2)


def symbol_of(number, notation):
    """The printed symbol again. The envelope drops the separator after the
    number; Party symbols use "-" (07-TB/ĐĐHĐND), State ones "/" (12/QĐ-UBND,
    97/2019/QH14): the one the office's symbol rules read is the one."""
    if not notation:
        return None
    party_first = "/" in notation and not re.match(r"^[0-9]{4}/", notation)
    for joiner in ("-", "/") if party_first else ("/", "-"):
        candidate = f"{number}{joiner}{notation}"
        try:
            parse_symbol(candidate)
        except ValueError:
            continue
        return candidate
    raise EnvelopeError("Code", f"{number} and {notation} make no symbol the office reads")


def this_organ():
    settings = organisation_settings()
    organ_id = (settings.organ_id or "").strip()
    if not organ_id:
        raise EnvelopeError("organ_id", "set the body's electronic organ id (organisation settings) first")
    return edxml.Organ(
        organ_id=organ_id, name=settings.body_name or "", in_charge=settings.parent_body or "",
        address=settings.organ_address or "", email=settings.organ_email or "",
        telephone=settings.organ_telephone or "",
    )


def _organ_of_agency(user_id):
    found = agencies.agency(user_id)
    if found is None:
        raise EnvelopeError("send_to", f"{user_id} is not an agency of the exchange")
    return edxml.Organ(organ_id=found["organ_id"], name=found["name"])


def attachments_of(document):
    """The main file first — the digitally signed PDF when there is one, the
    document as issued — then the files filed inside, in their order."""
    main = getattr(document, "signed_file", None) or getattr(document, "file", None)
    files = [main] if main else []
    files += [item.file for item in document.objectValues() if IFile.providedBy(item) and item.file]
    return tuple(
        edxml.Attachment(name=f.filename or "file", content_type=f.contentType or "application/octet-stream",
                         data=f.data)
        for f in files
    )


def _title_of_type(code):
    return dict(registry_pairs("document_types")).get(code, code or "")


def _type_of(code, title):
    """The office's document type of an envelope's DocumentType: its
    abbreviation (as hdnd wrote it before), else its TypeName (a gateway
    client writes Type 1 with TypeName "Công văn"), else its number
    (edxml.DOCUMENT_TYPES)."""
    pairs = registry_pairs("document_types")
    code = (code or "").strip()
    for value, label in pairs:
        if value == code:
            return value
    for value, label in pairs:
        if label.casefold() == (title or "").strip().casefold():
            return value
    numbered = edxml.type_abbreviation(code) if code.isdigit() else None
    for value, label in pairs:
        if value == numbered:
            return value
    return None


def copies_of(document):
    """Số bản: one copy for each place the document goes (Nơi nhận, the
    file copy among them), one at least."""
    return max(len(document.recipients or ()), len(document.send_to or ()), 1)


def document_id_of(document):
    """``OrganId,YYYY/MM/DD,number/notation``: how the exchange names it."""
    if not document.issue_date or not document.symbol:
        raise EnvelopeError("symbol", "only an issued document, with its number and date, is sent")
    number, notation = code_of(document.symbol)
    return edxml.document_id(this_organ().organ_id, document.issue_date, number, notation)


def response_for_of(document):
    """ResponseFor of a reply (QCVN 102:2016, MessageHeader): the document
    it answers (``in_reply_to``, see replies.py) as its sender named it —
    the issuing organ's id, its number and symbol as printed, its date, and
    its DocumentId: the one its envelope carried, else the standard's
    ``OrganId,YYYY/MM/DD,number/notation`` made from what was registered.
    Nothing for a document that answers none, or answers one from outside
    the exchange (no organ id to name it by: the subject still says "V/v trả
    lời văn bản số …")."""
    relation = getattr(document, "in_reply_to", None)
    answered = getattr(relation, "to_object", None) if relation is not None else None
    if answered is None:
        return ()
    organ_id = agencies.organ_of_sender(answered)
    known = getattr(answered, "edxml_document_id", None)
    if known:
        try:
            named_by, day, code = edxml.split_document_id(known)
        except edxml.EdxmlError:  # another system's own form: kept as it came
            named_by, day, code = organ_id, None, ""
        return (edxml.ResponseFor(organ_id=organ_id or named_by, code=answered.symbol or code,
                                  promulgation_date=answered.issue_date or day, document_id=known),)
    if not organ_id or not answered.issue_date:
        return ()
    try:
        number, notation = code_of(answered.symbol)
        document_id = edxml.document_id(organ_id, answered.issue_date, number, notation)
    except (EnvelopeError, edxml.EdxmlError):
        return ()  # no number and symbol registered: nothing the standard's DocumentId is made of
    return (edxml.ResponseFor(organ_id=organ_id, code=answered.symbol, promulgation_date=answered.issue_date,
                              document_id=document_id),)


def envelope_of(document, business=0, reason="", to=None, document_id=None):
    """The envelope of an issued outgoing document (read as the system: the
    caller has checked who may have it)."""
    document_id = document_id or document_id_of(document)
    sender = this_organ()
    number, notation = code_of(document.symbol)
    competence, position = split_position(document.signer_position)
    recipients = to if to is not None else (document.send_to or ())
    return edxml.Envelope(
        sender=sender,
        to=tuple(_organ_of_agency(user_id) for user_id in recipients),
        document_id=document_id,
        code_number=number,
        code_notation=notation,
        place=organisation_settings().place_name or "",
        promulgation_date=document.issue_date,
        type_code=edxml.type_number(document.document_type),  # the gateway's numbers
        type_name=_title_of_type(document.document_type),
        subject=document.title,
        content=document.description or "",
        signer=edxml.Signer(competence=competence, position=position, full_name=document.signer or ""),
        due_date=document.due_date,
        to_places=tuple(document.recipients or ()),
        priority=URGENCY.index(document.urgency or "normal"),
        promulgation_amount=copies_of(document),
        page_amount=document.page_count or 0,  # 0: not counted (the gateway expects the element)
        response_for=response_for_of(document),
        business_type=business,
        business_reason=reason or "",
        traces=(edxml.Trace(organ_id=sender.organ_id, timestamp=officetime.now().replace(microsecond=0)),),
        attachments=attachments_of(document),
    )


def fields_of(envelope):
    """The fields of the incoming document an envelope becomes (the names
    exchange.receive takes), and its files as ``(name, bytes, mimetype)``."""
    symbol = symbol_of(envelope.code_number, envelope.code_notation)
    family = None
    if symbol:
        family = parse_symbol(symbol).family
    fields = {
        "symbol": symbol,
        "title": envelope.subject,
        "description": envelope.content or None,
        "issuing_body": envelope.sender.name or envelope.sender.organ_id,
        "issue_date": envelope.promulgation_date.isoformat() if envelope.promulgation_date else None,
        "document_type": _type_of(envelope.type_code, envelope.type_name),
        "signer": envelope.signer.full_name or None,
        "signer_position": join_position(envelope.signer.competence, envelope.signer.position) or None,
        "recipients": list(envelope.to_places),
        "urgency": URGENCY[envelope.priority],
        "due_date": envelope.due_date.isoformat() if envelope.due_date else None,
        "page_count": envelope.page_amount or None,
        # Party documents travel on the Party network, the others on the State platform.
        "channel": "party" if family == "party" else "state",
    }
    files = [(a.name, a.data, a.content_type) for a in envelope.attachments]
    return {name: value for name, value in fields.items() if value is not None}, files
