"""Rules of the number counters (domain.md §3), without any storage.

The ZODB-backed storage lives elsewhere: it keeps a mapping of counter key
-> last number given, wraps calls in a transaction, and asks this module
which key a document draws from and what the next number is.

- Party numbers run from 01 per type for the whole committee term, not per
  year; secret Party documents share the series of non-secret ones.
- State numbers restart on 1 January; secret State documents have their
  own series.
- Incoming documents get one arrival number series per year, paper and
  electronic together; secret ones have their own (the register for secret
  documents).
- (number, symbol, issuer) is unique: duplicates are refused clearly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from datetime import date

from hdnd.content.core.symbols import FAMILIES


class NumberingError(ValueError):
    """A number that cannot be given, or a counter that cannot be chosen."""


class DuplicateNumber(NumberingError):
    """(number, symbol, issuer) already belongs to another document.

    ``symbol`` is the printed symbol ("05-QĐ/TU" or a Symbol), ``title`` the
    title of the document already holding it.
    """

    def __init__(self, symbol, issuer: str, title: str):
        # Keep the parts as args so the exception pickles and compares cleanly.
        super().__init__(str(symbol), issuer, title)
        self.symbol, self.issuer, self.title = str(symbol), issuer, title

    def __str__(self) -> str:
        return f"Number {self.symbol} of {self.issuer} is already used by '{self.title}'"


@dataclass(frozen=True)
class Term:
    """A committee term (nhiệm kỳ), e.g. Term("2025-2030", start, end).

    Both ``start`` and ``end`` are included: the last day of one term and the
    first day of the next are consecutive days.
    """

    label: str
    start: date
    end: date

    def __post_init__(self):
        if not self.label:
            raise NumberingError("A term needs a label")
        if self.end < self.start:
            raise NumberingError(f"Term {self.label} ends before it starts")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def term_for(day: date, terms: Iterable[Term]) -> Term:
    """The one term covering ``day``; Party numbering needs it to pick a series."""
    found = [term for term in terms if day in term]
    if not found:
        raise NumberingError(f"No committee term covers {day.isoformat()}")
    if len(found) > 1:
        labels = ", ".join(term.label for term in found)
        raise NumberingError(f"Terms {labels} overlap on {day.isoformat()}")
    return found[0]


def _clean(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip() if text is not None else ""


def counter_key(
    symbol_family: str,
    *,
    issuer: str,
    doc_type: str | None = None,
    day: date,
    terms: Iterable[Term] = (),
    secret: bool = False,
    series: str | None = None,
) -> tuple:
    """The key of the counter a document draws its number from.

    Keys are tuples of plain strings and ints, so any mapping can store them.
    ``day`` is the signing/issue date: numbers are given after signature.
    ``doc_type`` should be the canonical abbreviation (as parse_symbol returns).
    """
    if symbol_family not in FAMILIES:
        raise NumberingError(f"Unknown symbol family {symbol_family!r}")
    issuer = _clean(issuer).upper()
    if not issuer:
        raise NumberingError("A counter needs an issuer")
    if not isinstance(day, date):
        raise NumberingError(f"A counter needs a date, not {day!r}")
    doc_type, series = _clean(doc_type), _clean(series)
    if series and symbol_family != "state":
        raise NumberingError("Only State documents are numbered in named series")

    if symbol_family == "party":
        if not doc_type:
            raise NumberingError("A Party number needs a document type")
        # Per type for the whole term; the secret flag is ignored on purpose:
        # secret Party documents share the series of non-secret ones.
        return ("party", issuer, doc_type, term_for(day, terms).label)
    if symbol_family == "state":
        if not (series or doc_type):
            raise NumberingError("A State number needs a document type or series")
        # Restarts every 1 January; secret documents keep their own series.
        return ("state-secret" if secret else "state", issuer, series or doc_type, day.year)
    if symbol_family == "letter":
        if doc_type:
            raise NumberingError("An official letter (công văn) has no document type")
        return ("letter-secret" if secret else "letter", issuer, day.year)
    # legal: per type and year (97/2019/QH14 -> doc_type "L", year 2019).
    if not doc_type:
        raise NumberingError("A legal normative number needs a document type")
    if secret:
        # Legal normative documents are published; a secret one is a mistake.
        raise NumberingError("A legal normative document cannot be secret")
    return ("legal", issuer, doc_type, day.year)


def arrival_key(day: date, secret: bool = False) -> tuple:
    """Incoming arrival numbers (số đến): one series per year, paper and electronic.

    Secret incoming documents are entered in the separate register for secret
    documents (domain §3, §5) and take their arrival number from its own
    series, so the ordinary series, which uncleared staff see, has no gap
    where a secret document arrived.
    """
    if not isinstance(day, date):
        raise NumberingError(f"An arrival number needs a date, not {day!r}")
    return ("arrival-secret" if secret else "arrival", day.year)


def peek_next(counters: MutableMapping, key: tuple) -> int:
    """The number the next document would get, without taking it."""
    return counters.get(key, 0) + 1


def next_number(counters: MutableMapping, key: tuple) -> int:
    """Take the next number of ``key`` and store it.

    The caller provides the transaction, so a failed registration gives the
    number back by aborting.
    """
    number = peek_next(counters, key)
    counters[key] = number
    return number


def identity(number: int, symbol_notation: str, issuer: str, *, scope=None) -> tuple:
    """Normalised (number, notation, issuer) for the rule "(number, symbol,
    issuer) is unique", so NFD input or a lower-case issuer is no loophole.

    Numbers restart each year (State) or term (Party), so 05/QĐ-UBND recurs
    legitimately; pass ``scope`` (the year or term label) to compare within
    one series: it is appended to the tuple.
    """
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise NumberingError(f"Document number must be a whole number from 1, not {number!r}")
    notation, issuer = _clean(symbol_notation), _clean(issuer).upper()
    if not notation or not issuer:
        raise NumberingError("An identity needs a symbol and an issuer")
    key = (number, notation, issuer)
    return key if scope is None else key + (scope,)
