"""Signed number reservation files (domain.md §5): round trip and refusals."""

import json
from datetime import date
from datetime import datetime

import pytest

from hdnd.content.core.reservations import (
    FORMAT,
    ReservationError,
    canonical,
    now_iso,
    number_ranges,
    report,
    reservation,
    sign,
    signature,
    verify,
)

KEY = "khóa-chung-của-hai-hệ-thống-2026"
COUNTER = ("party", "ĐĐHĐND", "TB", "2025-2030")


def reserved(**kw):
    return reservation("hdnd-main", "hdnd-mat", COUNTER, [6, 4, 5], **kw)


def issued(number=4, **fields):
    entry = {
        "key": COUNTER, "number": number, "symbol": f"{number:02d}-TB/ĐĐHĐND",
        "issue_date": date(2026, 3, 2), "classification": "mat", "document_type": "TB",
    }
    entry.update(fields)
    return entry


def test_a_reservation_round_trips():
    text = sign(reserved(), KEY)
    payload = verify(text, KEY)
    assert payload["format"] == FORMAT
    assert payload["kind"] == "reservation"
    assert (payload["from"], payload["to"]) == ("hdnd-main", "hdnd-mat")
    assert payload["key"] == ["party", "ĐĐHĐND", "TB", "2025-2030"]
    assert payload["numbers"] == [4, 5, 6]
    assert payload["issued"] == []
    assert payload["created"].endswith("+07:00")
    assert len(payload["nonce"]) == 32
    # Readable UTF-8, not \u escapes; bytes are read too.
    assert "ĐĐHĐND" in text
    assert verify(text.encode("utf-8"), KEY) == payload


def test_a_report_round_trips_without_titles():
    payload = report("hdnd-mat", "hdnd-main", [issued(5), issued(4, classification="toi_mat")])
    back = verify(sign(payload, KEY), KEY)
    assert back["kind"] == "report"
    assert back["key"] is None and back["numbers"] == []
    assert [e["number"] for e in back["issued"]] == [4, 5]
    assert back["issued"][0] == {
        "key": list(COUNTER), "number": 4, "symbol": "04-TB/ĐĐHĐND", "issue_date": "2026-03-02",
        "classification": "toi_mat", "document_type": "TB",
    }
    with pytest.raises(ReservationError, match="expected the fields"):
        report("hdnd-mat", "hdnd-main", [issued(4, title="Kết luận về nhân sự")])


def test_a_tampered_number_is_refused():
    data = json.loads(sign(reserved(), KEY))
    data["numbers"] = [4, 5, 7]
    with pytest.raises(ReservationError, match="signature does not match"):
        verify(json.dumps(data, ensure_ascii=False), KEY)


def test_a_tampered_report_is_refused():
    data = json.loads(sign(report("hdnd-mat", "hdnd-main", [issued(4)]), KEY))
    data["issued"][0]["classification"] = "none"
    with pytest.raises(ReservationError, match="signature does not match"):
        verify(json.dumps(data), KEY)


def test_a_wrong_key_is_refused():
    with pytest.raises(ReservationError, match="signature does not match"):
        verify(sign(reserved(), KEY), "một-khóa-khác-hẳn-dài-đủ")


def test_without_a_key_nothing_is_signed_or_read():
    with pytest.raises(ReservationError, match="No reservation key is set"):
        sign(reserved(), "")
    with pytest.raises(ReservationError, match="No reservation key is set"):
        verify(sign(reserved(), KEY), None)
    with pytest.raises(ReservationError, match="too short"):
        sign(reserved(), "ngắn")


def test_signature_covers_the_canonical_json():
    import hashlib
    import hmac

    payload = reserved()
    data = json.loads(sign(payload, KEY))
    expected = hmac.new(
        KEY.encode(),
        json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(),
        hashlib.sha256,
    ).hexdigest()
    assert data["signature"] == expected
    assert canonical(payload) == canonical(dict(reversed(list(payload.items()))))


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "not JSON"),
        ("[1, 2]", "format is not"),
        ('{"format": "edXML"}', "format is not"),
        (json.dumps({"format": FORMAT}), "not signed"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_other_files_are_refused_clearly(text, message):
    with pytest.raises(ReservationError, match=message):
        verify(text, KEY)


def test_an_added_field_is_refused_even_when_signed():
    payload = dict(reserved(), note="x")
    data = dict(payload, signature=signature(payload, KEY))
    with pytest.raises(ReservationError, match="unknown fields"):
        verify(json.dumps(data), KEY)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"key": ["state", "ĐĐHĐND", "TB", "2026"]}, "counter key"),
        ({"numbers": []}, "at least one number"),
        ({"numbers": [0]}, "whole number from 1"),
        ({"numbers": [True]}, "whole number from 1"),
        ({"numbers": [4, 4]}, "handed over once"),
        ({"to": "hdnd-main"}, "from one installation to another"),
        ({"to": "hdnd mat"}, "not an installation id"),
        ({"created": "2026-03-02T09:00:00"}, "with its offset"),
        ({"nonce": "xyz"}, "hex"),
        ({"kind": "gift"}, "Unknown kind"),
    ],
)
def test_malformed_payloads_are_refused(change, message):
    with pytest.raises(ReservationError, match=message):
        sign(dict(reserved(), **change), KEY)


def test_times_are_in_the_office_zone():
    from datetime import timezone

    assert now_iso(datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)) == "2026-03-02T09:00:00+07:00"
    with pytest.raises(ReservationError):
        now_iso(datetime(2026, 3, 2, 2, 0))


def test_number_ranges():
    assert number_ranges([9, 5, 6, 7]) == "05-07, 09"
    assert number_ranges([12]) == "12"
