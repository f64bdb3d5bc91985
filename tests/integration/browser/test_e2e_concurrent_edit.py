"""Two staff members edit the same document at once in Debian's chromium
(issue 21, hdnd.policy.versions): An and Bình both open its edit form; An
saves; Bình's save is refused at the top of the form, naming An and when,
with Bình's entries kept and An's change in place; Bình reopens the form,
sees An's change, redoes theirs and saves. The refusal is photographed at
1366 px and 390 px wide (nothing scrolls sideways) and checked by axe-core.
The refusal is the form's only message, in Vietnamese and in English: Plone's
generic "There were some errors" line (which sends the person to marked
fields, and none is marked) is not shown above it. Two browsers, each with
its own sign-in."""

from conftest import Browser
from conftest import start_chromium
from hdnd.policy.testing import as_system
from plone import api
from selenium.webdriver.common.by import By

import pytest
import transaction


PEOPLE = {"cv-an": ("Nguyễn Văn An", "specialists"), "cv-binh": ("Trần Thị Bình", "specialists")}


def only_message(browser):
    """The text of the page's one visible status message (the form's alert),
    without its icon's title."""
    shown = [m for m in browser.driver.find_elements(By.CSS_SELECTOR, ".portalMessage") if m.is_displayed()]
    assert len(shown) == 1, [m.text for m in shown]
    text = browser.driver.execute_script(
        "return Array.from(arguments[0].childNodes)"
        ".filter(n => n.nodeName.toLowerCase() !== 'svg').map(n => n.textContent).join(' ')", shown[0])
    return " ".join(text.split())


@pytest.fixture
def second_chromium():
    """Another headless chromium: a second person at another desk."""
    driver = start_chromium()
    yield driver
    driver.quit()


def test_the_second_save_is_refused_and_redone(people, functional_portal, browser, second_chromium, axe_check):
    people(PEOPLE)
    with as_system(functional_portal):
        doc = api.content.create(container=functional_portal["van-ban"], type="OfficialDocument", id="du-thao-kh",
                                 direction="outgoing", title="Dự thảo kế hoạch giám sát năm 2027")
    transaction.commit()
    binh = browser
    an_folder = binh.folder.with_name(binh.folder.name + "-an")
    for old in an_folder.glob("*.png"):
        old.unlink()
    an = Browser(second_chromium, functional_portal.absolute_url(), an_folder)

    binh.login("cv-binh")
    binh.go(doc.absolute_url() + "/@@edit")
    an.login("cv-an")
    an.go(doc.absolute_url() + "/@@edit")
    binh.shot("binh-opens-the-form")

    an.form(title="Dự thảo kế hoạch giám sát năm 2027 (An sửa)")
    an.submit('[name="form.buttons.save"]')
    an.shot("an-saved")

    binh.form(title="Dự thảo kế hoạch giám sát năm 2027 (Bình sửa)")
    binh.submit('[name="form.buttons.save"]')
    message = only_message(binh)
    # Nothing but hdnd's refusal, from its first word to its last.
    assert message.startswith("Nguyễn Văn An đã thay đổi mục này lúc ") and message.endswith(
        "mở lại biểu mẫu sửa và sửa lại."), message
    assert "Chưa có gì được lưu" in message, message
    assert binh.find('[name="form.widgets.title"]').get_attribute("value").endswith("(Bình sửa)")
    binh.shot("binh-refused")
    assert binh.phone("binh-refused") <= 0, "the refusal scrolls sideways at 390 px"
    axe_check(binh)
    with binh.phone_width():
        axe_check(binh)
    transaction.begin()
    assert doc.title.endswith("(An sửa)")

    # The same in English (the language chosen at the top sets this cookie).
    binh.driver.add_cookie({"name": "I18N_LANGUAGE", "value": "en", "path": "/"})
    binh.go(doc.absolute_url() + "/@@edit")
    an.go(doc.absolute_url() + "/@@edit")
    an.form(title="Dự thảo kế hoạch giám sát năm 2027 (An sửa lần hai)")
    an.submit('[name="form.buttons.save"]')
    binh.form(title="Dự thảo kế hoạch giám sát năm 2027 (Bình sửa lần hai)")
    binh.submit('[name="form.buttons.save"]')
    message = only_message(binh)
    assert message.startswith("Nguyễn Văn An changed this item at ") and message.endswith(
        "open the edit form again and redo your change."), message
    binh.shot("binh-refused-en")
    binh.driver.add_cookie({"name": "I18N_LANGUAGE", "value": "vi", "path": "/"})
    transaction.begin()
    assert doc.title.endswith("(An sửa lần hai)")

    binh.go(doc.absolute_url() + "/@@edit")
    assert binh.find('[name="form.widgets.title"]').get_attribute("value").endswith("(An sửa lần hai)")
    binh.form(title="Dự thảo kế hoạch giám sát năm 2027 (An và Bình sửa)")
    binh.submit('[name="form.buttons.save"]')
    binh.shot("binh-redone")
    transaction.begin()
    assert doc.title.endswith("(An và Bình sửa)")
