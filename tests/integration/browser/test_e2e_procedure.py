"""The dossier procedure in a real browser, as the office's people do it in
the Classic UI: the clerk registers an incoming directive (its file
uploaded, its arrival number shown), the leader assigns it on a processing
slip, the specialist drafts the reply, the office head approves it, the
clerk checks its format, the leader signs it (a digital signature) and the
clerk issues it with its number. Nothing here goes around the pages, except
creating the people and the signing keys."""

from hdnd.content.core.certificates import Authority
from hdnd.content.core.pdf import text_pdf
from plone import api
from selenium.webdriver.common.by import By

import pytest
import transaction


PEOPLE = {
    "vanthu-b": ("Phan Thị Oanh", "registry-clerks"),
    "lanhdao-b": ("Nguyễn Văn An", "delegation-leaders"),
    "chanhvp-b": ("Ngô Thị Lan", "office-heads"),
    "chuyenvien-b": ("Bùi Văn Minh", "specialists"),
}


@pytest.fixture
def office(functional_portal, people, tmp_path):
    """The people, the leader's and the body's signing keys, and two PDFs to upload."""
    authority = Authority.create("hdnd Browser Test CA")
    keys = {"signer": authority.issue("Nguyễn Văn An", "an-pass-2026", "Đảng đoàn HĐND Thành phố"),
            "body": authority.issue("Đảng đoàn HĐND Thành phố", "body-pass-2026", "Đảng đoàn HĐND Thành phố")}
    for name, p12 in keys.items():
        (tmp_path / f"{name}.p12").write_bytes(p12)
    for name, value in {"signer_key": str(tmp_path / "signer.p12"), "signer_passphrase": "an-pass-2026",
                        "body_key": str(tmp_path / "body.p12"), "body_passphrase": "body-pass-2026",
                        "trust_roots": authority.pem.decode()}.items():
        api.portal.set_registry_record(f"hdnd.signing.{name}", value)
    transaction.commit()
    people(PEOPLE)
    directive = tmp_path / "chi-thi-36-CT-TU.pdf"
    directive.write_bytes(text_pdf(["CHỈ THỊ", "về tăng cường công tác kiểm tra, giám sát"]))
    reply = tmp_path / "bao-cao-thuc-hien.pdf"
    reply.write_bytes(text_pdf(["BÁO CÁO", "kết quả thực hiện Chỉ thị 36-CT/TU"]))
    return {"directive": directive, "reply": reply}


def field(browser, name):
    """A field's value as the item's work page shows it (header, fields or
    files, each marked with its field's name); "" when the page has none."""
    browser.find("#hdnd-work")
    shown = browser.driver.find_elements(By.CSS_SELECTOR, f'[data-field="{name}"] dd, .hdnd-work-file[data-field="{name}"]')
    return shown[0].text.strip() if shown else ""


def step(browser, user, url, transition, state):
    """A person opens the item and takes a step from the state menu."""
    browser.login(user)
    browser.go(url)
    browser.transition(transition)
    assert browser.state() == f"Trạng thái: {state}"


def test_an_incoming_directive_is_answered_by_a_signed_numbered_reply(browser, office):
    # The clerk registers the directive that arrived on paper and by file.
    browser.login("vanthu-b")
    browser.go("van-ban")
    browser.add("Văn bản")
    browser.form(direction="Văn bản đến", symbol="36-CT/TU", issuing_body="Thành ủy", issue_date="2026-11-20",
                 title="Chỉ thị về tăng cường công tác kiểm tra, giám sát", urgency="Khẩn", file=office["directive"])
    browser.shot("clerk-fills-the-directive")
    browser.submit('[name="form.buttons.save"]')
    assert browser.status_message().endswith("Thông tin: Đã tạo mới")
    assert "chi-thi-36-CT-TU.pdf" in field(browser, "file")
    assert browser.state() == "Trạng thái: Tiếp nhận"
    browser.shot("directive-received")
    browser.transition("Đăng ký")
    assert browser.state() == "Trạng thái: Đã đăng ký"
    assert field(browser, "arrival_number") == "1"
    directive = browser.url.removesuffix("/view")
    browser.shot("directive-registered-with-its-arrival-number")

    # The leader assigns it on a processing slip: lead unit, the specialist, the deadline.
    # Without the slip, the step is refused with the reason.
    browser.login("lanhdao-b")
    browser.go(directive)
    browser.transition("Phân công")
    assert browser.status_message().endswith("Lỗi: cần có phiếu xử lý ghi đơn vị chủ trì trước khi phân công.")
    assert browser.state() == "Trạng thái: Đã đăng ký"
    browser.shot("assigning-without-a-slip-is-refused")
    browser.add("Phiếu xử lý công việc")
    browser.form(title="Phiếu xử lý Chỉ thị 36-CT/TU", IAssignment__lead_unit="Phòng Tổng hợp",
                 instruction="Giao Phòng Tổng hợp tham mưu báo cáo, trình trước 30/11.",
                 IAssignment__deadline="2026-11-30")
    browser.choose("form.widgets.assignees", "Bùi Văn Minh")
    browser.shot("leader-fills-the-processing-slip")
    browser.submit('[name="form.buttons.save"]')
    assert "Phòng Tổng hợp" in browser.text
    step(browser, "lanhdao-b", directive, "Phân công", "Đã phân công")
    browser.shot("directive-assigned")

    # The specialist starts on it and drafts the reply.
    step(browser, "chuyenvien-b", directive, "Bắt đầu xử lý", "Đang xử lý")
    browser.go("van-ban")
    browser.add("Văn bản")
    browser.form(direction="Văn bản đi", document_type="Báo cáo", title="Báo cáo kết quả thực hiện Chỉ thị 36-CT/TU",
                 signer="Nguyễn Văn An", signer_position="T/M ĐẢNG ĐOÀN, BÍ THƯ", recipients="Thành ủy",
                 file=office["reply"])
    browser.shot("specialist-drafts-the-reply")
    browser.submit('[name="form.buttons.save"]')
    assert browser.state() == "Trạng thái: Dự thảo"
    assert field(browser, "symbol") == ""  # a draft has no number
    reply = browser.url.removesuffix("/view")
    browser.transition("Trình duyệt")
    assert browser.state() == "Trạng thái: Chờ duyệt"
    browser.shot("reply-submitted")

    # The office head approves it, the clerk checks its format.
    step(browser, "chanhvp-b", reply, "Duyệt", "Kiểm tra thể thức")
    step(browser, "vanthu-b", reply, "Đạt thể thức", "Chờ ký")
    browser.shot("reply-awaiting-signature")

    # The leader signs: the signed PDF appears, with the leader's valid signature.
    step(browser, "lanhdao-b", reply, "Ký", "Đã ký")
    assert field(browser, "signed_file")
    assert "Chữ ký hợp lệ — Nguyễn Văn An" in browser.find(".hdnd-signatures").text
    browser.shot("reply-signed-by-the-leader")

    # The clerk issues it: the number and symbol are given now.
    step(browser, "vanthu-b", reply, "Ban hành", "Đã ban hành")
    assert field(browser, "symbol") == "01-BC/ĐĐHĐND"
    assert "Chữ ký hợp lệ — Đảng đoàn HĐND Thành phố" in browser.find(".hdnd-signatures").text
    browser.shot("reply-issued-with-its-number")
    assert browser.phone("reply-issued") == 0

    # The specialist reports the directive handled.
    step(browser, "chuyenvien-b", directive, "Hoàn thành", "Đã xử lý")
    browser.shot("directive-handled")
