"""Counter rules (domain.md §3): which series a number comes from, and the next one."""

import pickle
import unicodedata
from datetime import date

import pytest

from hdnd.content.core.numbering import (
    DuplicateNumber,
    NumberingError,
    Term,
    arrival_key,
    counter_key,
    identity,
    next_number,
    peek_next,
    term_for,
)
from hdnd.content.core.symbols import parse_symbol

# A congress closes one term and opens the next: consecutive days.
TERM_2020 = Term("2020-2025", date(2020, 10, 15), date(2025, 10, 14))
TERM_2025 = Term("2025-2030", date(2025, 10, 15), date(2030, 10, 14))
TERMS = (TERM_2020, TERM_2025)


def party(day, doc_type="QĐ", **kw):
    return counter_key("party", issuer="TU", doc_type=doc_type, day=day, terms=TERMS, **kw)


def state(day, doc_type="QĐ", **kw):
    return counter_key("state", issuer="UBND", doc_type=doc_type, day=day, **kw)


# --- terms -------------------------------------------------------------------


def test_term_for_includes_both_ends():
    assert term_for(date(2025, 10, 14), TERMS) is TERM_2020
    assert term_for(date(2025, 10, 15), TERMS) is TERM_2025
    assert term_for(date(2020, 10, 15), TERMS) is TERM_2020


def test_term_for_no_term():
    with pytest.raises(NumberingError, match="^No committee term covers 2031-01-05$"):
        term_for(date(2031, 1, 5), TERMS)
    with pytest.raises(NumberingError, match="No committee term covers 2024-01-01"):
        term_for(date(2024, 1, 1), ())


def test_term_for_overlap_is_an_error():
    overlapping = Term("bad", date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(NumberingError, match="Terms 2020-2025, bad overlap on 2025-06-01"):
        term_for(date(2025, 6, 1), TERMS + (overlapping,))


def test_term_must_not_end_before_it_starts():
    with pytest.raises(NumberingError, match="Term x ends before it starts"):
        Term("x", date(2025, 1, 2), date(2025, 1, 1))


# --- Party: per type for the whole term ----------------------------------------


def test_party_key():
    assert party(date(2026, 3, 2)) == ("party", "TU", "QĐ", "2025-2030")


def test_party_term_change_restarts_numbering():
    counters = {}
    last_day, first_day = party(date(2025, 10, 14)), party(date(2025, 10, 15))
    assert last_day != first_day
    assert [next_number(counters, last_day) for _ in range(3)] == [1, 2, 3]
    assert next_number(counters, first_day) == 1


def test_party_does_not_restart_on_1_january():
    counters = {}
    assert party(date(2026, 12, 31)) == party(date(2027, 1, 1))
    assert next_number(counters, party(date(2026, 12, 31))) == 1
    assert next_number(counters, party(date(2027, 1, 1))) == 2


def test_party_secret_shares_the_series():
    counters = {}
    day = date(2026, 5, 4)
    assert party(day, secret=True) == party(day)
    assert next_number(counters, party(day)) == 1
    assert next_number(counters, party(day, secret=True)) == 2
    assert next_number(counters, party(day)) == 3


def test_party_series_per_type_and_issuer():
    day = date(2026, 5, 4)
    assert party(day, "QĐ") != party(day, "KL")
    other = counter_key("party", issuer="BTCTW", doc_type="QĐ", day=day, terms=TERMS)
    assert other != party(day)


def test_party_issuer_is_normalised():
    key = counter_key("party", issuer=" tu ", doc_type="QĐ", day=date(2026, 1, 1), terms=TERMS)
    assert key == party(date(2026, 1, 1))


def test_party_outside_any_term():
    with pytest.raises(NumberingError, match="No committee term covers 2019-01-01"):
        party(date(2019, 1, 1))


# --- State: per series and year, secret apart ----------------------------------


def test_state_key_and_year_change():
    counters = {}
    dec31, jan1 = state(date(2025, 12, 31)), state(date(2026, 1, 1))
    assert dec31 == ("state", "UBND", "QĐ", 2025)
    assert jan1 == ("state", "UBND", "QĐ", 2026)
    assert [next_number(counters, dec31) for _ in range(3)] == [1, 2, 3]
    assert next_number(counters, jan1) == 1


def test_state_secret_has_its_own_series():
    counters = {}
    day = date(2026, 5, 4)
    assert state(day, secret=True) == ("state-secret", "UBND", "QĐ", 2026)
    assert next_number(counters, state(day)) == 1
    assert next_number(counters, state(day)) == 2
    assert next_number(counters, state(day, secret=True)) == 1


def test_state_series_overrides_doc_type():
    key = state(date(2026, 5, 4), series="văn bản hành chính")
    assert key == ("state", "UBND", "văn bản hành chính", 2026)
    key = counter_key("state", issuer="UBND", series="chung", day=date(2026, 5, 4))
    assert key == ("state", "UBND", "chung", 2026)


def test_letter_keys():
    day = date(2026, 5, 4)
    assert counter_key("letter", issuer="ubnd", day=day) == ("letter", "UBND", 2026)
    assert counter_key("letter", issuer="UBND", day=day, secret=True) == (
        "letter-secret", "UBND", 2026)
    assert counter_key("letter", issuer="UBND", day=date(2027, 1, 1)) == ("letter", "UBND", 2027)


def test_legal_key():
    key = counter_key("legal", issuer="HĐND", doc_type="NQ", day=date(2024, 7, 10))
    assert key == ("legal", "HĐND", "NQ", 2024)


def test_arrival_one_series_per_year():
    counters = {}
    assert arrival_key(date(2025, 12, 31)) == ("arrival", 2025)
    assert arrival_key(date(2026, 1, 1)) == ("arrival", 2026)
    # Secret incoming documents: the register for secret documents, its own series.
    assert arrival_key(date(2026, 1, 1), secret=True) == ("arrival-secret", 2026)
    assert next_number(counters, arrival_key(date(2025, 12, 30))) == 1
    assert next_number(counters, arrival_key(date(2025, 12, 31))) == 2
    assert next_number(counters, arrival_key(date(2026, 1, 1))) == 1


def test_keys_are_plain_values():
    for key in (party(date(2026, 1, 1)), state(date(2026, 1, 1)), arrival_key(date(2026, 1, 1))):
        assert all(type(part) in (str, int) for part in key)


@pytest.mark.parametrize(
    "family, kwargs, message",
    [
        ("memo", dict(issuer="TU"), "Unknown symbol family 'memo'"),
        ("party", dict(issuer=""), "A counter needs an issuer"),
        ("state", dict(issuer="  ", doc_type="QĐ"), "A counter needs an issuer"),
        ("party", dict(issuer="TU", terms=TERMS), "A Party number needs a document type"),
        ("state", dict(issuer="UBND"), "A State number needs a document type or series"),
        ("letter", dict(issuer="UBND", doc_type="QĐ"),
         "An official letter (công văn) has no document type"),
        ("legal", dict(issuer="CP"), "A legal normative number needs a document type"),
        ("legal", dict(issuer="CP", doc_type="NĐ", secret=True),
         "A legal normative document cannot be secret"),
        ("party", dict(issuer="TU", doc_type="QĐ", terms=TERMS, series="x"),
         "Only State documents are numbered in named series"),
    ],
)
def test_counter_key_rejections(family, kwargs, message):
    with pytest.raises(NumberingError) as info:
        counter_key(family, day=date(2026, 1, 1), **kwargs)
    assert str(info.value) == message


def test_counter_key_needs_a_date():
    with pytest.raises(NumberingError, match="A counter needs a date"):
        counter_key("letter", issuer="UBND", day="2026-01-01")
    with pytest.raises(NumberingError, match="An arrival number needs a date"):
        arrival_key(None)


# --- next_number / peek_next --------------------------------------------------


def test_next_number_sequences_and_independent_keys():
    counters = {}
    a, b = ("letter", "UBND", 2026), ("letter", "HĐND", 2026)
    assert [next_number(counters, a) for _ in range(3)] == [1, 2, 3]
    assert next_number(counters, b) == 1
    assert next_number(counters, a) == 4
    assert counters == {a: 4, b: 1}


def test_peek_next_does_not_store():
    counters = {}
    key = ("arrival", 2026)
    assert peek_next(counters, key) == 1
    assert peek_next(counters, key) == 1
    assert counters == {}
    next_number(counters, key)
    assert peek_next(counters, key) == 2


# --- uniqueness --------------------------------------------------------------


def test_identity_is_normalised():
    nfd = unicodedata.normalize("NFD", "QĐ/TU")
    assert identity(5, nfd, " tu ") == identity(5, "QĐ/TU", "TU") == (5, "QĐ/TU", "TU")
    assert identity(5, "QĐ-UBND", "ubnd") != identity(6, "QĐ-UBND", "UBND")


def test_identity_from_a_parsed_symbol():
    symbol = parse_symbol("số 05 - qđ / tu")
    assert identity(symbol.number, symbol.notation, symbol.issuer) == (5, "QĐ/TU", "TU")


def test_identity_scope_separates_years():
    same_number = identity(5, "QĐ-UBND", "UBND", scope=2025)
    assert same_number != identity(5, "QĐ-UBND", "UBND", scope=2026)
    assert identity(5, "QĐ-UBND", "UBND", scope=2026) == (5, "QĐ-UBND", "UBND", 2026)


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, "QĐ/TU", "TU"), "Document number must be a whole number from 1, not 0"),
        (("5", "QĐ/TU", "TU"), "Document number must be a whole number from 1, not '5'"),
        ((5, " ", "TU"), "An identity needs a symbol and an issuer"),
        ((5, "QĐ/TU", ""), "An identity needs a symbol and an issuer"),
    ],
)
def test_identity_rejections(args, message):
    with pytest.raises(NumberingError) as info:
        identity(*args)
    assert str(info.value) == message


def test_duplicate_number_message():
    error = DuplicateNumber("05-QĐ/TU", "TU", "Quy định về văn thư")
    assert str(error) == "Number 05-QĐ/TU of TU is already used by 'Quy định về văn thư'"
    assert isinstance(error, NumberingError) and isinstance(error, ValueError)
    assert error.title == "Quy định về văn thư"
    # A Symbol prints itself; the exception survives pickling (e.g. logging, workers).
    error = DuplicateNumber(parse_symbol("5/QĐ-UBND"), "UBND", "Kế hoạch")
    assert str(pickle.loads(pickle.dumps(error))) == (
        "Number 05/QĐ-UBND of UBND is already used by 'Kế hoạch'")
