"""The audit trail's hash chain (hdnd.content.core.audit): an intact chain
verifies; every kind of tampering is found and the entry named."""

from dataclasses import replace
from hdnd.content.core import audit
from hdnd.content.core.audit import Entry
from hdnd.content.core.audit import GENESIS

import io
import pytest


def build(n=5):
    entries, prev = [], None
    for i in range(1, n + 1):
        prev = audit.make_entry(
            prev,
            "view" if i % 2 else "permission_change",
            f"user{i}",
            time=f"2026-03-0{i}T08:00:00+07:00",
            target_uid=f"uid{i}",
            target_path=f"/hdnd/van-ban/mat-{i}",
            target_classification="mat",
            details={"view": "view", "ghi_chu": "Tài liệu mật số " + str(i)},
        )
        entries.append(prev)
    return entries


def test_an_intact_chain_verifies():
    entries = build()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:]))
    assert audit.verify(entries) == []
    assert audit.verify([e.to_dict() for e in entries], head=audit.head_of(entries)) == []
    assert audit.verify([]) == [] and audit.head_of([]) == (0, GENESIS)


def test_the_hash_is_sha256_of_canonical_json():
    import hashlib
    import json

    entry = build(1)[0]
    payload = {k: v for k, v in entry.to_dict().items() if k != "hash"}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert "Tài liệu mật" in text  # UTF-8, not \u escapes
    assert entry.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert len(entry.hash) == 64
    assert entry.time.endswith("+07:00")


def test_the_time_is_vietnam_time():
    assert audit.now().endswith("+07:00")
    assert audit.make_entry(None, "login", "an").time.endswith("+07:00")


@pytest.mark.parametrize("name, value", [
    ("actor", "someone-else"),
    ("action", "download"),
    ("time", "2026-03-03T09:00:00+07:00"),
    ("target_path", "/hdnd/van-ban/khac"),
    ("target_classification", "none"),
    ("details", {"view": "view", "ghi_chu": "sửa"}),
])
def test_a_changed_field_is_found(name, value):
    entries = build()
    entries[2] = replace(entries[2], **{name: value})
    assert audit.verify(entries) == ["entry 3: hash mismatch, the entry was changed"]


def test_a_deleted_entry_is_found():
    entries = build()
    del entries[2]
    problems = audit.verify(entries)
    assert "entry 4: sequence gap, entry 3 missing" in problems
    assert "entry 4: broken link, prev_hash is not the hash of entry 2" in problems


def test_deleting_the_last_entries_is_found_by_the_head():
    entries = build()
    head = audit.head_of(entries)
    assert audit.verify(entries[:3], head=head) == [
        "entry 5: the log's head is entry 5 but the chain ends at entry 3"
    ]


def test_deleting_the_first_entry_is_found():
    entries = build()[1:]
    problems = audit.verify(entries)
    assert "entry 2: sequence gap, entry 1 missing" in problems
    assert "entry 2: broken link, the first entry must follow the genesis hash" in problems


def test_an_inserted_entry_is_found():
    entries = build()
    # A forged entry, well hashed and linked to entry 2, slipped in after it.
    forged = audit.make_entry(entries[1], "view", "intruder", time="2026-03-02T09:00:00+07:00")
    entries.insert(2, forged)
    problems = audit.verify(entries)
    assert "entry 3: duplicate sequence number (after entry 3)" in problems
    assert "entry 3: broken link, prev_hash is not the hash of entry 3" in problems


def test_a_renumbered_insertion_is_found():
    entries = build()
    forged = audit.make_entry(entries[1], "view", "intruder")
    later = [replace(e, seq=e.seq + 1) for e in entries[2:]]
    problems = audit.verify(entries[:2] + [forged] + later)
    assert "entry 4: broken link, prev_hash is not the hash of entry 3" in problems
    assert "entry 4: hash mismatch, the entry was changed" in problems


def test_reordered_entries_are_found():
    entries = build()
    entries[1], entries[2] = entries[2], entries[1]
    problems = audit.verify(entries)
    assert "entry 3: sequence gap, entry 2 missing" in problems
    assert "entry 2: out of order (after entry 3)" in problems
    assert any(p.startswith("entry 2: broken link") for p in problems)


def test_a_recomputed_hash_breaks_the_next_link():
    entries = build()
    changed = replace(entries[2], details={"view": "view", "ghi_chu": "che giấu"})
    changed = replace(changed, hash=audit.entry_hash(changed.prev_hash, changed.hashed_fields()))
    entries[2] = changed
    assert audit.verify(entries) == [
        "entry 4: broken link, prev_hash is not the hash of entry 3"
    ]


def test_a_recomputed_last_entry_is_found_by_the_head():
    entries = build()
    head = audit.head_of(entries)
    last = replace(entries[-1], actor="intruder")
    entries[-1] = replace(last, hash=audit.entry_hash(last.prev_hash, last.hashed_fields()))
    assert audit.verify(entries) == []  # the chain alone cannot tell…
    assert audit.verify(entries, head=head) == [  # …its head can
        "entry 5: the log's head hash is not the hash of its last entry"
    ]


def test_a_rewritten_chain_is_found_by_a_hash_noted_earlier():
    entries = build()
    noted = (3, entries[2].hash)
    rewritten, prev = [], None
    for entry in entries:
        prev = audit.make_entry(prev, entry.action, "intruder" if entry.seq == 2 else entry.actor,
                                time=entry.time, details=entry.details)
        rewritten.append(prev)
    assert audit.verify(rewritten, head=audit.head_of(rewritten)) == []
    assert audit.verify(rewritten, expect=[noted]) == [
        f"entry 3: differs from the hash noted earlier ({noted[1][:12]}…)"
    ]


def test_a_malformed_entry_is_reported():
    entries = [e.to_dict() for e in build(3)]
    del entries[1]["hash"]
    problems = audit.verify(entries)
    assert problems[0].startswith("entry at position 2: malformed")


def test_details_are_stored_as_they_are_hashed():
    from datetime import date

    entry = audit.make_entry(None, "print", "an", details={"copies": (1, 2), "day": date(2026, 3, 4)})
    assert entry.details == {"copies": [1, 2], "day": "2026-03-04"}
    assert audit.verify([entry]) == []


def test_csv_export_round_trips_and_verifies():
    entries = build()
    text = audit.to_csv(entries)
    assert text.startswith("\ufeffseq,time,actor,action")
    assert "Tài liệu mật số 1" in text
    back = audit.read_csv(io.StringIO(text))
    assert back == entries
    assert audit.verify(back) == []
    tampered = text.replace("mật số 3", "mật số 9")
    assert audit.verify(audit.read_csv(io.StringIO(tampered))) == [
        "entry 3: hash mismatch, the entry was changed"
    ]


def test_expect_is_parsed():
    entry = build(1)[0]
    assert audit.parse_expect(f"1:{entry.hash}") == (1, entry.hash)
    with pytest.raises(ValueError):
        audit.parse_expect("1-abc")


def test_entries_round_trip_as_dicts():
    entry = build(1)[0]
    assert Entry.from_dict(entry.to_dict()) == entry
