"""Scoped tokens for other agencies' systems, over a real HTTP server: an
administrator issues one; it opens the exchange endpoints and nothing else;
it is withdrawn by signing the account out everywhere."""

from hdnd.content import audit
from hdnd.content.agencies import register
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import jwt
import pytest
import time
import transaction


JSON = {"Accept": "application/json"}
PASSWORD = "Mat-khau-dung-2026"


@pytest.fixture
def site(functional_portal, request_factory):
    api.portal.set_registry_record("hdnd.organisation.organ_id", "000.00.31.H29")
    register("ubnd-tp", "000.00.01.H29", "UBND Thành phố", password=PASSWORD)
    api.user.create(email="cv@example.vn", username="chuyenvien-t", password=PASSWORD)
    api.group.add_user(groupname="specialists", username="chuyenvien-t")
    transaction.commit()
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    admin.headers.update(JSON)
    return functional_portal.absolute_url(), request_factory, admin


def bearer(request_factory, token):
    session = request_factory(api=False)
    session.headers.update({**JSON, "Authorization": f"Bearer {token}"})
    return session


def test_an_exchange_token_opens_the_exchange_endpoints_only(site):
    base, request_factory, admin = site
    issued = admin.post(f"{base}/@hdnd-agency-token", json={"userid": "ubnd-tp", "days": 90})
    assert issued.status_code == 200, issued.text
    token = issued.json()["token"]
    assert issued.json()["scope"] == "exchange"
    assert abs(jwt.decode(token, options={"verify_signature": False})["exp"] - time.time() - 90 * 86400) < 120
    agency = bearer(request_factory, token)
    assert agency.get(f"{base}/@hdnd-outbox").status_code == 200
    assert agency.get(f"{base}/@changes").status_code == 200
    # Elsewhere, even where the account itself may go, the token is refused.
    for elsewhere in ("", "/@search?SearchableText=ngân+sách", "/@users/ubnd-tp", "/@hdnd-two-factor"):
        refused = agency.get(f"{base}{elsewhere}")
        assert refused.status_code == 403, elsewhere
        assert "exchange endpoints" in refused.json()["message"]
    # Nor by a detour the URL takes (found in review): the service published decides.
    for detour in ("/@changes/..", "/@changes/../@users/ubnd-tp", "/@hdnd-outbox/../@search"):
        assert agency.get(f"{base}{detour}").status_code == 403, detour
    assert agency.post(f"{base}/@login-renew/@changes/..").status_code == 403
    assert agency.post(f"{base}/@login-renew").status_code == 403  # a token of full power from a scoped one: no
    # The account's password still works as before; a normal token is not limited.
    login = request_factory(api=False).post(f"{base}/@login", headers=JSON,
                                            json={"login": "ubnd-tp", "password": PASSWORD}).json()["token"]
    assert bearer(request_factory, login).get(f"{base}/@users/ubnd-tp").status_code == 200
    # Withdrawn with the account's sessions.
    assert admin.post(f"{base}/@hdnd-sign-out-everywhere", json={"userid": "ubnd-tp"}).status_code == 200
    assert agency.get(f"{base}/@hdnd-outbox").status_code == 401
    transaction.begin()
    assert [e["details"]["days"] for e in audit.entries(action="agency_token_issued")] == [90]


def test_only_administrators_issue_tokens_and_only_to_agencies(site):
    base, request_factory, admin = site
    specialist = request_factory(basic_auth=("chuyenvien-t", PASSWORD), api=False)
    assert specialist.post(f"{base}/@hdnd-agency-token", headers=JSON,
                           json={"userid": "ubnd-tp"}).status_code == 401
    for data, field in (({"userid": "chuyenvien-t"}, "userid"), ({"userid": "nobody"}, "userid"),
                        ({"userid": "ubnd-tp", "days": "abc"}, "days"), ({"userid": "ubnd-tp", "days": 5000}, "days"),
                        ({}, "userid")):
        refused = admin.post(f"{base}/@hdnd-agency-token", json=data)
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == field, data


MALFORMED = ("Bearer x {t}", "Bearer {t} x", "Bearer {t},{t}", "Bearer {t} {t}", "Bearer\t{t}\tx",
             "Bearerx {t}", "Token {t}", "{t}", "Bearer {t}.x", "Bearer x.{t}")


def test_only_one_scheme_and_one_token_authenticate(site):
    """``Bearer x <token>`` opened what the token's scope forbids (found in review):
    plone.restapi took the last word as the token, the scope check read none."""
    base, request_factory, admin = site
    token = admin.post(f"{base}/@hdnd-agency-token", json={"userid": "ubnd-tp"}).json()["token"]
    nobody = request_factory(api=False).get(f"{base}/@hdnd-dashboard", headers=JSON).json()
    for form in MALFORMED:
        session = request_factory(api=False)
        session.headers.update({**JSON, "Authorization": form.format(t=token)})
        for path in ("/@users/ubnd-tp", "/@hdnd-two-factor", "/@hdnd-outbox"):
            assert session.get(f"{base}{path}").status_code == 401, (form, path)  # nobody
        assert session.get(f"{base}/@hdnd-dashboard").json() == nobody, form  # the anonymous dashboard
        renewed = session.post(f"{base}/@login-renew")
        assert renewed.status_code == 401 and "token" not in renewed.text, form
        if "Basic" not in form:
            assert session.post(f"{base}/@logout").status_code == 400, form  # names no token
    # The well-formed header still works, the scheme in any case (RFC 9110).
    for form in ("Bearer {t}", "bearer {t}", "BEARER {t}"):
        session = request_factory(api=False)
        session.headers.update({**JSON, "Authorization": form.format(t=token)})
        assert session.get(f"{base}/@hdnd-outbox").status_code == 200, form
        assert session.get(f"{base}/@hdnd-two-factor").status_code == 403, form


def test_a_renewed_token_keeps_its_scope_start_and_end(site, functional_portal):
    """@login-renew gave a token of full power for any token (found in review)."""
    from hdnd.policy.signin import sessions
    from hdnd.policy.account import Renew
    from plone.app.testing import login
    from zope.globalrequest import getRequest

    base, request_factory, admin = site
    token = admin.post(f"{base}/@hdnd-agency-token", json={"userid": "ubnd-tp", "days": 30}).json()["token"]
    transaction.begin()
    old = jwt.decode(token, options={"verify_signature": False})
    # The scope check refuses @login-renew to the token; the service itself keeps the scope too.
    request = getRequest()
    request._auth = f"Bearer {token}"
    login(functional_portal, "ubnd-tp")
    service = Renew()
    service.context, service.request = functional_portal, request
    renewed = service.reply()["token"]
    new = jwt.decode(renewed, options={"verify_signature": False})
    assert new["scope"] == "exchange" and new["exp"] <= old["exp"]
    request._auth = None
    transaction.commit()
    agency = bearer(request_factory, renewed)
    assert agency.get(f"{base}/@hdnd-outbox").status_code == 200
    assert agency.get(f"{base}/@users/ubnd-tp").status_code == 403
    assert bearer(request_factory, token).get(f"{base}/@hdnd-outbox").status_code == 401  # withdrawn
    # A person's token renewed keeps when the password was typed and its end.
    person = request_factory(api=False).post(f"{base}/@login", headers=JSON,
                                             json={"login": "chuyenvien-t", "password": PASSWORD}).json()["token"]
    first = jwt.decode(person, options={"verify_signature": False})
    time.sleep(1.1)
    again = bearer(request_factory, person).post(f"{base}/@login-renew")
    assert again.status_code == 200, again.text
    second = jwt.decode(again.json()["token"], options={"verify_signature": False})
    assert "scope" not in second and second["exp"] <= first["exp"] + 1
    assert second["started"] == first.get("started", second["started"])
    assert sessions.bearer(type("R", (), {"_auth": f"Bearer x {person}"})()) is None
