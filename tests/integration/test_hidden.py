"""The gate at traversal (hdnd.content.hidden): a classified item that the
requester may not see answers exactly as a URL that does not exist, for
every view, REST service and traversal namespace registered for it.

The attack surface is enumerated from the component registry, so a view or
service added later is walked without anyone listing it here. Each name is
asked on a hidden item and on a missing sibling, by anonymous, an uncleared
specialist, an agency's exchange token and an administrator; the answers
must agree in status and say nothing of the item (title, uid, state), and
for the cleared reader the item is there."""

from hdnd.content.clearance import set_clearance
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.interfaces import IContentish
from registered import all_adapters  # noqa: F401  (imported from here by other tests)
from registered import registered
from zope.component import getSiteManager
from zope.interface import providedBy

import datetime
import pytest
import re
import requests
import time
import transaction


PASSWORD = "secret-pass-123"
TITLE = "NHANSU-BIMAT-7731"
MISSING = "khong-co-gi"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def hidden(functional_portal):
    portal = functional_portal
    for user, group, clearance in (
        ("cleared", "specialists", "tuyet_mat"),
        ("plain", "specialists", "none"),
        ("siteadmin", "Site Administrators", "tuyet_mat"),
    ):
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
        set_clearance(user, clearance)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    dossier = api.content.create(
        container=portal["ho-so"], type="Dossier", id="hs-9001", title=f"{TITLE} hồ sơ",
        classification="mat", need_to_know=["cleared"])
    api.content.create(container=dossier, type="OfficialDocument", id="vb-1",
                       title=f"{TITLE} văn bản", direction="internal")
    api.content.create(container=portal["ho-so"], type="Dossier", id="hs-9002", title="Hồ sơ thường")
    # A secret document stub: seen only by the registry, the records
    # managers and administrators (hdnd_secret_stub_workflow); to the others
    # it does not exist either, since it tells that a secret document was issued.
    stub = createContentInContainer(
        portal["van-ban"], "SecretDocumentStub", checkConstraints=False, id="van-ban-mat-77-tb",
        title=f"{TITLE} 77-TB/ĐĐHĐND", symbol="77-TB/ĐĐHĐND", issue_date=datetime.date(2026, 3, 2),
        document_classification="mat", document_type="TB", held_at="hdnd-mat")
    transaction.commit()
    return {
        "uid": api.content.get_uuid(dossier),
        "state": api.content.get_state(dossier),
        "inner_uid": api.content.get_uuid(dossier["vb-1"]),
        "stub_uid": api.content.get_uuid(stub),
    }


def session(user=None, password=PASSWORD, token=None):
    s = requests.Session()
    if token:
        s.headers["Authorization"] = f"Bearer {token}"
    elif user:
        s.auth = (user, password)
    return s


def agency_token(portal_url):
    from hdnd.policy.signin import scopes

    portal = api.portal.get()
    api.user.create(email="so-tu-phap@example.vn", username="so-tu-phap", password=PASSWORD)
    api.group.add_user(groupname="agencies", username="so-tu-phap")
    token, _expires = scopes.issue("so-tu-phap", days=1, portal=portal)
    transaction.commit()
    return token


def leaks(response, hidden):
    text = response.text
    return [marker for marker in (TITLE, hidden["uid"], hidden["inner_uid"], hidden["stub_uid"]) if marker in text]


def same(hidden_response, missing_response, hidden_id):
    """The two answers agree: status, and the body once the names are swapped."""
    if hidden_response.status_code != missing_response.status_code:
        return False
    normal = [
        re.sub(r"\d+(\.\d+)? ?(ms|s)\b", "", r.text.replace(name, "X"))
        for r, name in ((hidden_response, hidden_id), (missing_response, MISSING))
    ]
    return normal[0] == normal[1]


def header_names(response):
    return sorted(k.lower() for k in response.headers if k.lower() not in ("date", "content-length"))


def test_the_gate_comes_first(functional_portal):
    """The gate decides before any other subscriber of the end of traversal
    (plone.caching's 304, a scope's 403, the enrolment redirect)."""
    from hdnd.content import hidden
    from ZPublisher.pubevents import PubAfterTraversal

    handlers = getSiteManager(functional_portal).adapters.subscriptions(
        (providedBy(PubAfterTraversal(None)),), None)
    names = [f"{h.__module__}.{h.__name__}" for h in handlers]
    before = names[:names.index("hdnd.content.hidden.check")]
    # CMFCore's answer to published acquired content is a NotFound (which
    # error_view renders as the gate's); Plone's removeBase touches nothing.
    assert set(before) <= {"Products.CMFCore.explicitacquisition.after_traversal_hook",
                           "Products.CMFPlone.events.removeBase"}, names


def test_public_views_do_not_name_a_hidden_item(hidden, functional_portal):
    """Issue 18 (1): Plone's public views traversed on a hidden item."""
    url = functional_portal.absolute_url() + "/ho-so/hs-9001"
    for path in ("/@@plone_context_state/object_title", "/@@breadcrumbs_view/breadcrumbs",
                 "/@@plone_context_state/workflow_state", "/vb-1/@@plone_context_state/object_title"):
        for who in (session(), session("plain"), session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
                    session("siteadmin")):
            response = who.get(url + path, headers={"Accept": "*/*"})
            assert response.status_code == 404, (path, response.status_code)
            assert not leaks(response, hidden), path
    response = session("cleared").get(url + "/@@plone_context_state/object_title")
    assert response.status_code == 200 and TITLE in response.text


def test_a_hidden_item_answers_as_a_missing_one(hidden, functional_portal):
    """Issue 18 (4): 401 or a redirect to the login form told that it exists."""
    base = functional_portal.absolute_url()
    for who in (session(), session("plain"), session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):
        for prefix in ("", "/++api++"):
            for suffix, headers in (("", {}), ("", {"Accept": "application/json"}),
                                    ("/@history", {"Accept": "application/json"}),
                                    ("/view", {}), ("/@@edit", {}), ("/vb-1", {"Accept": "application/json"}),
                                    # A browser's: the themed page, which the hidden item's lacked.
                                    ("", {"Accept": BROWSER}), ("/view", {"Accept": BROWSER})):
                there = who.get(f"{base}{prefix}/ho-so/hs-9001{suffix}", headers=headers,
                                allow_redirects=False)
                missing = who.get(f"{base}{prefix}/ho-so/{MISSING}{suffix}", headers=headers,
                                  allow_redirects=False)
                assert same(there, missing, "hs-9001"), (prefix, suffix, headers, there.status_code,
                                                         missing.status_code, there.text[:600], missing.text[:600])
                assert not leaks(there, hidden)


def registered_names(context):
    """Every browser view, REST service (method, name) and traversal
    namespace registered for ``context`` (an item of the site)."""
    return tuple(sorted(names) for names in registered(context))


@pytest.mark.server
def test_attack_surface(hidden, functional_portal, capsys):
    """Every registered view, service and namespace, on a hidden dossier and
    on a document inside it, as anonymous, an uncleared specialist, an
    agency's token and the site's administrator; on a secret document stub
    as the same but the administrator (who sees it)."""
    portal = functional_portal
    base = portal.absolute_url()
    dossier = portal["ho-so"]["hs-9001"]
    assert IContentish.providedBy(dossier)
    views, services, namespaces = registered_names(dossier)
    for item in (dossier["vb-1"], portal["van-ban"]["van-ban-mat-77-tb"]):
        more_views, more_services, more_namespaces = registered_names(item)
        views, services, namespaces = (sorted(set(views) | set(more_views)),
                                       sorted(set(services) | set(more_services)),
                                       sorted(set(namespaces) | set(more_namespaces)))
    token = agency_token(base)
    users = {
        "anonymous": session(),
        "uncleared specialist": session("plain"),
        "agency": session(token=token),
        "administrator": session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
    }
    requests_made, differences, leaked = 0, [], []
    started = time.time()
    for name, who in users.items():
        items = [("/ho-so/hs-9001", "hs-9001"), ("/ho-so/hs-9001/vb-1", "hs-9001")]
        if name != "administrator":  # who sees the stub
            items.append(("/van-ban/van-ban-mat-77-tb", "van-ban-mat-77-tb"))
        for path, hidden_id in items:
            missing_path = path.replace(hidden_id, MISSING)
            asks = [("GET", f"/@@{v}", {}) for v in views]
            asks += [(m, f"/{'' if s == '' else s}", {"Accept": "application/json"}) for m, s in services]
            asks += [("GET", f"/++{n}++", {}) for n in namespaces]
            # Beyond the item, and conditional requests (plone.caching answers those early).
            asks += [("GET", "/khong-ton-tai", {}), ("GET", "/khong-ton-tai", {"Accept": "application/json"}),
                     ("GET", "", {"If-None-Match": "*", "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}),
                     ("HEAD", "", {}), ("OPTIONS", "", {"Origin": "http://example.vn",
                                                        "Access-Control-Request-Method": "GET"})]
            for method, suffix, headers in asks:
                # A fresh connection for HEAD: waitress writes an error's body even then.
                headers = {**headers, "Connection": "close"} if method == "HEAD" else headers
                kwargs = {"headers": headers, "allow_redirects": False, "timeout": 60}
                if method in ("POST", "PUT", "PATCH"):
                    kwargs["json"] = {}
                there = who.request(method, base + path + suffix, **kwargs)
                missing = who.request(method, base + missing_path + suffix, **kwargs)
                requests_made += 2
                if not same(there, missing, hidden_id) or header_names(there) != header_names(missing):
                    differences.append((name, method, path + suffix, there.status_code, missing.status_code))
                found = leaks(there, hidden)
                if found:
                    leaked.append((name, method, path + suffix, found))
    with capsys.disabled():  # in CI's log, not only on failure
        print(f"\nattack surface: {len(views)} views, {len(services)} REST services, "
              f"{len(namespaces)} namespaces x {len(users)} users x 2 items (and a stub but for the administrator): "
              f"{requests_made} requests in {time.time() - started:.1f} s, "
              f"{len(differences)} answers unlike a missing item's, {len(leaked)} naming it")
    assert not leaked, leaked[:20]
    assert not differences, differences[:20]
    # The gate does not shut the cleared reader out.
    cleared = session("cleared")
    assert cleared.get(base + "/ho-so/hs-9001/@@plone_context_state/object_title").text.startswith(TITLE)
    assert cleared.get(base + "/ho-so/hs-9001", headers={"Accept": "application/json"}).status_code == 200
    administrator = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    assert administrator.get(base + "/van-ban/van-ban-mat-77-tb", headers={"Accept": "application/json"},
                             ).status_code == 200


def test_a_hidden_uid_answers_as_a_random_one(hidden, functional_portal):
    """Views that take an item by its uid rather than by traversal
    (resolveuid and its REST twin) say no more of a hidden one than of a
    uid that names nothing."""
    base = functional_portal.absolute_url()
    random_uid = "0" * 32
    for who in (session(), session("plain"), session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):
        for path, headers in (("/resolveuid/{}", {}), ("/@@resolveuid/{}", {}),
                              ("/resolveuid/{}", {"Accept": "application/json"})):
            there = who.get(base + path.format(hidden["uid"]), headers=headers, allow_redirects=False)
            missing = who.get(base + path.format(random_uid), headers=headers, allow_redirects=False)
            assert there.status_code == missing.status_code, (path, there.status_code, missing.status_code,
                                                              there.headers.get("Location"))
            # The same page, but for the uid the client sent (which it echoes).
            assert there.text.replace(hidden["uid"], "X") == missing.text.replace(random_uid, "X"), path
            assert TITLE not in there.text and "hs-9001" not in there.headers.get("Location", "")


def test_webdav_lists_no_hidden_item(hidden, functional_portal):
    """PROPFIND of a section lists its items with their titles: not a hidden
    one, not even to an administrator."""
    base = functional_portal.absolute_url()
    for who in (session("plain"), session("siteadmin"), session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):
        response = who.request("PROPFIND", base + "/ho-so", headers={"Depth": "1"})
        assert response.status_code == 405  # hdnd speaks no WebDAV
        assert "hs-9001" not in response.text and TITLE not in response.text, response.text[:500]


def test_the_zmi_is_closed(hidden, functional_portal):
    """Zope's management screens list every id and the catalog's metadata
    of every item, hidden ones included, to a Zope administrator: closed on
    the site, its tools and the root; the ZMI's own actions too."""
    base = functional_portal.absolute_url()
    root = base.rsplit("/", 1)[0]
    admin = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    for url in (base + "/ho-so/manage_main", base + "/manage_main", base + "/manage_workspace",
                base + "/portal_catalog/manage_catalogView", base + "/portal_catalog/manage_catalogIndexes",
                base + "/ho-so/manage_findResult?searchtype=simple&obj_metatypes=all&search_sub=1",
                root + "/manage_main", root + "/manage_exportObject?id=plone&download:int=1"):
        response = admin.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert TITLE not in response.text and "hs-9001" not in response.text, url
    # A ZMI action is refused too (sent with a valid form is not the point: it is not reached).
    assert admin.post(base + "/ho-so/manage_renameObjects", data={"ids:list": "hs-9002"}).status_code == 403
    # Plone's own pages stay open to the administrator.
    assert admin.get(base + "/@@overview-controlpanel").status_code == 200
