"""Two hdnd sites, each its own Zope server and database, exchanging
documents with `hdnd sync`: site A (the delegation) issues documents to site
B (the Party committee's office); B registers them and answers with status
replies, which A sees; the sync is interrupted (by its own limit, by kill -9,
and by losing its state file) and resumed, without loss or duplicates; a
recall travels from A to B and B's answer back."""

from conftest import add_users
from hdnd.policy.testing import free_port
from pathlib import Path

import base64
import json
import os
import pytest
import requests
import shutil
import signal
import subprocess
import sys
import time


pytestmark = pytest.mark.server

BIN = Path(sys.executable).parent
HDND = str(BIN / "hdnd")
JSON = {"Accept": "application/json"}
ADMIN = ("admin", "admin")
PASSWORD = "hai-site-pass-1"
AGENCY_PASSWORD = "agency-pass-12345"
STAFF = {"vanthu": "registry-clerks", "chanhvp": "office-heads", "lanhdao": "delegation-leaders",
         "chuyenvien": "specialists"}


class Site:
    def __init__(self, root, name, organ_id, body):
        self.name, self.organ_id, self.body = name, organ_id, body
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HDND_")}
        self.env.update(HDND_VAR=str(root / name), HDND_PORT=str(free_port()), HDND_AGENCY_PASSWORD=AGENCY_PASSWORD)
        self.url = f"http://127.0.0.1:{self.env['HDND_PORT']}/hdnd"
        self.server = None

    def hdnd(self, *args):
        done = subprocess.run([HDND, *args], env=self.env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def serve(self):
        ini = Path(self.env["HDND_VAR"]) / "etc" / "zope.ini"
        self.server = subprocess.Popen([str(BIN / "runwsgi"), str(ini)], env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.server.poll() is None, f"site {self.name} stopped"
            try:
                requests.get(self.url, timeout=30)
                return
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError(f"site {self.name} did not answer")

    def as_(self, user):
        session = requests.Session()
        session.auth = ADMIN if user == "admin" else (user, PASSWORD)
        session.headers.update(JSON)
        return session

    def incoming(self):
        found = self.as_("admin").get(f"{self.url}/@search", params={
            "portal_type": "OfficialDocument", "direction": "incoming", "metadata_fields": ["symbol", "UID"],
            "b_size": 100}).json()
        return found["items"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-sites")
    a = Site(root, "a", "000.00.31.H29", "Đảng đoàn Hội đồng nhân dân Thành phố")
    b = Site(root, "b", "000.00.01.H29", "Văn phòng Thành ủy")
    setups = [subprocess.Popen([HDND, "setup"], env=s.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True) for s in (a, b)]
    for process in setups:
        assert process.wait(timeout=300) == 0, process.stdout.read()
    # Each site knows the other as an agency (before serving: FileStorage is one process's).
    assert "thanh-uy is the account of" in a.hdnd("agency", "add", "thanh-uy", "--organ-id", b.organ_id,
                                                  "--name", b.body)
    b.hdnd("agency", "add", "dd-hdnd", "--organ-id", a.organ_id, "--name", a.body)
    # A's sync client speaks to B with an exchange-only token (B speaks to A with a password).
    b.agency_token = b.hdnd("agency", "token", "dd-hdnd", "--days", "30").strip().splitlines()[-1]
    assert a.hdnd("agency", "list").strip() == f"thanh-uy\t{b.organ_id}\t{b.body}"
    for site in (a, b):
        site.serve()
    try:
        for site in (a, b):
            site.wait()
            admin = site.as_("admin")
            set_up = admin.patch(f"{site.url}/@registry", json={
                "hdnd.organisation.organ_id": site.organ_id, "hdnd.organisation.body_name": site.body})
            assert set_up.status_code == 204, set_up.text
            add_users(admin, site.url, STAFF, PASSWORD, domain=f"{site.name}.example.vn")
        yield a, b
    finally:
        for site in (a, b):
            site.server.send_signal(signal.SIGINT)
            site.server.wait(timeout=60)


def b64(data):
    return base64.b64encode(data).decode()


def issue(site, n):
    """An outgoing notice with two files, drafted and issued to B by A's staff."""
    url = site.as_("chuyenvien").post(f"{site.url}/van-ban", json={
        "@type": "OfficialDocument", "direction": "outgoing", "document_type": "TB",
        "title": f"Thông báo kết luận số {n} về giám sát chuyên đề", "description": f"Nội dung {n}\n– dòng hai",
        "signer": "Nguyễn Văn An", "signer_position": "T/M ĐẢNG ĐOÀN, BÍ THƯ", "urgency": "khan",
        "recipients": ["Thường trực Thành ủy", "Lưu VT"], "page_count": n + 1, "send_to": ["thanh-uy"],
        "file": {"data": b64(f"%PDF-1.4 thong bao {n}".encode()), "encoding": "base64",
                 "filename": f"tb-{n}.pdf", "content-type": "application/pdf"},
    }).json()["@id"]
    appendix = site.as_("chuyenvien").post(url, json={"@type": "File", "title": "Phụ lục", "file": {
        "data": b64(bytes(range(256)) * 3), "encoding": "base64", "filename": f"phu-luc-{n}.bin",
        "content-type": "application/octet-stream"}})
    assert appendix.status_code == 201, appendix.text
    for user, transition in (("chuyenvien", "submit"), ("chanhvp", "approve"), ("vanthu", "format_ok"),
                             ("lanhdao", "sign"), ("vanthu", "issue")):
        done = site.as_(user).post(f"{url}/@workflow/{transition}", json={})
        assert done.status_code == 200, (transition, done.text)
    return url


def sync(a, b, state, *extra, wait=True):
    env = {**os.environ, "HDND_SYNC_SOURCE_USER": "thanh-uy", "HDND_SYNC_SOURCE_PASSWORD": AGENCY_PASSWORD,
           "HDND_SYNC_TARGET_TOKEN": b.agency_token}
    command = [HDND, "sync", "--source", a.url, "--target", b.url, "--state", str(state), *extra]
    if not wait:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def delivery(a, url):
    found = a.as_("vanthu").get(f"{url}/@hdnd-delivery").json()["items"]
    assert [item["agency"] for item in found] == ["thanh-uy"]
    return [s["code"] for s in found[0]["status"]]


def test_two_sites_exchange_documents_and_status_and_resume_without_loss(sites, tmp_path):
    a, b = sites
    sent = [issue(a, n) for n in range(1, 7)]
    symbols = sorted(a.as_("vanthu").get(url).json()["symbol"] for url in sent)
    assert symbols == [f"0{n}-TB/ĐĐHĐND" for n in range(1, 7)]
    state = tmp_path / "a-to-b.json"

    # Interrupted on purpose after two messages.
    assert "2 sent" in sync(a, b, state, "--limit", "2")
    assert len(b.incoming()) == 2
    early = tmp_path / "early.json"
    shutil.copy(state, early)
    # Killed with SIGKILL in the middle of a run.
    running = sync(a, b, state, wait=False)
    deadline = time.monotonic() + 60
    while len(b.incoming()) < 3 and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    running.kill()
    running.wait()
    # Resumed: the rest arrives once.
    sync(a, b, state)
    assert sorted(i["symbol"] for i in b.incoming()) == symbols
    # A client that lost its state (restored from an old copy) repeats steps: nothing doubles.
    shutil.copy(early, state)
    again = sync(a, b, state)
    assert "0 sent" in again and "4 repeated" in again, again
    assert sorted(i["symbol"] for i in b.incoming()) == symbols

    # Every field and file arrived as A issued it.
    first = a.as_("vanthu").get(sent[0]).json()
    [mirror] = [i for i in b.incoming() if i["symbol"] == first["symbol"]]
    got = b.as_("vanthu").get(mirror["@id"]).json()
    for field in ("title", "description", "signer", "signer_position", "recipients", "page_count", "issue_date"):
        assert got[field] == first[field], field
    assert got["urgency"]["token"] == "khan" and got["channel"]["token"] == "party"
    assert got["document_type"]["token"] == "TB" and got["issuing_body"] == a.body
    assert b.as_("vanthu").get(f"{mirror['@id']}/@@download/file").content == b"%PDF-1.4 thong bao 1"
    [appendix] = got["items"]
    assert b.as_("vanthu").get(f"{appendix['@id']}/@@download/file").content == bytes(range(256)) * 3

    # B handles two of them; A sees B's status replies, each once however often the sync runs.
    by_symbol = {i["symbol"]: i["@id"] for i in b.incoming()}
    registered, returned = by_symbol["01-TB/ĐĐHĐND"], by_symbol["02-TB/ĐĐHĐND"]
    assert b.as_("vanthu").post(f"{registered}/@workflow/register", json={}).status_code == 200
    assert b.as_("vanthu").post(f"{returned}/@workflow/return_to_sender",
                                json={"comment": "Gửi nhầm nơi nhận"}).status_code == 200
    sync(a, b, state)
    sync(a, b, state)
    codes = {a.as_("vanthu").get(url).json()["symbol"]: delivery(a, url) for url in sent}
    assert codes["01-TB/ĐĐHĐND"] == ["01", "03"]
    assert codes["02-TB/ĐĐHĐND"] == ["01", "02"]
    assert all(codes[s] == ["01"] for s in symbols[2:])
    replies = a.as_("vanthu").get(f"{sent[1]}/@hdnd-delivery").json()["items"][0]["status"]
    assert replies[-1]["description"] == "Gửi nhầm nơi nhận"

    # A recalls the third; B is asked (13), accepts (15: withdrawn); A sees both.
    third = next(url for url in sent if a.as_("vanthu").get(url).json()["symbol"] == "03-TB/ĐĐHĐND")
    recalled = a.as_("lanhdao").post(f"{third}/@workflow/recall", json={"comment": "Sai số liệu phụ lục"})
    assert recalled.status_code == 200, recalled.text
    assert "1 recalls" in sync(a, b, state)
    mirror = by_symbol["03-TB/ĐĐHĐND"]
    accepted = b.as_("vanthu").post(f"{mirror}/@hdnd-recall", json={"accept": True, "reason": "Đồng ý"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["review_state"] == "withdrawn"
    sync(a, b, state)
    assert delivery(a, third) == ["01", "13", "15"]
    # Nothing was registered twice on B, and the state file says where the client is.
    assert len(b.incoming()) == 6
    assert json.loads(state.read_text())["cursor"] == 7


def test_a_refused_envelope_is_sent_again_once_b_trusts_as_ca(sites, tmp_path):
    """Issue 23 (4): A signs its envelopes with a key of its CA, which B does
    not trust: B refuses (02 on A) and a plain rerun sends nothing; `hdnd
    trust add` on B (A's CA certificate, as docs/operations.md says), then `hdnd sync
    --resend-refused` delivers it; A shows the refusal as replaced by the
    new arrival."""
    from hdnd.content.core.certificates import Authority

    a, b = sites
    ca_a, ca_b = Authority.create("CA của A"), Authority.create("CA của B")
    key = tmp_path / "co-quan-a.p12"
    key.write_bytes(ca_a.issue(a.body, "mat-khau-a", a.body))
    assert a.as_("admin").patch(f"{a.url}/@registry", json={
        "hdnd.signing.body_key": str(key), "hdnd.signing.body_passphrase": "mat-khau-a"}).status_code == 204
    assert b.as_("admin").patch(f"{b.url}/@registry", json={
        "hdnd.signing.trust_roots": ca_b.pem.decode()}).status_code == 204
    # A client that starts after what the first test exchanged (envelopes are signed as they are read).
    state = tmp_path / "a-to-b.json"
    outbox = requests.get(f"{a.url}/@hdnd-outbox", params={"since": 0, "limit": 100}, headers=JSON,
                          auth=("thanh-uy", AGENCY_PASSWORD)).json()
    state.write_text(json.dumps({"cursor": outbox["cursor"], "documents": {}}))
    url = issue(a, 7)
    refused = sync(a, b, state)
    assert "1 refused" in refused and "Signature: does not check" in refused, refused
    assert "--resend-refused" in refused
    assert delivery(a, url) == ["02"]
    assert "0 sent" in sync(a, b, state) and delivery(a, url) == ["02"]  # a plain rerun: nothing new

    # B trusts A's CA by the command (FileStorage: with B's server stopped), then the envelope goes again.
    (tmp_path / "ca-a.pem").write_bytes(ca_a.pem)
    b.server.send_signal(signal.SIGINT)
    b.server.wait(timeout=60)
    assert "now trusted" in b.hdnd("trust", "add", str(tmp_path / "ca-a.pem"))
    assert "nothing changed" in b.hdnd("trust", "add", str(tmp_path / "ca-a.pem"))  # once
    listed = b.hdnd("trust", "list")
    assert "CA của A" in listed and "CA của B" in listed, listed
    b.serve()
    b.wait()
    again = sync(a, b, state, "--resend-refused")
    assert "1 sent" in again, again
    symbol = a.as_("vanthu").get(url).json()["symbol"]
    [mirror] = [i for i in b.incoming() if i["symbol"] == symbol]
    assert b.as_("vanthu").post(f"{mirror['@id']}/@workflow/register", json={}).status_code == 200
    sync(a, b, state)
    statuses = a.as_("vanthu").get(f"{url}/@hdnd-delivery").json()["items"][0]["status"]
    assert [(s["code"], s["replaced"]) for s in statuses] == [("02", True), ("01", False), ("03", False)], statuses
    assert "0 sent" in sync(a, b, state, "--resend-refused")  # nothing refused is left
