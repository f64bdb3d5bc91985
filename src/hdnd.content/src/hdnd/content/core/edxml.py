"""edXML envelopes and status messages (QCVN 102:2016), built and parsed in
plain Python.

QCVN 102:2016 is the national technical regulation for exchanging electronic
documents between state agencies. A document travels as an edXML envelope,
written the way the national document interchange gateway and its clients
write it:

    edXML:edXML                     the wrapper the gateway's clients send
      edXML:edXMLEnvelope
        edXML:edXMLHeader
          edXML:MessageHeader       sender, recipients, số/ký hiệu, subject, ...
          edXML:TraceHeaderList     the organs it passed through; new/recall/...
        edXML:edXMLBody
          edXML:edXMLManifest       one Reference per attachment (1, 2, ..., xlink:href cid:1, ...)
      edXML:AttachmentEncoded       beside the envelope: each Attachment's file,
                                    zipped (one entry), base64 in ContentTransferEncoded

Dates are written YYYY/MM/DD, the document type as its number (DOCUMENT_TYPES),
OtherInfo with PromulgationAmount and PageAmount.

The reader is tolerant of every form public implementations send (the samples
in tests/resources/edxml, each traced to the implementation it follows): the
envelope as root with AttachmentEncoded inside it (the standard's examples,
hdnd before), or wrapped in <edXML>; Manifest or edXMLManifest; elements in the
edXML namespace or in none; a Reference naming its attachment by xlink:href;
Business/BusinessDocType spelled either way ("Bussiness" is the standard's);
the data in Value (with ContentTransferEncoded "base64") or in
ContentTransferEncoded itself, zipped or not; dates YYYY-MM-DD or YYYY/MM/DD;
timestamps ISO 8601 with their offset, or "YYYY/MM/DD HH:MM:SS" and
"DD/MM/YYYY HH:MM:SS" in Vietnam's time (+07:00); a ContentId with or
without "cid:" (a provincial LGSP builder writes "cid:x" in the Reference
and "x" in the Attachment); elements in Bkav's namespace; and Bkav eDoc's
SOAP with attachments (``parse_mime``: the headers in the SOAP Header, the
Manifest in the Body, each file a MIME part).

The receiver answers with a status message (``edXML:Status``: arrived,
refused, accepted, ..., recall agreed), written with ResponseFor, From and To
directly in it as document systems on the gateways write it, and read in
that form, the standard's (a Header around them) or inside a SOAP envelope.

``build``/``parse`` and ``build_status``/``parse_status`` turn the frozen
dataclasses below into UTF-8 XML and back, and ``parse(build(e)) == e`` for
every envelope ``build`` accepts: one layout table (HEADER, STATUS) drives
both directions, so they cannot drift apart. Every problem, on either side, is
an ``EdxmlError`` whose ``field`` says where ("MessageHeader/From/OrganId",
"AttachmentEncoded/Attachment[2]/ContentTransferEncoded"), never a KeyError or
an lxml error: envelopes come from other agencies' software, and a bad one
must still be answered with a status saying what was wrong.

The code tables (status codes, business types, priorities, document types)
are here, in one place.

Standard library and lxml only: no Zope, so it is unit-tested without layers.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from hdnd.content.core import officetime

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
XLINK = "http://www.w3.org/1999/xlink"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
# Read as edXML's own: Bkav eDoc's SDK writes the elements in its namespace
# (com.bkav.edoc.sdk.resource.EdXmlConstant.EDXML_NS), and a provincial
# document system's status message binds the edXML prefix to SOAP's.
EDXML_NAMESPACES = (None, NS, "http://www.e-doc.vn/Schema/")

MAX_ENVELOPE = 200 * 1024 * 1024  # parse() refuses anything larger unread

# An attachment's base64 Value is one text node. libxml2 takes text nodes over
# 10 MB only with huge_tree, which is safe here because no DOCTYPE (so no
# entity at all) gets as far as the parser; a text stays within this bound
# (70 MB of attachment), and the envelope within MAX_ENVELOPE.
MAX_TEXT = 100_000_000
# Untrusted input is UTF-8 (what build() writes): another encoding could hide
# a DOCTYPE from the byte scan in _load().
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")

# --- code tables -------------------------------------------------------------

STATUS_CODES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Đã phân công",
    "05": "Đang xử lý",
    "06": "Đã hoàn thành",
    "13": "Đề nghị thu hồi",
    "15": "Đồng ý thu hồi",
    "16": "Từ chối thu hồi",
}
BUSINESS = {0: "new", 1: "recall", 2: "update", 3: "replace"}
PRIORITIES = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc"}
MAX_AMOUNT = 999_999_999  # copies and pages; nine digits keeps int() cheap

# DocumentType/Type as the interchange numbers it: the types of administrative
# documents in the order of Appendix III of Decree 30/2020/ND-CP (1 Nghị quyết
# ... 29 Thư công), with the abbreviation the symbol uses. A type outside that
# list (Party types such as Kết luận, Thông tri; legal documents) is written 0
# and known by its TypeName, which readers match first.
DOCUMENT_TYPES = (
    ("1", "NQ", "Nghị quyết"), ("2", "QĐ", "Quyết định"), ("3", "CT", "Chỉ thị"), ("4", "QC", "Quy chế"),
    ("5", "QyĐ", "Quy định"), ("6", "TC", "Thông cáo"), ("7", "TB", "Thông báo"), ("8", "HD", "Hướng dẫn"),
    ("9", "CTr", "Chương trình"), ("10", "KH", "Kế hoạch"), ("11", "PA", "Phương án"), ("12", "ĐA", "Đề án"),
    ("13", "DA", "Dự án"), ("14", "BC", "Báo cáo"), ("15", "BB", "Biên bản"), ("16", "TTr", "Tờ trình"),
    ("17", "HĐ", "Hợp đồng"), ("18", "CV", "Công văn"), ("19", "CĐ", "Công điện"), ("20", "GN", "Bản ghi nhớ"),
    ("21", "TTh", "Bản thỏa thuận"), ("22", "GUQ", "Giấy ủy quyền"), ("23", "GM", "Giấy mời"),
    ("24", "GGT", "Giấy giới thiệu"), ("25", "NP", "Giấy nghỉ phép"), ("26", "PG", "Phiếu gửi"),
    ("27", "PC", "Phiếu chuyển"), ("28", "PB", "Phiếu báo"), ("29", "", "Thư công"),
)
OTHER_TYPE = "0"


def type_number(abbreviation):
    """The interchange's number of a document type (its abbreviation), "0" if it has none."""
    for number, abbr, _name in DOCUMENT_TYPES:
        if abbr and abbr == abbreviation:
            return number
    return OTHER_TYPE


def type_abbreviation(number):
    """The abbreviation of a numbered document type, None if unknown."""
    for code, abbr, _name in DOCUMENT_TYPES:
        if code == (number or "").strip().lstrip("0") and abbr:
            return abbr
    return None


class EdxmlError(ValueError):
    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field


@dataclass(frozen=True)
class Organ:
    organ_id: str  # mã định danh, e.g. "000.00.31.H29"
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Signer:
    competence: str = ""  # thẩm quyền ký: "TM.", "KT.", ...
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str
    code: str
    promulgation_date: date | None
    document_id: str


@dataclass(frozen=True)
class Trace:
    organ_id: str
    timestamp: datetime  # aware


@dataclass(frozen=True)
class Envelope:
    sender: Organ
    to: tuple[Organ, ...]
    document_id: str  # see document_id()
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date | None
    type_code: str
    type_name: str
    subject: str
    content: str = ""
    signer: Signer = Signer()
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    priority: int = 0  # PRIORITIES
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: tuple[str, ...] = ()
    response_for: tuple[ResponseFor, ...] = ()
    steering_type: int = 0
    business_type: int = 0  # BUSINESS
    business_reason: str = ""
    traces: tuple[Trace, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Status:
    sender: Organ
    to: Organ
    response_for: ResponseFor
    code: str  # STATUS_CODES
    timestamp: datetime  # aware
    description: str = ""
    department: str = ""
    staff: str = ""
    email: str = ""
    mobile: str = ""


# --- DocumentId: "OrganId,YYYY/MM/DD,number/notation" ------------------------

DOCUMENT_ID = re.compile(r"([^,]+),([0-9]{4})/([0-9]{2})/([0-9]{2}),([^/]+/.+)", re.S)


def document_id(organ_id: str, promulgation_date: date, number: str, notation: str) -> str:
    """The DocumentId of a document: its issuer, date and number/notation."""
    if not all(isinstance(part, str) and part.strip() for part in (organ_id, number, notation)):
        raise EdxmlError("DocumentId", "organ id, number and notation are all required text")
    if "," in organ_id or "/" in number:  # the separators: split_document_id must find them again
        raise EdxmlError("DocumentId", f"no ',' in the organ id {organ_id!r}, no '/' in the number {number!r}")
    day = _expect(promulgation_date, date, "DocumentId")
    return f"{organ_id},{day.year:04d}/{day.month:02d}/{day.day:02d},{number}/{notation}"


def split_document_id(text: str) -> tuple[str, date, str]:
    """(organ id, promulgation date, "number/notation") from a DocumentId."""
    match = DOCUMENT_ID.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise EdxmlError("DocumentId", f"{text!r} is not 'OrganId,YYYY/MM/DD,number/notation'")
    organ_id, year, month, day, rest = match.groups()
    try:
        return organ_id, date(int(year), int(month), int(day)), rest
    except ValueError:
        raise EdxmlError("DocumentId", f"{text!r} holds no real date") from None


# --- elements and text -------------------------------------------------------

# Characters outside XML 1.0's Char production: lxml would refuse them with a
# bare ValueError, and we want the field named instead.
ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INTEGER = re.compile(r"[0-9]{1,10}")
DAY = re.compile(r"([0-9]{4})([-/])([0-9]{2})\2([0-9]{2})(?: [0-9]{2}:[0-9]{2}:[0-9]{2})?")
LOCAL_DAY = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})(?: [0-9]{2}:[0-9]{2}:[0-9]{2})?")  # dd/MM/yyyy
LOCAL_MOMENT = re.compile(  # YYYY/MM/DD HH:MM:SS or DD/MM/YYYY HH:MM:SS, no offset
    r"(?:([0-9]{4})/([0-9]{2})/([0-9]{2})|([0-9]{2})/([0-9]{2})/([0-9]{4})) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})")


def _q(tag):
    return f"{{{NS}}}{tag}"


def _at(path, tag):
    return f"{path}/{tag}" if path else tag


def _sub(parent, tag, text=None):
    node = etree.SubElement(parent, _q(tag))
    # lxml writes a CR as &#13;, so it survives the parser's end-of-line
    # normalisation and text comes back exactly (tested).
    node.text = text
    return node


def _expect(value, kind, field):
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise EdxmlError(field, f"expected {names}, got {type(value).__name__}")
    return value


def _check(value, field, required=False):
    """Text that XML can hold, for the field named."""
    _expect(value, str, field)
    if required and not value.strip():
        raise EdxmlError(field, "required, must not be empty")
    bad = ILLEGAL.search(value)
    if bad:
        raise EdxmlError(field, f"character U+{ord(bad.group()):04X} cannot be stored in XML")
    if len(value) > MAX_TEXT // 4 and len(value.encode("utf-8")) > MAX_TEXT:
        raise EdxmlError(field, f"over {MAX_TEXT} bytes, more than a receiver's parser accepts")
    return value


def _many(parent, tag):
    return parent.findall(_q(tag)) if parent is not None else []


def _one(parent, tag, field, required=False):
    found = _many(parent, tag)
    if len(found) > 1:
        raise EdxmlError(field, "appears more than once")
    if required and not found:
        raise EdxmlError(field, "missing")
    return found[0] if found else None


def _text(node, field, required=False):
    """A leaf's text: "" when the element is absent or empty."""
    if node is None and required:
        raise EdxmlError(field, "missing")
    if node is not None and len(node):
        raise EdxmlError(field, "must hold text, not elements")
    text = "" if node is None else node.text or ""
    if required and not text.strip():
        raise EdxmlError(field, "required, must not be empty")
    return text


# --- the kinds of value in the layout tables ---------------------------------
# Each writes a value as element ``tag`` under ``parent`` (put) and reads it
# back (get); ``field`` is the path named in errors.


class Kind:
    def get(self, parent, tag, field):
        return self.load(_one(parent, tag, field), field)


class Text(Kind):
    """Text, exactly; required: not blank; choices: one of them (a code)."""

    def __init__(self, required=False, choices=None):
        self.required, self.choices = required, choices

    def put(self, parent, tag, value, field):
        _sub(parent, tag, self._chosen(_check(value, field, self.required), field))

    def load(self, node, field):
        text = _text(node, field, self.required)
        return text if self.choices is None else self._chosen(text.strip(), field)

    def _chosen(self, value, field):
        if self.choices is not None and value not in self.choices:
            raise EdxmlError(field, f"{value!r} is not one of {', '.join(self.choices)}")
        return value


class Int(Kind):
    """An integer from low to high; with default None, optional and left out when None."""

    def __init__(self, low, high, default):
        self.low, self.high, self.default = low, high, default

    def put(self, parent, tag, value, field):
        if value is None and self.default is None:
            return
        if not self.low <= _expect(value, int, field) <= self.high:
            raise EdxmlError(field, f"{value!r} is not an integer from {self.low} to {self.high}")
        _sub(parent, tag, str(value))

    def load(self, node, field):
        text = _text(node, field).strip()
        if not text:
            return self.default
        if not INTEGER.fullmatch(text) or not self.low <= int(text) <= self.high:
            raise EdxmlError(field, f"{text!r} is not an integer from {self.low} to {self.high}")
        return int(text)


class Day(Kind):
    """A date, optional: left out when None, None when absent. Written
    YYYY/MM/DD as the gateway writes it; read YYYY/MM/DD, YYYY-MM-DD or
    DD/MM/YYYY, with a time after it ignored (a gateway client writes its
    timestamp there)."""

    def put(self, parent, tag, value, field):
        if value is not None:
            if isinstance(value, datetime):  # a datetime is a date, but would write its time
                raise EdxmlError(field, "expected a date, got a datetime")
            day = _expect(value, date, field)
            _sub(parent, tag, f"{day.year:04d}/{day.month:02d}/{day.day:02d}")

    def load(self, node, field):
        text = _text(node, field).strip()
        if not text:
            return None
        found, local = DAY.fullmatch(text), LOCAL_DAY.fullmatch(text)
        try:
            if found:
                return date(int(found.group(1)), int(found.group(3)), int(found.group(4)))
            if local:  # a provincial system's status writes ResponseFor's date so
                return date(int(local.group(3)), int(local.group(2)), int(local.group(1)))
        except ValueError:
            pass
        raise EdxmlError(field, f"{text!r} is not a date YYYY/MM/DD")


class Moment(Kind):
    """A required ISO 8601 timestamp with its UTC offset."""

    def put(self, parent, tag, value, field):
        offset = _expect(value, datetime, field).utcoffset()
        if offset is None:
            raise EdxmlError(field, "a timestamp must carry its UTC offset")
        if offset.total_seconds() % 60:
            raise EdxmlError(field, "ISO 8601 offsets are whole minutes")
        _sub(parent, tag, value.isoformat())

    def load(self, node, field):
        text = _text(node, field, required=True).strip()
        try:
            if MOMENT.fullmatch(text):
                return datetime.fromisoformat(text)
            local = LOCAL_MOMENT.fullmatch(text)
            if local:
                y1, m1, d1, d2, m2, y2, hour, minute, second = local.groups()
                # A timestamp sent without an offset is the office's (Vietnam's) time.
                return officetime.localize(datetime(int(y1 or y2), int(m1 or m2), int(d1 or d2),
                                                    int(hour), int(minute), int(second)))
        except ValueError:
            pass
        raise EdxmlError(field, f"{text!r} is not an ISO 8601 timestamp with its UTC offset")


class One(Kind):
    """A dataclass written as an element whose children follow ``layout``."""

    def __init__(self, cls, layout):
        self.cls, self.layout = cls, layout

    def put(self, parent, tag, value, field):
        _write(_sub(parent, tag), _expect(value, self.cls, field), self.layout, field)

    def load(self, node, field):
        return self.cls(**_read(node, self.layout, field, {}))


class Many(Kind):
    """A tuple written as repeated elements, ``tag[1]``, ``tag[2]``, ... in errors."""

    def __init__(self, kind, at_least=0):
        self.kind, self.at_least = kind, at_least

    def put(self, parent, tag, values, field):
        if len(_expect(values, (tuple, list), field)) < self.at_least:
            raise EdxmlError(field, f"at least {self.at_least} required")
        for n, value in enumerate(values, 1):
            self.kind.put(parent, tag, value, f"{field}[{n}]")

    def get(self, parent, tag, field):
        nodes = _many(parent, tag)
        if len(nodes) < self.at_least:
            raise EdxmlError(field, f"missing: at least {self.at_least} required")
        return tuple(self.kind.load(node, f"{field}[{n}]") for n, node in enumerate(nodes, 1))


def _write(parent, obj, layout, path):
    """Write obj's attributes per layout: (tag, attribute, kind) rows, where a
    row with no attribute is a grouping element whose own rows follow."""
    for tag, attribute, kind in layout:
        if attribute is None:
            _write(_sub(parent, tag), obj, kind, _at(path, tag))
        else:
            kind.put(parent, tag, getattr(obj, attribute), _at(path, tag))


def _read(parent, layout, path, values):
    """The attributes layout describes, read into the dict values."""
    for tag, attribute, kind in layout:
        if attribute is None:
            _read(_one(parent, tag, _at(path, tag)), kind, _at(path, tag), values)
        else:
            values[attribute] = kind.get(parent, tag, _at(path, tag))
    return values


# --- the layouts, in the standard's element order ----------------------------

TEXT, REQUIRED, DATE = Text(), Text(required=True), Day()
ORGAN = One(Organ, (
    ("OrganId", "organ_id", REQUIRED), ("OrganizationInCharge", "in_charge", TEXT), ("OrganName", "name", TEXT),
    ("OrganAdd", "address", TEXT), ("Email", "email", TEXT), ("Telephone", "telephone", TEXT),
    ("Fax", "fax", TEXT), ("Website", "website", TEXT)))
RESPONSE = One(ResponseFor, (
    ("OrganId", "organ_id", TEXT), ("Code", "code", TEXT), ("PromulgationDate", "promulgation_date", DATE),
    ("DocumentId", "document_id", REQUIRED)))

HEADER = (  # the children of edXML:edXMLHeader
    ("MessageHeader", None, (
        ("From", "sender", ORGAN),
        ("To", "to", Many(ORGAN, at_least=1)),
        ("DocumentId", "document_id", REQUIRED),
        ("Code", None, (("CodeNumber", "code_number", REQUIRED), ("CodeNotation", "code_notation", TEXT))),
        ("PromulgationInfo", None, (("Place", "place", TEXT), ("PromulgationDate", "promulgation_date", DATE))),
        ("DocumentType", None, (("Type", "type_code", TEXT), ("TypeName", "type_name", TEXT))),
        ("Subject", "subject", REQUIRED),
        ("Content", "content", TEXT),
        ("SignerInfo", "signer", One(Signer, (
            ("Competence", "competence", TEXT), ("Position", "position", TEXT), ("FullName", "full_name", TEXT)))),
        ("DueDate", "due_date", DATE),
        ("ToPlaces", None, (("Place", "to_places", Many(TEXT)),)),
        ("OtherInfo", None, (
            ("Priority", "priority", Int(0, 3, 0)),
            ("SphereOfPromulgation", "sphere", TEXT),
            ("TyperNotation", "typer_notation", TEXT),
            ("PromulgationAmount", "promulgation_amount", Int(0, MAX_AMOUNT, None)),
            ("PageAmount", "page_amount", Int(0, MAX_AMOUNT, None)),
            ("Appendixes", None, (("Appendix", "appendixes", Many(TEXT)),)))),
        ("ResponseFor", "response_for", Many(RESPONSE)),
        ("SteeringType", "steering_type", Int(0, 1, 0)))),
    ("TraceHeaderList", None, (
        ("TraceHeader", "traces", Many(One(Trace, (("OrganId", "organ_id", REQUIRED),
                                                   ("Timestamp", "timestamp", Moment()))))),
        ("Bussiness", None, (("BussinessDocType", "business_type", Int(0, 3, 0)),
                             ("BussinessDocReason", "business_reason", TEXT))))),
)

STATUS = (  # the children of edXML:Status
    ("Header", None, (("From", "sender", ORGAN), ("To", "to", ORGAN), ("ResponseFor", "response_for", RESPONSE))),
    ("StatusCode", "code", Text(required=True, choices=STATUS_CODES)),
    ("Description", "description", TEXT),
    ("Timestamp", "timestamp", Moment()),
    ("StaffInfo", None, (("Department", "department", TEXT), ("Staff", "staff", TEXT),
                         ("Email", "email", TEXT), ("Mobile", "mobile", TEXT))),
)

# An attachment's fields, repeated in its Manifest Reference.
ATTACHMENT = (("ContentType", "content_type", TEXT), ("Description", "description", TEXT),
              ("AttachmentName", "name", REQUIRED))


# --- building ----------------------------------------------------------------


def _serialise(root):
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if len(data) > MAX_ENVELOPE:
        raise EdxmlError("envelope", f"{len(data)} bytes, over the {MAX_ENVELOPE} a receiver accepts")
    return data


def _zipped(name, data):
    """The file as the gateway's clients send it: a ZIP of one entry, made
    the same way every time (fixed date, no extra fields)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo(name or "file", date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, bytes(data))
    return out.getvalue()


def build(envelope: Envelope) -> bytes:
    """The envelope as UTF-8 edXML bytes, unsigned (XML-DSig is issue 12's),
    in the form the national gateway's clients write: the <edXML> wrapper,
    edXMLManifest (each Reference with its ContentId, and xlink:href/type for
    readers that follow links), and beside the envelope AttachmentEncoded,
    each file zipped and base64 in ContentTransferEncoded."""
    root = etree.Element(_q("edXML"), nsmap={PREFIX: NS, "xlink": XLINK})
    body = etree.SubElement(root, _q("edXMLEnvelope"))
    _write(_sub(body, "edXMLHeader"), _expect(envelope, Envelope, "envelope"), HEADER, "")
    manifest, encoded = _sub(_sub(body, "edXMLBody"), "edXMLManifest"), _sub(root, "AttachmentEncoded")
    manifest.set("version", "1.0")
    attachments = _expect(envelope.attachments, (tuple, list), "AttachmentEncoded")
    for n, item in enumerate(attachments, 1):
        field = f"AttachmentEncoded/Attachment[{n}]"
        _expect(item, Attachment, field)
        data = _expect(item.data, (bytes, bytearray), f"{field}/ContentTransferEncoded")
        # The Reference repeats the Attachment's fields: errors name the
        # Attachment, where the data is.
        attachment, reference = _sub(encoded, "Attachment"), _sub(manifest, "Reference")
        for node in (attachment, reference):
            # Numbered in order as the standard's examples; written without
            # "cid:" in both, so that the gateway client's reader (which
            # matches the two ContentIds as they are) and the LGSP builder's
            # form (whose Attachment's ContentId is its Reference's
            # xlink:href less "cid:") both find the file.
            _sub(node, "ContentId", str(n))
            _write(node, item, ATTACHMENT, field)
        # And as readers that follow the links find it (Bkav eDoc's Reference).
        reference.set(f"{{{XLINK}}}href", f"cid:{n}")
        reference.set(f"{{{XLINK}}}type", item.content_type)
        # One line, not wrapped at 76 columns: every byte counts against MAX_TEXT.
        value = base64.b64encode(_zipped(item.name, data)).decode("ascii")
        _sub(attachment, "ContentTransferEncoded", _check(value, f"{field}/ContentTransferEncoded"))
    return _serialise(root)


def build_status(status: Status) -> bytes:
    """The status message as UTF-8 edXML bytes, as document systems on the
    gateways write it: edXML:Status holding ResponseFor, From and To
    directly (no Header around them), then StatusCode, Description,
    Timestamp, StaffInfo."""
    root = etree.Element(_q("Status"), nsmap={PREFIX: NS})
    _write(root, _expect(status, Status, "status"), STATUS, "")
    header = root.find(_q("Header"))
    for n, part in enumerate([header.find(_q(tag)) for tag in ("ResponseFor", "From", "To")]):
        root.insert(n, part)
    root.remove(header)
    return _serialise(root)


# --- parsing -----------------------------------------------------------------


def _load(data, root_tag):
    """The root element of untrusted bytes, parsed without entities, DTDs or
    network, and refused outright if it has a DOCTYPE."""
    if isinstance(data, str):
        # No character is less than a byte, so encoding one more character than
        # the cap is enough to refuse too much; a lone surrogate passes into the
        # bytes here and makes them ill-formed UTF-8, which lxml then refuses.
        data = data[:MAX_ENVELOPE + 1].encode("utf-8", "surrogatepass")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise EdxmlError("envelope", f"expected bytes or str, got {type(data).__name__}")
    if len(data) > MAX_ENVELOPE:
        raise EdxmlError("envelope", f"{len(data)} bytes, over {MAX_ENVELOPE}")
    declared = _DECLARED.match(data[:200])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4] or (
            declared and declared.group(1).lower() not in (b"utf-8", b"utf8")):
        raise EdxmlError("envelope", "must be UTF-8")
    # Refused before parsing: with no DOCTYPE there is no entity, so no XXE
    # and no entity expansion, whatever the parser's limits.
    if _DOCTYPE.search(data):
        raise EdxmlError("envelope", "DOCTYPE not allowed")
    # A parser per call: an lxml parser must not be shared between threads.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as error:
        problem = "too large for the parser" if "limit exceeded" in str(error) else "not well-formed XML"
        raise EdxmlError("envelope", f"{problem}: {error}") from None
    # Entities are never expanded, but a DOCTYPE has no business in edXML and
    # refusing it closes XXE and entity-expansion tricks for good.
    if root.getroottree().docinfo.doctype:
        raise EdxmlError("envelope", "DOCTYPE not allowed")
    _normalise(root)
    if root.tag == _q("edXML") and root_tag == "edXMLEnvelope":
        root = _unwrap(root)
    if root_tag == "Status":
        root = _status_element(root)
    if root_tag == "Envelope" and root.tag == f"{{{SOAP}}}Envelope":  # SOAP's, its Header and Body
        for node in (root, *root):
            if isinstance(node.tag, str) and etree.QName(node).namespace == SOAP:
                node.tag = _q(etree.QName(node).localname)
    if root.tag != _q(root_tag):
        raise EdxmlError("envelope", f"root must be {PREFIX}:{root_tag} (or {PREFIX}:edXML around it) in {NS}, "
                                     f"found {root.tag}")
    return root


# Names some implementations use for the standard's.
ALIASES = {"edXMLManifest": "Manifest", "Business": "Bussiness", "BusinessDocType": "BussinessDocType",
           "BusinessDocReason": "BussinessDocReason"}


def _normalise(root):
    """Elements in no namespace are read as edXML's (the gateway's clients
    write AttachmentEncoded and its children so), and the aliases as the
    standard's names; elements of other namespaces (a Signature) stay."""
    for node in root.iter():
        if isinstance(node.tag, str):
            name = etree.QName(node)
            if name.namespace in EDXML_NAMESPACES:
                node.tag = _q(ALIASES.get(name.localname, name.localname))


def _unwrap(root):
    """<edXML> around the envelope: the envelope, with the AttachmentEncoded
    beside it moved in, where the standard's examples have it."""
    inner = _many(root, "edXMLEnvelope")
    if len(inner) != 1:
        raise EdxmlError("envelope", f"{PREFIX}:edXML must hold one {PREFIX}:edXMLEnvelope, found {len(inner)}")
    for encoded in _many(root, "AttachmentEncoded"):
        inner[0].append(encoded)
    return inner[0]


def _decode(text, field):
    value = re.sub(r"[ \t\r\n]+", "", text)
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except ValueError:  # binascii.Error and UnicodeEncodeError both are
        raise EdxmlError(field, "not valid base64") from None


def _unzipped(data, field):
    """The file inside a ZIP of one entry (how the gateway's clients send
    it); other data as it is (a .docx sent as itself is a ZIP of many)."""
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) != 1 or entries[0].is_dir():
                return data
            if entries[0].file_size > MAX_TEXT:
                raise EdxmlError(field, f"the zipped file is over {MAX_TEXT} bytes")
            with archive.open(entries[0]) as stream:
                inner = stream.read(MAX_TEXT + 1)
    except EdxmlError:
        raise
    except Exception as error:  # BadZipFile, zlib.error, encrypted, unsupported method...
        raise EdxmlError(field, f"a ZIP that does not unzip ({type(error).__name__})") from None
    if len(inner) > MAX_TEXT:
        raise EdxmlError(field, f"the zipped file is over {MAX_TEXT} bytes")
    return inner


def _cid(text):
    """A content id as every form names the same attachment: "cid:1",
    "1" (a provincial LGSP builder's Attachment, whose Reference says
    "cid:1") and a MIME Content-ID "<1>" are one id."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text[4:] if text[:4].lower() == "cid:" else text


def _attachments(root):
    """Attachments in Manifest order, matched to their data by ContentId."""
    encoded = {}
    for n, node in enumerate(_many(_one(root, "AttachmentEncoded", "AttachmentEncoded"), "Attachment"), 1):
        field = f"AttachmentEncoded/Attachment[{n}]"
        cid = _cid(REQUIRED.get(node, "ContentId", f"{field}/ContentId"))
        if cid in encoded:
            raise EdxmlError(f"{field}/ContentId", f"{cid!r} used twice")
        transfer = TEXT.get(node, "ContentTransferEncoded", f"{field}/ContentTransferEncoded")
        value = _one(node, "Value", f"{field}/Value")
        if value is not None:  # the standard's form: "base64" here, the data in Value
            if transfer.strip() not in ("", "base64"):
                raise EdxmlError(f"{field}/ContentTransferEncoded", f"{transfer.strip()!r} is not base64")
            data = _decode(TEXT.load(value, f"{field}/Value"), f"{field}/Value")
        elif transfer.strip():  # the gateway's: the data itself, zipped or not
            data = _decode(transfer, f"{field}/ContentTransferEncoded")
            if data[:4] == b"PK\x03\x04":
                data = _unzipped(data, f"{field}/ContentTransferEncoded")
        else:
            raise EdxmlError(f"{field}/Value", "missing: no data in Value or ContentTransferEncoded")
        encoded[cid] = (n, Attachment(data=data, **_read(node, ATTACHMENT, field, {})))
    attachments = {}
    manifest = _one(_one(root, "edXMLBody", "edXMLBody"), "Manifest", "Manifest")
    for n, node in enumerate(_many(manifest, "Reference"), 1):
        field = f"Manifest/Reference[{n}]/ContentId"
        if _one(node, "ContentId", field) is None and node.get(f"{{{XLINK}}}href"):
            cid = _cid(node.get(f"{{{XLINK}}}href"))  # a Reference naming it by xlink:href
        else:
            cid = _cid(REQUIRED.get(node, "ContentId", field))
        if cid in attachments:
            raise EdxmlError(field, f"{cid!r} listed twice")
        if cid not in encoded:
            raise EdxmlError(field, f"{cid!r} has no attachment in AttachmentEncoded")
        # The Reference repeats name and type: the Attachment's own win.
        attachments[cid] = encoded[cid][1]
    for cid, (n, _item) in encoded.items():
        if cid not in attachments:
            raise EdxmlError(f"AttachmentEncoded/Attachment[{n}]/ContentId", f"{cid!r} is not in the Manifest")
    return tuple(attachments.values())


def parse(data: bytes | str) -> Envelope:
    """The Envelope in edXML bytes (or text); EdxmlError on any problem.

    Elements we do not use are ignored, edXML:Signature among them:
    verifying XML-DSig signatures is issue 12's.
    """
    root = _load(data, "edXMLEnvelope")
    header = _one(root, "edXMLHeader", "edXMLHeader", required=True)
    _one(header, "MessageHeader", "MessageHeader", required=True)
    values = _read(header, HEADER, "", {})
    return Envelope(attachments=_attachments(root), **values)


def _status_element(root):
    """The Status of a status message in any form it comes: edXML:Status as
    root (the standard; hdnd), inside the <edXML> wrapper, or in a SOAP
    envelope's Header or Body (a provincial document system sends it so,
    its edXML prefix bound to SOAP's namespace); From, To and ResponseFor
    directly in it or in a Header. It is given the standard's Header."""
    found = root
    if etree.QName(root).localname in ("edXML", "Envelope"):
        found = next((node for node in root.iter() if isinstance(node.tag, str)
                      and etree.QName(node).localname == "Status"
                      and etree.QName(node).namespace in EDXML_NAMESPACES + (SOAP,)), root)
        for node in found.iter():
            if isinstance(node.tag, str) and etree.QName(node).namespace == SOAP:
                node.tag = _q(etree.QName(node).localname)
    if found.tag == _q("Status") and _one(found, "Header", "Header") is None:
        header = etree.Element(_q("Header"))
        for tag in ("From", "To", "ResponseFor"):
            for node in _many(found, tag):
                header.append(node)
        answered = _one(header, "ResponseFor", "Header/ResponseFor")
        if not _many(header, "To") and answered is not None and _one(answered, "OrganId", "ResponseFor/OrganId") is not None:
            # That system writes no To: a status goes to the organ whose
            # document it answers.
            _sub(_sub(header, "To"), "OrganId", _one(answered, "OrganId", "ResponseFor/OrganId").text)
        found.insert(0, header)
    return found


def parse_status(data: bytes | str) -> Status:
    """The Status in an edXML status message, in any form it is sent
    (_status_element); EdxmlError on any problem. A To is required: the
    office reads only statuses addressed to an organ."""
    root = _load(data, "Status")
    _one(root, "Header", "Header", required=True)
    return Status(**_read(root, STATUS, "", {}))


# --- SOAP with attachments (Bkav eDoc) ----------------------------------------

MULTIPART_RELATED = "multipart/related"
_BASE64_TEXT = re.compile(rb"[A-Za-z0-9+/=\r\n]+")


def _mime_parts(content_type, body):
    """The parts of a multipart/related body and its root part (the one its
    start parameter names, else the first)."""
    from email import message_from_bytes
    from email import policy

    if not isinstance(body, (bytes, bytearray)) or len(body) > MAX_ENVELOPE:
        raise EdxmlError("envelope", f"a MIME body of at most {MAX_ENVELOPE} bytes is expected")
    if not isinstance(content_type, str) or not content_type.lower().startswith(MULTIPART_RELATED):
        raise EdxmlError("Content-Type", f"{MULTIPART_RELATED} expected, got {str(content_type)[:100]!r}")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = message_from_bytes(head + bytes(body), policy=policy.compat32)
    parts = message.get_payload() if message.is_multipart() else None
    if not parts or message.defects:
        raise EdxmlError("Content-Type", "not a multipart/related body with its boundary")
    start = _cid(message.get_param("start") or "")
    root_part = next((p for p in parts if start and _cid(p.get("Content-ID", "")) == start), parts[0])
    return parts, root_part


def soap_part(content_type: str, body: bytes) -> bytes:
    """The SOAP envelope of a SOAP message with attachments, as sent (where
    an XML signature of the sender's would be)."""
    return _mime_parts(content_type, body)[1].get_payload(decode=True) or b""


def parse_mime(content_type: str, body: bytes) -> Envelope:
    """The Envelope in a SOAP message with attachments (multipart/related,
    as Bkav eDoc sends it: com.bkav.edoc.service.mineutil.ArchiveMime puts
    MessageHeader and TraceHeaderList in the SOAP Header, the Manifest in the
    Body, each file in a MIME part named by its Content-ID, which the
    Reference's xlink:href gives as cid:…). A part's data is read as MIME
    says (Content-Transfer-Encoding); a part that is base64 text is decoded
    once more, since ArchiveMime base64-encodes a file that is not base64
    already. EdxmlError on any problem."""
    parts, root_part = _mime_parts(content_type, body)
    soap = _load(root_part.get_payload(decode=True) or b"", "Envelope")
    header = _one(soap, "Header", "Header", required=True)
    body_node = _one(soap, "Body", "Body", required=True)
    envelope = etree.Element(_q("edXMLEnvelope"))
    edxml_header = _sub(envelope, "edXMLHeader")
    for tag in ("MessageHeader", "TraceHeaderList"):
        for node in _many(header, tag) + _many(body_node, tag):
            edxml_header.append(node)
    edxml_body = _sub(envelope, "edXMLBody")
    for node in _many(body_node, "Manifest"):
        edxml_body.append(node)
    encoded = _sub(envelope, "AttachmentEncoded")
    references = {}
    for n, node in enumerate(edxml_body.iter(_q("Reference")), 1):
        cid = _cid(node.get(f"{{{XLINK}}}href") or TEXT.get(node, "ContentId", f"Manifest/Reference[{n}]/ContentId"))
        references[cid] = (n, node)
    ids = set()
    for n, part in enumerate(parts, 1):
        if part is not root_part:
            ids.add(_cid(part.get("Content-ID", "")))
            if not _cid(part.get("Content-ID", "")):
                raise EdxmlError(f"MIME part {n}", "has no Content-ID")
    for cid, (n, _node) in references.items():
        if cid not in ids:
            raise EdxmlError(f"Manifest/Reference[{n}]/xlink:href", f"no MIME part has the Content-ID <{cid}>")
    for n, part in enumerate(parts, 1):
        if part is root_part:
            continue
        field = f"MIME part {n}"
        cid = _cid(part.get("Content-ID", ""))
        if cid not in references:
            raise EdxmlError(field, f"its Content-ID <{cid}> is in no Manifest Reference")
        reference = references[cid][1]
        data = part.get_payload(decode=True) or b""
        if _BASE64_TEXT.fullmatch(data):
            data = _decode(data.decode("ascii"), field)
        attachment = _sub(encoded, "Attachment")
        _sub(attachment, "ContentId", cid)
        name = TEXT.get(reference, "AttachmentName", f"{field}/AttachmentName") or part.get_filename() or ""
        if not name.strip():
            raise EdxmlError(field, "no AttachmentName in its Reference nor a file name in the part")
        _sub(attachment, "AttachmentName", _check(name, f"{field}/AttachmentName"))
        _sub(attachment, "ContentType", part.get_content_type())
        if TEXT.get(reference, "Description", field):
            _sub(attachment, "Description", TEXT.get(reference, "Description", field))
        _sub(attachment, "ContentTransferEncoded", "base64")
        _sub(attachment, "Value", base64.b64encode(data).decode("ascii"))
    return parse(etree.tostring(envelope))
