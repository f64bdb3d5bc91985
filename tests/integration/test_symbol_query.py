"""A REST client searches by the symbol it sent, typed as it typed it: the
symbol index holds the canonical form ("04/UBND-VP"), the query is read the
same way (hdnd.content.symbolquery)."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import transaction


PASSWORD = "symbol-pass-1"
JSON = {"Accept": "application/json"}


@pytest.fixture
def office(functional_portal, request_factory):
    api.user.create(email="ubnd-q@example.vn", username="ubnd-q", password=PASSWORD)
    api.group.add_user(groupname="agencies", username="ubnd-q")
    transaction.commit()
    agency = request_factory(basic_auth=("ubnd-q", PASSWORD), api=False)
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    return functional_portal.absolute_url(), agency, admin


def symbols_found(session, base, asked, name="symbol"):
    response = session.get(f"{base}/@search", headers=JSON,
                           params={name: asked, "portal_type": "OfficialDocument", "metadata_fields": "symbol"})
    assert response.status_code == 200, response.text
    return sorted(item["symbol"] for item in response.json()["items"])


def test_a_symbol_is_found_however_it_is_typed(office):
    base, agency, admin = office
    for key, symbol in (("q-4", "4/UBND-VP"), ("q-12", "12/UBND-VP"), ("q-40", "40/UBND-VP")):
        response = agency.post(f"{base}/@hdnd-receive", headers=JSON, json={
            "idempotency_key": key, "symbol": symbol, "title": f"Văn bản {symbol}",
            "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20"})
        assert response.status_code == 201, response.text
    # As it was sent, canonical, in lower case with spaces: the one document.
    for asked in ("4/UBND-VP", "04/UBND-VP", "4 / ubnd-vp", "Số: 4/UBND-VP"):
        assert symbols_found(admin, base, asked) == ["04/UBND-VP"], asked
    assert symbols_found(admin, base, ["4/UBND-VP", "12/ubnd-vp"]) == ["04/UBND-VP", "12/UBND-VP"]
    assert symbols_found(admin, base, "40/ubnd-vp", name="symbol.query") == ["40/UBND-VP"]
    # Another number, and text that is no symbol, find nothing (no error).
    assert symbols_found(admin, base, "5/UBND-VP") == []
    assert symbols_found(admin, base, "không phải số") == []
