"""hdnd's own search page (issue 20): Vietnamese, results as rows with
symbol, arrival number, date, issuer, state and marks, the facets of
@hdnd-search, paging; the header's search box and live search lead there; a
classified item is neither listed nor counted for who may not see it; a bad
filter is a form error on the page, never a 5xx."""

from datetime import date
from hdnd.content.clearance import set_clearance
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import json
import re
import transaction


PASSWORD = "search-page-2026"
HTML = {"Accept": "text/html"}


def test_the_search_page_lists_pages_and_hides_what_may_not_be_seen(functional_portal, request_factory):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "mat")
    folder = portal["van-ban"]
    for n in range(1, 26):
        api.content.create(container=folder, type="OfficialDocument", id=f"gs-{n}", direction="incoming",
                           title=f"Kế hoạch giám sát chuyên đề {n}", symbol=f"{n}-KH/TU", issuing_body="Thành ủy",
                           issue_date=date(2026 if n > 5 else 2025, 3, 1 + n % 28), urgency="khan" if n == 1 else "normal")
    api.content.create(container=folder, type="OfficialDocument", id="gs-mat", direction="incoming",
                       title="Kế hoạch giám sát nhân sự bí mật", symbol="99-KH/TU", issue_date=date(2026, 3, 9),
                       classification="mat", need_to_know=[TEST_USER_ID])
    api.user.create(email="cv-sp@example.vn", username="cv-sp", password=PASSWORD)
    api.group.add_user(groupname="specialists", username="cv-sp")
    transaction.commit()
    session = request_factory(basic_auth=("cv-sp", PASSWORD), api=False)
    session.headers["Accept-Language"] = "vi"
    base = portal.absolute_url()

    answer = session.get(f"{base}/@@hdnd-search-page", headers=HTML, params={"SearchableText": "ke hoach giam sat"})
    assert answer.status_code == 200
    html = answer.text
    assert "Tìm kiếm hồ sơ, văn bản" in html and "25 kết quả" in html, html[:2000]
    assert "bí mật" not in html and "99-KH/TU" not in html  # neither listed nor counted
    rows = re.findall(r'<tr class="hdnd-result">(.*?)</tr>', html, re.S)
    assert len(rows) == 20
    assert "Trang 1/2" in html and "Trang sau" in html
    # Each row: symbol, subject, date dd/mm/yyyy, issuer, state, marks.
    row = next(r for r in rows if "01-KH/TU" in r)
    assert "02/03/2025" in row and "hdnd-mark-khan" in row, row
    # The issuer by its name in the office's list of issuing bodies, not the code its symbol names (TU).
    assert re.search(r">\s*Thành ủy</td>", row) and not re.search(r">\s*TU</td>", row), row
    assert re.search(r'<option value="TU"[^>]*>\s*Thành ủy \(25\)', html), re.findall(r"<option[^>]*>[^<]*", html)
    # Facets with counts; a year is written 2026, never 2.026.
    assert re.search(r'<option value="2026"[^>]*>\s*2026 \(20\)', html), re.findall(r"<option[^>]*>[^<]*", html)
    assert "2.026" not in html
    # English of Plone's search page is gone.
    for english in ("Search results", "Filter the results", "Sort by"):
        assert english not in html

    second = session.get(f"{base}/@@hdnd-search-page", headers=HTML,
                         params={"SearchableText": "ke hoach giam sat", "b_start": "20"}).text
    assert len(re.findall(r'<tr class="hdnd-result">', second)) == 5 and "Trang 2/2" in second

    narrowed = session.get(f"{base}/@@hdnd-search-page", headers=HTML,
                           params={"SearchableText": "ke hoach", "record_year": "2025"}).text
    assert "5 kết quả" in narrowed

    bad = session.get(f"{base}/@@hdnd-search-page", headers=HTML, params={"record_year": "năm nay"})
    assert bad.status_code == 200 and 'id="hdnd-search-error"' in bad.text and "record_year" in bad.text

    # The header's search box sends here, its live search too.
    assert re.search(r'id="searchGadget_form"[^>]*action="[^"]*/@@hdnd-search-page"', html, re.S) or \
        re.search(r'action="[^"]*/@@hdnd-search-page"[^>]*id="searchGadget_form"', html, re.S)
    assert "@@hdnd-live-search" in html and "@@ajax-search" not in html
    live = json.loads(session.get(f"{base}/@@hdnd-live-search", params={"SearchableText": "giam sat"}).text)
    assert live["total"] == 25 and len(live["items"]) == 10
    assert all("-KH/TU — Kế hoạch" in item["title"] for item in live["items"])
    assert all(" · Thành ủy · " in item["description"] for item in live["items"]), live["items"][0]
    assert not any("bí mật" in item["title"] for item in live["items"])


def test_issuers_are_named_from_the_offices_list_and_its_own_abbreviation(portal):
    """The search page's names for the issuer index's codes: the list of
    issuing bodies (its control panel edits it), and the body's own symbol
    abbreviation as the body's name when the list lacks it."""
    from hdnd.content import search

    api.portal.set_registry_record("hdnd.vocabularies.issuers", ["TU|Thành ủy Hà Nội", "UBND|UBND Thành phố"])
    api.portal.set_registry_record("hdnd.organisation.symbol_abbreviation", "ĐĐHĐND")
    api.portal.set_registry_record("hdnd.organisation.body_name", "Đảng đoàn HĐND tỉnh")
    assert search.issuer_titles() == {"TU": "Thành ủy Hà Nội", "UBND": "UBND Thành phố",
                                      "ĐĐHĐND": "Đảng đoàn HĐND tỉnh"}
    api.portal.set_registry_record("hdnd.vocabularies.issuers", ["ĐĐHĐND|Đảng đoàn HĐND Thành phố"])
    assert search.issuer_titles() == {"ĐĐHĐND": "Đảng đoàn HĐND Thành phố"}  # the list's name first
