"""The year's file plan (danh mục hồ sơ) over REST: drafted by the records
manager, approved by the office head, then the dossiers opened from it,
once."""

from hdnd.policy.testing import pdf_text
from plone import api

import transaction


PASSWORD = "fileplan-pass-1"
JSON = {"Accept": "application/json"}


def test_a_file_plan_is_approved_then_opens_the_dossiers(functional_portal, request_factory, libreoffice):
    for userid, group in {"luutru-f": "records-managers", "cvp-f": "office-heads", "cv-f": "specialists"}.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD)
        api.group.add_user(groupname=group, username=userid)
    transaction.commit()
    records, head, specialist = (request_factory(basic_auth=(u, PASSWORD), api=False) for u in ("luutru-f", "cvp-f", "cv-f"))
    base = functional_portal.absolute_url()

    assert specialist.post(f"{base}/luu-tru", headers=JSON, json={
        "@type": "FilePlan", "title": "x", "year": 2027}).status_code in (401, 403)
    plan = records.post(f"{base}/luu-tru", headers=JSON, json={
        "@type": "FilePlan", "title": "Danh mục hồ sơ năm 2027", "year": 2027})
    assert plan.status_code == 201, plan.text
    plan = plan.json()["@id"]
    bad = records.post(plan, headers=JSON, json={"@type": "FilePlanHeading", "title": "Sai mã", "dossier_code": "TCCB",
                                                  "retention": "10"})
    assert bad.status_code == 400 and "dossier_code" in bad.text
    for code, title, retention in [("01.TCCB", "Hồ sơ công tác cán bộ năm 2027", "permanent"),
                                   ("02.GS", "Hồ sơ giám sát chuyên đề năm 2027", "20")]:
        created = records.post(plan, headers=JSON, json={
            "@type": "FilePlanHeading", "title": title, "dossier_code": code, "retention": retention,
            "heading": "I. Công tác Đảng đoàn", "responsible": "cv-f"})
        assert created.status_code == 201, created.text

    printed = records.get(f"{plan}/@hdnd-generate/danh-muc-ho-so", params={"format": "pdf"}, headers=JSON)
    assert printed.status_code == 200, printed.text[:300]
    text = pdf_text(printed.content)
    for expected in ("DANH MỤC HỒ SƠ", "Năm 2027", "01.TCCB", "Hồ sơ công tác cán bộ năm 2027", "Vĩnh viễn", "20 năm"):
        assert expected in text, (expected, text)
    from openpyxl import load_workbook
    import io

    sheet = records.get(f"{plan}/@hdnd-export", headers=JSON)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows()]
    assert [r[0] for r in rows[3:]] == ["01.TCCB", "02.GS"] and rows[3][3] == "Vĩnh viễn"
    early = records.post(f"{plan}/@hdnd-open-dossiers", headers=JSON)
    assert early.status_code == 400 and "approved" in early.json()["message"]
    assert records.post(f"{plan}/@workflow/approve", headers=JSON, json={}).status_code == 400  # not theirs
    assert head.post(f"{plan}/@workflow/approve", headers=JSON, json={}).status_code == 200
    assert records.post(plan, headers=JSON, json={"@type": "FilePlanHeading", "title": "muộn", "dossier_code": "03.X",
                                                   "retention": "5"}).status_code in (401, 403)  # approved: fixed
    opened = records.post(f"{plan}/@hdnd-open-dossiers", headers=JSON)
    assert opened.status_code == 200, opened.text
    dossiers = [records.get(url, headers=JSON).json() for url in opened.json()["created"]]
    assert [(d["dossier_code"], d["retention"]["token"], d["start_date"]) for d in dossiers] == [
        ("01.TCCB", "permanent", "2027-01-01"), ("02.GS", "20", "2027-01-01")]
    assert dossiers[0]["responsible"]["token"] == "cv-f"
    assert records.post(f"{plan}/@hdnd-open-dossiers", headers=JSON).json()["created"] == []  # once


def test_retention_is_lowered_only_with_a_recorded_decision(functional_portal, request_factory):
    api.user.create(email="luutru-r@example.vn", username="luutru-r", password=PASSWORD)
    api.group.add_user(groupname="records-managers", username="luutru-r")
    transaction.commit()
    records = request_factory(basic_auth=("luutru-r", PASSWORD), api=False)
    url = records.post(f"{functional_portal.absolute_url()}/ho-so", headers=JSON, json={
        "@type": "Dossier", "title": "Hồ sơ thi đua", "dossier_code": "05.TĐKT", "retention": "20"}).json()["@id"]
    assert records.patch(url, headers=JSON, json={"retention": "permanent"}).status_code == 204  # raised: fine
    refused = records.patch(url, headers=JSON, json={"retention": "10"})
    assert refused.status_code == 400 and "retention_decision" in refused.text
    assert records.get(url, headers=JSON).json()["retention"]["token"] == "permanent"  # nothing saved
    done = records.patch(url, headers=JSON, json={"retention": "10", "retention_decision": "QĐ 7/QĐ-VP ngày 20/11/2026"})
    assert done.status_code == 204
    again = records.patch(url, headers=JSON, json={"retention": "5"})  # the same decision does not do twice
    assert again.status_code == 400


def test_a_dossier_opened_without_retention_takes_the_schedule(portal):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("hdnd.vocabularies.retention_schedule", ["TCCB|70", "TĐKT|10"])
    cadre = api.content.create(container=portal["ho-so"], type="Dossier", title="Cán bộ", dossier_code="02.TCCB")
    other = api.content.create(container=portal["ho-so"], type="Dossier", title="Khác", dossier_code="09.KHAC")
    chosen = api.content.create(container=portal["ho-so"], type="Dossier", title="Khen thưởng",
                                dossier_code="03.TĐKT", retention="20")
    assert (cadre.retention, other.retention, chosen.retention) == ("70", None, "20")
