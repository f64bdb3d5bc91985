"""Backup and restore, as docs/operations.md tells an operator: `hdnd backup`
while the site runs (repozo full then incremental, and the blobs; pg_dump for
RelStorage), the data lost, `hdnd restore`, and the restored site compared
with the original item by item: path, UID, type, title, state, modification
time and every file's SHA-256. What was written after the backup is not
there; the audit trail's chain is intact."""

from conftest import HDND
from conftest import Instance

import base64
import hashlib
import pytest
import shutil
import subprocess


pytestmark = pytest.mark.server


def add_documents(site, first, count):
    session = site.session()
    for n in range(first, first + count):
        made = session.post(f"{site.url}/van-ban", json={
            "@type": "OfficialDocument", "direction": "incoming", "title": f"Báo cáo số {n} về đầu tư công",
            "symbol": f"{n}/UBND-KT", "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20", "channel": "state",
            "file": {"data": base64.b64encode(f"%PDF-1.4 bao cao {n} ".encode() * 50).decode(), "encoding": "base64",
                     "filename": f"bc-{n}.pdf", "content-type": "application/pdf"}})
        assert made.status_code == 201, made.text
        if n % 2:
            assert session.post(f"{made.json()['@id']}/@workflow/register", json={}).status_code == 200


def inventory(site):
    """Every item of the site: what a comparison after a restore must find equal."""
    session = site.session()
    found = session.get(f"{site.url}/@search", params={
        "b_size": 10000, "sort_on": "path",
        "metadata_fields": ["UID", "modified", "review_state", "portal_type"]}).json()
    items = {}
    for item in found["items"]:
        path = item["@id"].replace(site.url, "")
        entry = (item["UID"], item["portal_type"], item["title"], item["review_state"], item["modified"])
        if item["portal_type"] in ("OfficialDocument", "File"):
            data = session.get(f"{item['@id']}/@@download/file").content
            entry += (hashlib.sha256(data).hexdigest(),)
        items[path] = entry
    assert found["items_total"] == len(items)
    return items


def test_filestorage_backup_while_serving_then_restore_after_loss(tmp_path):
    site = Instance(tmp_path / "var")
    backups = tmp_path / "backups"
    site.hdnd("setup")
    site.serve()
    try:
        add_documents(site, 1, 6)
        assert "0 new blob" not in site.hdnd("backup", str(backups))  # full
        add_documents(site, 7, 1)
        incremental = site.hdnd("backup", str(backups))  # at once: within the same second, often
        assert "new blob file(s)" in incremental
        add_documents(site, 8, 2)
        incremental = site.hdnd("backup", str(backups))
        assert "new blob file(s)" in incremental
        saved = inventory(site)
        add_documents(site, 10, 2)  # after the last backup: lost with the disk
    finally:
        site.stop()
    assert len(list((backups / "filestorage").glob("*.fsz"))) == 1  # full
    assert len(list((backups / "filestorage").glob("*.deltafsz"))) == 2  # incremental

    shutil.rmtree(tmp_path / "var" / "filestorage")
    shutil.rmtree(tmp_path / "var" / "blobstorage")
    assert "restored" in site.hdnd("restore", str(backups))
    # The audit trail's hash chain survives the round trip.
    assert "is intact" in site.hdnd("audit", "verify")
    site.serve()
    try:
        restored = inventory(site)
    finally:
        site.stop()
    assert restored == saved
    assert sum(1 for entry in restored.values() if len(entry) == 6) == 9  # nine documents with their files
    assert not any(path.endswith(("bao-cao-so-10-ve-dau-tu-cong", "bao-cao-so-11-ve-dau-tu-cong")) for path in restored)


def test_restore_refuses_while_the_server_runs(tmp_path):
    site = Instance(tmp_path / "var")
    site.hdnd("setup")
    site.hdnd("backup", str(tmp_path / "backups"))
    site.serve()
    try:
        done = subprocess.run([HDND, "restore", str(tmp_path / "backups")], env=site.env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0 and "stop the server" in done.stderr and "Traceback" not in done.stderr
        assert site.session().get(site.url).status_code == 200  # untouched
    finally:
        site.stop()


def test_relstorage_pg_dump_restored_into_a_new_database(postgresql, tmp_path):
    dsn = postgresql.create_database("hdnd_backup")
    site = Instance(tmp_path / "var", "relstorage", HDND_PG_DSN=dsn)
    site.hdnd("setup")
    site.serve()
    try:
        add_documents(site, 1, 5)
        assert "PostgreSQL dumped to" in site.hdnd("backup", str(tmp_path / "backups"))
        saved = inventory(site)
    finally:
        site.stop()
    # Another machine: an empty database, the dump restored into it.
    restored_dsn = postgresql.create_database("hdnd_restored")
    elsewhere = Instance(tmp_path / "var2", "relstorage", HDND_PG_DSN=restored_dsn)
    assert "PostgreSQL restored" in elsewhere.hdnd("restore", str(tmp_path / "backups"))
    elsewhere.serve()
    try:
        assert inventory(elsewhere) == saved
    finally:
        elsewhere.stop()


def _holding(folder, marker):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes())


def test_destruction_erases_the_live_database_and_backups_age_it_out(tmp_path):
    """Issue 23 (2): a destroyed dossier's file and content are gone from the
    live database at once (Data.fs packed, its blob removed, no .old copy),
    the tombstone says so; the backups made before hold it until `hdnd
    backup --keep` ages them out."""
    import time

    var, backups = tmp_path / "var", tmp_path / "backups"
    site = Instance(var)
    site.hdnd("setup")
    site.serve()
    marker, secret = b"ZQX7731HUYBO", "Nội dung phải hủy KTX-9931"
    try:
        session = site.session()
        dossier = session.post(f"{site.url}/ho-so", json={
            "@type": "Dossier", "title": "Hồ sơ hết giá trị", "dossier_code": "01.TCCB", "retention": "10",
            "start_date": "2015-01-05", "end_date": "2015-12-31"})
        assert dossier.status_code == 201, dossier.text
        dossier = dossier.json()["@id"]
        made = session.post(dossier, json={
            "@type": "OfficialDocument", "direction": "incoming", "title": "Công văn cũ", "symbol": "9/UBND-VP",
            "issuing_body": "UBND", "issue_date": "2015-03-02", "channel": "state", "description": secret,
            "file": {"data": base64.b64encode(b"%PDF-1.4 " + marker * 100).decode(), "encoding": "base64",
                     "filename": "cv-9.pdf", "content-type": "application/pdf"}})
        assert made.status_code == 201, made.text
        early = session.post(f"{site.url}/luu-tru", json={"@type": "DestructionList", "title": "Sớm",
                                                         "dossiers": [session.get(dossier).json()["UID"]]})
        assert early.status_code == 400 and "only a closed dossier" in early.text  # refused when listed
        for transition in ("start", "submit", "decide", "close"):
            assert session.post(f"{dossier}/@workflow/{transition}", json={}).status_code == 200, transition
        site.hdnd("backup", str(backups))  # the backup before the destruction holds it
        assert _holding(var / "blobstorage", marker) and _holding(backups / "blobstorage", marker)
        assert _holding(var / "filestorage", secret.encode())
        listing = session.post(f"{site.url}/luu-tru", json={
            "@type": "DestructionList", "title": "Hủy 2026", "dossiers": [session.get(dossier).json()["UID"]],
            "council_minutes": "Biên bản hội đồng", "authority_appraisal": "Văn bản 88/LTLS",
            "decision": "Quyết định 12/QĐ-VP"})
        assert listing.status_code == 201, listing.text
        for transition in ("appraise", "authorize", "decide", "destroy"):
            answer = session.post(f"{listing.json()['@id']}/@workflow/{transition}", json={})
            assert answer.status_code == 200, (transition, answer.text)
        assert session.get(dossier).status_code == 404
        # Gone from the live database at once: no blob, no record, no .old copy of either.
        assert _holding(var / "blobstorage", marker) == []
        assert _holding(var / "filestorage", secret.encode()) == []
        assert not list(var.glob("**/*.old"))
        stones = session.get(f"{site.url}/@hdnd-tombstones").json()["items"]
        assert [s["dossier_code"] for s in stones] == ["01.TCCB"]
        assert "removed from the live database" in stones[0]["erased"] and "hdnd backup --keep" in stones[0]["erased"]
        # The backups still hold it; keeping one full backup (repozo makes a full one after a pack) ages it out.
        assert _holding(backups / "blobstorage", marker)
        time.sleep(1.1)
        aged = site.hdnd("backup", str(backups), "--keep", "1")
        assert "1 blob file(s) the live database no longer has" in aged, aged
        assert _holding(backups, marker) == [] and _holding(backups, secret.encode()) == []
        assert len(list((backups / "filestorage").glob("*.fsz"))) == 1
    finally:
        site.stop()
    shutil.rmtree(var / "filestorage")
    shutil.rmtree(var / "blobstorage")
    assert "restored" in site.hdnd("restore", str(backups))  # what is kept still restores
