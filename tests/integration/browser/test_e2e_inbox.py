"""A clerk signs in through the login form and lands on her inbox (issue
20): the documents waiting for her, nearest deadline first, with their
marks, sender, dates in office time and the next step; she filters the
overdue ones; the navigation's tab carries the count. At 127.0.0.1 — the
address `make run` prints — the page is themed; at a phone's width nothing
scrolls sideways."""

from datetime import timedelta
from hdnd.content.core.officetime import today as office_today
from selenium.webdriver.common.by import By

import pytest


JSON = {"Accept": "application/json"}


@pytest.fixture
def clerk_with_mail(people, functional_portal):
    clerk = people({"vanthu-h": ("Nguyễn Thị Hoa", "registry-clerks")})["vanthu-h"]
    base = functional_portal.absolute_url()
    today = office_today()
    for n, (due, urgency) in enumerate([(-3, "hoa_toc"), (4, "normal"), (None, "khan")], start=1):
        data = {"@type": "OfficialDocument", "direction": "incoming", "channel": "state",
                "title": f"Về việc góp ý dự thảo Nghị quyết phát triển kinh tế - xã hội năm 2027, đợt {n}",
                "symbol": f"{100 + n}/UBND-TH", "issuing_body": "Ủy ban nhân dân Thành phố",
                "issue_date": "2026-11-20", "urgency": urgency}
        if due is not None:
            data["due_date"] = (today + timedelta(days=due)).isoformat()
        assert clerk.post(f"{base}/van-ban", headers=JSON, json=data).status_code == 201


def test_a_clerk_lands_on_her_inbox(browser, clerk_with_mail, axe_check):
    # The address make run prints: 127.0.0.1, themed.
    browser.base = browser.base.replace("://localhost:", "://127.0.0.1:")
    browser.login("vanthu-h")
    assert browser.url.endswith("/@@hdnd-inbox"), browser.url
    assert browser.driver.find_elements(By.CSS_SELECTOR, 'link[href*="barceloneta"], link[href*="plone.min.css"]') \
        or browser.driver.execute_script(
            "return getComputedStyle(document.querySelector('#portal-header-wrapper, header')).backgroundColor"
        ) != "rgba(0, 0, 0, 0)", "the page at 127.0.0.1 is unthemed"
    text = browser.text
    assert "Chờ tôi xử lý" in text and "Welcome" not in text and "You are now logged in" not in text
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-inbox tbody tr")
    assert len(rows) == 3
    assert "101/UBND-TH" in rows[0].text and "quá hạn" in rows[0].text and "HỎA TỐC" in rows[0].text.upper()
    assert f"{office_today() - timedelta(days=3):%d/%m/%Y}" in rows[0].text
    assert "Ủy ban nhân dân Thành phố" in rows[0].text and "Đăng ký" in rows[0].text
    assert "103/UBND-TH" in rows[2].text  # no deadline: last
    count = browser.find("#portal-globalnav .hdnd-inbox-count").text.strip()
    assert count.startswith("3")
    browser.shot("inbox")
    axe_check(browser)  # WCAG 2.0/2.1 A and AA: no critical or serious violation
    assert browser.phone("inbox") <= 0, "the inbox scrolls sideways on a phone"

    # Only the overdue ones.
    browser.click("#inbox-overdue")
    browser.submit('#hdnd-inbox-filters button[type="submit"]')
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-inbox tbody tr")
    assert [r.text.split("\n")[0] for r in rows] and len(rows) == 1 and "101/UBND-TH" in rows[0].text
    browser.shot("inbox-overdue")
    assert browser.phone("inbox-overdue") <= 0

    # The dashboard's first part is the same list, with a link to the inbox; no sideways scrolling either.
    browser.go("@@hdnd-dashboard")
    assert "101/UBND-TH" in browser.find("#hdnd-waiting").text
    axe_check(browser)
    assert browser.phone("dashboard") <= 0, "the dashboard scrolls sideways on a phone"
    browser.go("@@hdnd-inbox")

    # Its next step opens the document.
    browser.follow("Đăng ký")
    assert "101/UBND-TH" in browser.text
