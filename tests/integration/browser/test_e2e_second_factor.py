"""The second factor in a real browser: a clearance holder signs in with the
password alone and finds only the enrolment page; sets up an authenticator
app (the key read from the page, as a person types it into the app), keeps
the recovery codes; then the login form asks for the code, refuses a wrong
one and lets the right one in."""

from hdnd.content.clearance import set_clearance
from hdnd.policy.signin import credentials
from plone import api

import pytest
import time
import transaction


PASSWORD = "browser-pass-2026"  # the browser tests' people (conftest.people)


@pytest.fixture
def cleared(people):
    api.portal.set_registry_record("hdnd.signin.require_second_factor", True)
    people({"baomat-b": ("Lý Thị Quỳnh", "specialists")})
    set_clearance("baomat-b", "mat")
    transaction.commit()


def sign_in(browser, code=None):
    browser.driver.delete_all_cookies()
    browser.go("login")
    browser.fill("__ac_name", "baomat-b")
    browser.fill("__ac_password", PASSWORD)
    if code:
        browser.fill("__ac_otp", code)
    browser.submit('[name="buttons.login"]')


def test_a_clearance_holder_enrols_and_signs_in_with_the_code(browser, cleared):
    sign_in(browser)
    # The password alone opens the enrolment page and nothing else.
    browser.go("ho-so")
    assert browser.url.endswith("/@@hdnd-account")
    browser.wait_text("bắt buộc đăng nhập bằng yếu tố thứ hai")
    browser.shot("only-the-enrolment-page")
    browser.submit("#factor-begin")
    assert browser.find(".qr svg")
    secret = browser.find("#factor-secret").text.replace(" ", "")
    browser.shot("scan-the-code")
    browser.fill("code", credentials.current_code(secret))
    browser.submit("#factor-confirm")
    codes = [c.text for c in browser.driver.find_elements("css selector", "#recovery-codes code")]
    assert len(codes) == 10
    browser.shot("recovery-codes-shown-once")
    browser.go("ho-so")
    assert not browser.url.endswith("/@@hdnd-account")

    # From now on the password is not enough.
    sign_in(browser)
    browser.wait_text("hãy nhập mã mà ứng dụng xác thực đang hiển thị")
    assert browser.find('[name="__ac_name"]').get_attribute("value") == "baomat-b"  # kept for the second step
    browser.shot("the-form-asks-for-the-code")
    sign_in(browser, "000000")
    browser.wait_text("mã sai hoặc đã được dùng")
    sign_in(browser, credentials.current_code(secret, time.time() + 30))
    browser.find("#personaltools-logout, #portal-personaltools .user-name, a[href$='/logout']")
    browser.go("ho-so")
    assert not browser.url.endswith("/@@hdnd-account")
    browser.shot("signed-in-with-the-code")
    browser.phone("signed-in-on-a-phone")
