"""The search box's live suggestions in Vietnamese (issue 20): typing in the
header's box lists what is found under a line Plone's script writes from its
own catalog ("widgets"), which left "found 4 results" in English under a
Vietnamese search (the outside check). The suggestions are read for English
as test_vietnamese_pages reads pages, and checked with axe-core."""

from selenium.webdriver.common.by import By

import pytest
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_vietnamese_pages import english_in  # noqa: E402


JSON = {"Accept": "application/json"}


@pytest.fixture
def found(people, functional_portal):
    clerk = people({"vanthu-s": ("Phan Thị Oanh", "registry-clerks")})["vanthu-s"]
    for n in (1, 2):
        answer = clerk.post(f"{functional_portal.absolute_url()}/van-ban", headers=JSON, json={
            "@type": "OfficialDocument", "direction": "incoming", "channel": "state",
            "title": f"Kế hoạch giám sát chuyên đề năm 2027, phần {n}", "symbol": f"{200 + n}/UBND-TH",
            "issuing_body": "Ủy ban nhân dân Thành phố", "issue_date": "2026-11-20"})
        assert answer.status_code == 201, answer.text


def test_the_live_suggestions_speak_vietnamese(browser, found, axe_check):
    browser.login("vanthu-s")
    browser.go("@@hdnd-inbox")
    box = browser.visible("#searchGadget")
    box.click()
    box.send_keys("giám sát")
    summary = browser.find(".livesearch-results .results-summary")
    browser.wait(lambda driver: summary.get_attribute("textContent").strip(), "the live search wrote no summary")
    results = summary.find_element(By.XPATH, "..")
    lines = [li.get_attribute("textContent").strip() for li in results.find_elements(By.TAG_NAME, "li")]
    assert summary.get_attribute("textContent").strip() == "Tìm thấy 2 kết quả", lines
    assert not english_in(lines), english_in(lines)
    browser.shot("live-suggestions")
    axe_check(browser)
