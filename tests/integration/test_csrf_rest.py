"""CSRF through REST (issue 18, item 5), over a real HTTP server: a change
signed in by the session cookie alone — what another site can make a
signed-in browser send — carries plone.protect's token or is JSON, on
``++api++`` and with ``Accept: application/json`` alike, for every REST
service registered (read from the component registry, so a new service is
covered the day it is added)."""

from datetime import date
from hdnd.policy import csrf
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.keyring.interfaces import IKeyManager
from plone.protect.authenticator import createToken
from plone.rest.interfaces import IService
from plone.session import tktauth
from zope.component import getGlobalSiteManager
from zope.component import getUtility

import binascii
import pytest
import time
import transaction


PASSWORD = "Mat-khau-dung-2026"
JSON = {"Accept": "application/json"}
TEXT = {"Accept": "application/json", "Content-Type": "text/plain"}
CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def ticket(userid):
    raw = tktauth.createTicket(getUtility(IKeyManager).secret(), userid, timestamp=int(time.time()))
    return binascii.b2a_base64(raw).rstrip().decode("ascii")


@pytest.fixture
def site(functional_portal, request_factory):
    api.user.create(email="vt@example.vn", username="vanthu-x", password=PASSWORD)
    api.group.add_user(groupname="registry-clerks", username="vanthu-x")
    api.user.create(email="qt@example.vn", username="quantri-x", password=PASSWORD)
    api.user.grant_roles(username="quantri-x", roles=["Manager"])
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=functional_portal["van-ban"], type="OfficialDocument", id="cong-van",
                           title="Công văn đến", direction="incoming", symbol="412/UBND-VX",
                           issuing_body="UBND Thành phố", issue_date=date(2026, 10, 28))
    transaction.commit()
    return functional_portal, request_factory


def browser(request_factory, userid):
    """A browser signed in to the site (its session cookie only, as another site's form would use it)."""
    session = request_factory(api=False)
    session.cookies.set("__ac", ticket(userid))
    return session


def arrival_number(portal):
    transaction.begin()
    return portal["van-ban"]["cong-van"].arrival_number


def test_a_cookie_alone_registers_nothing(site):
    portal, request_factory = site
    base = portal.absolute_url()
    clerk = browser(request_factory, "vanthu-x")
    for url, headers in ((f"{base}/++api++/van-ban/cong-van/@hdnd-register", {"Content-Type": "text/plain"}),
                         (f"{base}/van-ban/cong-van/@hdnd-register", TEXT),
                         (f"{base}/van-ban/cong-van/@hdnd-register", JSON),  # no body, no type: a no-cors fetch
                         (f"{base}/van-ban/cong-van/@hdnd-register",
                          {**JSON, "Content-Type": "application/x-www-form-urlencoded"})):
        refused = clerk.post(url, data='{"arrival_date": "2026-10-29"}', headers=headers)
        assert refused.status_code == 403, (url, headers, refused.text)
        assert "X-CSRF-TOKEN" in refused.text
        assert arrival_number(portal) is None
    # With the form's token (header or field) it is the clerk's own doing.
    login(portal, "vanthu-x")
    token = createToken()
    logout()
    done = clerk.post(f"{base}/van-ban/cong-van/@hdnd-register?_authenticator={token}", headers=TEXT)
    assert done.status_code == 200, done.text
    assert arrival_number(portal) == 1
    again = clerk.post(f"{base}/van-ban/cong-van/@hdnd-register", headers={**TEXT, "X-CSRF-TOKEN": token})
    assert again.status_code == 200, again.text
    # JSON is what another site cannot send; a token or Basic in a header neither.
    assert clerk.post(f"{base}/++api++/van-ban/cong-van/@hdnd-register", json={}).status_code == 200
    basic = request_factory(basic_auth=("vanthu-x", PASSWORD), api=False)
    assert basic.post(f"{base}/van-ban/cong-van/@hdnd-register", headers=TEXT).status_code == 200
    # Reading needs nothing.
    assert clerk.get(f"{base}/++api++/van-ban/cong-van").status_code == 200


def services():
    """Every REST service that may change something: (method, name, for_) from the
    registry, for the browser layers this site has (an add-on's layer not installed
    here serves nothing)."""
    from plone.browserlayer.utils import registered_layers
    from zope.publisher.interfaces.browser import IDefaultBrowserLayer

    layers = set(registered_layers())
    found = set()
    for registration in getGlobalSiteManager().registeredAdapters():
        factory, name = registration.factory, registration.name
        if not (isinstance(factory, type) and IService.implementedBy(factory)):
            continue
        layer = registration.required[1]
        if not (IDefaultBrowserLayer.isOrExtends(layer) or layer in layers):
            continue
        method = getattr(factory, "method", None)
        if method in CHANGING and name.startswith(f"{method}_application_json_"):
            found.add((method, name[len(f"{method}_application_json_"):], registration.required[0]))
    return sorted(found, key=lambda s: (s[0], s[1], s[2].__identifier__))


def test_every_rest_service_refuses_a_cookie_alone(site):
    portal, request_factory = site
    found = services()
    assert len(found) > 40, found
    # One object of each content type, the most specific first (made here,
    # without its container's constraints), then the sections, then the site.
    from plone.dexterity.interfaces import IDexterityFTI
    from plone.dexterity.utils import createContentInContainer

    with api.env.adopt_roles(["Manager"]):
        for fti in portal.portal_types.objectValues():
            if IDexterityFTI.providedBy(fti) and fti.getId() != "Plone Site":
                try:
                    createContentInContainer(portal["van-ban"], fti.getId(), checkConstraints=False,
                                             id=f"csrf-{fti.getId().lower().replace(' ', '-')}", title=fti.getId())
                except Exception as error:  # a type that cannot stand alone: its services are listed below
                    print(f"not made: {fti.getId()}: {error!r}")
    transaction.commit()
    targets = [portal["van-ban"]["cong-van"], *portal["van-ban"].objectValues(), *portal.objectValues(), portal]
    admin = browser(request_factory, "quantri-x")
    db = portal._p_jar.db()
    before = db.lastTransaction()
    walked, not_theirs, unreachable = [], [], []
    for method, name, for_ in found:
        target = next((t for t in targets if for_.providedBy(t)), None)
        if target is None:
            unreachable.append((method, name, for_.__identifier__))
            continue
        path = "/".join(target.getPhysicalPath()[len(portal.getPhysicalPath()):])
        for url in (f"{portal.absolute_url()}/++api++/{path}/{name}", f"{portal.absolute_url()}/{path}/{name}"):
            url = url.replace("//", "/").replace(":/", "://").rstrip("/")
            response = admin.request(method, url, data="{}", headers=TEXT)
            if response.status_code == 401:  # a permission even an administrator lacks (the auditors')
                not_theirs.append((method, url))
                continue
            assert response.status_code == 403, (method, url, response.status_code, response.text[:300])
            assert "X-CSRF-TOKEN" in response.text, (method, url, response.text[:300])
            walked.append((method, url))
    assert db.lastTransaction() == before  # nothing changed anywhere
    assert ("POST", "@hdnd-register") in {(m, n) for m, n, _ in found}
    assert len(walked) >= 2 * 40 and len(not_theirs) <= 10, (len(walked), not_theirs)
    print(f"\nCSRF: {len(walked)} cookie-only text/plain requests to {len(found)} REST services refused "
          f"(++api++ and Accept: application/json), {len(not_theirs)} not the administrator's to call; "
          f"{len(unreachable)} registered for content this site has none of: {unreachable}")


def test_the_rule_in_one_place(site):
    """Pages too: a cookie-only form post to a Plone page without the token is refused before it runs."""
    portal, request_factory = site
    admin = browser(request_factory, "quantri-x")
    refused = admin.post(f"{portal.absolute_url()}/van-ban/cong-van/@@edit", headers={"Accept": "text/html"},
                         data={"form.widgets.IDublinCore.title": "Đổi", "form.buttons.save": "Lưu"})
    assert refused.status_code == 403
    transaction.begin()
    assert portal["van-ban"]["cong-van"].title == "Công văn đến"
    assert csrf.is_json(type("R", (), {"getHeader": lambda self, n: "Application/JSON; charset=utf-8"})())
