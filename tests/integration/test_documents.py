"""The office's documents generated from the Party-layout templates, over
REST, with a real LibreOffice on 127.0.0.1: every template renders to PDF
(its text extracted with pdftotext), DOCX and ODT; a generated document
holds only what the requesting user may see; only administrators may add
or change templates; bad requests get a 400 naming the parameter."""

from datetime import date
from datetime import datetime
from hdnd.content import meetings
from hdnd.content import voting
from hdnd.content.clearance import set_clearance
from hdnd.content.core import officetime
from hdnd.content.core.layout import place_date
from hdnd.content.docgen.templates import TEMPLATES
from hdnd.policy.testing import as_system
from hdnd.policy.testing import pdf_text
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from zExceptions import NotFound

import io
import pytest
import subprocess
import transaction
import zipfile


PASSWORD = "documents-pass-1"
JSON = {"Accept": "application/json"}
PEOPLE = {
    "tv-an": ("Nguyễn Văn An", "delegation-members"),
    "tv-binh": ("Trần Thị Bình", "delegation-members"),
    "tv-cuong": ("Lê Văn Cường", "delegation-members"),
    "cvp-dung": ("Phạm Thị Dung", "office-heads"),
}
TODAY_LINE = place_date("Thành phố", date.today())
MEETING_DAY_LINE = "Thành phố, ngày 24 tháng 12 năm 2026"  # the meeting's day, whenever printed


@pytest.fixture
def office(functional_portal, request_factory, libreoffice):
    portal = functional_portal
    for userid, (name, group) in PEOPLE.items():
        api.user.create(email=f"{userid}@hdnd.example.vn", username=userid, password=PASSWORD,
                        properties={"fullname": name})
        api.group.add_user(groupname=group, username=userid)
    set_clearance("tv-an", "mat")
    set_clearance("tv-binh", "mat")
    set_clearance("cvp-dung", "mat")  # creates the classified items (and is named on them)
    with as_system(portal):
        start = officetime.localize(datetime(2026, 12, 24, 8, 0))
        meeting = api.content.create(
            container=portal["phien-hop"], type="Meeting", id="dinh-ky-2026-12",
            title="Phiên họp định kỳ tháng 12/2026", start=start, location="Phòng họp Đảng đoàn, tầng 3",
            end=officetime.localize(datetime(2026, 12, 24, 11, 30)),
            chair="tv-an", secretary="cvp-dung", members=["tv-an", "tv-binh", "tv-cuong"],
            minutes="Đồng chí Bí thư chủ trì.\nThống nhất thông qua Chương trình giám sát năm 2027.",
        )
        item = api.content.create(container=meeting, type="AgendaItem", id="giam-sat",
                                  title="Chương trình giám sát năm 2027", presenter="Ban Pháp chế",
                                  duration_minutes=45)
        with api.env.adopt_user(username="cvp-dung"):  # cleared: may create classified items
            api.content.create(container=meeting, type="AgendaItem", id="nhan-su",
                               title="MATNHANSU phương án kiện toàn nhân sự", classification="mat",
                               need_to_know=["tv-an"])
        ballot = api.content.create(container=item, type="Ballot", id="bq", title="Thông qua Chương trình giám sát",
                                    question="Đồng chí có tán thành Chương trình giám sát năm 2027?")
        api.content.transition(ballot, "open")
        meetings.record_attendance(meeting, ["tv-an", "tv-binh", "tv-cuong"])
        for member in ("tv-an", "tv-binh"):
            voting.cast(ballot, member, "for")
        voting.cast(ballot, "tv-cuong", "against", "Cần bổ sung giám sát chuyên đề")
        api.content.transition(ballot, "close")

        notice = meetings.draft_conclusion(meeting, "Thông qua Chương trình giám sát năm 2027.\nGiao Văn phòng hoàn thiện.")
        notice.symbol, notice.issue_date = "07-TB/ĐĐHĐND", date(2026, 12, 25)
        notice.signer, notice.signer_position = "Nguyễn Văn An", "T/M Đảng đoàn, Bí thư"

        incoming = api.content.create(
            container=portal["van-ban"], type="OfficialDocument", id="cv-123", direction="incoming",
            document_type="CV", symbol="123-CV/BTCTU", issue_date=date(2026, 12, 18),
            issuing_body="Ban Tổ chức Thành ủy", title="Về việc rà soát quy hoạch cán bộ",
            urgency="khan",
        )
        api.content.transition(incoming, "register")
        with api.env.adopt_user(username="cvp-dung"):
            api.content.create(
                container=portal["van-ban"], type="OfficialDocument", id="cv-mat", direction="incoming",
                document_type="CV", symbol="9-CV/TU", issue_date=date(2026, 12, 19), issuing_body="Thành ủy",
                title="MATDENVANBAN đề án nhân sự", classification="mat", need_to_know=["tv-an"],
            )
        api.content.transition(portal["van-ban"]["cv-mat"], "register")
        slip = api.content.create(
            container=incoming, type="ProcessingSlip", id="phieu", title="Phiếu xử lý",
            proposal="Đề nghị giao Ban Pháp chế tham mưu.", instruction="Đồng ý. Báo cáo trước ngày 30/12.",
            director="tv-an", assignees=["cvp-dung"],
        )
        request = api.content.create(
            container=portal["phien-hop"], type="OpinionRequest", id="xyk", title="Xin ý kiến về Đề án nhân sự",
            question="Đề nghị cho ý kiến về Đề án.",
            reply_deadline=officetime.localize(datetime(2026, 12, 28, 17, 0)),
        )
        api.content.create(container=request, type="Ballot", id="bq1", title="Nội dung 1",
                           question="Tán thành phương án 1?")
        programme = api.content.create(container=portal["chuong-trinh-cong-tac"], type="WorkProgramme",
                                       id="ct-2026", title="Chương trình công tác năm 2026", year=2026)
        api.content.create(container=programme, type="ProgrammeItem", title="Sơ kết quý I", planned_month=3,
                           lead_unit="phong-tong-hop", completed_on=date(2026, 3, 30))
        api.content.create(container=programme, type="ProgrammeItem", title="Tổng kết năm", planned_month=12,
                           lead_unit="phong-tong-hop")
    transaction.commit()
    return {
        "portal": portal, "meeting": meeting, "ballot": ballot, "notice": notice, "incoming": incoming,
        "slip": slip, "request": request, "programme": programme,
        "as": lambda userid: request_factory(basic_auth=(userid, PASSWORD), api=False),
        "admin": request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False),
    }


def generate(session, obj, template, fmt="pdf", status=200, **params):
    response = session.get(f"{obj.absolute_url()}/@hdnd-generate/{template}",
                           params={"format": fmt, **params}, headers=JSON)
    assert response.status_code == status, response.text[:500]
    return response


HEADER = ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ THÀNH PHỐ", "ĐẢNG ĐOÀN HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ")


def test_every_template_renders_to_pdf_with_header_number_date_and_names(office):
    admin = office["admin"]
    expected = {
        ("meeting", "giay-moi"): [
            *HEADER, "-GM/ĐĐHĐND", TODAY_LINE, "GIẤY MỜI", "Phiên họp định kỳ tháng 12/2026",
            "08 giờ 00, thứ Năm, ngày 24/12/2026", "Phòng họp Đảng đoàn, tầng 3",
            "1. Chương trình giám sát năm 2027", "T/M ĐẢNG ĐOÀN", "BÍ THƯ", "Nguyễn Văn An"],
        ("meeting", "chuong-trinh-phien-hop"): [
            *HEADER, MEETING_DAY_LINE, "CHƯƠNG TRÌNH", "Chương trình giám sát năm 2027", "Ban Pháp chế", "45"],
        ("meeting", "bien-ban"): [
            *HEADER, "-BB/ĐĐHĐND", MEETING_DAY_LINE, "BIÊN BẢN", "Có mặt 3/3 đồng chí",
            "Nguyễn Văn An, Trần Thị Bình", "Lê Văn Cường", "Thư ký: đồng chí Phạm Thị Dung.",
            "Thống nhất thông qua Chương trình giám sát năm 2027",
            "Thông qua Chương trình giám sát 2 1 0 Thông qua", "Phiên họp kết thúc lúc 11 giờ 30 cùng ngày.",
            "CHỦ TRÌ", "THƯ KÝ"],
        ("notice", "thong-bao-ket-luan"): [
            *HEADER, "Số 07-TB/ĐĐHĐND", "Thành phố, ngày 25 tháng 12 năm 2026", "THÔNG BÁO",
            "kết luận phiên họp định kỳ tháng 12/2026", "Ngày 24/12/2026",
            "Thông qua Chương trình giám sát năm 2027.", "Giao Văn phòng hoàn thiện.",
            "Nơi nhận:", "T/M ĐẢNG ĐOÀN", "BÍ THƯ", "Nguyễn Văn An"],
        ("slip", "phieu-xu-ly"): [
            *HEADER, "PHIẾU XỬ LÝ VĂN BẢN ĐẾN", "Số đến 1", "123-CV/BTCTU", "18/12/2026",
            "Ban Tổ chức Thành ủy", "Về việc rà soát quy hoạch cán bộ", "Khẩn",
            "Đề nghị giao Ban Pháp chế tham mưu.", "Nguyễn Văn An", "Phạm Thị Dung"],
        ("request", "phieu-xin-y-kien"): [
            *HEADER, "PHIẾU XIN Ý KIẾN", "Xin ý kiến về Đề án nhân sự", "17 giờ 00, ngày 28/12/2026",
            "Tán thành phương án 1?"],
        ("programme", "bao-cao-nam"): [
            *HEADER, "-BC/ĐĐHĐND", "BÁO CÁO", "kết quả công tác năm 2026", "Phiên họp định kỳ: 0 phiên",
            "Thông báo: 1 văn bản", "1/2 nội dung hoàn thành (50,0 %)", "Phòng Tổng hợp", "2 1 50,0"],
        ("ballot", "phieu-bieu-quyet"): [
            *HEADER, "PHIẾU BIỂU QUYẾT", "Biểu quyết công khai", "Thông qua Chương trình giám sát",
            "Tán thành", "Không tán thành", "Ý kiến khác"],
    }
    for (key, template), strings in expected.items():
        text = pdf_text(generate(admin, office[key], template).content)
        missing = [s for s in strings if s not in text]
        assert not missing, f"{template}: {missing} not in {text}"
    minutes = pdf_text(generate(admin, office["meeting"], "bien-ban").content)
    if date.today() != date(2026, 12, 24):
        assert TODAY_LINE not in minutes  # dated the meeting's day, not the day it is printed
    # The two signature blocks: the secretary under THƯ KÝ, the chair under CHỦ TRÌ.
    assert minutes.endswith("THƯ KÝ CHỦ TRÌ Phạm Thị Dung Nguyễn Văn An"), minutes[-200:]

    sections = office["portal"]["van-ban"]
    incoming = pdf_text(generate(admin, sections, "so-van-ban-den", year=2026).content)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in incoming and "Năm 2026" in incoming
    assert "123-CV/BTCTU" in incoming and "Ban Tổ chức Thành ủy" in incoming and "KHẨN" in incoming
    outgoing = pdf_text(generate(admin, sections, "so-van-ban-di", year=2026).content)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in outgoing and "07-TB/ĐĐHĐND" in outgoing and "Nguyễn Văn An" in outgoing
    assert "123-CV/BTCTU" not in outgoing
    assert "123-CV/BTCTU" not in pdf_text(generate(admin, sections, "so-van-ban-den", year=2025).content)
    # The same registers in Excel.
    from openpyxl import load_workbook

    sheet = admin.get(f"{sections.absolute_url()}/@hdnd-export", params={"register": "outgoing", "year": 2026},
                      headers=JSON)
    assert sheet.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows()]
    assert rows[0][0] == "Sổ đăng ký văn bản đi năm 2026" and rows[2][:3] == ["Số", "Ngày", "Số, ký hiệu"]
    assert [r[2] for r in rows[3:]] == ["07-TB/ĐĐHĐND"]
    bad = admin.get(f"{sections.absolute_url()}/@hdnd-export", params={"register": "sideways"}, headers=JSON)
    assert bad.status_code == 400 and bad.json()["message"].startswith("register:")
    # Every shipped template was checked above.
    # (the records' templates are checked in test_archive and test_fileplan)
    assert {t for _k, t in expected} | {"so-van-ban-den", "so-van-ban-di", "muc-luc-van-ban", "danh-muc-ho-so",
                                        "muc-luc-ho-so-nop-luu", "bien-ban-giao-nhan"} == {t.id for t in TEMPLATES}


def pdf_pages(data):
    """The PDF's pages' text (pdftotext), whitespace folded."""
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return [" ".join(page.split()) for page in done.stdout.decode("utf-8").split("\f") if page.strip()]


def test_the_signature_block_never_falls_alone_onto_a_page(office):
    """The real LibreOffice lays out the minutes and the conclusion notice
    with every length of text that brings the page break through the end of
    the text and the signature block: the block is on one page, and that page
    holds the text's last line before it (not the block alone)."""
    admin, meeting, notice = office["admin"], office["meeting"], office["notice"]
    for lines in range(8, 40):
        meeting.minutes = "\n".join(f"Ý kiến thảo luận thứ {n} tại phiên họp." for n in range(1, lines + 1))
        notice.description = "\n".join(f"Kết luận thứ {n} của Đảng đoàn." for n in range(1, lines + 1))
        transaction.commit()
        pages = pdf_pages(generate(admin, meeting, "bien-ban").content)
        last = pages[-1]
        assert "THƯ KÝ CHỦ TRÌ Phạm Thị Dung Nguyễn Văn An" in last, (lines, pages)
        assert "Phiên họp kết thúc lúc 11 giờ 30 cùng ngày." in last, (lines, last)
        assert not last.startswith("THƯ KÝ"), (lines, last)
        pages = pdf_pages(generate(admin, notice, "thong-bao-ket-luan").content)
        last = pages[-1]
        assert "T/M ĐẢNG ĐOÀN BÍ THƯ" in last and "Nguyễn Văn An" in last and "Nơi nhận:" in last, (lines, pages)
        assert f"Kết luận thứ {lines} của Đảng đoàn." in last, (lines, last)
        assert not last.startswith("Nơi nhận:"), (lines, last)


def test_a_get_that_generates_writes_nothing(office):
    """Generating a document is a read (issue 19: a GET wrote, and once
    failed with a ConflictError): an item that is not classified, generated
    by a user without clearance, commits no transaction, in any format."""
    admin = office["admin"]
    db = office["portal"]._p_jar.db()
    generate(admin, office["notice"], "thong-bao-ket-luan", "odt")  # the first read after writes
    before = db.lastTransaction()
    for fmt in ("odt", "pdf", "docx"):
        generate(admin, office["notice"], "thong-bao-ket-luan", fmt)
        generate(admin, office["meeting"], "bien-ban", fmt)
    assert db.lastTransaction() == before


def test_docx_and_odt_hold_the_same_text(office):
    admin = office["admin"]
    docx = generate(admin, office["notice"], "thong-bao-ket-luan", "docx")
    assert docx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="thong-bao-ket-luan-' in docx.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "07-TB/ĐĐHĐND" in body and "Nguyễn Văn An" in body
    odt = generate(admin, office["notice"], "thong-bao-ket-luan", "odt")
    with zipfile.ZipFile(io.BytesIO(odt.content)) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert "07-TB/ĐĐHĐND" in content and "Thông qua Chương trình giám sát năm 2027." in content


def test_a_generated_document_holds_only_what_the_user_may_see(office):
    binh, an = office["as"]("tv-binh"), office["as"]("tv-an")  # both cleared; only An is named
    sections = office["portal"]["van-ban"]
    for template in ("giay-moi", "chuong-trinh-phien-hop", "bien-ban"):
        assert "MATNHANSU" not in pdf_text(generate(binh, office["meeting"], template).content)
        assert "MATNHANSU" in pdf_text(generate(an, office["meeting"], template).content)
    register = pdf_text(generate(binh, sections, "so-van-ban-den", year=2026).content)
    assert "123-CV/BTCTU" in register and "MATDENVANBAN" not in register and "9-CV/TU" not in register
    # A secret incoming document is in the register for secret documents, not the ordinary one.
    named = pdf_text(generate(an, sections, "so-van-ban-den", year=2026).content)
    assert "123-CV/BTCTU" in named and "MATDENVANBAN" not in named
    named = pdf_text(generate(an, sections, "so-van-ban-den", year=2026, register="incoming-secret").content)
    assert "MATDENVANBAN" in named and "MẬT" in named and "123-CV/BTCTU" not in named
    secret_register = pdf_text(generate(binh, sections, "so-van-ban-den", year=2026, register="incoming-secret").content)
    assert "MATDENVANBAN" not in secret_register and "9-CV/TU" not in secret_register
    # The classified item itself: nothing to generate for who may not see it.
    secret = office["portal"]["van-ban"]["cv-mat"]
    assert binh.get(f"{secret.absolute_url()}/@hdnd-templates", headers=JSON).status_code in (401, 403, 404)
    # Whoever generates is in the audit trail.
    from hdnd.content import audit

    transaction.begin()  # see what the server committed
    assert audit.count(action="generate") >= 8


def test_templates_listed_per_item_and_bad_requests_named(office):
    admin = office["admin"]
    listed = admin.get(f"{office['meeting'].absolute_url()}/@hdnd-templates", headers=JSON).json()["items"]
    assert [t["id"] for t in listed] == ["giay-moi", "chuong-trinh-phien-hop", "bien-ban"]
    assert listed[0]["formats"] == ["odt", "pdf", "docx"]
    assert [t["id"] for t in admin.get(f"{office['incoming'].absolute_url()}/@hdnd-templates",
                                       headers=JSON).json()["items"]] == []  # an incoming CV: no notice
    bad = generate(admin, office["meeting"], "giay-moi", "xls", status=400)
    assert "format" in bad.json()["message"]
    wrong = generate(admin, office["meeting"], "phieu-xu-ly", status=400)
    assert "template" in wrong.json()["message"] and "giay-moi" in wrong.json()["message"]
    missing = admin.get(f"{office['meeting'].absolute_url()}/@hdnd-generate", headers=JSON)
    assert missing.status_code == 400 and "template" in missing.json()["message"]


def test_a_converter_that_does_not_answer_is_a_clear_503(office):
    from hdnd.policy.testing import free_port

    record = "collective.documentgenerator.browser.controlpanel.IDocumentGeneratorControlPanelSchema.oo_port_list"
    kept = api.portal.get_registry_record(record)
    api.portal.set_registry_record(record, str(free_port()))
    transaction.commit()
    try:
        down = generate(office["admin"], office["meeting"], "giay-moi", "pdf", status=503)
        assert "LibreOffice" in down.json()["error"]["message"]
    finally:
        api.portal.set_registry_record(record, kept)
        transaction.commit()


def test_the_converter_stays_and_recovers(office, tmp_path):
    """LibreOffice converts through one converter process that stays
    connected (docgen/uno_worker.py): the same process serves the next
    document; a LibreOffice that restarted is connected to again, and a
    converter that died is started again, without a failed document."""
    from hdnd.content.docgen import libreoffice
    from hdnd.policy.testing import free_port

    record = "collective.documentgenerator.browser.controlpanel.IDocumentGeneratorControlPanelSchema.oo_port_list"
    kept, port = api.portal.get_registry_record(record), free_port()
    api.portal.set_registry_record(record, str(port))
    transaction.commit()
    office_process = libreoffice.start(port, tmp_path)
    try:
        admin, meeting = office["admin"], office["meeting"]
        assert "GIẤY MỜI" in pdf_text(generate(admin, meeting, "giay-moi").content)
        worker = next(w for key, w in libreoffice._workers.items() if key[2] == port)
        first = worker.process.pid
        generate(admin, meeting, "giay-moi", "docx")
        assert worker.process.pid == first  # the same converter, not a process per document
        libreoffice.stop(office_process)
        office_process = libreoffice.start(port, tmp_path)  # LibreOffice restarted
        assert "GIẤY MỜI" in pdf_text(generate(admin, meeting, "giay-moi").content)
        worker.process.kill()  # the converter died
        worker.process.wait()
        assert "GIẤY MỜI" in pdf_text(generate(admin, meeting, "giay-moi").content)
        assert worker.process.pid != first
    finally:
        libreoffice.stop(office_process)
        api.portal.set_registry_record(record, kept)
        transaction.commit()


def test_only_administrators_add_or_change_templates(portal):
    folder = portal["mau-van-ban"]
    assert {t.id for t in TEMPLATES} <= set(folder.objectIds())
    api.user.create(email="head@example.vn", username="head-t", password=PASSWORD)
    api.group.add_user(groupname="office-heads", username="head-t")
    template = folder["giay-moi"]
    assert api.user.has_permission("hdnd: Manage document templates", username="head-t", obj=folder) is False
    assert api.user.has_permission("Add portal content", username="head-t", obj=folder)  # Files, yes
    assert api.user.has_permission("Modify portal content", username="head-t", obj=template) is False
    setRoles(portal, TEST_USER_ID, ["Site Administrator"])
    assert api.user.has_permission("hdnd: Manage document templates", obj=folder)
    assert api.user.has_permission("Modify portal content", obj=template)
    for portal_type in ("PODTemplate", "ConfigurablePODTemplate", "SubTemplate", "StyleTemplate", "MailingLoopTemplate"):
        assert portal.portal_types[portal_type].add_permission == "hdnd.ManageTemplates"
    with api.env.adopt_user(username="head-t"):
        allowed = [t.getId() for t in folder.allowedContentTypes()]
    assert allowed == ["File"]
    # collective.documentgenerator's views that store a file as Manager are not offered.
    view = api.content.get_view("persistent-document-generation", portal["phien-hop"], portal.REQUEST)
    with pytest.raises(NotFound):
        view()


def test_the_links_under_the_title_generate_as_hdnd_does(office):
    import re

    an = office["as"]("tv-an")
    page = an.get(f"{office['meeting'].absolute_url()}/view", headers={"Accept": "text/html"})
    assert page.status_code == 200
    links = re.findall(r'href="([^"]*document-generation\?[^"]+)"', page.text)
    pdf = next(link.replace("&amp;", "&") for link in links if "output_format=pdf" in link)
    generated = an.get(pdf)
    assert generated.status_code == 200 and generated.headers["Content-Type"] == "application/pdf"
    assert 'filename="giay-moi-dinh-ky-2026-12.pdf"' in generated.headers["Content-Disposition"]
    assert "GIẤY MỜI" in pdf_text(generated.content)
    # A template that does not apply here, or a bad format: no document.
    slip_uid = api.content.get_uuid(office["portal"]["mau-van-ban"]["phieu-xu-ly"])
    wrong = an.get(f"{office['meeting'].absolute_url()}/document-generation",
                   params={"template_uid": slip_uid, "output_format": "pdf"})
    assert wrong.status_code == 404
    assert an.get(pdf.replace("output_format=pdf", "output_format=exe")).status_code == 400


def test_the_add_on_templates_listing_leads_to_the_templates_section(office):
    response = office["admin"].get(f"{office['portal'].absolute_url()}/@@dg-templates-listing",
                                   headers={"Accept": "text/html"}, allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mau-van-ban/folder_contents")
