"""Plone's user control panel as hdnd's administrator sees it, in Debian's
chromium at 1366 and 390 px (hdnd.policy.browser.usergroups): the users
overview had a nameless checkbox for every role of every person (axe-core:
critical, 53 for three people), ran 694 px sideways on a phone and said
"Remove" and "Apply changes" in English (the groups overview the same, 228
nameless checkboxes, 744 px sideways); a person's details page had its
tabs as list items outside any list (serious). Now axe-core finds nothing
critical or serious on either page at either width, nothing scrolls
sideways, each role checkbox is named by its role and person in Vietnamese,
and the form still gives a role."""

from plone import api
from selenium.webdriver.common.by import By

import transaction


PEOPLE = {"qtv-a": ("Đỗ Quản Trị", "Site Administrators"), "cv-x": ("Nguyễn Văn Xuân", "specialists"),
          "vt-y": ("Lê Thị Yến", "registry-clerks")}


def test_the_administrator_manages_users_without_barriers(people, functional_portal, browser, axe_check):
    people(PEOPLE)
    browser.login("qtv-a")
    browser.go("@@usergroup-userprefs")
    boxes = browser.driver.find_elements(By.CSS_SELECTOR, 'input[type="checkbox"][name="users.roles:list:records"]')
    assert len(boxes) >= 3 * 10, len(boxes)  # every role of every person
    names = [box.get_attribute("aria-label") or "" for box in boxes]
    assert all(name.strip() for name in names), names
    assert "Chuyên viên - Nguyễn Văn Xuân" in names, names
    text = browser.text
    assert "Áp dụng thay đổi" in text and "Apply changes" not in text
    # The role heads are turned on their side in a fixed height: none is cut.
    cut = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('th.rotate > div')).filter(d => {"
        "  const text = document.createRange(); text.selectNodeContents(d);"
        "  return text.getBoundingClientRect().top < d.closest('th').getBoundingClientRect().top - 1;"
        "}).map(d => d.textContent.trim())")
    assert not cut, f"role heads cut at the top: {cut}"
    browser.shot("users")
    axe_check(browser)
    assert browser.phone("users") <= 0, "the users overview scrolls sideways at 390 px"
    with browser.phone_width():
        axe_check(browser)

    # The form still does its work: the registry clerk is given the Specialist role here.
    browser.click('input[aria-label="Chuyên viên - Lê Thị Yến"]')
    browser.submit('button[name="form.button.Modify"]')
    transaction.begin()
    assert "Specialist" in api.user.get_roles(username="vt-y")

    browser.go("@@usergroup-groupprefs")
    names = [box.get_attribute("aria-label") or "" for box in browser.driver.find_elements(
        By.CSS_SELECTOR, '.listingCheckbox input[type="checkbox"]:not([name="delete:list"])')]
    assert len(names) >= 10 and all(name.strip() for name in names), names
    assert "Tên nhóm" in browser.text and "indicates a role" not in browser.text
    browser.shot("groups")
    axe_check(browser)
    assert browser.phone("groups") <= 0, "the groups overview scrolls sideways at 390 px"
    with browser.phone_width():
        axe_check(browser)

    browser.go("@@usergroup-usermembership?userid=cv-x")
    names = [box.get_attribute("aria-label") or "" for box in browser.driver.find_elements(
        By.CSS_SELECTOR, '.listingCheckbox input[type="checkbox"]')]
    assert len(names) >= 5 and all(name.strip() for name in names), names
    assert "Rút khỏi nhóm Chuyên viên" in names, names
    assert "Đang là thành viên của các nhóm" in browser.text
    browser.shot("memberships")
    axe_check(browser)
    assert browser.phone("memberships") <= 0
    with browser.phone_width():
        axe_check(browser)

    browser.go("@@user-information?userid=cv-x")
    browser.find('nav ul.nav-tabs li.nav-item a')
    assert "Sửa thông tin cá nhân của cv-x" in browser.text
    browser.shot("user-information")
    axe_check(browser)
    assert browser.phone("user-information") <= 0
    with browser.phone_width():
        axe_check(browser)
