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
