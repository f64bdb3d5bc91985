"""GETs never write (issue 21), seen from outside: a fresh site served by
``runwsgi`` on its FileStorage; an administrator makes an account, the new
person signs in as a browser does (the login form's POST) and over REST
(``POST @login``), another's very first request is a GET with HTTP Basic;
they read pages and services with the session cookie,
the token and HTTP Basic — their very first requests. Neither the size of
Data.fs nor its last transaction may move while they read (the integration
gate, tests/integration/test_gets_write_nothing.py, asks every registered
view and service; this one asks as a real browser's session does)."""

from conftest import add_users
from conftest import FIGURES
from conftest import Instance
from conftest import JSON
from ZODB.FileStorage import FileStorage

import requests


PASSWORD = "Mat-khau-moi-2026"
USER = "chuyen-vien-moi"
FIRST_BY_GET = "van-thu-moi"  # signs in for the first time with a GET (HTTP Basic)


def database_state(var):
    """(size of Data.fs, its last transaction), read beside the running
    server (a read-only FileStorage takes no lock)."""
    path = var / "filestorage" / "Data.fs"
    storage = FileStorage(str(path), read_only=True)
    try:
        return path.stat().st_size, storage.lastTransaction()
    finally:
        storage.close()


def reads(site):
    """What a person looks at first: the front page, their inbox and
    dashboard, a section, a search, the REST root and a listing."""
    return [("page", f"{site.url}"), ("page", f"{site.url}/@@hdnd-inbox"), ("page", f"{site.url}/@@dashboard"),
            ("page", f"{site.url}/van-ban"), ("page", f"{site.url}/@@search?SearchableText=ke+hoach"),
            ("page", f"{site.url}/@@personal-information"), ("page", f"{site.url}/ho-so/folder_contents"),
            ("rest", f"{site.url}"), ("rest", f"{site.url}/van-ban"), ("rest", f"{site.url}/@search"),
            ("rest", f"{site.url}/@navigation"), ("rest", f"{site.url}/@users/{USER}"),
            ("rest", f"{site.url}/@hdnd-dashboard")]


def test_a_new_person_signs_in_and_reads_without_writing(tmp_path):
    site = Instance(tmp_path / "var")
    site.hdnd("setup")
    site.serve()
    try:
        admin = site.session()
        add_users(admin, site.url, {USER: "specialists", FIRST_BY_GET: "registry-clerks"}, PASSWORD)
        browser = requests.Session()
        signed_in = browser.post(f"{site.url}/login", data={"__ac_name": USER, "__ac_password": PASSWORD,
                                                             "buttons.login": "Đăng nhập", "came_from": ""},
                                 allow_redirects=False, timeout=60)
        assert "__ac" in browser.cookies, (signed_in.status_code, signed_in.text[:300])
        token = requests.post(f"{site.url}/@login", headers=JSON, json={"login": USER, "password": PASSWORD},
                              timeout=60)
        assert token.status_code == 200, token.text
        rest = requests.Session()
        rest.headers.update({**JSON, "Authorization": f"Bearer {token.json()['token']}"})
        basic = requests.Session()
        basic.auth = (USER, PASSWORD)
        first = requests.Session()
        first.auth = (FIRST_BY_GET, PASSWORD)

        before = database_state(site.var)
        answers = []
        for who, session in (("first by GET", first), ("cookie", browser), ("token", rest), ("basic", basic)):
            for kind, url in reads(site):
                headers = JSON if kind == "rest" else {"Accept": "text/html"}
                answer = session.get(url, headers=headers, allow_redirects=False, timeout=120)
                answers.append((who, kind, url.removeprefix(site.url) or "/", answer.status_code))
                assert database_state(site.var) == before, (who, url, answer.status_code, before,
                                                            database_state(site.var))
        FIGURES.append(f"GETs write nothing over HTTP: new people's first {len(answers)} GETs (Basic with no "
                       f"sign-in before; cookie, token, Basic after signing in); Data.fs stayed at {before[0]} bytes, last transaction "
                       f"{before[1].hex()}")
        # The reads were answered, not refused: the person was signed in.
        assert sum(1 for a in answers if a[3] == 200) >= len(answers) - 4, answers
    finally:
        site.stop()
