"""The search page's facet selects in chromium, for a word that finds many
records (issue 21: the counts now come from the index's value -> ids sets
and each hit's value, no longer from each hit's brain): every option's
count is the count of the records the person's own search finds, read one
by one from their brains (the oracle of test_search), a classified record
counted only for who holds the clearance."""

from datetime import date
from hdnd.content.clearance import set_clearance
from hdnd.policy.testing import as_system
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from selenium.webdriver.common.by import By

import pytest
import re
import sys
import transaction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_search import naive_counts  # noqa: E402


YEARS = (2023, 2024, 2025, 2026)
ISSUERS = ("TU", "HĐND", "TW", "UBND", "BTC")
KINDS = ("KH", "NQ", "BC", "")


@pytest.fixture
def many(people, functional_portal):
    sessions = people({"cv-facet": "specialists", "cv-facet-mat": "specialists"})
    set_clearance("cv-facet-mat", "mat")
    folder = functional_portal["van-ban"]
    with as_system(functional_portal):
        for n in range(1, 73):
            kind = KINDS[n % 4]
            doc = api.content.create(
                container=folder, type="OfficialDocument", id=f"ks-{n}", direction="incoming",
                title=f"Báo cáo khảo sát thực địa số {n}", symbol=f"{n}-{kind or 'CV'}/{ISSUERS[n % 5]}",
                issuing_body="Thành ủy", issue_date=date(YEARS[n % 4], 5, 1 + n % 28), document_type=kind or None)
            if n % 3 == 0:
                api.content.transition(obj=doc, transition="register")
        api.content.create(container=folder, type="OfficialDocument", id="ks-khac", direction="incoming",
                           title="Tờ trình ngân sách", symbol="90-TTr/UBND", issue_date=date(2026, 1, 9))
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "mat")  # who records a classified document holds the clearance
    for n in range(1, 5):  # classified, of a year no other record has
        api.content.create(container=folder, type="OfficialDocument", id=f"ks-mat-{n}", direction="incoming",
                           title=f"Báo cáo khảo sát nhân sự {n}", symbol=f"{80 + n}-BC/TU",
                           issue_date=date(2019, 5, n), document_type="BC", classification="mat",
                           need_to_know=[TEST_USER_ID, "cv-facet-mat"])
    transaction.commit()
    return sessions


def shown_counts(browser):
    """{facet: {value: count}} as the page's selects show them ("Thành ủy (25)")."""
    shown = {}
    for select in browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-search-form select.form-select"):
        options = {}
        for option in select.find_elements(By.TAG_NAME, "option"):
            value = option.get_attribute("value")
            if value:
                count = re.search(r"\(([\d.,\s]+)\)\s*$", option.get_attribute("textContent").strip()).group(1)
                options[value] = int(re.sub(r"\D", "", count))
        shown[select.get_attribute("name")] = options
    return shown


@pytest.mark.parametrize("who, total", [("cv-facet", 72), ("cv-facet-mat", 76)])
def test_the_facet_selects_count_what_the_person_finds(browser, many, who, total):
    browser.login(who)
    browser.go("@@hdnd-search-page?SearchableText=khao+sat")
    browser.wait_text(f"{total} kết quả", "#hdnd-search-total")
    browser.shot("facets")
    shown = shown_counts(browser)
    with api.env.adopt_user(username=who):
        expected = {name: counts for name, counts in naive_counts({"SearchableText": "khao sat"}).items() if counts}
    assert shown == expected
    assert shown["record_year"].get("2019") == (4 if who == "cv-facet-mat" else None)
    assert sum(shown["review_state"].values()) == total and len(shown["review_state"]) == 2
    assert sum(shown["document_type"].values()) == total - 18  # a quarter without a type, left out
