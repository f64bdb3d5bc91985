"""The confidential installation started as docs/operations.md's "Confidential
installation" says (issue 23, item 3), on a real server with its own
database: `hdnd setup` with the confidential profile and the shared key;
the first security officer made by `hdnd officer add` (audited); no agency
account or exchange token there, neither by the command line nor by REST;
the reservation key read once, at setup, and used from the site after."""

from conftest import HDND
from conftest import Instance

import pytest
import subprocess


pytestmark = pytest.mark.server

KEY = "khóa-chung-giữa-hai-hệ-thống-2026"


def test_the_confidential_installation_starts_from_the_readme(tmp_path):
    site = Instance(tmp_path / "mat", profile="confidential")
    site.env["HDND_RESERVATION_KEY"] = KEY
    site.hdnd("setup")
    del site.env["HDND_RESERVATION_KEY"]  # read by setup only: the site keeps it
    site.env["HDND_AGENCY_PASSWORD"] = "agency-pass-12345"
    refused = subprocess.run([HDND, "agency", "add", "vp-thanhuy", "--organ-id", "000.00.01.H29",
                              "--name", "Văn phòng Thành ủy"], env=site.env, capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "exchanges nothing with other agencies" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    # The key stored by setup is the one the commands use, with no HDND_RESERVATION_KEY in the
    # environment: the report is refused for having nothing in it, not for want of a key.
    report = subprocess.run([HDND, "numbers", "report", "--to", "hdnd-main", "--out", str(tmp_path / "r.json")],
                            env=site.env, capture_output=True, text=True, timeout=300)
    assert "Nothing to report" in report.stderr, report.stderr

    site.serve()
    try:
        admin = site.session()
        made = admin.post(f"{site.url}/@users", json={"username": "anninh", "email": "anninh@example.vn",
                                                      "password": "an-ninh-pass-2026", "fullname": "Cán bộ an ninh"})
        assert made.status_code == 201, made.text
        # The group cannot be given over REST (the grants gate): the command line makes the first officer.
        given = admin.patch(f"{site.url}/@groups/security-officers", json={"users": {"anninh": True}})
        assert given.status_code in (400, 403)
        token = admin.post(f"{site.url}/@hdnd-agency-token", json={"userid": "anninh", "days": 30})
        assert token.status_code == 400 and "exchanges nothing" in token.text, token.text
    finally:
        site.stop()
    assert "anninh is now a security officer" in site.hdnd("officer", "add", "anninh")
    assert site.hdnd("officer", "list").split() == ["anninh"]
    site.hdnd("audit", "export", "--csv", str(tmp_path / "audit.csv"))
    granted = [line for line in (tmp_path / "audit.csv").read_text(encoding="utf-8").splitlines()
               if "anninh" in line and "security-officers" in line]
    assert granted, "the grant is audited"
    site.serve()
    try:
        officer = site.session(auth=("anninh", "an-ninh-pass-2026"))
        me = officer.get(f"{site.url}/@users/anninh").json()
        assert "SecurityOfficer" in me["roles"], me["roles"]
    finally:
        site.stop()
