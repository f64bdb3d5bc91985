"""The `zeo` and `relstorage` deployment profiles against real servers: a ZEO
server (`hdnd zeo`) and Debian's PostgreSQL on 127.0.0.1. `hdnd setup`
creates the site through the profile; two Zope processes then share the one
database: what one writes the other reads at once, and arrival numbers drawn
on both, alternately, are unique and gapless."""

from conftest import Instance
from conftest import ZEOServer
from hdnd.policy.testing import free_port

import pytest


pytestmark = pytest.mark.server


def shared_by_two(first, second):
    """Write on one process, read on the other; number documents on both."""
    a, b = first.session(), second.session()
    made = a.post(f"{first.url}/ho-so", json={"@type": "Dossier", "title": "Hồ sơ dùng chung"})
    assert made.status_code == 201, made.text
    path = made.json()["@id"].replace(first.url, "")
    seen = b.get(f"{second.url}{path}")
    assert seen.status_code == 200 and seen.json()["title"] == "Hồ sơ dùng chung"
    # Changed on the second, seen changed on the first.
    assert b.patch(f"{second.url}{path}", json={"title": "Hồ sơ đã đổi tên"}).status_code == 204
    assert a.get(f"{first.url}{path}").json()["title"] == "Hồ sơ đã đổi tên"

    numbers = []
    for n in range(6):
        site, session = (first, a) if n % 2 == 0 else (second, b)
        document = session.post(f"{site.url}/van-ban", json={
            "@type": "OfficialDocument", "direction": "incoming", "title": f"Văn bản đến {n}",
            "symbol": f"{100 + n}/UBND-VP", "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20",
            "channel": "state"}).json()["@id"]
        assert session.post(f"{document}/@workflow/register", json={}).status_code == 200
        numbers.append(session.get(document).json()["arrival_number"])
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_zeo_two_zope_processes_share_one_zeo_server(tmp_path):
    address = f"127.0.0.1:{free_port()}"
    first = Instance(tmp_path / "zope1", "zeo", HDND_ZEO_ADDRESS=address)
    server = ZEOServer(first).start()
    second = Instance(tmp_path / "zope2", "zeo", HDND_ZEO_ADDRESS=address)
    try:
        assert "site hdnd created; profile zeo" in first.hdnd("setup")
        first.serve()
        second.serve()
        shared_by_two(first, second)
        # The data is the server's: a process restarted finds everything.
        second.stop()
        second.serve()
        assert second.session().get(f"{second.url}/ho-so/ho-so-dung-chung").json()["title"] == "Hồ sơ đã đổi tên"
    finally:
        first.stop()
        second.stop()
        server.stop()
    assert (tmp_path / "zope1" / "zeo" / "Data.fs").stat().st_size > 1_000_000


def test_relstorage_two_zope_processes_share_one_postgresql_database(postgresql, tmp_path):
    dsn = postgresql.create_database("hdnd_shared")
    first = Instance(tmp_path / "zope1", "relstorage", HDND_PG_DSN=dsn)
    second = Instance(tmp_path / "zope2", "relstorage", HDND_PG_DSN=dsn)
    try:
        assert "site hdnd created; profile relstorage" in first.hdnd("setup")
        first.serve()
        second.serve()
        shared_by_two(first, second)
    finally:
        first.stop()
        second.stop()
    # The objects are in PostgreSQL (RelStorage's history-preserving schema), not on disk.
    count = int(postgresql.sql("SELECT count(*) FROM current_object", database="hdnd_shared").stdout)
    assert count > 1000
    assert not (tmp_path / "zope1" / "filestorage" / "Data.fs").exists()
