"""axe-core (WCAG 2.0/2.1 A and AA) on the pages staff meet (issue 20):
0 critical and 0 serious violations, at a desktop's width and a phone's.
The first test shows the check can fail: a page with an unnamed control and
grey-on-grey text is refused."""

from datetime import timedelta
from hdnd.content.core.officetime import today as office_today
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import accessibility
import pytest


BAD_PAGE = """<!doctype html><html lang="vi"><head><title>x</title></head><body><main>
<p style="color:#999;background:#aaa">Chờ tôi xử lý</p>
<select name="send_to"><option>Ủy ban</option></select><input type="file" name="file">
</main></body></html>"""


def test_axe_refuses_a_page_with_unnamed_controls_and_poor_contrast(chromium, axe_check):
    chromium.get("data:text/html;charset=utf-8," + quote(BAD_PAGE))
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(chromium)
    message = str(failure.value)
    assert "color-contrast" in message and ("select-name" in message or "label" in message), message
    found = {v["id"] for v in accessibility.run_axe(chromium)}
    assert {"color-contrast", "select-name"} <= found, found


JSON = {"Accept": "application/json"}


@pytest.fixture
def office_day(people, functional_portal):
    """A clerk with an incoming document waiting for her."""
    clerk = people({"vanthu-a": ("Lê Thị Ánh", "registry-clerks"),
                    "chanhvp-a": ("Ngô Thị Lan", "office-heads")})["vanthu-a"]
    base = functional_portal.absolute_url()
    data = {"@type": "OfficialDocument", "direction": "incoming", "channel": "state",
            "title": "Về việc góp ý dự thảo Nghị quyết", "symbol": "101/UBND-TH",
            "issuing_body": "Ủy ban nhân dân Thành phố", "issue_date": "2026-11-20", "urgency": "hoa_toc",
            # overdue: its row in the inbox is coloured, its links must still read
            "due_date": (office_today() - timedelta(days=3)).isoformat()}
    answer = clerk.post(f"{base}/van-ban", headers=JSON, json=data)
    assert answer.status_code == 201, answer.text
    return {"document": answer.json()["@id"]}


PAGES = [
    ("vanthu-a", "@@hdnd-inbox"),
    ("vanthu-a", "@@hdnd-dashboard"),
    ("vanthu-a", "van-ban"),
    ("vanthu-a", "van-ban/++add++OfficialDocument"),
    ("vanthu-a", "{document}"),
    ("vanthu-a", "@@hdnd-search-page?SearchableText=Ngh%E1%BB%8B"),
    ("chanhvp-a", "@@hdnd-inbox"),
]


def test_the_pages_staff_meet_have_no_serious_violation(browser, office_day, axe_check):
    problems = []
    for user, path in PAGES:
        browser.login(user)
        browser.go(path.format(**office_day))
        # At a desk and on a phone: there Plone's toolbar folds to its icons (its
        # links lost their names: link-name on every page) and wide tables scroll
        # inside their box (which must then take the keyboard).
        for width in ("desktop", "phone"):
            try:
                if width == "phone":
                    with browser.phone_width():
                        axe_check(browser)
                else:
                    axe_check(browser)
            except pytest.fail.Exception as failure:
                problems.append(f"at the {width}'s width: {failure}")
    assert not problems, "\n\n".join(problems)


def test_a_keyboard_reaches_the_skip_link_and_sees_where_it_is(browser, office_day, axe_check):
    browser.login("vanthu-a")
    browser.go("@@hdnd-inbox")
    # The overdue row is coloured; axe checks its links' contrast.
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-inbox tr.hdnd-overdue a")
    axe_check(browser)
    body = browser.find("body")
    for _ in range(20):  # past the toolbar's links, the skip link comes before the header's
        body.send_keys(Keys.TAB) if _ == 0 else browser.driver.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.driver.switch_to.active_element
        if "hdnd-skip-link" in (active.get_attribute("class") or ""):
            break
    else:
        raise AssertionError("no skip link within 20 tab stops")
    assert active.is_displayed() and active.text == "Chuyển đến nội dung chính"
    style = browser.driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth];", active)
    assert style[0] != "none" and style[1] != "0px", style
    browser.shot("skip-link-focused")
    active.send_keys(Keys.ENTER)
    assert browser.url.endswith("#content")
