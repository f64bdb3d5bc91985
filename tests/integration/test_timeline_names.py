"""Every history staff read names people by their full name, not their user
id (issue 20): the dossier's combined timeline (the steps of the dossier and
of what it lists) and the work page's history, which the pages of documents,
tasks, meetings and ballots show."""

from datetime import date
from datetime import datetime
from hdnd.policy.interfaces import IHdndPolicyLayer
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from zope.interface import alsoProvides

import pytest
import pytz
import re


NAME = "Lê Thị Hoà Bình"


@pytest.fixture
def items(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.user.get(userid=TEST_USER_ID).setMemberProperties({"fullname": NAME})
    # A ballot's page counts the incumbent members (none: it cannot say whether a motion passes).
    api.user.create(email="tv-ten@example.vn", username="tv-ten", password="Mat-khau-2026x")
    api.group.add_user(groupname="delegation-members", username="tv-ten")
    request = portal.REQUEST
    alsoProvides(request, IHdndPolicyLayer)
    dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-ten", title="Hồ sơ tên người",
                                 dossier_code="01.TEN", retention="permanent", start_date=date(2026, 1, 5))
    document = api.content.create(container=dossier, type="OfficialDocument", id="du-thao", direction="outgoing",
                                  document_type="TB", title="Dự thảo thông báo")
    directive = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="ct-ten",
                                   direction="incoming", symbol="36-CT/TU", title="Chỉ thị",
                                   issue_date=date(2026, 11, 20), issuing_body="Thành ủy")
    task = api.content.create(container=directive, type="Task", id="nv-ten", title="Nhiệm vụ",
                              lead_unit="van-phong", deadline=date(2026, 12, 30))
    start = pytz.timezone("Asia/Ho_Chi_Minh").localize(datetime(2026, 12, 24, 8))
    meeting = api.content.create(container=portal["phien-hop"], type="Meeting", id="ph-ten", title="Phiên họp",
                                 start=start, location="Phòng họp")
    ballot = api.content.create(container=meeting, type="Ballot", id="bq-ten", title="Biểu quyết",
                                question="Tán thành?", ballot_kind="open")
    tool = api.portal.get_tool("portal_workflow")
    for obj in (dossier, document, task, meeting, ballot):
        step = [t["id"] for t in tool.getTransitionsFor(obj)][0]
        tool.doActionFor(obj, step, comment="bước có tên người")
        assert tool.getInfoFor(obj, "review_history")[-1]["actor"] == TEST_USER_ID
    return {"dossier": dossier, "document": document, "task": task, "meeting": meeting, "ballot": ballot}


def without_tags(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_dossier_timeline_names_people(items):
    dossier = items["dossier"]
    view = dossier.restrictedTraverse("@@hdnd-dossier-view")
    events = view.timeline()
    assert {e["actor"] for e in events} == {NAME}, events
    page = view()
    timeline = page[page.index('id="hdnd-dossier-timeline"'):]
    assert NAME in without_tags(timeline) and TEST_USER_ID not in timeline


@pytest.mark.parametrize("name", ["document", "task", "meeting", "ballot"])
def test_each_work_page_history_names_people(items, name):
    obj = items[name]
    page = obj.restrictedTraverse("@@view")()
    history = page[page.index('id="hdnd-work-history"'):]
    history = history[:history.index("</section>")]
    assert NAME in without_tags(history), history
    assert TEST_USER_ID not in history


def test_the_audit_log_names_people_beside_their_ids(items, portal):
    """The security officer's log keeps user ids (a failed login's name, a
    user since removed); its page shows the person's name with the id."""
    from hdnd.content import audit
    from hdnd.policy.browser.audit import AuditLogView

    audit.record("print", items["document"], copies=1)
    audit.record("login_failed", None, actor="khong-co-ai")
    # The page as the officer reads it (the view's own permission is test_audit's matter).
    page = AuditLogView(portal, portal.REQUEST)()
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert f"{NAME} ({TEST_USER_ID})" in cells, cells
    assert "khong-co-ai" in cells  # no such user: the id as it was logged
