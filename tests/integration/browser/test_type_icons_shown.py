"""hdnd's types show their own icons in Debian's chromium (the outside check
saw a blank page icon beside every document in the navigation): a clerk
opens a dossier and a document in it; the navigation portlet and the
section's folder contents draw each item with its type's icon (the
resolver's SVG, class bi-<icon>), never Plone's blank page (bi-file), at
1366 and 390 px; nothing scrolls sideways and axe-core finds nothing serious.
tests/integration/test_type_icons.py checks every type's record."""

from hdnd.policy.testing import as_system
from plone import api
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import transaction


BLANK = "bi-file"  # Plone's fallback for a type it has no icon for


def icons(browser, css):
    """The class of each icon drawn in the elements css finds, by the text beside it."""
    return {a.text.strip(): (a.find_element(By.CSS_SELECTOR, "svg").get_attribute("class") or "")
            for a in browser.driver.find_elements(By.CSS_SELECTOR, css) if a.find_elements(By.CSS_SELECTOR, "svg")}


def test_hdnd_types_show_their_own_icons(people, functional_portal, browser, axe_check):
    people({"vanthu-icon": ("Lê Thị Hoa", "registry-clerks")})
    with as_system(functional_portal):
        dossier = api.content.create(container=functional_portal["ho-so"], type="Dossier", id="hs-icon",
                                     title="Hồ sơ giám sát năm 2027")
        api.content.create(container=functional_portal["van-ban"], type="OfficialDocument", id="vb-icon",
                           direction="incoming", title="Công văn về giám sát năm 2027")
    transaction.commit()
    browser.login("vanthu-icon")

    browser.go(dossier.absolute_url())
    shown = icons(browser, ".portletNavigationTree a")
    assert "Hồ sơ giám sát năm 2027" in shown, shown
    assert "bi-folder2-open" in shown["Hồ sơ giám sát năm 2027"].split(), shown
    browser.shot("dossier")

    browser.go("van-ban/folder_contents")
    row = '.pat-structure tbody tr[data-id="vb-icon"]'
    browser.find(row)
    WebDriverWait(browser.driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{row} svg"))
    drawn = [svg.get_attribute("class") for svg in browser.driver.find_elements(By.CSS_SELECTOR, f"{row} svg")]
    assert any("bi-file-earmark-text" in (c or "").split() for c in drawn), drawn
    assert not any(BLANK in (c or "").split() for c in drawn), drawn
    browser.shot("folder-contents")

    browser.go("van-ban/vb-icon")
    shown = icons(browser, ".portletNavigationTree a")
    assert "bi-file-earmark-text" in shown.get("Công văn về giám sát năm 2027", "").split(), shown
    assert not [title for title, cls in shown.items() if BLANK in cls.split()], shown
    browser.shot("document")
    axe_check(browser)
    assert browser.phone("document") <= 0
    with browser.phone_width():
        axe_check(browser)
