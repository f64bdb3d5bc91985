"""One gate for grants (issue 18, item 2): the cleared roles are never given
site-wide, and the security officer's role and group are given only by a
security officer — whatever the path (REST POST and PATCH of users and
groups, the Users and Groups control panels, PAS itself, local roles and the
sharing page, permission settings) — and every accepted grant is audited."""

from hdnd.content import audit
from hdnd.content import grants
from hdnd.content.grants import GrantRefused
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from Products.PlonePAS.interfaces.group import IGroupManagement
from Products.PluggableAuthService.interfaces import plugins as pas_plugins
from Products.PluggableAuthService.plugins.ZODBGroupManager import ZODBGroupManager
from Products.PluggableAuthService.plugins.ZODBRoleManager import ZODBRoleManager

import pytest
import re
import transaction


PASSWORD = "Mat-khau-dung-2026"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}
HTML = {"Accept": "text/html"}


def make_user(username, groups=(), roles=()):
    with grants.as_system():
        api.user.create(email=f"{username}@example.vn", username=username, password=PASSWORD)
        for group in groups:
            api.group.add_user(groupname=group, username=username)
        if roles:
            api.user.grant_roles(username=username, roles=list(roles))


def roles_of(userid):
    return set(api.user.get(userid=userid).getRoles())


def members(group):
    return set(api.group.get(groupname=group).getGroupMemberIds())


def role_changes(portal, principal):
    return [e["details"] for e in audit.entries(site=portal, action="role_change")
            if e["details"].get("principal") == principal]


# Structure: every place PAS stores roles or memberships is hdnd's guarded one


def test_every_grant_store_of_the_site_is_guarded(portal):
    """Enumerated from the user folder, so a plugin added later is covered:
    each active plugin that assigns roles, manages groups or reports roles is
    hdnd's guarded class, and so is every role or group store in it."""
    pas = portal.acl_users
    walked = 0
    for interface in (pas_plugins.IRoleAssignerPlugin, pas_plugins.IRolesPlugin, IGroupManagement):
        found = pas.plugins.listPlugins(interface)
        assert found, interface
        for plugin_id, plugin in found:
            walked += 1
            assert isinstance(plugin, (grants.GuardedRoleManager, grants.GuardedGroupManager)), (
                interface.__name__, plugin_id, type(plugin))
    for obj in pas.objectValues():
        if isinstance(obj, ZODBRoleManager):
            assert isinstance(obj, grants.GuardedRoleManager), obj.getId()
        if isinstance(obj, ZODBGroupManager):
            assert isinstance(obj, grants.GuardedGroupManager), obj.getId()
    print(f"grants gate: {walked} active role/group plugins walked, all guarded")


def test_install_is_idempotent_and_keeps_the_data(portal):
    before = dict(portal.acl_users.portal_role_manager._principal_roles.items())
    assert grants.install(portal) == []
    assert dict(portal.acl_users.portal_role_manager._principal_roles.items()) == before


# PAS directly, as an administrator


def test_an_administrator_gives_no_cleared_role_through_pas(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    make_user("nguoi")
    roles = portal.acl_users.portal_role_manager
    with pytest.raises(GrantRefused, match="^roles: "):
        roles.assignRoleToPrincipal("ClearedReader", "nguoi")
    with pytest.raises(GrantRefused):
        roles.assignRolesToPrincipal(["Member", "ClearedEditor"], "nguoi")
    with pytest.raises(GrantRefused):
        roles.assignRoleToPrincipal("ClearedContributor", "Site Administrators")
    with pytest.raises(GrantRefused):
        api.user.grant_roles(username="nguoi", roles=["ClearedReader"])
    # Not even the system: they are held only locally, on classified items.
    with grants.as_system(), pytest.raises(GrantRefused):
        roles.assignRoleToPrincipal("ClearedReader", "nguoi")
    assert not roles_of("nguoi") & set(grants.LOCAL_ONLY_ROLES)


def test_an_administrator_makes_nobody_security_officer(portal):
    setRoles(portal, TEST_USER_ID, ["Manager", "Site Administrator"])
    make_user("nguoi")
    roles = portal.acl_users.portal_role_manager
    with pytest.raises(GrantRefused, match="^roles: only a security officer"):
        roles.assignRoleToPrincipal("SecurityOfficer", TEST_USER_ID)
    with pytest.raises(GrantRefused):
        roles.assignRolesToPrincipal(["SecurityOfficer"], "nguoi")
    with pytest.raises(GrantRefused):
        api.group.grant_roles(groupname="Site Administrators", roles=["SecurityOfficer"])
    with pytest.raises(GrantRefused, match="^users: "):
        api.group.add_user(groupname="security-officers", username=TEST_USER_ID)
    with pytest.raises(GrantRefused):
        portal.portal_groups.addPrincipalToGroup("nguoi", "security-officers")
    # Nor through a group put inside the officers' group.
    api.group.create(groupname="ban-be")
    with pytest.raises(GrantRefused):
        portal.portal_groups.addPrincipalToGroup("ban-be", "security-officers")
    # Nor takes the role or the group away from the officers.
    make_user("baomat-a", groups=["security-officers"])
    with pytest.raises(GrantRefused):
        api.group.remove_user(groupname="security-officers", username="baomat-a")
    with pytest.raises(GrantRefused, match="^groupname: "):
        api.group.delete(groupname="security-officers")
    with pytest.raises(GrantRefused):
        roles.removeRoleFromPrincipal("SecurityOfficer", "security-officers")
    assert "SecurityOfficer" not in roles_of("nguoi") | roles_of(TEST_USER_ID)
    assert "baomat-a" in members("security-officers")


def test_a_group_that_holds_the_officers_role_is_guarded_too(portal):
    make_user("baomat-b", groups=["security-officers"])
    api.group.create(groupname="to-bao-mat")
    with api.env.adopt_user(username="baomat-b"):
        api.group.grant_roles(groupname="to-bao-mat", roles=["SecurityOfficer"])
    setRoles(portal, TEST_USER_ID, ["Manager"])
    with pytest.raises(GrantRefused):
        api.group.add_user(groupname="to-bao-mat", username=TEST_USER_ID)


def test_a_security_officer_gives_the_role_and_it_is_audited(portal):
    make_user("baomat-c", groups=["security-officers"])
    make_user("nguoi")
    make_user("nguoi-2")
    with api.env.adopt_user(username="baomat-c"):
        api.group.add_user(groupname="security-officers", username="nguoi")
        api.user.grant_roles(username="nguoi-2", roles=["SecurityOfficer"])
    assert "SecurityOfficer" in roles_of("nguoi") & roles_of("nguoi-2")
    added = [e for e in audit.entries(site=portal, action="group_change")
             if e["details"]["principal"] == "nguoi"]
    assert added and added[0]["actor"] == "baomat-c"
    assert added[0]["details"]["group"] == "security-officers"
    change = role_changes(portal, "nguoi-2")[0]
    assert change["granted"] == ["SecurityOfficer"] and change["revoked"] == []
    # Any accepted grant, guarded or not, is in the trail.
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.user.grant_roles(username="nguoi", roles=["Reader"])
    assert role_changes(portal, "nguoi")[0]["granted"] == ["Reader"]


def test_roles_stored_before_the_gate_open_nothing(portal):
    """A cleared role stored site-wide, or SecurityOfficer through a group
    membership the site's group store never saw, is not reported."""
    make_user("nguoi")
    store = portal.acl_users.portal_role_manager
    store._principal_roles["nguoi"] = ("Member", "ClearedReader", "ClearedEditor")
    store._principal_roles["AuthenticatedUsers"] = ("SecurityOfficer",)  # auto_group's group
    assert roles_of("nguoi") & {"ClearedReader", "ClearedEditor", "SecurityOfficer"} == set()
    # ...and the upgrade step takes them away, audited.
    removed = grants.cleanup(portal)
    assert ("acl_users", "nguoi", ["ClearedEditor", "ClearedReader"]) in removed


def test_the_first_security_officer_from_the_command_line(portal):
    """`hdnd officer add` runs as the system (as the command line does)."""
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import system
    from hdnd.policy import cli
    from hdnd.policy.cli import database

    make_user("truong-bao-mat")
    newSecurityManager(None, system)
    args = cli.parser().parse_args(["officer", "add", "truong-bao-mat"])
    in_site = database.in_site
    database.in_site = lambda args, work: work()  # the site is open already
    try:
        args.func(args)
    finally:
        database.in_site = in_site
    assert "truong-bao-mat" in members("security-officers")
    assert "SecurityOfficer" in roles_of("truong-bao-mat")


# Local roles and permission settings (kept in the objects)


def test_cleared_or_officer_local_roles_are_refused_before_commit(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    make_user("nguoi")
    folder = portal["van-ban"]
    folder.manage_setLocalRoles("nguoi", ["ClearedReader"])
    with pytest.raises(GrantRefused, match="^roles: the cleared roles"):
        grants.check_before_commit(None)
    transaction.abort()
    portal.manage_setLocalRoles("nguoi", ["SecurityOfficer"])
    with pytest.raises(GrantRefused, match="site-wide only"):
        grants.check_before_commit(None)
    transaction.abort()
    # The role map of the officer's own permissions stays theirs.
    portal.manage_permission("hdnd: Manage clearances", ["Manager", "SecurityOfficer"], acquire=0)
    with pytest.raises(GrantRefused, match="^permissions: "):
        grants.check_before_commit(None)
    transaction.abort()


def test_protect_grants_pass_the_gate(portal):
    """The local grants of security.protect are what the gate accepts."""
    from hdnd.content.clearance import set_clearance

    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    make_user("doc-gia")
    set_clearance("doc-gia", "mat")
    doc = api.content.create(container=portal["van-ban"], type="OfficialDocument", title="Mật",
                             direction="internal", classification="mat", need_to_know=["doc-gia"])
    assert "ClearedReader" in dict(doc.get_local_roles())["doc-gia"]
    grants.check_before_commit(None)  # no refusal
    grants.check_stored(doc)


# Over HTTP: REST, the sharing page and the control panels


@pytest.fixture
def office(functional_portal, request_factory):
    make_user("quantri", roles=["Site Administrator"])
    # An officer who also manages users (the officer's role alone does not
    # create users or edit groups).
    make_user("baomat-h", groups=["security-officers"], roles=["Site Administrator"])
    make_user("nguoi")
    transaction.commit()
    base = functional_portal.absolute_url()

    def session(user=None):
        if user == "zope":
            return request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
        return request_factory(basic_auth=(user, PASSWORD), api=False)

    return base, session


def refused(response, field):
    assert response.status_code == 403, (response.status_code, response.text)
    assert response.json()["error"]["message"].startswith(f"{field}: "), response.text


def fresh():
    transaction.begin()


def test_post_users_with_guarded_roles_is_refused(office):
    base, session = office
    for who in ("zope", "quantri"):
        for role in ("ClearedReader", "SecurityOfficer"):
            username = f"moi-{who}-{role.lower()}"
            answer = session(who).post(f"{base}/@users", headers=JSON, json={
                "username": username, "email": f"{username}@example.vn", "password": PASSWORD,
                "roles": ["Member", role]})
            refused(answer, "roles")
            fresh()
            assert api.user.get(userid=username) is None  # nothing of the request kept
    # Without a guarded role, creating users works as before.
    answer = session("quantri").post(f"{base}/@users", headers=JSON, json={
        "username": "moi-thuong", "email": "moi-thuong@example.vn", "password": PASSWORD,
        "roles": ["Member"]})
    assert answer.status_code == 201, answer.text


def test_post_groups_with_guarded_roles_or_members_is_refused(office):
    base, session = office
    admin = session("quantri")
    refused(admin.post(f"{base}/@groups", headers=JSON, json={
        "groupname": "doc-mat", "roles": ["ClearedReader"], "users": ["quantri"]}), "roles")
    refused(admin.post(f"{base}/@groups", headers=JSON, json={
        "groupname": "bao-mat-2", "roles": ["SecurityOfficer"], "users": ["quantri"]}), "roles")
    # (plone.restapi's "groups" puts those groups *in* the new one: the
    # officers' group inside another gives its other members nothing.)
    assert admin.post(f"{base}/@groups", headers=JSON, json={
        "groupname": "long", "groups": ["security-officers"], "users": ["quantri"]}).status_code == 201
    fresh()
    for group in ("doc-mat", "bao-mat-2"):
        assert api.group.get(groupname=group) is None
    assert "quantri" not in members("security-officers")
    assert not roles_of("quantri") & {"ClearedReader", "SecurityOfficer"}


def test_adding_oneself_to_the_security_officers_is_refused_everywhere(office):
    base, session = office
    admin = session("quantri")
    refused(admin.patch(f"{base}/@groups/security-officers", headers=JSON,
                        json={"users": {"quantri": True}}), "users")
    refused(admin.patch(f"{base}/@users/quantri", headers=JSON,
                        json={"roles": {"SecurityOfficer": True}}), "roles")
    # The Users and Groups control panel's group membership form (with its token).
    html = HTML
    page = admin.get(f"{base}/@@usergroup-groupmembership?groupname=security-officers", headers=html)
    assert page.status_code == 200
    token = re.search(r'name="_authenticator"[^>]*value="([^"]+)"', page.text).group(1)
    answer = admin.post(f"{base}/@@usergroup-groupmembership", headers=html, data={
        "groupname": "security-officers", "form.submitted": "1", "add:list": "quantri",
        "form.button.Add": "Add", "_authenticator": token})
    assert answer.status_code == 403
    # ...and the user's membership form.
    page = admin.get(f"{base}/@@usergroup-usermembership?userid=quantri", headers=html)
    token = re.search(r'name="_authenticator"[^>]*value="([^"]+)"', page.text).group(1)
    answer = admin.post(f"{base}/@@usergroup-usermembership", headers=html, data={
        "userid": "quantri", "form.submitted": "1", "add:list": "security-officers",
        "form.button.Add": "Add", "_authenticator": token})
    assert answer.status_code == 403, re.sub(r"\s+", " ", answer.text)[-6000:]
    fresh()
    assert "quantri" not in members("security-officers")
    assert "SecurityOfficer" not in roles_of("quantri")


def test_the_sharing_page_offers_no_guarded_role(office):
    base, session = office
    admin = session("zope")
    answer = admin.post(f"{base}/van-ban/@sharing", headers=JSON, json={"entries": [
        {"id": "nguoi", "type": "user", "roles": {"Reader": True, "ClearedReader": True, "SecurityOfficer": True}}]})
    assert answer.status_code == 204, answer.text
    offered = {r["id"] for r in admin.get(f"{base}/van-ban/@sharing", headers=JSON).json()["available_roles"]}
    assert not offered & {"ClearedReader", "ClearedEditor", "ClearedContributor", "SecurityOfficer"}
    fresh()
    stored = dict(api.portal.get()["van-ban"].get_local_roles()).get("nguoi", ())
    assert "Reader" in stored and not set(stored) & {"ClearedReader", "SecurityOfficer"}


def test_a_security_officer_grants_over_rest_and_it_is_audited(office, functional_portal):
    base, session = office
    officer = session("baomat-h")
    answer = officer.post(f"{base}/@users", headers=JSON, json={
        "username": "baomat-moi", "email": "baomat-moi@example.vn", "password": PASSWORD,
        "roles": ["Member", "SecurityOfficer"]})
    assert answer.status_code == 201, answer.text
    answer = officer.patch(f"{base}/@groups/security-officers", headers=JSON, json={"users": {"nguoi": True}})
    assert answer.status_code == 204, answer.text
    fresh()
    assert "SecurityOfficer" in roles_of("baomat-moi") & roles_of("nguoi")
    assert role_changes(functional_portal, "baomat-moi")[0]["granted"] == ["SecurityOfficer"]
    entry = [e for e in audit.entries(site=functional_portal, action="group_change")
             if e["details"]["principal"] == "nguoi"][0]
    assert (entry["actor"], entry["details"]["group"]) == ("baomat-h", "security-officers")


def zope_admin_token(portal):
    """The form token of the Zope administrator (as the ZMI's forms carry it)."""
    from AccessControl.SecurityManagement import getSecurityManager
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import setSecurityManager
    from plone.protect.authenticator import createToken

    app = portal.aq_parent
    before = getSecurityManager()
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
    try:
        return createToken()
    finally:
        setSecurityManager(before)


def test_the_zmi_local_roles_and_security_tabs_are_refused(office, functional_portal):
    base, session = office
    zope = session("zope")
    token = zope_admin_token(functional_portal)
    answer = zope.post(f"{base}/van-ban/manage_setLocalRoles", data={
        "userid": "nguoi", "roles:list": "ClearedReader", "_authenticator": token}, headers=HTML, allow_redirects=False)
    assert answer.status_code == 403, answer.status_code
    answer = zope.post(f"{base}/manage_setLocalRoles", data={
        "userid": SITE_OWNER_NAME, "roles:list": "SecurityOfficer", "_authenticator": token}, headers=HTML, allow_redirects=False)
    assert answer.status_code == 403, answer.status_code
    answer = zope.post(f"{base}/manage_permission", data={
        "permission_to_manage": "hdnd: Manage clearances", "roles:list": ["Manager", "SecurityOfficer"],
        "_authenticator": token}, headers=HTML, allow_redirects=False)
    assert answer.status_code == 403, answer.status_code
    # The ZMI is closed on hdnd (zmi.py): even an ordinary role with the right token.
    answer = zope.post(f"{base}/van-ban/manage_setLocalRoles", data={
        "userid": "nguoi", "roles:list": "Reader", "_authenticator": token}, headers=HTML, allow_redirects=False)
    assert answer.status_code == 403, answer.status_code
    fresh()
    portal = api.portal.get()
    assert "nguoi" not in dict(portal["van-ban"].get_local_roles())
    assert "SecurityOfficer" not in dict(portal.get_local_roles()).get(SITE_OWNER_NAME, ())
    assert [r["name"] for r in portal.rolesOfPermission("hdnd: Manage clearances") if r["selected"]] == [
        "SecurityOfficer"]
