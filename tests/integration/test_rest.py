"""REST is on: plone.restapi answers JSON over a real WSGI server."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest


@pytest.fixture
def manager(request_factory):
    return request_factory(role="Manager", api=False)


def test_site_as_json_for_an_authenticated_user(manager):
    response = manager.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["@type"] == "Plone Site"
    titles = {item["@id"].rsplit("/", 1)[-1]: item["title"] for item in data["items"]}
    assert titles["ho-so"] == "Hồ sơ công việc"


def test_organisation_control_panel_over_rest(manager):
    response = manager.get("/@controlpanels/hdnd-organisation")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["symbol_abbreviation"] == "ĐĐHĐND"
    assert data["term_start"] == "2025-10-01"

    response = manager.patch(
        "/@controlpanels/hdnd-organisation", json={"term_label": "2030-2035"}
    )
    assert response.status_code == 204, response.text
    assert manager.get("/@controlpanels/hdnd-organisation").json()["data"]["term_label"] == "2030-2035"


def test_bad_setting_is_a_400_naming_the_field(manager):
    before = manager.get("/@controlpanels/hdnd-organisation").json()["data"]
    response = manager.patch(
        "/@controlpanels/hdnd-organisation", json={"term_start": "not a date"}
    )
    assert response.status_code == 400, response.text
    assert "term_start" in response.text
    after = manager.get("/@controlpanels/hdnd-organisation").json()["data"]
    assert after == before


def test_anonymous_gets_no_control_panel(request_factory):
    anonymous = request_factory(api=False)
    response = anonymous.get("/@controlpanels/hdnd-organisation")
    assert response.status_code == 401


def test_login_returns_a_token(request_factory):
    anonymous = request_factory(api=False)
    response = anonymous.post(
        "/@login", json={"login": SITE_OWNER_NAME, "password": SITE_OWNER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["token"]


def test_term_must_end_after_it_starts(manager):
    response = manager.patch(
        "/@controlpanels/hdnd-organisation", json={"term_end": "2020-01-01"}
    )
    assert response.status_code == 400, response.text
    # The office's language is Vietnamese; the language cookie picks English.
    assert "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu." in response.json()["message"]
    manager.cookies.set("I18N_LANGUAGE", "en")
    response = manager.patch(
        "/@controlpanels/hdnd-organisation", json={"term_end": "2020-01-01"}
    )
    assert "The term must end after it starts." in response.json()["message"]
    data = manager.get("/@controlpanels/hdnd-organisation").json()["data"]
    assert data["term_end"] == "2030-09-30"


def test_lists_control_panel_edits_a_vocabulary(manager):
    data = manager.get("/@controlpanels/hdnd-lists").json()["data"]
    assert "ban-phap-che|Ban Pháp chế HĐND" in data["units"]
    response = manager.patch(
        "/@controlpanels/hdnd-lists", json={"units": data["units"] + ["ban-dan-toc|Ban Dân tộc HĐND"]}
    )
    assert response.status_code == 204, response.text
    vocabulary = manager.get("/@vocabularies/hdnd.vocabularies.Units").json()
    assert {"token": "ban-dan-toc", "title": "Ban Dân tộc HĐND"} in vocabulary["items"]
