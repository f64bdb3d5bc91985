"""`hdnd agency import FILE --from USER` (issue 21): an agency's documents, or
a predecessor system's register, received in this process by the bulk path
on a real FileStorage site; sent again, nothing is doubled; a refused item
stops the import naming it; the site then serves the documents as received."""

from conftest import HDND
from conftest import Instance

import json
import pytest
import subprocess


pytestmark = pytest.mark.server


def test_an_import_file_is_received_once_and_served(tmp_path):
    site = Instance(tmp_path / "var")
    site.hdnd("setup")
    site.env["HDND_AGENCY_PASSWORD"] = "agency-pass-12345"
    site.hdnd("agency", "add", "ubnd-cu", "--organ-id", "000.00.32.H29", "--name", "UBND Thành phố")
    items = [{"idempotency_key": f"so-cu-{n}", "symbol": f"{n + 1}/UBND-VP", "issuing_body": "UBND Thành phố",
              "title": f"Công văn số {n + 1} về việc báo cáo năm 2025", "issue_date": "2025-03-01",
              "urgency": "normal"} for n in range(30)]
    lines = tmp_path / "so-cu.jsonl"
    lines.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    assert "30 documents received, 0 already there" in site.hdnd("agency", "import", str(lines), "--from", "ubnd-cu")
    assert "0 documents received, 30 already there" in site.hdnd("agency", "import", str(lines), "--from", "ubnd-cu")

    refused = tmp_path / "mat.json"
    refused.write_text(json.dumps({"items": [dict(items[0], idempotency_key="mat-1", symbol="99/UBND-VP",
                                                  classification="mat")]}), encoding="utf-8")
    done = subprocess.run([HDND, "agency", "import", str(refused), "--from", "ubnd-cu"],
                          env=site.env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "item 0: classification" in done.stdout, done.stdout + done.stderr

    site.serve()
    try:
        found = site.session().get(f"{site.url}/@search", params={
            "portal_type": "OfficialDocument", "SearchableText": "báo cáo năm 2025", "metadata_fields": "review_state",
            "b_size": 100}).json()
        assert found["items_total"] == 30 and {i["review_state"] for i in found["items"]} == {"received"}
    finally:
        site.stop()

