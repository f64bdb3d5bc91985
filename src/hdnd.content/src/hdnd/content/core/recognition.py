"""Reading an official document's layout from its OCR text (bóc tách thông
tin văn bản): the fields a registry clerk types, each with a confidence.

Party and State documents print the same things in the same places
(Quy định 66-QĐ/TW; Nghị định 30/2020, annex I): a header of two columns
(the issuing body under its parent, "Số …" on the left; the national motto
and "…, ngày … tháng … năm …" on the right), the type name and trích yếu
centred under it, the body, then "Nơi nhận" on the left and the signature
block (T/M, K/T, the title, the name) on the right. OCR reads the columns
either one after the other or merged line by line; every rule below holds
for both orders.

Pure Python, no Zope: the symbol rules are hdnd.content.core.symbols'.
``read_layout(text)`` answers a ``Reading``: ``fields`` (str, "" when not
found) and ``confidence`` (0..1 per field: the layout rule's certainty times
the OCR engine's own confidence in the words, when given).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from hdnd.content.core.levels import CLASSIFICATION
from hdnd.content.core.levels import rank
from hdnd.content.core.symbols import PARTY_DOC_TYPES
from hdnd.content.core.symbols import STATE_DOC_TYPES
from hdnd.content.core.symbols import SymbolError
from hdnd.content.core.symbols import parse_symbol
from hdnd.content.core.text import plain

FIELDS = ("symbol", "issue_date", "issuing_body", "doc_type", "title", "place", "signer", "recipients")
# Below this a field is shown to the clerk as "check this" (the desk, REST).
CERTAIN = 0.8

# Issuer codes that carry a Đ, which OCR often reads as D: "HDND" is HĐND.
ISSUER_CODES = ("HĐND", "UBND", "TU", "TW", "BTCTW", "BCT", "BBT", "VPTU", "BTVTU", "ĐĐHĐND",
                "ĐU", "ĐĐ", "ĐUK", "QU", "HU", "TƯ", "VP", "MTTQ", "ĐBQH", "QH", "CP", "TTg", "BNV")

# National mottos printed in the right column: never part of a field.
MOTTOS = (
    "dang cong san viet nam",
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap tu do hanh phuc",
)

# Words of headers and signature blocks, to put back the diacritics OCR
# drops or confuses in capitals ("DANG BỘ THÀNH PHO" -> "ĐẢNG BỘ THÀNH PHỐ").
# Where a bare form has two spellings, the header's is chosen here and the
# signature block's in SIGNATURE_WORDS.
HEADER_WORDS = """ĐẢNG BỘ ĐOÀN ỦY THÀNH PHỐ TỈNH HÀ NỘI HỒ CHÍ MINH HẢI PHÒNG ĐÀ NẴNG CẦN THƠ
HỘI ĐỒNG NHÂN DÂN THƯỜNG TRỰC VỤ BAN VĂN PHÒNG QUỐC CHÍNH TRỊ TRUNG ƯƠNG KIỂM TRA TỔ CHỨC
TUYÊN GIÁO VẬN NỘI KINH TẾ PHÁP CHẾ HÓA XÃ ĐÔ THỊ NGÂN SÁCH ĐẠI BIỂU QUẬN HUYỆN SỞ TÀI NGUYÊN
MÔI TRƯỜNG KẾ HOẠCH ĐẦU TƯ CỘNG HÒA CHỦ NGHĨA VIỆT NAM SẢN ĐỘC LẬP TỰ DO HẠNH PHÚC MẶT TRẬN
TỔ CHỨC ĐỊA PHƯƠNG KHỐI CƠ QUAN DOANH NGHIỆP HĐND UBND ĐBQH MTTQ NỘI VỤ GIÁO DỤC ĐÀO TẠO Y
CÔNG AN QUÂN SỰ""".split()
SIGNATURE_WORDS = "T/M K/T TM KT ĐẢNG ĐOÀN BÍ THƯ PHÓ CHỦ TỊCH THƯỜNG TRỰC HĐND UBND ỦY BAN CHÁNH VĂN PHÒNG TRƯỞNG".split()

# Common family names: a signer's name that starts with one is likelier a name.
SURNAMES = {plain(s) for s in """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý
Đào Đinh Trương Lâm Mai Trịnh Đoàn Lương Tạ Hà Cao Tô Chu Quách La Lưu Thái Kiều Triệu Vương Nghiêm
Văn Tăng Khổng Mạc Châu Doãn Lại Tống Hứa Phùng Giang Kim Âu Thân Quan Lưu Khúc Từ Ông""".split()}

SIGNING_AUTHORITY = re.compile(r"^(t\s*/\s*m|k\s*/\s*t|tm\.|kt\.|tl\.|tuq\.|t\s*/\s*l)", re.IGNORECASE)
SIGNING_TITLES = ("bi thu", "pho bi thu", "chu tich", "pho chu tich", "chanh van phong", "truong ban",
                  "pho truong ban", "giam doc", "pho giam doc", "thu truong", "bo truong")

# How a body's first paragraph starts: the trích yếu has ended.
BODY_START = re.compile(r"^(can cu|xet |dieu \d|thuc hien |kinh gui|trong nhung nam|ngay \d)")

MARKS_CLASSIFICATION = (("tuyet mat", "tuyet_mat"), ("toi mat", "toi_mat"), ("mat", "mat"))
MARKS_URGENCY = (("thuong khan", "thuong_khan"), ("hoa toc", "hoa_toc"), ("khan", "khan"))

_SYMBOL = re.compile(r"(?<![\w/])([0-9OoIl|]{1,5}[0-9])\s*([-/])\s*([^\s,;:]+(?:\s*[-/]\s*[^\s,;:]+)*)")
_SO = re.compile(r"(?<!\w)(s[oốôóồơớ6][\s:.]|số\b)", re.IGNORECASE)
_DATE = re.compile(r"ngay\s*([0-9OoIl|]{1,2})\s*thang\s*([0-9OoIl|]{1,2})\s*nam\s*([0-9OoIl|]{4})")
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_SEPARATOR_LINE = re.compile(r"^[\s\-–—_=*.~+•oO]{1,12}$")
_DASHES = str.maketrans({**{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"},
                         "\u00d0": "Đ"})  # OCR's Icelandic Eth is the Vietnamese Đ


@dataclass
class Reading:
    fields: dict = dataclass_field(default_factory=dict)
    confidence: dict = dataclass_field(default_factory=dict)
    family: str = ""           # "party", "state", or "" when the header tells neither
    classification: str = "none"   # a mark read on the page ("Mật" …): a proposal
    urgency: str = "normal"

    def uncertain(self, threshold=CERTAIN):
        return sorted(name for name in FIELDS if self.confidence.get(name, 0.0) < threshold)

    def as_dict(self):
        return {"fields": dict(self.fields), "confidence": {k: round(v, 2) for k, v in self.confidence.items()},
                "classification": self.classification, "urgency": self.urgency, "family": self.family}


def nfc(text):
    return unicodedata.normalize("NFC", text or "")


def _letters(text):
    return sum(1 for c in text if c.isalpha())


def _words(text):
    return text.split()


def _bare_word(word):
    return plain(word.strip(",.;:()[]\"'"))


def _lexicon(words):
    """bare form -> the one spelling; a bare form with two spellings keeps the first."""
    found = {}
    for word in words:
        found.setdefault(plain(word), word)
    return found


HEADER_LEXICON = _lexicon(HEADER_WORDS)
SIGNATURE_LEXICON = _lexicon(SIGNATURE_WORDS + HEADER_WORDS)


def restore_capitals(line, lexicon=HEADER_LEXICON):
    """Put back the diacritics of capitalised words OCR misread ("DANG" ->
    "ĐẢNG"): only whole capitalised words whose bare form the lexicon knows."""
    out = []
    for word in line.split():
        core = word.strip(",.;:")
        if len(core) > 1 and core.isupper():
            known = lexicon.get(plain(core))
            if known and known != core:
                word = word.replace(core, known)
        out.append(word)
    return " ".join(out)


def strip_mottos(line):
    """The line without the national mottos (merged in from the right column).
    A motto is matched on bare words (dashes between them aside), one misread
    word forgiven; the line's own dashes stay ("BAN KINH TẾ - NGÂN SÁCH")."""
    words = line.split()
    for motto in MOTTOS:
        target = motto.split()
        size, allowed = len(target), (1 if len(target) >= 4 else 0)
        spots = [n for n, w in enumerate(words) if _letters(w)]  # where the words are, dashes skipped
        bare = [_bare_word(words[n]) for n in spots]
        for start in range(0, len(spots) - size + 1):
            misses = sum(1 for a, b in zip(bare[start:start + size], target) if a != b)
            if misses <= allowed:
                del words[spots[start]:spots[start + size - 1] + 1]
                break
    while words and not _letters(words[-1]):
        words.pop()
    return " ".join(words)


def _type_names(family):
    """bare type name -> abbreviation, longest names first ("quy dinh" for
    the State is QyĐ, for the Party QĐ)."""
    pairs = STATE_DOC_TYPES if family == "state" else PARTY_DOC_TYPES + STATE_DOC_TYPES
    names = {}
    for abbreviation, title in pairs:
        for name in title.split(" / "):
            names.setdefault(plain(name), abbreviation)
    return dict(sorted(names.items(), key=lambda item: -len(item[0])))


def _repair_part(part, known):
    """An abbreviation as OCR read it -> the known spelling, when its bare
    form matches exactly one (QD -> QĐ, HDND -> HĐND)."""
    if part.upper() in {k.upper() for k in known}:
        return part, False
    for reading in (part, re.sub(r"(.)\1", r"\1", part)):  # "QĐĐ": a letter read twice
        matches = {k for k in known if plain(k) == plain(reading)}
        if len(matches) == 1:
            return matches.pop(), True
    return part, False


def read_symbol(candidate, family="", issuers=ISSUER_CODES):
    """``(symbol text, repaired)`` for a symbol OCR read, or None."""
    text = nfc(candidate).translate(_DASHES)
    text = re.sub(r"\s*([-/])\s*", r"\1", text).rstrip(".,;:")
    head, _, rest = re.match(r"([^-/]*)(.?)(.*)", text).groups()
    text = head.translate(_DIGIT_FIX) + text[len(head):]
    types = [a for a, _ in PARTY_DOC_TYPES + STATE_DOC_TYPES]
    repaired = False
    parts = re.split(r"([-/])", text)
    fixed = []
    for n, part in enumerate(parts):
        if n and part not in "-/" and not part.isdigit():
            part, changed = _repair_part(part, types + list(issuers))
            repaired = repaired or changed
        fixed.append(part)
    text = "".join(fixed)
    try:
        symbol = parse_symbol(text)
    except SymbolError:
        return None
    return symbol, repaired


@dataclass
class _Line:
    text: str
    index: int


def read_layout(text, *, word_confidence=None, known_bodies=(), issuers=ISSUER_CODES):
    """Read the fields of a Party or State document from its OCR text.

    ``word_confidence``: bare word -> 0..1 from the OCR engine (optional);
    ``known_bodies``: issuing bodies the office knows (their spelling wins
    when the header reads close to one); ``issuers``: symbol issuer codes.
    """
    lines = [nfc(line).translate(_DASHES).strip() for line in (text or "").splitlines()]
    reading = Reading(fields={name: "" for name in FIELDS}, confidence={name: 0.0 for name in FIELDS})
    nonblank = [_Line(line, n) for n, line in enumerate(lines) if line]
    if not nonblank:
        return reading
    bare_text = plain(" ".join(lines[:15]))

    # The family, from the motto of the header.
    if "cong san" in bare_text or "dang cong" in bare_text:
        reading.family = "party"
    elif "cong hoa" in bare_text or "xa hoi chu nghia" in bare_text or "doc lap" in bare_text:
        reading.family = "state"

    def ocr_trust(value):
        if not word_confidence or not value:
            return 1.0
        scores = [word_confidence.get(_bare_word(w)) for w in value.split()]
        scores = [s for s in scores if s is not None]
        return sum(scores) / len(scores) if scores else 0.9

    def settle(name, value, certainty):
        reading.fields[name] = value
        reading.confidence[name] = round(max(0.0, min(1.0, certainty * ocr_trust(value))), 3) if value else 0.0

    # The type name under the header: a line that is exactly a type's name.
    names = _type_names(reading.family)
    type_at, type_abbr = None, ""
    for line in nonblank[:40]:
        bare = _bare_word(strip_mottos(line.text))
        if bare in names and line.text.strip(",.:;").upper() == line.text.strip(",.:;"):
            type_at, type_abbr = line, names[bare]
            break
    header_end = type_at.index if type_at else (nonblank[min(len(nonblank) - 1, 10)].index + 1)

    # The symbol: the first that parses, on a "Số" line of the header first.
    found = None
    for pass_ in ("so", "header", "any"):
        for line in nonblank:
            if pass_ != "any" and line.index >= header_end:
                break
            if pass_ == "so" and not _SO.search(line.text):
                continue
            for match in _SYMBOL.finditer(line.text):
                result = read_symbol(match.group(0), reading.family, issuers)
                if result:
                    found = (result, line, pass_)
                    break
            if found:
                break
        if found:
            break
    symbol = None
    if found:
        (symbol, repaired), symbol_line, how = found
        certainty = {"so": 0.97, "header": 0.85, "any": 0.5}[how] * (0.9 if repaired else 1.0)
        if reading.family and reading.family != ("party" if symbol.family == "party" else "state"):
            certainty *= 0.7
        if not reading.family:
            reading.family = "party" if symbol.family == "party" else "state"
        settle("symbol", symbol.format(), certainty)

    # Place and date: "Hà Nội, ngày 15 tháng 3 năm 2026".
    for line in nonblank[:30]:
        bare = plain(line.text)
        match = _DATE.search(bare)
        if not match:
            continue
        day, month, year = (int(g.translate(_DIGIT_FIX)) for g in match.groups())
        try:
            issued = date(year, month, day)
        except ValueError:
            break
        settle("issue_date", issued.isoformat(), 0.97 if 1945 <= year <= 2100 else 0.3)
        settle("place", _place_before_date(line.text), 0.85)
        break

    # The issuing body: the header's left column above the symbol, without
    # the mottos; under a parent body the issuer is the lower line(s).
    stop = found[1].index if found else header_end
    header = []
    for line in nonblank:
        if line.index >= min(stop, header_end):
            break
        clean = strip_mottos(restore_capitals(line.text))
        clean = re.sub(r"\S*,?\s*ngày\s.*$", "", clean, flags=re.IGNORECASE)
        # OCR's stray marks (specks read as ". ^ : 2") carry no letter.
        clean = [w for w in clean.split() if _letters(w) or w == "-"]
        # The left column's capitals, up to what the right column added.
        run = []
        for word in clean:
            if word.upper() != word:
                break
            run.append(word)
        clean = " ".join(run).strip(" *-")
        if _letters(clean) >= 4:
            header.append(clean)
    if found and not header:
        before = symbol_line.text[: _SO.search(symbol_line.text).start()] if _SO.search(symbol_line.text) else ""
        if _letters(before) >= 4:
            header.append(restore_capitals(before.strip()))
    if header:
        issuer = header[1:] if len(header) > 1 else header
        if len(header) > 1 and len(issuer) == 1 and len(issuer[0].split()) <= 2:
            issuer = header  # a long name wrapped ("… THÀNH PHỐ" / "HÀ NỘI"), not a parent above it
        body = " ".join(issuer)
        certainty = 0.85 if len(header) in (1, 2) else 0.6
        snapped = snap(body, known_bodies)
        if snapped:
            body, certainty = snapped
        settle("issuing_body", body, certainty)

    # The type, from the type line or the symbol.
    from_symbol = symbol.doc_type if symbol is not None else None
    if type_abbr and from_symbol and type_abbr != from_symbol and plain(type_abbr) != plain(from_symbol):
        settle("doc_type", from_symbol, 0.6)
    elif type_abbr or from_symbol:
        settle("doc_type", from_symbol or type_abbr, 0.97 if (type_abbr and from_symbol) else 0.8)
    elif symbol is not None and symbol.family == "letter":
        settle("doc_type", "CV", 0.8)

    # The trích yếu: under the type name, up to a rule or a blank line; for
    # a letter (công văn), the "V/v …" line under the symbol.
    title_lines, closed = [], False
    if type_at is not None:
        for n in range(type_at.index + 1, min(len(lines), type_at.index + 8)):
            line = lines[n]
            if not line:
                if title_lines:
                    closed = True
                    break
                continue
            if _SEPARATOR_LINE.match(line) or BODY_START.match(plain(line)):
                closed = True
                break
            if len(title_lines) >= 4:
                break
            title_lines.append(line)
    else:
        for line in nonblank[:25]:
            match = re.search(r"\b[VvY]\s*/\s*[vV]\b\.?\s*(.*)$", line.text)
            if match:
                title_lines = ["V/v " + match.group(1).strip()]
                following = line.index + 1
                while following < len(lines) and lines[following] and len(title_lines) < 3 \
                        and not _DATE.search(plain(lines[following])) and lines[following][0].islower():
                    title_lines.append(lines[following])
                    following += 1
                closed = True
                break
    if title_lines:
        settle("title", " ".join(" ".join(title_lines).split()), 0.9 if closed else 0.6)

    # Signer: after the signing authority (T/M, K/T) or title, the last line
    # that ends in a person's name.
    anchor = None
    for line in nonblank:
        bare = plain(line.text)
        if SIGNING_AUTHORITY.search(line.text) or SIGNING_AUTHORITY.search(bare.split(" ", 1)[-1] if " " in bare else "") \
                or any(bare.endswith(t) for t in SIGNING_TITLES) and line.index > header_end:
            anchor = line.index
    tail = [line for line in nonblank if anchor is None and line.index > header_end or anchor is not None and line.index > anchor]
    for line in reversed(tail[-15:]):
        name = _trailing_name(line.text)
        if name:
            surname = plain(name.split()[0]) in SURNAMES
            settle("signer", name, (0.9 if surname else 0.6) * (1.0 if anchor is not None else 0.8))
            break

    # Recipients: the "- …" lines under "Nơi nhận".
    recipients = []
    for at, line in enumerate(nonblank):
        if "noi nhan" in plain(line.text):
            for item in nonblank[at + 1: at + 20]:
                text = item.text.strip()
                bullet = re.match(r"^[-+•*~_=–—¬]+\s*", text)
                if not bullet:
                    if recipients:
                        break
                    continue
                entry = _recipient(text[bullet.end():])
                if entry and not plain(entry).startswith("luu"):
                    recipients.append(entry)
            break
    if recipients:
        settle("recipients", "; ".join(recipients), 0.85)

    # Marks stamped on the page ("Khẩn", "Mật"): whole lines of their own.
    reading.classification, reading.urgency = read_marks(lines)
    return reading


def read_marks(lines):
    """``(classification, urgency)`` from stamp lines: a line that is only
    a mark ("MẬT", "TỐI MẬT", "KHẨN", "HỎA TỐC")."""
    classification, urgency = "none", "normal"
    for line in lines:
        bare = _bare_word(line)
        if not bare or len(bare) > 12:
            continue
        for word, token in MARKS_CLASSIFICATION:
            if bare == word and rank(token) > rank(classification):
                classification = token
        for word, token in MARKS_URGENCY:
            if bare == word and urgency == "normal":
                urgency = token
    return classification, urgency


def propose_classification(current, read):
    """The classification to propose for a document whose page shows ``read``:
    never lower than what is set (a mark on the page only ever raises it;
    lowering is a decision of the body that classified, domain §5)."""
    current = current if current in CLASSIFICATION else "none"
    read = read if read in CLASSIFICATION else "none"
    return read if rank(read) > rank(current) else current


def snap(text, known, cutoff=0.82):
    """``(known spelling, similarity)`` of the known body closest to ``text``
    (compared without case or diacritics), or None when none is close."""
    if not text or not known:
        return None
    bare = plain(text)
    best, score = None, 0.0
    for candidate in known:
        ratio = difflib.SequenceMatcher(None, bare, plain(candidate)).ratio()
        if ratio > score:
            best, score = candidate, ratio
    return (best, score) if score >= cutoff else None


_PLACE_WORDS = {"pho", "tinh", "thanh"}


def _place_before_date(line):
    """The place before ", ngày": the capitalised words just before it."""
    match = re.search(r"^(.*?),?\s*ng[aà]y\b", line, flags=re.IGNORECASE)
    if not match:
        return ""
    words = match.group(1).rstrip(", ").split()
    place = []
    for word in reversed(words):
        if re.search(r"[0-9/\-]", word) or word.isupper() and len(word) > 1 and place:
            break
        if word[:1].isupper() or _bare_word(word) in _PLACE_WORDS and place:
            place.insert(0, word)
        else:
            break
        if len(place) >= 5:
            break
    return " ".join(place).strip(", ")


def _junk(text):
    """Specks and scrawl read as letters: no word of three letters or more."""
    return not any(w.strip(".,;:").isalpha() and len(w.strip(".,;:")) >= 3 for w in text.split())


def _recipient(text):
    """One "Nơi nhận" line without its closing comma and without what the
    right column (a signature's scrawl, a title in capitals) merged onto
    its end; "" when the line is only scrawl."""
    text = text.strip()
    while True:
        cut = max(text.rfind(","), text.rfind(";"), text.rfind(":"))
        rest = text[cut + 1:]
        if cut < 0 or (any(c.islower() for c in rest) and not _junk(rest)):
            break
        text = text[:cut]
    text = text.strip(" ,;:.")
    return "" if _junk(text) else text


def _trailing_name(line):
    """A person's name ending the line: 2 to 5 words, each a capital then
    small letters ("Nguyễn Ngọc Tuấn"), not a whole capitalised line."""
    words = line.strip().rstrip(".,;").split()
    name = []
    for word in reversed(words):
        if word.isalpha() and word[0].isupper() and word[1:] == word[1:].lower():
            name.insert(0, word)
        else:
            break
    if 2 <= len(name) <= 5:
        return " ".join(name[-5:])
    return ""
