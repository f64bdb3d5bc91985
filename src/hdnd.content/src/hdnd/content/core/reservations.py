"""Number reservation files between the main and the confidential installation.

Secret material lives on an isolated confidential installation (domain §5),
but Party numbers run in one series per type and term across both. The main
installation therefore hands blocks of numbers over on removable media, and
the confidential one reports back which of them it issued. Both travel as a
*reservation file*: UTF-8 JSON, signed with HMAC-SHA256 under a key the two
installations share.

A file holds these fields, plus ``signature`` (hex HMAC-SHA256 of the
canonical JSON of all the other fields: sorted keys, ``ensure_ascii=False``,
no spaces, UTF-8)::

    format      "hdnd-number-reservation/1"
    kind        "reservation" (main -> confidential) or "report" (back)
    from, to    installation ids, e.g. "hdnd-main", "hdnd-mat"
    key         reservation: the counter key as a list,
                ["party", "ĐĐHĐND", "TB", "2025-2030"]; report: null
    numbers     reservation: the numbers handed over; report: []
    issued      report: one entry per number issued, each with its own
                key, number, symbol, issue_date, classification and
                document_type (never a title or subject); reservation: []
    created     ISO 8601 time with its offset, e.g. 2026-03-02T09:15:00+07:00
    nonce       random hex; an installation imports a nonce once

A report carries one key per entry because one report covers every type
issued since the last one.

Standard library only: no Zope, unit-tested without layers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from datetime import date
from datetime import datetime
from hdnd.content.core import officetime


FORMAT = "hdnd-number-reservation/1"
KINDS = ("reservation", "report")
FIELDS = frozenset(("format", "kind", "from", "to", "key", "numbers", "issued", "created", "nonce"))
ISSUED_FIELDS = frozenset(("key", "number", "symbol", "issue_date", "classification", "document_type"))
MIN_KEY_LENGTH = 16
MAX_NUMBERS = 1000

_INSTALLATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_NONCE = re.compile(r"[0-9a-f]{32,128}")
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{64}")


class ReservationError(ValueError):
    """A reservation file that cannot be made, read or trusted."""


def check_key(key) -> bytes:
    """The shared key as bytes; refuse a missing or short one."""
    if not isinstance(key, str) or not key.strip():
        raise ReservationError(
            "No reservation key is set: set the same shared key on the main and the "
            "confidential installation first (registry record hdnd.installation.reservation_key)"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise ReservationError(
            f"The reservation key is too short: use at least {MIN_KEY_LENGTH} characters"
        )
    return key.encode("utf-8")


def canonical(payload: dict) -> bytes:
    """The bytes the signature covers."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(payload: dict, key: str) -> str:
    return hmac.new(check_key(key), canonical(payload), hashlib.sha256).hexdigest()


def now_iso(now: datetime | None = None) -> str:
    """An ISO 8601 time in the office's time zone (+07:00)."""
    now = now or officetime.now()
    if now.tzinfo is None:
        raise ReservationError("A reservation time needs its time zone")
    return officetime.localize(now).isoformat(timespec="seconds")


def new_nonce() -> str:
    return secrets.token_hex(16)


def reservation(sender: str, recipient: str, key, numbers, *, created=None, nonce=None) -> dict:
    """The payload handing ``numbers`` of the counter ``key`` to ``recipient``."""
    payload = {
        "format": FORMAT,
        "kind": "reservation",
        "from": sender,
        "to": recipient,
        "key": list(key),
        "numbers": sorted(numbers),
        "issued": [],
        "created": created or now_iso(),
        "nonce": nonce or new_nonce(),
    }
    validate(payload)
    return payload


def report(sender: str, recipient: str, issued, *, created=None, nonce=None) -> dict:
    """The payload telling ``recipient`` which reserved numbers were issued.

    ``issued`` holds mappings with the keys of ISSUED_FIELDS; the key may be
    a tuple, dates may be ``date`` objects.
    """
    entries = []
    for item in issued:
        entry = dict(item)
        entry["key"] = list(entry.get("key") or ())
        if isinstance(entry.get("issue_date"), date):
            entry["issue_date"] = entry["issue_date"].isoformat()
        entries.append(entry)
    entries.sort(key=lambda e: (e["key"], e["number"]))
    payload = {
        "format": FORMAT,
        "kind": "report",
        "from": sender,
        "to": recipient,
        "key": None,
        "numbers": [],
        "issued": entries,
        "created": created or now_iso(),
        "nonce": nonce or new_nonce(),
    }
    validate(payload)
    return payload


def sign(payload: dict, key: str) -> str:
    """The file text: the payload and its signature, readable JSON."""
    validate(payload)
    signed = dict(payload, signature=signature(payload, key))
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def verify(text, key: str) -> dict:
    """Read a file's text (str or bytes) and return its payload, or raise
    ReservationError: not a reservation file, a signature that does not
    match (a changed file or another key), or a malformed payload."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ReservationError("Not a reservation file: it is not UTF-8 text") from None
    if not isinstance(text, str):
        raise ReservationError("Not a reservation file")
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        raise ReservationError("Not a reservation file: it is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReservationError(f"Not a reservation file: its format is not {FORMAT}")
    given = data.pop("signature", None)
    if not isinstance(given, str) or not _HEX_SIGNATURE.fullmatch(given):
        raise ReservationError("The reservation file is not signed")
    expected = signature(data, key)
    if not hmac.compare_digest(given, expected):
        raise ReservationError(
            "The reservation file's signature does not match: the file was changed "
            "after it was made, or it was signed with another key"
        )
    validate(data)
    return data


def _counter_key(value, where: str) -> tuple:
    if (
        not isinstance(value, list)
        or len(value) != 4
        or value[0] != "party"
        or not all(isinstance(part, str) and part.strip() for part in value)
    ):
        raise ReservationError(
            f"{where}: a counter key is [\"party\", issuer, type, term], not {value!r}"
        )
    return tuple(value)


def _number(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ReservationError(f"{where}: a number is a whole number from 1, not {value!r}")
    return value


def validate(payload: dict) -> None:
    """Refuse a payload that does not follow the format (see the module)."""
    if not isinstance(payload, dict):
        raise ReservationError("A reservation payload is a JSON object")
    missing, extra = FIELDS - payload.keys(), payload.keys() - FIELDS
    if missing or extra:
        raise ReservationError(
            "The reservation file has "
            + "; ".join(
                part
                for part in (
                    f"missing fields {sorted(missing)}" if missing else "",
                    f"unknown fields {sorted(extra)}" if extra else "",
                )
                if part
            )
        )
    if payload["format"] != FORMAT:
        raise ReservationError(f"Unknown format {payload['format']!r}; expected {FORMAT}")
    kind = payload["kind"]
    if kind not in KINDS:
        raise ReservationError(f"Unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    for field in ("from", "to"):
        value = payload[field]
        if not isinstance(value, str) or not _INSTALLATION_ID.fullmatch(value):
            raise ReservationError(f"{field}: not an installation id: {value!r}")
    if payload["from"] == payload["to"]:
        raise ReservationError("A reservation file goes from one installation to another")
    created = payload["created"]
    try:
        moment = datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ReservationError(f"created: not an ISO 8601 time with its offset: {created!r}")
    if not isinstance(payload["nonce"], str) or not _NONCE.fullmatch(payload["nonce"]):
        raise ReservationError("nonce: expected 32 to 128 lower-case hex digits")
    numbers, issued = payload["numbers"], payload["issued"]
    if not isinstance(numbers, list) or not isinstance(issued, list):
        raise ReservationError("numbers and issued are lists")

    if kind == "reservation":
        _counter_key(payload["key"], "key")
        if not numbers:
            raise ReservationError("A reservation hands over at least one number")
        if len(numbers) > MAX_NUMBERS:
            raise ReservationError(f"A reservation hands over at most {MAX_NUMBERS} numbers")
        for number in numbers:
            _number(number, "numbers")
        if len(set(numbers)) != len(numbers):
            raise ReservationError("numbers: a number is handed over once")
        if issued:
            raise ReservationError("issued: a reservation reports nothing issued")
        return

    if payload["key"] is not None or numbers:
        raise ReservationError("A report has no key and no numbers of its own: see issued")
    if not issued:
        raise ReservationError("A report lists at least one issued number")
    if len(issued) > MAX_NUMBERS:
        raise ReservationError(f"A report lists at most {MAX_NUMBERS} numbers")
    seen = set()
    for position, entry in enumerate(issued, 1):
        where = f"issued[{position}]"
        if not isinstance(entry, dict) or entry.keys() != ISSUED_FIELDS:
            raise ReservationError(f"{where}: expected the fields {sorted(ISSUED_FIELDS)}")
        key = _counter_key(entry["key"], where)
        number = _number(entry["number"], where)
        if (key, number) in seen:
            raise ReservationError(f"{where}: number {number} of {key[2]} is reported twice")
        seen.add((key, number))
        for field in ("symbol", "classification", "document_type"):
            if not isinstance(entry[field], str) or not entry[field].strip():
                raise ReservationError(f"{where}: {field} is missing")
        try:
            date.fromisoformat(entry["issue_date"])
        except (TypeError, ValueError):
            raise ReservationError(
                f"{where}: issue_date is not a date as YYYY-MM-DD: {entry['issue_date']!r}"
            ) from None


def number_ranges(numbers) -> str:
    """'05-07, 09' for [5, 6, 7, 9]: for messages."""
    ordered = sorted(set(numbers))
    parts, start = [], None
    for index, number in enumerate(ordered):
        if start is None:
            start = number
        if index + 1 == len(ordered) or ordered[index + 1] != number + 1:
            parts.append(f"{start:02d}" if start == number else f"{start:02d}-{number:02d}")
            start = None
    return ", ".join(parts)
