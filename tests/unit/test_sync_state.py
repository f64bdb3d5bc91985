"""The sync client's memory: replaced atomically, read back as written, and
what a new client starts from (hdnd.policy.sync, no site needed)."""

from hdnd.policy.sync import State

import json
import os


def test_a_new_state_starts_at_the_beginning(tmp_path):
    state = State(tmp_path / "none-yet.json")
    assert (state.cursor, state.documents) == (0, {})
    assert not (tmp_path / "none-yet.json").exists()  # nothing written until there is something to keep


def test_saved_state_is_read_back_and_replaced_whole(tmp_path):
    path = tmp_path / "sync" / "a-b.json"
    state = State(path)
    state.data["cursor"] = 3
    state.documents["000.00.31.H29,2026/11/20,01/TB/ĐĐHĐND"] = {"relayed": 2, "final": False}
    state.save()
    again = State(path)
    assert again.cursor == 3 and again.documents == state.documents
    assert "ĐĐHĐND" in path.read_text(encoding="utf-8")  # readable, not escaped
    again.data["cursor"] = 4
    again.save()
    assert json.loads(path.read_text(encoding="utf-8"))["cursor"] == 4
    # No temporary file is left beside it: each save is one rename.
    assert os.listdir(path.parent) == ["a-b.json"]
