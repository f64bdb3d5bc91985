"""Document symbols (domain.md §3): parse, store in parts, format."""

import unicodedata

import pytest

from hdnd.content.core.symbols import (
    PARTY_DOC_TYPES,
    STATE_DOC_TYPES,
    Symbol,
    SymbolError,
    format_number,
    parse_symbol,
)

EXAMPLES = [
    # printed form, family, number, doc_type, issuer, year, unit
    ("5858-QĐ/TU", "party", 5858, "QĐ", "TU", None, None),
    ("12-HD/BTCTW", "party", 12, "HD", "BTCTW", None, None),
    ("46-KL/TW", "party", 46, "KL", "TW", None, None),
    ("15-ĐA/TU", "party", 15, "ĐA", "TU", None, None),
    ("05-QC/TU", "party", 5, "QC", "TU", None, None),
    ("123-CV/VPTU", "party", 123, "CV", "VPTU", None, None),
    ("01/CTr-HĐND", "state", 1, "CTr", "HĐND", None, None),
    ("05/QĐ-UBND", "state", 5, "QĐ", "UBND", None, None),
    ("12/TTr-HĐND", "state", 12, "TTr", "HĐND", None, None),
    ("12/UBND-VX", "letter", 12, None, "UBND", None, "VX"),
    ("345/HĐND-VP", "letter", 345, None, "HĐND", None, "VP"),
    ("97/2019/QH14", "legal", 97, None, "QH14", 2019, None),
    ("23/2024/NQ-HĐND", "legal", 23, "NQ", "HĐND", 2024, None),
    ("30/2020/NĐ-CP", "legal", 30, "NĐ", "CP", 2020, None),
]


@pytest.mark.parametrize("text, family, number, doc_type, issuer, year, unit", EXAMPLES)
def test_examples_parse_into_parts(text, family, number, doc_type, issuer, year, unit):
    assert parse_symbol(text) == Symbol(family, number, doc_type, issuer, year, unit)


@pytest.mark.parametrize("text", [e[0] for e in EXAMPLES])
def test_examples_round_trip(text):
    symbol = parse_symbol(text)
    assert symbol.format() == str(symbol) == text
    assert parse_symbol(symbol.format()) == symbol
    assert parse_symbol(symbol.format(prefix=True)) == symbol


@pytest.mark.parametrize(
    "text, notation",
    [
        ("5858-QĐ/TU", "QĐ/TU"),
        ("05/QĐ-UBND", "QĐ-UBND"),
        ("12/UBND-VX", "UBND-VX"),
        ("23/2024/NQ-HĐND", "NQ-HĐND"),
        ("97/2019/QH14", "QH14"),
    ],
)
def test_notation_is_the_part_after_the_number(text, notation):
    assert parse_symbol(text).notation == notation


def test_prefix_party_has_no_colon_state_has_one():
    assert parse_symbol("05-QC/TU").format(prefix=True) == "Số 05-QC/TU"
    assert parse_symbol("05/QĐ-UBND").format(prefix=True) == "Số: 05/QĐ-UBND"
    assert parse_symbol("12/UBND-VX").format(prefix=True) == "Số: 12/UBND-VX"
    assert parse_symbol("97/2019/QH14").format(prefix=True) == "Số: 97/2019/QH14"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("số: 05 / qđ - ubnd", "05/QĐ-UBND"),
        ("Số 05-QC/TU", "05-QC/TU"),
        ("Số: 05-QC/TU", "05-QC/TU"),
        ("SỐ 5858-QĐ/TU", "5858-QĐ/TU"),
        ("so:12/ubnd-vx", "12/UBND-VX"),
        ("SO 01/ctr-hđnd", "01/CTr-HĐND"),
        ("Số05-QC/TU", "05-QC/TU"),
        ("  15 - đa / tu  ", "15-ĐA/TU"),
        ("23 / 2024 / nq - hđnd", "23/2024/NQ-HĐND"),
        ("5/qyđ-ubnd", "05/QyĐ-UBND"),
        ("05\u2013QC/TU", "05-QC/TU"),  # en dash pasted from a word processor
    ],
)
def test_tolerant_parsing(text, expected):
    assert parse_symbol(text).format() == expected


def test_nfd_input_is_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", "Số: 01/CTr-HĐND")
    assert nfd != "Số: 01/CTr-HĐND"
    symbol = parse_symbol(nfd)
    assert symbol == parse_symbol("01/CTr-HĐND")
    assert unicodedata.is_normalized("NFC", symbol.issuer)


def test_issuer_upper_cased_with_vietnamese_letters():
    assert parse_symbol("345/hđnd-vp").issuer == "HĐND"
    assert parse_symbol("12-hd/đu").issuer == "ĐU"


def test_doc_types_keep_canonical_mixed_case():
    assert parse_symbol("01/CTR-HĐND").doc_type == "CTr"
    assert parse_symbol("12/ttr-hđnd").doc_type == "TTr"
    assert parse_symbol("3/QYĐ-UBND").doc_type == "QyĐ"
    assert parse_symbol("15-đa/tu").doc_type == "ĐA"


def test_state_and_letter_are_told_apart_by_a_known_type():
    assert parse_symbol("05/QĐ-UBND").family == "state"
    assert parse_symbol("12/UBND-VX").family == "letter"
    # HĐND is an issuer, not the type HĐ (hợp đồng).
    assert parse_symbol("345/HĐND-VP").family == "letter"
    assert parse_symbol("12/UBND").format() == "12/UBND"  # letter with no unit


def test_doc_types_override():
    # A registry adds a type: "XY" becomes a state type instead of an issuer.
    assert parse_symbol("05/XY-UBND").family == "letter"
    symbol = parse_symbol("05/xy-ubnd", doc_types=["QĐ", "Xy"])
    assert (symbol.family, symbol.doc_type) == ("state", "Xy")
    # ... and the override replaces the Party defaults too.
    assert parse_symbol("05-xy/tu", doc_types=("Xy",)).doc_type == "Xy"
    with pytest.raises(SymbolError, match="unknown Party document type 'QC'"):
        parse_symbol("05-QC/TU", doc_types=("Xy",))
    # (abbreviation, name) pairs are accepted as well.
    assert parse_symbol("05-QC/TU", doc_types=PARTY_DOC_TYPES).doc_type == "QC"


def test_default_type_lists():
    party = [abbr for abbr, _ in PARTY_DOC_TYPES]
    state = [abbr for abbr, _ in STATE_DOC_TYPES]
    assert party == ["NQ", "QĐ", "QC", "CT", "KL", "HD", "TB", "TT", "BC", "TTr",
                     "KH", "CTr", "ĐA", "PA", "BB", "CV"]
    assert {"QyĐ", "TC", "GM", "GGT", "HĐ", "CĐ", "GUQ", "PC", "NĐ", "L"} <= set(state)
    assert len({a.upper() for a in state}) == len(state)  # no case-insensitive clash


@pytest.mark.parametrize(
    "n, printed", [(1, "01"), (5, "05"), (9, "09"), (10, "10"), (5858, "5858")]
)
def test_format_number_leading_zero(n, printed):
    assert format_number(n) == printed


@pytest.mark.parametrize("n", [0, -1, True, "5", 1.0])
def test_format_number_rejects(n):
    with pytest.raises(SymbolError, match="whole number from 1"):
        format_number(n)


def test_leading_zero_in_symbols():
    assert Symbol("party", 5, "QC", "TU").format() == "05-QC/TU"
    assert parse_symbol("5/QĐ-UBND").format() == "05/QĐ-UBND"
    assert parse_symbol("005-QC/TU").number == 5


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Symbol is empty"),
        ("   ", "Symbol is empty"),
        ("Số:", "Symbol 'Số:' has no number"),
        ("-QĐ/TU", "Symbol '-QĐ/TU' has no number before '-'"),
        ("/QĐ-UBND", "Symbol '/QĐ-UBND' has no number before '/'"),
        ("abc-QĐ/TU", "Symbol 'abc-QĐ/TU' has a non-numeric number 'abc'"),
        ("0-QĐ/TU", "Symbol '0-QĐ/TU' has number 0; numbers start at 1"),
        ("00/QĐ-UBND", "Symbol '00/QĐ-UBND' has number 0; numbers start at 1"),
        ("05", "Symbol '05' has nothing after the number"),
        ("05-QĐ/", "Symbol '05-QĐ/' has no issuer after '/'"),
        ("05-QĐ", "Symbol '05-QĐ' has no issuer after '/'"),
        ("05-/TU", "Symbol '05-/TU' has no document type after '-'"),
        ("05/QĐ-", "Symbol '05/QĐ-' has no issuer after 'QĐ-'"),
        ("05/", "Symbol '05/' has no issuer after '/'"),
        ("05-XX/TU", "Symbol '05-XX/TU' has an unknown Party document type 'XX'"),
        ("05-QyĐ/TU", "Symbol '05-QyĐ/TU' has an unknown Party document type 'QyĐ'"),
        ("97/1900/QH14", "Symbol '97/1900/QH14' has an implausible year 1900"),
        ("97/2101/QH14", "Symbol '97/2101/QH14' has an implausible year 2101"),
        ("97/19/QH14", "Symbol '97/19/QH14' has an implausible year 19"),
        ("23/2024", "Symbol '23/2024' has no issuer after the year"),
        ("05-QĐ/T U", "Symbol '05-QĐ/T U' has a space inside a part"),
        ("12/UBND/VX", "Symbol '12/UBND/VX' has an invalid issuer 'UBND/VX'"),
    ],
)
def test_rejections(text, message):
    with pytest.raises(SymbolError) as info:
        parse_symbol(text)
    assert str(info.value).startswith(message)


def test_symbol_error_is_a_value_error():
    assert issubclass(SymbolError, ValueError)


@pytest.mark.parametrize(
    "args, message",
    [
        (("memo", 1, None, "TU"), "Unknown symbol family 'memo'"),
        (("party", 0, "QĐ", "TU"), "Document number must be a whole number from 1"),
        (("party", 1, "QĐ", ""), "A symbol needs an issuer"),
        (("state", 1, None, "UBND"), "A state symbol needs a document type"),
        (("letter", 1, "QĐ", "UBND"), "An official letter (công văn) has no document type"),
        (("legal", 1, None, "QH14"), "A legal symbol needs a year"),
    ],
)
def test_symbol_constructor_validates(args, message):
    with pytest.raises(SymbolError) as info:
        Symbol(*args)
    assert str(info.value).startswith(message)


def test_symbol_is_frozen():
    symbol = parse_symbol("05-QC/TU")
    with pytest.raises(AttributeError):
        symbol.number = 6
