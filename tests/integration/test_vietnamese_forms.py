"""Plone's own words on the office's forms are Vietnamese too: the add
form's heading and buttons, an empty choice, the messages after saving, the
form's error summary (Plone's catalog leaves them untranslated; hdnd.policy
fills the gaps)."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser


def test_the_add_form_and_its_messages_in_vietnamese(functional_portal, functional):
    browser = Browser(functional["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(f"{functional_portal.absolute_url()}/van-ban/++add++OfficialDocument")
    page = browser.contents
    for english in (">Save<", ">Cancel<", "Add Văn bản", ">No value<"):
        assert english not in page
    assert "Thêm Văn bản" in page and ">Chưa chọn<" in page
    assert browser.getControl(name="form.buttons.save").value == "Lưu"
    browser.getControl(name="form.widgets.title").value = "Chỉ thị"
    browser.getControl(name="form.widgets.symbol").value = "36-CT/TU"  # without its date of issue
    browser.getControl(name="form.buttons.save").click()
    assert "Biểu mẫu còn lỗi" in browser.contents and "There were some errors" not in browser.contents
    browser.getControl(name="form.widgets.issue_date").value = "2026-11-20"
    browser.getControl(name="form.buttons.save").click()
    assert "Đã tạo mới" in browser.contents and "Thông tin:" in browser.contents
    assert "statusmessage_mtype_info" not in browser.contents and "Item created" not in browser.contents


def test_the_login_page_and_the_footer_in_vietnamese(functional_portal, functional):
    browser = Browser(functional["app"])
    browser.open(f"{functional_portal.absolute_url()}/login")
    page = browser.contents
    assert "Không đăng nhập được?" in page and "Xem hướng dẫn" in page
    assert "Trouble logging in" not in page and "and friends" not in page
    assert "Mã từ ứng dụng xác thực" in page  # the second factor's field
