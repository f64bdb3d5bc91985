"""How long a sign-in lasts, over a real HTTP server: a browser session ends
after the idle time and at the longest session whatever the activity, is
renewed while in use with its start carried along; signing out everywhere
ends every session and REST token of the person; @logout withdraws a token;
tokens last as long as the longest session."""

from hdnd.content import audit
from hdnd.policy.signin import sessions
from plone import api
from plone.keyring.interfaces import IKeyManager
from plone.session import tktauth
from zope.component import getUtility

import binascii
import jwt
import pytest
import time
import transaction
import urllib.parse


PASSWORD = "Mat-khau-dung-2026"
JSON = {"Accept": "application/json"}


@pytest.fixture
def site(functional_portal, request_factory):
    api.user.create(email="cv@example.vn", username="chuyenvien-s", password=PASSWORD)
    api.group.add_user(groupname="specialists", username="chuyenvien-s")
    transaction.commit()
    return functional_portal.absolute_url(), request_factory


def ticket(stamp, started=None):
    """A session cookie as plone.session signs it, made at ``stamp``."""
    user_data = f"started={int(started)}" if started else ""
    raw = tktauth.createTicket(getUtility(IKeyManager).secret(), "chuyenvien-s", user_data=user_data,
                               timestamp=int(stamp))
    return binascii.b2a_base64(raw).rstrip().decode("ascii")


def whoami(request_factory, base, cookie=None, token=None):
    session = request_factory(api=False)
    headers = dict(JSON)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = session.get(f"{base}/@hdnd-two-factor", headers=headers, cookies={"__ac": cookie} if cookie else None)
    return response


def sign_in_form(request_factory, base):
    browser = request_factory(api=False)
    browser.post(f"{base}/login", headers={"Accept": "text/html"}, data={
        "__ac_name": "chuyenvien-s", "__ac_password": PASSWORD, "buttons.login": "Đăng nhập", "came_from": ""})
    assert "__ac" in browser.cookies
    return browser


def test_a_session_ends_when_idle_and_at_the_longest(site):
    base, request_factory = site
    now = time.time()
    assert api.portal.get_registry_record("hdnd.signin.idle_minutes") == 30
    # Used 29 minutes ago: still signed in, and renewed with its start carried along.
    alive = whoami(request_factory, base, ticket(now - 29 * 60))
    assert alive.status_code == 200
    renewed = binascii.a2b_base64(urllib.parse.unquote(alive.cookies["__ac"].strip('"')))
    assert tktauth.splitTicket(renewed)[3] == f"started={int(now - 29 * 60)}"
    # Unused for 31 minutes: over.
    assert whoami(request_factory, base, ticket(now - 31 * 60)).status_code == 401
    # Active a minute ago but signed in 11 hours ago (longest: 10): over.
    assert whoami(request_factory, base, ticket(now - 60, started=now - 11 * 3600)).status_code == 401
    assert whoami(request_factory, base, ticket(now - 60, started=now - 9 * 3600)).status_code == 200
    # The settings are the office's: a shorter idle time applies at once.
    api.portal.set_registry_record("hdnd.signin.idle_minutes", 5)
    transaction.commit()
    assert whoami(request_factory, base, ticket(now - 6 * 60)).status_code == 401
    # A forged ticket is nobody.
    forged = binascii.b2a_base64(tktauth.createTicket("not-the-secret", "chuyenvien-s")).rstrip().decode()
    assert whoami(request_factory, base, forged).status_code == 401


def test_signing_out_everywhere_ends_every_session_and_token(site):
    base, request_factory = site
    laptop, phone = sign_in_form(request_factory, base), sign_in_form(request_factory, base)
    token = request_factory(api=False).post(f"{base}/@login", headers=JSON, json={
        "login": "chuyenvien-s", "password": PASSWORD}).json()["token"]
    # REST tokens last the longest session.
    payload = jwt.decode(token, options={"verify_signature": False})
    assert abs(payload["exp"] - time.time() - 10 * 3600) < 120
    for browser in (laptop, phone):
        assert browser.get(f"{base}/@hdnd-two-factor", headers=JSON).status_code == 200
    assert whoami(request_factory, base, token=token).status_code == 200

    time.sleep(1.1)  # sessions started in an earlier second than the sign-out
    # Through the web page, with its CSRF token.
    page = laptop.get(f"{base}/@@hdnd-account", headers={"Accept": "text/html"})
    assert 'id="sign-out-everywhere"' in page.text
    authenticator = page.text.split('name="_authenticator" value="')[1].split('"')[0]
    laptop.post(f"{base}/@@hdnd-account", headers={"Accept": "text/html"},
                data={"_authenticator": authenticator, "action": "sign-out-everywhere"})
    assert phone.get(f"{base}/@hdnd-two-factor", headers=JSON).status_code == 401
    assert whoami(request_factory, base, token=token).status_code == 401
    # Signing in again works.
    assert sign_in_form(request_factory, base).get(f"{base}/@hdnd-two-factor", headers=JSON).status_code == 200


def test_rest_sign_out_everywhere_and_logout(site, functional_portal):
    base, request_factory = site
    login = request_factory(api=False).post(f"{base}/@login", headers=JSON, json={
        "login": "chuyenvien-s", "password": PASSWORD})
    first = login.json()["token"]
    bearer = request_factory(api=False)
    bearer.headers.update({**JSON, "Authorization": f"Bearer {first}"})
    # @logout withdraws the token it is called with.
    assert bearer.post(f"{base}/@logout").status_code in (200, 204)
    assert whoami(request_factory, base, token=first).status_code == 401
    # A specialist signs only themselves out; an administrator may name anyone.
    second = request_factory(api=False).post(f"{base}/@login", headers=JSON, json={
        "login": "chuyenvien-s", "password": PASSWORD}).json()["token"]
    bearer.headers["Authorization"] = f"Bearer {second}"
    assert bearer.post(f"{base}/@hdnd-sign-out-everywhere", json={"userid": "admin"}).status_code == 403
    assert whoami(request_factory, base, token=second).status_code == 200
    done = bearer.post(f"{base}/@hdnd-sign-out-everywhere", json={})
    assert done.json() == {"userid": "chuyenvien-s", "signed_out": True}
    assert whoami(request_factory, base, token=second).status_code == 401
    transaction.begin()
    assert [e["details"]["login"] for e in audit.entries(action="signed_out_everywhere")] == ["chuyenvien-s"]
    # The longest session bounds tokens made after a change of the setting.
    api.portal.set_registry_record("hdnd.signin.session_hours", 2)
    transaction.commit()
    assert functional_portal.acl_users[sessions.JWT_PLUGIN].token_timeout == 2 * 3600


def test_no_renewal_outlives_the_limits(site):
    """plone.session's own refresh and @login-renew (found in review)."""
    base, request_factory = site
    now = time.time()
    for cookie in (ticket(now - 3 * 3600), ticket(now - 60, started=now - 11 * 3600)):
        refresh = request_factory(api=False).get(f"{base}/acl_users/session/refresh", cookies={"__ac": cookie})
        assert "__ac" not in refresh.cookies
        renew = request_factory(api=False).post(f"{base}/@login-renew", headers=JSON, cookies={"__ac": cookie})
        assert renew.status_code == 401
    # A browser session 9 hours old becomes a token for the hour left, no more (asked
    # with JSON: a cookie's request that changes something is JSON or carries the
    # form's token, csrf.py).
    renew = request_factory(api=False).post(f"{base}/@login-renew", headers=JSON, json={},
                                            cookies={"__ac": ticket(now - 60, started=now - 9 * 3600)})
    assert renew.status_code == 200, renew.text
    exp = jwt.decode(renew.json()["token"], options={"verify_signature": False})["exp"]
    assert abs(exp - (now + 3600)) < 120
    # A token renewed is not extended: it ends when the first would have.
    first = request_factory(api=False).post(f"{base}/@login", headers=JSON, json={
        "login": "chuyenvien-s", "password": PASSWORD}).json()["token"]
    time.sleep(1.1)
    renewed = request_factory(api=False).post(f"{base}/@login-renew", headers={
        **JSON, "Authorization": f"Bearer {first}"}).json()["token"]
    ends = [jwt.decode(t, options={"verify_signature": False})["exp"] for t in (first, renewed)]
    assert ends[1] <= ends[0] + 2
    assert whoami(request_factory, base, token=first).status_code == 401  # the old one is withdrawn
    assert whoami(request_factory, base, token=renewed).status_code == 200


def test_json_endpoints_take_json_only(site, functional_portal):
    """A form on another site can post text/plain with the browser's credentials, not JSON."""
    base, request_factory = site
    person = request_factory(basic_auth=("chuyenvien-s", PASSWORD), api=False)
    for path, data in (("@hdnd-sign-out-everywhere", '{"x": "="}'), ("@hdnd-two-factor", '{"action": "begin"}')):
        sent = person.post(f"{base}/{path}", data=data, headers={**JSON, "Content-Type": "text/plain"})
        assert sent.status_code == 400, path
    transaction.begin()
    guard = functional_portal.acl_users.hdnd_signin
    assert guard.peek("signed_out", "chuyenvien-s") is None and guard.peek("factors", "chuyenvien-s") is None
