"""`make run` for real: `hdnd setup --demo` and `hdnd serve` on a fresh data
directory, a real Zope server on loopback, checked over HTTP; then stopped
with Ctrl-C (SIGINT), set up again, and served again with nothing lost."""

from conftest import FIGURES
from hdnd.content.docgen.libreoffice import listening
from hdnd.policy.demo.users import DEMO_PASSWORD
from hdnd.policy.demo.users import DEMO_USERS
from hdnd.policy.structure import SITE_STRUCTURE
from hdnd.policy.testing import free_port
from hdnd.policy.testing import pdf_text
from pathlib import Path

import os
import pytest
import re
import requests
import signal
import subprocess
import sys
import time


pytestmark = pytest.mark.server

HDND = str(Path(sys.executable).with_name("hdnd"))
JSON = {"Accept": "application/json"}
ADMIN = ("admin", "admin")


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDND_")}
    env.update(HDND_VAR=str(var), HDND_PORT=str(free_port()), HDND_OO_PORT=str(free_port()))
    return env


def setup(env):
    started = time.monotonic()
    done = subprocess.run(
        [HDND, "setup", "--demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, time.monotonic() - started


class Server:
    def __init__(self, env):
        self.url = f"http://127.0.0.1:{env['HDND_PORT']}/hdnd"
        self.process = subprocess.Popen(
            [HDND, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stdout.read()
            try:
                requests.get(self.url, timeout=30)
                return
            except requests.RequestException:  # not listening yet, or still starting
                time.sleep(0.3)
        raise AssertionError("hdnd serve did not answer within 120 s")

    def stop(self):
        """Ctrl-C, as a user would press it."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


def demo_token(server, username):
    """A demo user with a clearance signs in with password and the demo key's code."""
    code = subprocess.run([HDND, "demo-code"], capture_output=True, text=True, check=True).stdout.strip()
    assert code.isdigit() and len(code) == 6
    password_only = requests.post(f"{server.url}/@login", headers=JSON, timeout=60,
                                  json={"login": username, "password": DEMO_PASSWORD})
    assert password_only.status_code == 401  # a clearance: the password alone is refused
    login = requests.post(f"{server.url}/@login", headers=JSON, timeout=60,
                          json={"login": username, "password": DEMO_PASSWORD, "otp": code})
    assert login.status_code == 200, login.text
    return {**JSON, "Authorization": f"Bearer {login.json()['token']}"}


def generated_pdf(server, url):
    """The PDF's text; LibreOffice may still be starting (503) at first."""
    deadline = time.monotonic() + 90
    headers = demo_token(server, "chanhvanphong")
    while True:
        response = requests.get(url, params={"format": "pdf"}, headers=headers, timeout=120)
        if response.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert response.status_code == 200, response.text[:300]
    return pdf_text(response.content)


def section_uids(server):
    found = requests.get(
        f"{server.url}/@search",
        params={"path.depth": 1, "metadata_fields": "UID", "portal_type": "Folder"},
        headers=JSON,
        auth=ADMIN,
        timeout=60,
    ).json()
    return {i["@id"].rsplit("/", 1)[-1]: i["UID"] for i in found["items"]}


def ocr_workers(env, module="hdnd.content.core.ocrworker"):
    """The OCR worker processes (or another worker's: ``module``) serving this instance's port."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if module in command and f":{env['HDND_PORT']}/" in command:
            found.append(int(proc.name))
    return found


def scan_made_searchable(server, seconds=300):
    """File a one-page scan in Văn bản; its OCR state once the worker is done."""
    import base64

    from hdnd.content.core import scans

    [sample] = scans.make_samples(1, seed=11)
    sample.noise, sample.angle = 0.01, 1.0
    scans.render([sample])
    scans.spoil(sample)
    created = requests.post(f"{server.url}/van-ban", headers=JSON, auth=ADMIN, timeout=60, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Bản quét", "file": {
            "data": base64.b64encode(sample.scan).decode(), "encoding": "base64", "filename": "scan.pdf",
            "content-type": "application/pdf"}})
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = requests.get(f"{url}/@hdnd-ocr", headers=JSON, auth=ADMIN, timeout=60).json()["state"]
        if state in ("done", "failed"):
            return state
        time.sleep(2)
    return state


def preview_workers(env):
    """The preview worker processes serving this instance's port."""
    return ocr_workers(env, "hdnd.content.previewworker")


def office_file_previewed(server, seconds=300):
    """File a Word document in Văn bản; the seconds until its work page shows its pages
    (None if it never does), and the page's text before (the preview being prepared)."""
    import base64

    from hdnd.policy.testing import DOCX
    from hdnd.policy.testing import docx

    started = time.monotonic()
    created = requests.post(f"{server.url}/van-ban", headers=JSON, auth=ADMIN, timeout=60, json={
        "@type": "OfficialDocument", "direction": "outgoing", "title": "Tờ trình (bản Word)", "file": {
            "data": base64.b64encode(docx("TỜ TRÌNH", "Về kế hoạch năm 2027", pages=2)).decode(),
            "encoding": "base64", "filename": "to-trinh.docx", "content-type": DOCX}})
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    first = requests.get(url, auth=ADMIN, headers={"Accept": "text/html"}, timeout=60).text
    while time.monotonic() - started < seconds:
        page = requests.get(url, auth=ADMIN, headers={"Accept": "text/html"}, timeout=60).text
        if page.count("@@hdnd-preview?field=file&amp;page=") == 2:
            return time.monotonic() - started, first
        time.sleep(1)
    return None, first


def test_run_serves_the_site_then_reruns_keeping_the_data(instance):
    out, first = setup(instance)
    assert f"http://127.0.0.1:{instance['HDND_PORT']}/hdnd" in out
    assert "admin / admin" in out

    server = Server(instance)
    try:
        assert requests.get(server.url, timeout=60).status_code == 200
        site = requests.get(server.url, headers=JSON, auth=ADMIN, timeout=60)
        assert site.status_code == 200
        assert site.json()["@type"] == "Plone Site"
        folders = section_uids(server)
        assert set(folders) == {s.id for s in SITE_STRUCTURE}
        # Each demo user can log in and is in the group of its role.
        clerk = requests.get(f"{server.url}/@users/vanthu", headers=demo_token(server, "vanthu"), timeout=60)
        assert clerk.status_code == 200
        assert "registry-clerks" in {g["id"] for g in clerk.json()["groups"]["items"]}
        users = requests.get(f"{server.url}/@users", headers=JSON, auth=ADMIN, timeout=60).json()["items"]
        assert {u["id"] for u in users} == {d.username for d in DEMO_USERS}
        # hdnd's widget templates win over Plone's on a site `hdnd setup` made (issue 20):
        # there plone.app.z3cform's layer comes before hdnd's on the request, and the add
        # form's file input and the two lists of "Gửi điện tử tới" had no name (axe: critical).
        form = requests.get(f"{server.url}/van-ban/++add++OfficialDocument", auth=ADMIN, timeout=60,
                            headers={"Accept": "text/html", "Accept-Language": "vi"}).text
        assert re.search(r'<input[^>]*id="form-widgets-file-input"[^>]*aria-label="Tệp văn bản"', form) \
            or re.search(r'<input[^>]*aria-label="Tệp văn bản"[^>]*id="form-widgets-file-input"', form), \
            "the add form's file input has no name"
        for side in ("from", "to"):
            assert re.search(rf'<select[^>]*aria-labelledby="form-widgets-send_to-{side}-name"', form), side
        # Something an office worker added must survive the next `make run`.
        created = requests.post(
            f"{server.url}/ho-so",
            headers=JSON,
            auth=ADMIN,
            json={"@type": "Dossier", "id": "ghi-chu", "title": "Ghi chú giữ lại"},
            timeout=60,
        )
        assert created.status_code == 201, created.text
        assert requests.get(f"{server.url}/ho-so/ghi-chu", headers=JSON, auth=("vanthu", "wrong"), timeout=60).status_code == 401
        # `hdnd serve` started LibreOffice: the demo's June minutes print to PDF.
        minutes = generated_pdf(server, f"{server.url}/phien-hop/dinh-ky-2026-06/@hdnd-generate/bien-ban")
        assert "BIÊN BẢN" in minutes and "Phiên họp định kỳ tháng 6/2026" in minutes
        assert "Có mặt 6/7 đồng chí" in minutes and "Cho ý kiến về nhân sự 5 1 0 Thông qua" in minutes
        # `hdnd serve` started the OCR worker (issue 24): a scan filed is made searchable.
        assert len(ocr_workers(instance)) == 1
        assert scan_made_searchable(server) == "done"
        # and the preview worker (issue 20): an office file filed is previewed on its
        # work page, "being prepared" until the worker's LibreOffice has made its PDF.
        assert len(preview_workers(instance)) == 1
        seconds, preparing = office_file_previewed(server)
        assert "Đang chuẩn bị bản xem trước…" in preparing or "@@hdnd-preview?field=file" in preparing
        assert seconds is not None, "the office file's preview was never made"
        FIGURES.append(f"hdnd serve: a Word document filed to its pages on the work page in {seconds:.1f} s")
    finally:
        assert server.stop() == 0
    assert not listening(int(instance["HDND_OO_PORT"]))  # stopped with the server
    assert not ocr_workers(instance)  # and the OCR worker with it
    assert not preview_workers(instance)  # and the preview worker

    out, again = setup(instance)
    assert "existing data kept" in out
    server = Server(instance)
    try:
        assert section_uids(server) == folders
        kept = requests.get(f"{server.url}/ho-so/ghi-chu", headers=JSON, auth=ADMIN, timeout=60)
        assert kept.json()["title"] == "Ghi chú giữ lại"
        users = requests.get(f"{server.url}/@users", headers=JSON, auth=ADMIN, timeout=60).json()["items"]
        assert len(users) == len(DEMO_USERS)
    finally:
        assert server.stop() == 0
    FIGURES.append(f"hdnd setup: first run {first:.1f} s, re-run {again:.1f} s")


def test_setup_refuses_while_the_server_holds_the_database(instance):
    server = Server(instance)
    try:
        done = subprocess.run(
            [HDND, "setup"], env=instance, capture_output=True, text=True, timeout=120
        )
        assert done.returncode != 0
        assert "stop the running server first" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        assert server.stop() == 0
