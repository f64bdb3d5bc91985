"""Conditional requests seen by a client hdnd did not write (issue 21): curl
against a fresh site served by ``runwsgi`` on its FileStorage, as another
agency's system would send them (RFC 9110): the ETag and Last-Modified of an
item's GET, a 304 with no body for a GET or HEAD that revalidates it, a 412
naming the header for a PATCH, a DELETE and a workflow step sent with a
stale version (Data.fs neither grows nor gets a new transaction), and the
changes taken once the version is the item's. The in-process tests
(tests/integration/test_conditional_requests.py) ask every registered
service; this one asks over a real socket, through waitress."""

from conftest import FIGURES
from conftest import Instance
from conftest import JSON
from email.utils import formatdate
from test_gets_over_http import database_state

import json
import subprocess


def curl(*args):
    """(status, headers as a dict of lower-case names, body) of one curl call."""
    dump = [] if "-I" in args else ["-D", "-"]  # HEAD (-I) prints its headers itself
    done = subprocess.run(["curl", "-s", "-S", *dump, "--max-time", "60", *args], capture_output=True,
                          check=True, timeout=90)
    head, _sep, body = done.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {name.strip().lower(): value.strip() for name, _c, value in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def test_conditional_requests_with_curl(tmp_path):
    site = Instance(tmp_path / "var")
    site.hdnd("setup")
    site.serve()
    try:
        admin = site.session()
        made = admin.post(f"{site.url}/van-ban", json={"@type": "OfficialDocument", "id": "kh-2027",
                                                       "direction": "outgoing", "title": "Kế hoạch 2027"})
        assert made.status_code == 201, made.text
        url = f"{site.url}/van-ban/kh-2027"
        auth = ["-u", "admin:admin", "-H", "Accept: application/json"]
        status, headers, body = curl(*auth, url)
        assert status == 200 and json.loads(body)["title"] == "Kế hoạch 2027"
        tag, modified = headers["etag"], headers["last-modified"]
        assert tag.startswith('"') and tag.endswith('"')

        before = database_state(site.var)
        # Revalidation: 304, no body, the same validators (GET and HEAD, by tag and by date).
        for extra in (["-H", f"If-None-Match: {tag}"], ["-H", f"If-None-Match: W/{tag}"],
                      ["-H", f"If-Modified-Since: {modified}"], ["-I", "-H", f"If-None-Match: {tag}"]):
            status, headers, body = curl(*auth, *extra, url)
            assert status == 304 and body == b"", (extra, status, body[:200])
            assert headers["etag"] == tag and headers["last-modified"] == modified, extra
        status, headers, _body = curl(*auth, "-I", url)
        assert status == 200 and headers["etag"] == tag and int(headers["content-length"]) > 0
        # Stale preconditions on changes: 412 naming the header, nothing written.
        stale = '"0000000000000001"'
        refusals = [
            (["-X", "PATCH", "-H", "Content-Type: application/json", "-H", f"If-Match: {stale}",
              "-d", '{"title": "Ghi đè"}', url], "If-Match"),
            (["-X", "DELETE", "-H", f"If-Match: {stale}", url], "If-Match"),
            (["-X", "POST", "-H", f"If-Match: W/{tag}", f"{url}/@workflow/submit"], "If-Match"),
            (["-X", "POST", "-H", f"If-Unmodified-Since: {formatdate(0, usegmt=True)}", f"{url}/@workflow/submit"],
             "If-Unmodified-Since"),
            (["-X", "DELETE", "-H", "If-None-Match: *", url], "If-None-Match"),
        ]
        for args, header in refusals:
            status, headers, body = curl(*auth, *args)
            assert status == 412, (args, status, body[:300])
            assert headers["content-type"].startswith("application/json")
            error = json.loads(body)["error"]
            assert error["type"] == "PreconditionFailed" and error["header"] == header, (args, error)
        assert database_state(site.var) == before, "a 304 or a 412 wrote to Data.fs"

        # With the item's own version, the changes go through.
        status, headers, body = curl(*auth, "-X", "PATCH", "-H", "Content-Type: application/json",
                                     "-H", f"If-Match: {tag}", "-d", '{"title": "Kế hoạch giám sát 2027"}', url)
        assert status == 204, body
        new = headers["etag"]
        assert new != tag
        status, headers, body = curl(*auth, "-H", f"If-None-Match: {tag}", url)
        assert status == 200 and headers["etag"] == new and json.loads(body)["title"] == "Kế hoạch giám sát 2027"
        status, _headers, body = curl(*auth, "-X", "DELETE", "-H", f"If-Match: {new}", url)
        assert status == 204, body
        assert curl(*auth, url)[0] == 404
        FIGURES.append(f"conditional requests over HTTP (curl): 4 revalidations answered 304, {len(refusals)} stale "
                       f"changes 412 with Data.fs unchanged at {before[0]} bytes; PATCH and DELETE with the ETag 204")
    finally:
        site.stop()
