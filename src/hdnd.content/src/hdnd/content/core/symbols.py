"""Official document symbols (số, ký hiệu): parse, store in parts, format.

domain.md §3 names four printed families, all of which must be parsed,
stored in parts and generated:

=========  ===================  ======================================
family     printed form         examples
=========  ===================  ======================================
party      ``Số 05-QC/TU``      5858-QĐ/TU, 12-HD/BTCTW, 46-KL/TW
state      ``Số: 05/QĐ-UBND``   01/CTr-HĐND, 12/TTr-HĐND
letter     ``Số: 12/UBND-VX``   345/HĐND-VP (công văn: no type)
legal      ``số/năm/ký hiệu``   97/2019/QH14, 23/2024/NQ-HĐND
=========  ===================  ======================================

Standard library only: this module is imported by Plone code but never
imports Zope, so it is unit-tested without layers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

FAMILIES = ("party", "state", "letter", "legal")

# Defaults only: the type list is configurable (domain.md §3) and will come
# from a registry; pass ``doc_types=`` to parse_symbol to override it.
PARTY_DOC_TYPES: tuple[tuple[str, str], ...] = (
    ("NQ", "Nghị quyết"),
    ("QĐ", "Quyết định / Quy định"),  # one abbreviation for both in Party use
    ("QC", "Quy chế"),
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("HD", "Hướng dẫn"),
    ("TB", "Thông báo"),
    ("TT", "Thông tri"),
    ("BC", "Báo cáo"),
    ("TTr", "Tờ trình"),
    ("KH", "Kế hoạch"),
    ("CTr", "Chương trình"),
    ("ĐA", "Đề án"),
    ("PA", "Phương án"),
    ("BB", "Biên bản"),
    ("CV", "Công văn"),
)

STATE_DOC_TYPES: tuple[tuple[str, str], ...] = (
    ("NQ", "Nghị quyết"),
    ("QĐ", "Quyết định"),
    ("QyĐ", "Quy định"),  # the State tells regulation apart from decision
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("QC", "Quy chế"),
    ("HD", "Hướng dẫn"),
    ("TB", "Thông báo"),
    ("TTr", "Tờ trình"),
    ("BC", "Báo cáo"),
    ("KH", "Kế hoạch"),
    ("CTr", "Chương trình"),
    ("ĐA", "Đề án"),
    ("PA", "Phương án"),
    ("BB", "Biên bản"),
    ("TC", "Thông cáo"),
    ("GM", "Giấy mời"),
    ("GGT", "Giấy giới thiệu"),
    ("HĐ", "Hợp đồng"),
    ("CĐ", "Công điện"),
    ("GUQ", "Giấy ủy quyền"),
    ("PC", "Phiếu chuyển"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
    ("L", "Luật"),
)

# Plausible years for legal normative symbols: from the founding of the
# Democratic Republic (1945) to a generous horizon.
MIN_YEAR, MAX_YEAR = 1945, 2100

# "Số", "Số:", "SỐ", "so:" ... before the number (any case, colon optional).
_PREFIX = re.compile(r"^s[oố](?=[\s:0-9]|$)\s*:?\s*", re.IGNORECASE)
# Spaces around separators are typing noise: "05 / QĐ - UBND".
_SEPARATOR_SPACES = re.compile(r"\s*([-/])\s*")
# Word processors turn hyphens into dashes when documents are copied.
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
# An issuer or unit: letters/digits, possibly hyphenated (BTCTW, QH14, UBND).
_CODE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_DIGITS = re.compile(r"[0-9]+")


class SymbolError(ValueError):
    """A document symbol that cannot be read or built."""


def format_number(n: int) -> str:
    """Print a document number: below 10 with a leading zero (domain.md §3)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise SymbolError(f"Document number must be a whole number from 1, not {n!r}")
    return f"{n:02d}"


@dataclass(frozen=True)
class Symbol:
    """A symbol stored in parts, so counters and registers never re-parse text.

    ``doc_type`` is None for letters (công văn carry no type) and for legal
    symbols whose notation is only the issuer (97/2019/QH14). ``year`` is only
    used by legal symbols, ``unit`` (the drafting unit) only by letters.
    """

    family: str
    number: int
    doc_type: str | None
    issuer: str
    year: int | None = None
    unit: str | None = None

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise SymbolError(f"Unknown symbol family {self.family!r}")
        format_number(self.number)  # validates the number
        if not self.issuer:
            raise SymbolError("A symbol needs an issuer")
        if self.family in ("party", "state") and not self.doc_type:
            raise SymbolError(f"A {self.family} symbol needs a document type")
        if self.family == "letter" and self.doc_type:
            raise SymbolError("An official letter (công văn) has no document type")
        if self.family == "legal" and not (
            isinstance(self.year, int) and MIN_YEAR <= self.year <= MAX_YEAR
        ):
            raise SymbolError(
                f"A legal symbol needs a year between {MIN_YEAR} and {MAX_YEAR}"
            )

    @property
    def notation(self) -> str:
        """The part after the number (ký hiệu): 'QĐ/TU', 'QĐ-UBND', 'UBND-VX'."""
        if self.family == "party":
            return f"{self.doc_type}/{self.issuer}"
        if self.family == "letter":
            return f"{self.issuer}-{self.unit}" if self.unit else self.issuer
        return f"{self.doc_type}-{self.issuer}" if self.doc_type else self.issuer

    def format(self, prefix: bool = False) -> str:
        """Canonical printed form; with ``prefix`` as printed on the document.

        Party documents print "Số 05-QC/TU" (no colon), State ones "Số: ...".
        """
        number = format_number(self.number)
        if self.family == "party":
            text = f"{number}-{self.notation}"
        elif self.family == "legal":
            text = f"{number}/{self.year}/{self.notation}"
        else:
            text = f"{number}/{self.notation}"
        if not prefix:
            return text
        return f"Số {text}" if self.family == "party" else f"Số: {text}"

    def __str__(self) -> str:
        return self.format()


def _known_types(doc_types: Iterable | None, default) -> dict[str, str]:
    """Map upper-cased abbreviation -> canonical mixed case ('CTR' -> 'CTr').

    ``doc_types`` may hold abbreviations or (abbreviation, name) pairs.
    """
    if doc_types is None:
        doc_types = default
    elif isinstance(doc_types, str):
        doc_types = (doc_types,)
    known = {}
    for item in doc_types:
        abbr = unicodedata.normalize("NFC", item if isinstance(item, str) else item[0])
        known.setdefault(abbr.upper(), abbr)
    return known


def is_code(text: str) -> bool:
    """Whether ``text`` can stand as an issuer or unit code in a symbol."""
    return bool(_CODE.fullmatch(unicodedata.normalize("NFC", text or "")))


def _code(text: str, what: str, original: str, where: str = "") -> str:
    """Upper-case an issuer or unit; str.upper is Unicode-aware ('đ' -> 'Đ')."""
    if not text:
        raise SymbolError(f"Symbol '{original}' has no {what}{where}")
    if not _CODE.fullmatch(text):
        raise SymbolError(f"Symbol '{original}' has an invalid {what} '{text}'")
    return text.upper()


def parse_symbol(text: str, *, doc_types: Iterable | None = None) -> Symbol:
    """Read a printed symbol into its parts, or raise SymbolError.

    Tolerates a leading "Số"/"Số:"/"so:", spaces around separators, lower
    case and NFD input. Issuers and units come back upper case, document
    types in their canonical case from the known list.
    """
    if not isinstance(text, str) or not text.strip():
        raise SymbolError("Symbol is empty")
    original = unicodedata.normalize("NFC", text).strip()
    s = _PREFIX.sub("", original.translate(_DASHES))
    s = _SEPARATOR_SPACES.sub(r"\1", s)
    if not s:
        raise SymbolError(f"Symbol '{original}' has no number")
    if re.search(r"\s", s):
        raise SymbolError(f"Symbol '{original}' has a space inside a part")

    # The number is everything before the first separator.
    head, sep, rest = re.fullmatch(r"([^-/]*)([-/]?)(.*)", s).groups()
    if not head:
        raise SymbolError(f"Symbol '{original}' has no number before '{sep}'")
    if not _DIGITS.fullmatch(head):
        raise SymbolError(f"Symbol '{original}' has a non-numeric number '{head}'")
    number = int(head)
    if number == 0:
        raise SymbolError(f"Symbol '{original}' has number 0; numbers start at 1")
    if not sep:
        raise SymbolError(f"Symbol '{original}' has nothing after the number")

    if sep == "-":  # Party: 05-QC/TU
        known = _known_types(doc_types, PARTY_DOC_TYPES)
        doc_type, _, issuer = rest.partition("/")
        if not doc_type:
            raise SymbolError(f"Symbol '{original}' has no document type after '-'")
        if doc_type.upper() not in known:
            raise SymbolError(
                f"Symbol '{original}' has an unknown Party document type '{doc_type}'"
            )
        issuer = _code(issuer, "issuer", original, " after '/'")
        return Symbol("party", number, known[doc_type.upper()], issuer)

    known = _known_types(doc_types, STATE_DOC_TYPES)
    if _DIGITS.fullmatch(rest.partition("/")[0]):  # legal: 97/2019/QH14
        year_text, _, notation = rest.partition("/")
        year = int(year_text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise SymbolError(
                f"Symbol '{original}' has an implausible year {year_text} "
                f"(expected {MIN_YEAR}..{MAX_YEAR})"
            )
        first, _, tail = notation.partition("-")
        if tail and first.upper() in known:  # 23/2024/NQ-HĐND
            return Symbol("legal", number, known[first.upper()],
                          _code(tail, "issuer", original), year=year)
        return Symbol("legal", number, None,  # 97/2019/QH14
                      _code(notation, "issuer", original, " after the year"), year=year)

    # State vs letter: "05/QĐ-UBND" starts with a known type, "12/UBND-VX" not.
    first, _, tail = rest.partition("-")
    if first.upper() in known:
        doc_type = known[first.upper()]
        issuer = _code(tail, "issuer", original, f" after '{doc_type}-'")
        return Symbol("state", number, doc_type, issuer)
    issuer = _code(first, "issuer", original, " after '/'")
    unit = _code(tail, "unit", original) if tail else None
    return Symbol("letter", number, None, issuer, unit=unit)
