"""The dashboard's figures are kept per person until the catalog changes
(hdnd.content.dashboard.overview, issue 20's page speed): kept for one
person, they are never another's — a classified task counts only for who
may see it — and a change of the catalog, of the person's groups or of
their clearance is seen at once. Committed each time, as requests are:
nothing is kept on a catalog the transaction has changed."""

from datetime import date
from datetime import timedelta
from hdnd.content import grants
from hdnd.content.clearance import set_clearance
from hdnd.content.dashboard import dashboard
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import pytest
import transaction


@pytest.fixture
def office(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    for user, group, clearance in (("named", "specialists", "mat"), ("plain", "specialists", "none"),
                                   ("newcomer", None, "none")):
        api.user.create(email=f"{user}@example.vn", username=user, password="secret-pass-123")
        if group:
            with grants.as_system():
                api.group.add_user(groupname=group, username=user)
        set_clearance(user, clearance)
    late = date.today() - timedelta(days=3)
    secret = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="mat",
                                title="Chỉ thị MAT", direction="incoming", classification="mat",
                                need_to_know=["named", "plain"])
    api.content.create(container=secret, type="Task", id="nv", title="Nhiệm vụ BIMAT", deadline=late)
    public = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="thuong",
                                title="Chỉ thị thường", direction="incoming")
    api.content.create(container=public, type="Task", id="nv", title="Nhiệm vụ CONGKHAI", deadline=late)
    transaction.commit()
    return portal


def overdue_titles(user):
    with api.env.adopt_user(username=user):
        return sorted(s["title"] for s in dashboard()["overdue"])


def test_one_persons_figures_are_never_anothers(office):
    assert overdue_titles("named") == ["Nhiệm vụ BIMAT", "Nhiệm vụ CONGKHAI"]
    # The same catalog, kept for "named" just now: "plain" (named, no clearance) gets their own.
    assert overdue_titles("plain") == ["Nhiệm vụ CONGKHAI"]
    assert overdue_titles("named") == ["Nhiệm vụ BIMAT", "Nhiệm vụ CONGKHAI"]
    with api.env.adopt_user(username="plain"):
        assert "BIMAT" not in repr(dashboard())  # nor in a directive's or a count's figures


def test_a_change_is_seen_at_once(office):
    assert overdue_titles("plain") == ["Nhiệm vụ CONGKHAI"]
    # The catalog changes: a new task.
    api.content.create(container=office["van-ban"]["thuong"], type="Task", id="nv2", title="Nhiệm vụ MOI",
                       deadline=date.today() - timedelta(days=1))
    transaction.commit()
    assert overdue_titles("plain") == ["Nhiệm vụ CONGKHAI", "Nhiệm vụ MOI"]
    # The person's clearance changes (the catalog need not): the classified task is theirs to see now.
    set_clearance("plain", "mat")
    transaction.commit()
    assert overdue_titles("plain") == ["Nhiệm vụ BIMAT", "Nhiệm vụ CONGKHAI", "Nhiệm vụ MOI"]
    # A group membership moves nothing in the catalog: someone in no group sees nothing, then the specialists'.
    assert overdue_titles("newcomer") == []
    with grants.as_system():
        api.group.add_user(groupname="specialists", username="newcomer")
    transaction.commit()
    assert overdue_titles("newcomer") == ["Nhiệm vụ CONGKHAI", "Nhiệm vụ MOI"]
