"""One office time on every page (issue 20): what Plone's scripts write in
the browser's own time zone — the toolbar's last change of an item
(pat-display-time) — reads in office time (Asia/Ho_Chi_Minh), dd/mm/yyyy
HH:MM, like the work page's timeline beside it, whatever zone the browser is
in. The outside check saw 14:13 in the toolbar beside 21:13 in the
timeline (a browser in UTC)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


JSON = {"Accept": "application/json"}


@pytest.fixture
def document(people, functional_portal):
    specialist = people({"chuyenvien-t": ("Bùi Văn Minh", "specialists")})["chuyenvien-t"]
    answer = specialist.post(f"{functional_portal.absolute_url()}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "outgoing", "title": "Dự thảo báo cáo giờ văn phòng"})
    assert answer.status_code == 201, answer.text
    return answer.json()["@id"]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_the_toolbar_tells_the_time_in_office_time(browser, document, zone):
    browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    try:
        browser.login("chuyenvien-t")
        browser.go(document)
        time = browser.find("#contentview-history time.pat-display-time")
        stamp = datetime.fromisoformat(time.get_attribute("datetime"))
        expected = stamp.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")
        browser.wait(lambda driver: time.get_attribute("textContent").strip() == expected,
                     f"the toolbar's time is not {expected} (office time) in a browser in {zone}: "
                     f"{time.get_attribute('textContent').strip()!r}")
        browser.shot(f"toolbar-time-{zone.replace('/', '-')}")
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})
