"""No edit is lost without a word (issue 21, hdnd.policy.versions): two people
who opened the same item's edit form both save - the second save is refused,
naming the first, and keeps the first's change; over REST, PATCH honours
If-Match (412) and If-Unmodified-Since, and answers the new ETag."""

from email.utils import formatdate
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import pytest
import transaction


PASSWORD = "versions-pass-2026"
STAFF = {"cv-an": "Nguyễn Văn An", "cv-binh": "Trần Thị Bình"}


@pytest.fixture
def doc(functional_portal):
    portal = functional_portal
    setRoles(portal, "test_user_1_", ["Manager"])
    for userid, fullname in STAFF.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD,
                        properties={"fullname": fullname})
        api.group.add_user(groupname="specialists", username=userid)  # they edit drafts
    item = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="tt-01",
                              direction="outgoing",  # a draft, which specialists edit
                              title="Tờ trình về kế hoạch năm 2027")
    transaction.commit()
    return item


def browser(functional, userid):
    b = Browser(functional["app"])
    b.handleErrors = False
    b.addHeader("Authorization", f"Basic {userid}:{PASSWORD}")
    b.addHeader("Accept-Language", "vi")
    return b


def test_the_later_of_two_open_forms_is_refused(functional, doc):
    an, binh = browser(functional, "cv-an"), browser(functional, "cv-binh")
    db = functional["app"]._p_jar.db()
    an.open(doc.absolute_url() + "/@@edit")
    binh.open(doc.absolute_url() + "/@@edit")
    assert an.getControl(name="form.widgets.hdnd_version").value == binh.getControl(
        name="form.widgets.hdnd_version").value
    an.getControl(name="form.widgets.title").value = "Tờ trình (bản của An)"
    an.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert doc.title == "Tờ trình (bản của An)"
    before = db.lastTransaction()

    binh.getControl(name="form.widgets.title").value = "Tờ trình (bản của Bình)"
    binh.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert doc.title == "Tờ trình (bản của An)"  # An's change kept
    assert "Nguyễn Văn An" in binh.contents and "sau khi bạn mở biểu mẫu này" in binh.contents
    assert binh.contents.count("sau khi bạn mở biểu mẫu này") == 1  # at the top, not again by the hidden field
    assert "Tờ trình (bản của Bình)" in binh.contents  # Bình's entries still in the form
    # The refused form still carries the version it was opened on: saving it again is refused again.
    binh.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert doc.title == "Tờ trình (bản của An)"
    assert db.lastTransaction() == before  # the refusals wrote nothing

    # Reopened, Bình redoes the change, and it is saved.
    binh.open(doc.absolute_url() + "/@@edit")
    binh.getControl(name="form.widgets.title").value = "Tờ trình (bản của Bình)"
    binh.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert doc.title == "Tờ trình (bản của Bình)"


def test_a_workflow_step_makes_an_open_form_stale(functional, doc):
    """The workflow keeps its history in a record of its own: a step that
    writes only there still makes the form stale, and names its actor."""
    an = browser(functional, "cv-an")
    an.open(doc.absolute_url() + "/@@edit")
    transaction.begin()
    tool = api.portal.get_tool("portal_workflow")
    wf = tool.getWorkflowsFor(doc)[0]
    history = dict(doc.workflow_history)
    entries = list(history[wf.getId()])
    entries.append({**entries[-1], "actor": SITE_OWNER_NAME, "comments": "bước",
                    "time": __import__("DateTime").DateTime()})
    doc.workflow_history[wf.getId()] = tuple(entries)  # only the history's record changes
    assert not doc._p_changed
    transaction.commit()
    an.getControl(name="form.widgets.title").value = "Đổi"
    an.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert doc.title == "Tờ trình về kế hoạch năm 2027"
    assert "sau khi bạn mở biểu mẫu này" in an.contents and SITE_OWNER_NAME in an.contents


def test_a_form_posted_without_the_version_saves_as_before(functional, doc):
    an = browser(functional, "cv-an")
    an.open(doc.absolute_url() + "/@@edit")
    an.getControl(name="form.widgets.hdnd_version").value = ""
    an.getControl(name="form.widgets.title").value = "Không kèm phiên bản"
    an.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert doc.title == "Không kèm phiên bản"


def test_patch_with_if_match(functional, doc, request_factory):
    an = request_factory(basic_auth=("cv-an", PASSWORD))
    binh = request_factory(basic_auth=("cv-binh", PASSWORD))
    url = doc.absolute_url()
    got_an, got_binh = an.get(url), binh.get(url)
    tag = got_an.headers["ETag"]
    assert tag == got_binh.headers["ETag"] and tag.startswith('"') and len(tag) == 18
    assert got_an.headers["Last-Modified"]
    assert an.get(url).headers["ETag"] == tag  # a GET changes nothing

    first = an.patch(url, json={"title": "Bản của An"}, headers={"If-Match": tag})
    assert first.status_code == 204, first.text
    new_tag = first.headers["ETag"]
    assert new_tag != tag and an.get(url).headers["ETag"] == new_tag

    db = functional["app"]._p_jar.db()
    before = db.lastTransaction()
    stale = binh.patch(url, json={"title": "Bản của Bình"}, headers={"If-Match": tag})
    assert stale.status_code == 412, stale.text
    error = stale.json()["error"]
    assert error["type"] == "PreconditionFailed" and error["header"] == "If-Match"
    assert "If-Match" in error["message"]
    assert db.lastTransaction() == before
    transaction.begin()
    assert doc.title == "Bản của An"
    # A weak tag never matches (strong comparison); * matches any version.
    assert binh.patch(url, json={"title": "x"}, headers={"If-Match": f"W/{new_tag}"}).status_code == 412

    fresh = binh.patch(url, json={"title": "Bản của Bình"}, headers={"If-Match": f'"0", {new_tag}'})
    assert fresh.status_code == 204, fresh.text
    transaction.begin()
    assert doc.title == "Bản của Bình"
    # Without If-Match: as before, the later save wins.
    assert an.patch(url, json={"title": "Không điều kiện"}).status_code == 204
    assert binh.patch(url, json={"title": "Mọi phiên bản"}, headers={"If-Match": "*"}).status_code == 204
    shown = an.patch(url, json={"title": "Trả về"}, headers={"If-Match": an.get(url).headers["ETag"],
                                                             "Prefer": "return=representation"})
    assert shown.status_code == 200 and shown.json()["title"] == "Trả về"
    assert shown.headers["ETag"] == an.get(url).headers["ETag"]


def test_patch_with_if_unmodified_since(functional, doc, request_factory):
    an = request_factory(basic_auth=("cv-an", PASSWORD))
    url = doc.absolute_url()
    modified = an.get(url).headers["Last-Modified"]
    old = formatdate(0, usegmt=True)
    refused = an.patch(url, json={"title": "Cũ"}, headers={"If-Unmodified-Since": old})
    assert refused.status_code == 412 and refused.json()["error"]["header"] == "If-Unmodified-Since"
    assert an.patch(url, json={"title": "Mới"}, headers={"If-Unmodified-Since": modified}).status_code == 204
    assert an.patch(url, json={"title": "Rác"}, headers={"If-Unmodified-Since": "not a date"}).status_code == 204
    transaction.begin()
    assert doc.title == "Rác"


def test_who_saved_is_noted_on_the_item_not_its_container(integration):
    """The note of who saved is written with the item's own change, never on
    its container when a child comes (that would make creates in a section
    conflict), and never by an event about another object."""
    from hdnd.policy.versions import last_change
    from hdnd.policy.versions import MODIFIED_BY
    from zope.lifecycleevent import modified

    portal = integration["portal"]
    setRoles(portal, "test_user_1_", ["Manager"])
    section = portal["van-ban"]
    item = api.content.create(container=section, type="OfficialDocument", id="vb-note", title="Văn bản")
    assert MODIFIED_BY not in section.__dict__ and MODIFIED_BY not in item.__dict__
    item.title = "Đổi"
    modified(item)
    assert item.__dict__[MODIFIED_BY][0] == "test_user_1_"
    assert MODIFIED_BY not in section.__dict__
    assert last_change(item)[0] == "test_user_1_"
