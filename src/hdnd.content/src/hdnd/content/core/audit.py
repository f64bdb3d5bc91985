"""The audit trail as a hash chain (domain §5), in plain Python.

Every entry holds the hash of the entry before it, and its own hash covers all
its fields together with that link, so that changing, deleting, inserting or
reordering an entry breaks the chain where it happened, and :func:`verify`
names the place. A chain whose every hash was recomputed after a change is
only caught by comparing its head with a head noted outside the database
(``hdnd audit verify`` prints it; ``--expect SEQ:HASH`` checks it later).

The Zope side (:mod:`hdnd.content.audit`) stores the entries; this module
knows only how to build, hash, check and export them.
"""

from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from hdnd.content.core import cells
from hdnd.content.core import officetime

import csv
import hashlib
import io
import json


GENESIS = "0" * 64


# Entry fields in their canonical (and CSV column) order.
FIELDS = (
    "seq",
    "time",
    "actor",
    "action",
    "target_uid",
    "target_path",
    "target_classification",
    "details",
    "prev_hash",
    "hash",
)

# What the office logs (domain §5); callers may add others.
ACTIONS = (
    "view",
    "download",
    "generation",
    "print",
    "copy_permission",
    "transition",
    "permission_change",
    "sharing_change",
    "group_change",
    "clearance_change",
    "login",
    "login_failed",
    "logout",
    "alert_confirmed",
)

# An alert is a permission change on a classified item until confirmed.
ALERT_ACTION = "permission_change"
CONFIRM_ACTION = "alert_confirmed"


@dataclass(frozen=True)
class Entry:
    seq: int
    time: str
    actor: str
    action: str
    target_uid: str = ""
    target_path: str = ""
    target_classification: str = "none"
    details: dict = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def to_dict(self) -> dict:
        """A plain dict of str, int and JSON values (what the ZODB stores)."""
        data = asdict(self)
        data["details"] = dict(self.details)
        return data

    @classmethod
    def from_dict(cls, data) -> "Entry":
        return cls(**{name: data[name] for name in FIELDS})

    def hashed_fields(self) -> dict:
        """The fields the hash covers, besides the link to the previous entry."""
        return {name: getattr(self, name) for name in FIELDS if name not in ("prev_hash", "hash")}


def now() -> str:
    """The current time in Vietnam, ISO 8601 with its +07:00 offset."""
    return officetime.now().isoformat(timespec="seconds")


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def normalise_details(details) -> dict:
    """Details as they will be hashed and stored: JSON values only (tuples
    become lists, dates and other objects their text), string keys."""
    return json.loads(json.dumps(dict(details or {}), ensure_ascii=False, default=str))


def entry_hash(prev_hash: str, fields: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of `fields` and the previous hash."""
    payload = dict(fields)
    payload.pop("hash", None)
    payload["prev_hash"] = prev_hash
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def make_entry(
    prev: "Entry | tuple[int, str] | None",
    action: str,
    actor: str,
    time: str | None = None,
    target_uid: str = "",
    target_path: str = "",
    target_classification: str = "none",
    details: dict | None = None,
) -> Entry:
    """The entry that follows `prev` (an entry or its (seq, hash)), or that
    starts the chain when `prev` is None."""
    if not action:
        raise ValueError("an audit entry needs an action")
    if prev is None:
        prev_seq, prev_hash = 0, GENESIS
    elif isinstance(prev, Entry):
        prev_seq, prev_hash = prev.seq, prev.hash
    else:
        prev_seq, prev_hash = prev
    seq = prev_seq + 1
    unhashed = Entry(
        seq=seq,
        time=time or now(),
        actor=actor or "",
        action=action,
        target_uid=target_uid or "",
        target_path=target_path or "",
        target_classification=target_classification or "none",
        details=normalise_details(details),
        prev_hash=prev_hash,
    )
    return Entry(**{**unhashed.to_dict(), "hash": entry_hash(prev_hash, unhashed.hashed_fields())})


def _as_entry(item):
    if isinstance(item, Entry):
        return item
    return Entry.from_dict(item)


def verify(entries, head=None, expect=()) -> list[str]:
    """The problems of a chain, in order; empty when it is intact.

    `entries` are Entry objects or their dicts, in stored order. `head` is the
    (seq, hash) the store holds for its last entry: without it, deleting the
    last entries would go unnoticed. `expect` are (seq, hash) pairs noted
    earlier outside the database; each must still be in the chain.
    """
    problems = []
    prev_seq, prev_hash = 0, GENESIS
    by_seq = {}
    for position, item in enumerate(entries, start=1):
        try:
            entry = _as_entry(item)
        except (KeyError, TypeError) as error:
            problems.append(f"entry at position {position}: malformed ({error})")
            continue
        seq = entry.seq
        if seq == prev_seq + 1:
            pass
        elif seq in by_seq or seq == prev_seq:
            problems.append(f"entry {seq}: duplicate sequence number (after entry {prev_seq})")
        elif seq <= prev_seq:
            problems.append(f"entry {seq}: out of order (after entry {prev_seq})")
        else:
            missing = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1}-{seq - 1}"
            problems.append(f"entry {seq}: sequence gap, entry {missing} missing")
        if entry.prev_hash != prev_hash:
            if prev_seq:
                problems.append(f"entry {seq}: broken link, prev_hash is not the hash of entry {prev_seq}")
            else:
                problems.append(f"entry {seq}: broken link, the first entry must follow the genesis hash")
        expected = entry_hash(entry.prev_hash, entry.hashed_fields())
        if entry.hash != expected:
            problems.append(f"entry {seq}: hash mismatch, the entry was changed")
        by_seq.setdefault(seq, entry.hash)
        prev_seq, prev_hash = seq, entry.hash
    if head is not None:
        head_seq, head_hash = head
        if (head_seq, head_hash) != (prev_seq, prev_hash):
            if head_seq != prev_seq:
                problems.append(
                    f"entry {head_seq}: the log's head is entry {head_seq} but the chain ends at entry {prev_seq}"
                )
            else:
                problems.append(f"entry {head_seq}: the log's head hash is not the hash of its last entry")
    for seq, known in expect:
        if by_seq.get(seq) != known:
            problems.append(f"entry {seq}: differs from the hash noted earlier ({known[:12]}…)")
    return problems


def head_of(entries) -> tuple[int, str]:
    """(seq, hash) of the last entry; (0, GENESIS) for an empty chain."""
    last = None
    for last in entries:
        pass
    if last is None:
        return 0, GENESIS
    last = _as_entry(last)
    return last.seq, last.hash


def parse_expect(text: str) -> tuple[int, str]:
    """'SEQ:HASH' as printed by `hdnd audit verify`."""
    seq, sep, digest = text.partition(":")
    if not sep or not seq.strip().isdigit() or len(digest.strip()) != 64:
        raise ValueError(f"expected SEQ:HASH (a number, a colon, 64 hex digits), got {text!r}")
    return int(seq), digest.strip().lower()


# CSV export: one row per entry, details as canonical JSON, so that an export
# can itself be verified (read_csv + verify) away from the database. Cells go
# through core.cells: a login name like "=HYPERLINK(…)" is not a formula when
# the file is opened in a spreadsheet, and reads back as it was hashed.

BOM = "\ufeff"


def write_csv(entries, stream):
    writer = csv.writer(stream)
    writer.writerow(FIELDS)
    for item in entries:
        entry = _as_entry(item)
        row = entry.to_dict()
        row["details"] = canonical(entry.details)
        writer.writerow(cells.csv_row(row[name] for name in FIELDS))


def to_csv(entries) -> str:
    """The whole export as text, starting with a BOM so that Excel reads UTF-8."""
    stream = io.StringIO()
    stream.write(BOM)
    write_csv(entries, stream)
    return stream.getvalue()


def read_csv(stream) -> list[Entry]:
    text = stream.read()
    if text.startswith(BOM):
        text = text[len(BOM):]
    rows = ({name: cells.csv_value(value) for name, value in row.items()} for row in csv.DictReader(io.StringIO(text)))
    return [
        Entry.from_dict({**row, "seq": int(row["seq"]), "details": json.loads(row["details"] or "{}")})
        for row in rows
    ]
