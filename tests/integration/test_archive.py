"""Records management end to end over REST, with a real LibreOffice: a
dossier is closed (its table of contents and page total), packaged for the
archive with PDF copies, the package verified independently (hdnd's own
check, the `hdnd package verify` command, the METS schema, the BagIt
library), then destroyed when expired, leaving its tombstone."""

from datetime import date
from hdnd.content.core import package
from hdnd.content.docgen.odt import build
from hdnd.content.docgen.odt import p
from hdnd.policy.testing import as_system
from hdnd.policy.testing import pdf_text
from pathlib import Path
from plone import api
from plone.namedfile.file import NamedBlobFile

import bagit
import io
import lxml.etree
import pytest
import subprocess
import sys
import transaction
import zipfile


PASSWORD = "archive-pass-1"
JSON = {"Accept": "application/json"}
HDND = str(Path(sys.executable).with_name("hdnd"))


def walk(portal, obj, *transitions):
    with as_system(portal):
        for transition in transitions:
            api.content.transition(obj, transition)


@pytest.fixture
def office(functional_portal, request_factory, libreoffice):
    portal = functional_portal
    for userid, group in {"luutru-a": "records-managers", "cv-a": "specialists", "cvp-a": "office-heads"}.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD)
        api.group.add_user(groupname=group, username=userid)
    with api.env.adopt_roles(["Manager"]):
        dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-2015-01",
                                     title="Hồ sơ công tác cán bộ năm 2015", dossier_code="01.TCCB",
                                     retention="10", start_date=date(2015, 1, 5))
        api.content.create(container=dossier, type="OfficialDocument", id="qd-1", direction="incoming",
                           title="Quyết định về công tác cán bộ", symbol="15-QĐ/TU", issue_date=date(2015, 3, 2),
                           issuing_body="Thành ủy", page_count=3,
                           file=NamedBlobFile(build(p("Nội dung quyết định bổ nhiệm")), filename="qd-15.odt",
                                              contentType="application/vnd.oasis.opendocument.text"))
        report = api.content.create(container=dossier, type="OfficialDocument", id="bc-1", direction="incoming",
                                    title="Báo cáo tổng kết", symbol="20-BC/TU", issue_date=date(2015, 11, 30),
                                    issuing_body="Thành ủy", page_count=12)
        api.content.create(container=report, type="File", id="phu-luc", title="Phụ lục",
                           file=NamedBlobFile(b"%PDF-1.4 phu luc", filename="phu-luc.pdf", contentType="application/pdf"))
        kept = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-vinh-vien",
                                  title="Hồ sơ Đại hội", dossier_code="02.DH", retention="permanent",
                                  start_date=date(2015, 1, 5))
    for each in (dossier, kept):
        walk(portal, each, "start", "submit", "decide", "close")
        each.end_date = date(2015, 12, 31)  # the work ended in 2015
        each.reindexObject()
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in ("luutru-a", "cv-a", "cvp-a")}
    return portal, dossier, kept, sessions


def test_close_package_verify_and_destroy(office, tmp_path, mets_schema, eark):
    portal, dossier, kept, sessions = office
    records = sessions["luutru-a"]
    url = dossier.absolute_url()

    toc = records.get(f"{url}/@hdnd-generate/muc-luc-van-ban", params={"format": "pdf"}, headers=JSON)
    assert toc.status_code == 200, toc.text[:300]
    text = pdf_text(toc.content)
    for expected in ("MỤC LỤC VĂN BẢN", "01.TCCB", "15-QĐ/TU", "Quyết định về công tác cán bộ", "2 văn bản, 15 trang"):
        assert expected in text, (expected, text)
    contents = records.get(f"{url}/@hdnd-contents", headers=JSON).json()
    assert [r["symbol"] for r in contents["rows"]] == ["15-QĐ/TU", "20-BC/TU"]
    assert (contents["documents"], contents["pages"]) == (2, 15)
    assert contents["transfer"] == {"due": "2016-12-31", "held_until": None, "warning": "overdue"}
    # Holding back: approved by the office head, at most two years past the transfer date.
    refused = records.post(f"{url}/@hdnd-hold-back", headers=JSON, json={"until": "2017-06-30", "reason": "Đang dùng"})
    assert refused.status_code == 400 and "office head" in refused.text
    head = sessions["cvp-a"]
    too_long = head.post(f"{url}/@hdnd-hold-back", headers=JSON, json={"until": "2019-01-15", "reason": "Đang dùng"})
    assert too_long.status_code == 400 and "at most 2 years" in too_long.text
    no_reason = head.post(f"{url}/@hdnd-hold-back", headers=JSON, json={"until": "2017-06-30"})
    assert no_reason.status_code == 400 and no_reason.json()["message"].startswith("reason:")
    held = head.post(f"{url}/@hdnd-hold-back", headers=JSON, json={"until": "2017-06-30", "reason": "Đang dùng"})
    assert held.json() == {"due": "2016-12-31", "held_until": "2017-06-30", "warning": "overdue"}  # in 2026, still late
    due = records.get(f"{portal.absolute_url()}/@hdnd-dashboard", headers=JSON).json()["transfers"]
    assert [d["dossier_code"] for d in due] == ["02.DH", "01.TCCB"]  # late at the archive; the held one last

    # The transfer package, bagged, as a .zip; the body's organ id identifies it as creator and submitter.
    api.portal.set_registry_record("hdnd.organisation.organ_id", "000.00.31.H29")
    transaction.commit()
    response = records.post(f"{portal.absolute_url()}/@hdnd-transfer-package", headers=JSON,
                            json={"dossiers": [url], "bag": True, "id": "nop-luu-2016-01"})
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    bag_path = tmp_path / "nop-luu-2016-01"
    bagit.Bag(str(bag_path)).validate()
    assert package.verify(bag_path) == []
    checked = subprocess.run([HDND, "package", "verify", str(bag_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    root = bag_path / "data" / "nop-luu-2016-01"
    mets = lxml.etree.parse(str(root / "METS.xml"))
    assert mets_schema.validate(mets), mets_schema.error_log
    agents = mets.getroot().find("{http://www.loc.gov/METS/}metsHdr")
    assert [(a.get("ROLE"), a.findtext("{http://www.loc.gov/METS/}note")) for a in agents] == [
        ("CREATOR", package.software_version()), ("ARCHIVIST", "000.00.31.H29"), ("OTHER", "000.00.31.H29")]
    originals = sorted(p.name for p in (root / "representations/rep1/data").rglob("*") if p.is_file())
    copies = list((root / "representations/rep2/data").rglob("*.pdf"))
    assert originals == ["muc-luc-van-ban.csv", "phu-luc.pdf", "qd-15.odt"]  # the dossier's table of contents too
    # The E-ARK reference validator: no error but SIP14, which contradicts CSIP15/16 and mets.xsd (docs/staff.md).
    assert {f["rule"] for f in eark(root) if f["level"] == "ERROR"} == {"SIP14"}
    assert [c.name for c in copies] == ["qd-15.pdf"]  # a PDF copy of the ODT, not of the PDF
    text = pdf_text(copies[0].read_bytes())
    assert "Nội dung quyết định bổ nhiệm" in text
    ead = (root / "metadata/descriptive/ead.xml").read_text(encoding="utf-8")
    assert "01.TCCB" in ead and "Quyết định về công tác cán bộ" in ead and "10 năm" in ead

    refused = sessions["cv-a"].post(f"{portal.absolute_url()}/@hdnd-transfer-package", headers=JSON,
                                    json={"dossiers": [url]})
    assert refused.status_code == 400 and "records manager" in refused.json()["message"]
    bad_id = records.post(f"{portal.absolute_url()}/@hdnd-transfer-package", headers=JSON,
                          json={"dossiers": [url], "id": "../x"})
    assert bad_id.status_code == 400 and bad_id.json()["message"].startswith("id:")

    # A transfer: its list and hand-over record printed, accepted by the archive, the dossier transferred.
    base = portal.absolute_url()
    batch = records.post(f"{base}/luu-tru", headers=JSON, json={
        "@type": "TransferBatch", "title": "Nộp lưu năm 2016", "archive_name": "Lưu trữ cơ quan",
        "dossiers": [kept.UID()]})
    assert batch.status_code == 201, batch.text
    batch = batch.json()["@id"]
    listing = records.get(f"{batch}/@hdnd-generate/muc-luc-ho-so-nop-luu", params={"format": "pdf"}, headers=JSON)
    listed = pdf_text(listing.content)
    assert "MỤC LỤC HỒ SƠ NỘP LƯU" in listed and "02.DH" in listed and "Vĩnh viễn" in listed
    early = records.post(f"{batch}/@workflow/accept", headers=JSON, json={})
    assert early.status_code == 400 and "handover_date" in early.json()["error"]["message"]
    assert records.patch(batch, headers=JSON, json={"handover_date": "2026-11-20",
                                                     "received_by": "Nguyễn Thị Lưu"}).status_code == 204
    record = records.get(f"{batch}/@hdnd-generate/bien-ban-giao-nhan", params={"format": "pdf"}, headers=JSON)
    signed = pdf_text(record.content)
    assert "BIÊN BẢN" in signed and "20/11/2026" in signed and "Nguyễn Thị Lưu" in signed
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(records.get(f"{batch}/@hdnd-export", headers=JSON).content)).active
    assert [c.value for c in sheet[4]][1:3] == ["02.DH", "Hồ sơ Đại hội"]
    packaged = records.get(f"{batch}/@hdnd-package", params={"bag": "1"}, headers=JSON)
    assert packaged.status_code == 200 and packaged.headers["Content-Type"] == "application/zip"
    assert records.post(f"{batch}/@workflow/accept", headers=JSON, json={}).status_code == 200
    assert records.get(f"{kept.absolute_url()}/@workflow", headers=JSON).json()["state"]["id"] == "transferred"

    # Destruction: listed, appraised by the council, by the archive authority, decided, destroyed.
    listing = records.post(f"{base}/luu-tru", headers=JSON, json={
        "@type": "DestructionList", "title": "Tài liệu hết giá trị năm 2026", "dossiers": [dossier.UID()]})
    assert listing.status_code == 201, listing.text
    listing = listing.json()["@id"]

    def step(session, transition, status=200):
        answer = session.post(f"{listing}/@workflow/{transition}", headers=JSON, json={})
        assert answer.status_code == status, answer.text
        return answer.json()

    assert "council_minutes" in step(records, "appraise", 400)["error"]["message"]
    records.patch(listing, headers=JSON, json={"council_minutes": "Hội đồng xác định giá trị tài liệu họp ngày 05/11/2026."})
    step(records, "appraise")
    assert "authority_appraisal" in step(records, "authorize", 400)["error"]["message"]
    records.patch(listing, headers=JSON, json={"authority_appraisal": "Văn bản số 88/LTLS ngày 15/11/2026"})
    step(records, "authorize")
    step(records, "decide", 400)  # the head decides, not the records manager
    assert "decision" in step(sessions["cvp-a"], "decide", 400)["error"]["message"]
    assert sessions["cvp-a"].patch(listing, headers=JSON, json={
        "decision": "Quyết định số 12/QĐ-VP ngày 20/11/2026"}).status_code == 204
    step(sessions["cvp-a"], "decide")
    transaction.begin()  # see what the server committed
    dossier.legal_hold = True
    transaction.commit()
    held = step(records, "destroy", 400)
    assert "legal_hold" in held["error"]["message"]
    assert records.get(url, headers=JSON).status_code == 200  # nothing destroyed
    dossier.legal_hold = False
    transaction.commit()
    step(records, "destroy")
    assert records.get(url, headers=JSON).status_code == 404  # files and content are gone
    stones = records.get(f"{base}/@hdnd-tombstones", headers=JSON).json()["items"]
    assert [(s["dossier_code"], s["pages"], len(s["documents"])) for s in stones] == [("01.TCCB", 15, 2)]
    assert stones[0]["decision"].startswith("Quyết định số 12/QĐ-VP")
    assert sessions["cv-a"].get(f"{base}/@hdnd-tombstones", headers=JSON).status_code in (401, 403)
    # A dossier kept permanently (and now transferred) is never destroyed: refused when listed, with the reason.
    refused = records.post(f"{base}/luu-tru", headers=JSON, json={
        "@type": "DestructionList", "title": "Sai", "dossiers": [kept.UID()]})
    assert refused.status_code == 400, refused.text
    assert "hs-vinh-vien cannot be listed for destruction" in refused.json()["message"]
    assert "transferred" in refused.json()["message"]


def test_a_dossier_that_may_not_be_destroyed_is_refused_when_listed(functional_portal, request_factory):
    """Issue 23 (2): an open, unexpired or held dossier is refused at
    listing, with the reason, not after appraisal, authorisation and decision."""
    portal = functional_portal
    api.user.create(email="luutru-l@example.vn", username="luutru-l", password=PASSWORD)
    api.group.add_user(groupname="records-managers", username="luutru-l")
    with api.env.adopt_roles(["Manager"]):
        made = {name: api.content.create(container=portal["ho-so"], type="Dossier", id=name, title=name,
                                         dossier_code="01.TCCB", retention="10", start_date=date(2015, 1, 5))
                for name in ("hs-mo", "hs-chua-het-han", "hs-bi-giu", "hs-het-han")}
    for name in ("hs-chua-het-han", "hs-bi-giu", "hs-het-han"):
        walk(portal, made[name], "start", "submit", "decide", "close")
        made[name].end_date = date(2015, 12, 31) if name != "hs-chua-het-han" else date(2024, 12, 31)
    made["hs-bi-giu"].legal_hold = True
    transaction.commit()
    records = request_factory(basic_auth=("luutru-l", PASSWORD), api=False)
    base = portal.absolute_url()
    for name, reason in (("hs-mo", "only a closed dossier"), ("hs-chua-het-han", "may not be destroyed before 01/01/2035"),
                         ("hs-bi-giu", "legal_hold")):
        refused = records.post(f"{base}/luu-tru", headers=JSON, json={
            "@type": "DestructionList", "title": "Sai", "dossiers": [made["hs-het-han"].UID(), made[name].UID()]})
        assert refused.status_code == 400, refused.text
        message = refused.json()["message"]
        assert f"{name} cannot be listed for destruction" in message and reason in message, message
    listing = records.post(f"{base}/luu-tru", headers=JSON, json={
        "@type": "DestructionList", "title": "Đúng", "dossiers": [made["hs-het-han"].UID()]})
    assert listing.status_code == 201, listing.text
    # Nor added to a list later.
    added = records.patch(listing.json()["@id"], headers=JSON, json={
        "dossiers": [made["hs-het-han"].UID(), made["hs-mo"].UID()]})
    assert added.status_code == 400 and "hs-mo cannot be listed" in added.json()["message"], added.text
    transaction.begin()
    assert portal["luu-tru"].objectIds().count(listing.json()["@id"].rsplit("/", 1)[1]) == 1
    assert [r.to_object.getId() for r in portal["luu-tru"][listing.json()["@id"].rsplit("/", 1)[1]].dossiers] == [
        "hs-het-han"]

def test_a_closed_dossier_is_frozen_with_what_it_references(functional_portal, request_factory):
    """Issue 23 (1): a document filed by reference counts in the closing
    checks, and once the dossier is closed it stays as it closed: a change
    to it, its attachments or its removal is a 400 naming the dossier."""
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    portal = functional_portal
    for userid, group in {"cv-f": "specialists", "cvp-f": "office-heads", "ld-f": "delegation-leaders"}.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD)
        api.group.add_user(groupname=group, username=userid)
    with api.env.adopt_roles(["Manager"]):
        report = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="bc-ref",
                                    direction="incoming", title="Báo cáo giám sát", symbol="31-BC/UBND",
                                    issue_date=date(2026, 11, 2), issuing_body="UBND", page_count=3)
        api.content.create(container=report, type="File", id="phu-luc", title="Phụ lục",
                           file=NamedBlobFile(b"%PDF-1.4 phu luc", filename="phu-luc.pdf", contentType="application/pdf"))
        draft = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="du-thao-ref",
                                   direction="outgoing", document_type="TB", title="Dự thảo thông báo")
    transaction.commit()
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    people = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in ("cv-f", "cvp-f", "ld-f")}
    dossier = people["cv-f"].post(f"{portal.absolute_url()}/ho-so", headers=JSON, json={
        "@type": "Dossier", "title": "Hồ sơ giám sát", "dossier_code": "09.KTGS", "retention": "10",
        "documents": [report.UID(), draft.UID()]})
    assert dossier.status_code == 201, dossier.text
    dossier = dossier.json()["@id"]
    for user, transition in (("cv-f", "start"), ("cv-f", "submit"), ("ld-f", "decide")):
        assert people[user].post(f"{dossier}/@workflow/{transition}", headers=JSON, json={}).status_code == 200
    # The draft filed by reference blocks the close, as one held inside would.
    refused = people["cvp-f"].post(f"{dossier}/@workflow/close", headers=JSON, json={})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["message"] == "close: hồ sơ còn 0 nhiệm vụ chưa hoàn thành và 1 dự thảo chưa ban hành."
    assert people["cvp-f"].patch(dossier, headers=JSON, json={"documents": [report.UID()]}).status_code == 204
    assert people["cvp-f"].post(f"{dossier}/@workflow/close", headers=JSON, json={}).status_code == 200

    # Closed: the referenced document keeps what the dossier closed with, even for an administrator.
    url = report.absolute_url()
    changed = admin.patch(url, headers=JSON, json={"page_count": 9})
    assert changed.status_code == 400, changed.text
    assert "closed dossier 09.KTGS" in changed.json()["message"]
    assert admin.patch(f"{url}/phu-luc", headers=JSON, json={"title": "Khác"}).status_code == 400
    added = admin.post(url, headers=JSON, json={"@type": "File", "title": "Thêm", "file": {
        "data": "eA==", "encoding": "base64", "filename": "x.pdf", "content-type": "application/pdf"}})
    assert added.status_code == 400 and "closed dossier" in added.text
    assert admin.delete(f"{url}/phu-luc", headers=JSON).status_code == 400
    assert admin.delete(url, headers=JSON).status_code == 400
    contents = admin.get(f"{dossier}/@hdnd-contents", headers=JSON).json()
    assert (contents["documents"], contents["pages"]) == (1, 3)
    transaction.begin()
    assert report.page_count == 3 and sorted(report.objectIds()) == ["phu-luc"]
    # A document no closed dossier references still changes.
    assert admin.patch(draft.absolute_url(), headers=JSON, json={"title": "Dự thảo thông báo (sửa)"}).status_code == 204
