"""The web UI: every type has a working add form, edit form and view, in
Vietnamese, through a real (test) browser against the WSGI app."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import pytest
import transaction


CONTAINERS = {
    "Dossier": "ho-so",
    "OfficialDocument": "van-ban",
    "Meeting": "phien-hop",
    "OpinionRequest": "phien-hop",
    "WorkProgramme": "chuong-trinh-cong-tac",
}


@pytest.fixture
def browser(functional):
    browser = Browser(functional["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    return browser


@pytest.mark.parametrize("portal_type, folder", CONTAINERS.items())
def test_add_form_in_vietnamese(functional_portal, browser, portal_type, folder):
    browser.open(f"{functional_portal.absolute_url()}/{folder}/++add++{portal_type}")
    assert browser.headers["status"].startswith("200")
    assert 'lang="vi"' in browser.contents
    assert "form.widgets.title" in browser.contents


def test_register_an_incoming_document_through_the_form(functional_portal, browser):
    browser.open(f"{functional_portal.absolute_url()}/van-ban/++add++OfficialDocument")
    assert "Trích yếu" in browser.contents and "Số, ký hiệu" in browser.contents
    browser.getControl(name="form.widgets.title").value = "Hướng dẫn thực hiện Quy định 22-QĐ/TW"
    browser.getControl(name="form.widgets.symbol").value = "12-HD/BTCTW"
    browser.getControl(name="form.widgets.issuing_body").value = "Ban Tổ chức Trung ương"
    browser.getControl(name="form.widgets.issue_date").value = "2026-01-20"
    browser.getControl(name="form.buttons.save").click()
    assert "12-HD/BTCTW" in browser.contents
    transaction.begin()
    docs = functional_portal["van-ban"].objectValues()
    assert [d.symbol for d in docs] == ["12-HD/BTCTW"]
    # Edit it, then a bad symbol is a form error and changes nothing.
    browser.open(docs[0].absolute_url() + "/edit")
    browser.getControl(name="form.widgets.symbol").value = "12-XX/BTCTW"
    browser.getControl(name="form.buttons.save").click()
    assert "unknown Party document type" in browser.contents
    transaction.begin()
    assert functional_portal["van-ban"].objectValues()[0].symbol == "12-HD/BTCTW"


CONTAINED = [
    ("van-ban", "OfficialDocument", ["Task", "ProcessingSlip"]),
    ("phien-hop", "Meeting", ["AgendaItem", "Ballot", "OpinionRequest"]),
    ("chuong-trinh-cong-tac", "WorkProgramme", ["ProgrammeItem", "Task"]),
]


def test_add_forms_of_contained_types(functional_portal, browser):
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        parents = {
            "OfficialDocument": api.content.create(
                container=functional_portal["van-ban"], type="OfficialDocument", title="Chỉ thị"
            ),
            "Meeting": api.content.create(
                container=functional_portal["phien-hop"], type="Meeting", title="Phiên họp",
                start=__import__("datetime").datetime(2026, 3, 26, 8),
            ),
            "WorkProgramme": api.content.create(
                container=functional_portal["chuong-trinh-cong-tac"], type="WorkProgramme",
                title="Chương trình", year=2026,
            ),
        }
        task = api.content.create(container=parents["OfficialDocument"], type="Task", title="Nhiệm vụ")
    transaction.commit()
    for _folder, parent_type, child_types in CONTAINED:
        for child in child_types:
            browser.open(f"{parents[parent_type].absolute_url()}/++add++{child}")
            assert "form.widgets.title" in browser.contents, child
    browser.open(f"{task.absolute_url()}/++add++ProgressReport")
    assert "form.widgets.percent_done" in browser.contents
    browser.open(task.absolute_url())
    assert "Chưa thực hiện" in browser.contents  # the derived status, in Vietnamese


@pytest.mark.parametrize("folder", sorted(set(CONTAINERS.values())))
def test_every_display_view_of_a_section_renders(functional_portal, browser, folder):
    # Plone's other listings (summary_view, tabular_view…) borrow macros from
    # context/@@listing_view, which hdnd overrides: each display the section's
    # type offers must still render, not fail on a missing macro.
    section = functional_portal[folder]
    fti = functional_portal.portal_types[section.portal_type]
    views = set(fti.getAvailableViewMethods(section)) | {"listing_view", "summary_view", "tabular_view"}
    for name in sorted(views):
        browser.open(f"{section.absolute_url()}/@@{name}")
        assert browser.headers["status"].startswith("200"), name
