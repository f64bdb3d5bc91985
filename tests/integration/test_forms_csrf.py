"""CSRF protection stays on for hdnd's forms: a POST without the form's
token (what another site could make a signed-in browser send) changes
nothing; the same POST with the token does. Also the sign-in settings'
control panel, over the web and REST."""

from hdnd.content import grants
from hdnd.content.clearance import get_clearance
from hdnd.policy import signin
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

from zope.globalrequest import getRequest

import pytest
import re
import transaction


HTML = {"Accept": "text/html"}
PASSWORD = "Mat-khau-dung-2026"


@pytest.fixture
def site(functional_portal, request_factory):
    api.user.create(email="cv@example.vn", username="chuyenvien-c", password=PASSWORD)
    api.user.create(email="bm@example.vn", username="baomat-c", password=PASSWORD)
    with grants.as_system():  # only the system or an officer makes an officer
        api.group.add_user(groupname="security-officers", username="baomat-c")
    transaction.commit()
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    admin.headers.update(HTML)
    return functional_portal.absolute_url(), request_factory, admin


def setting(name):
    """The registry as the server left it (plone.registry caches values per request,
    and the tests' request lasts the whole test)."""
    transaction.begin()
    getRequest().other.pop("_plone_registry_cache", None)
    return api.portal.get_registry_record(name)


def token_of(page):
    field = re.search(r'<input[^>]*name="_authenticator"[^>]*>', page.text).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


FORMS = {
    # form -> (who may use it, data, how to read what it changes)
    "@@hdnd-clearances": ("baomat-c", {"userid": "chuyenvien-c", "clearance": "mat"},
                          lambda: get_clearance("chuyenvien-c")),
    "@@hdnd-signin-controlpanel": (SITE_OWNER_NAME, {"form.widgets.idle_minutes": "15", "form.widgets.session_hours": "10",
                                    "form.widgets.max_failures": "5", "form.widgets.window": "15",
                                    "form.widgets.lock_minutes": "30", "form.widgets.min_length": "12",
                                    "form.widgets.password_history": "5", "form.widgets.password_max_days": "180",
                                    "form.widgets.require_second_factor:list": "selected",
                                    "form.widgets.second_factor_for_all-empty-marker": "1",
                                    "form.widgets.require_second_factor-empty-marker": "1",
                                    "form.buttons.save": "Lưu"},
                                   lambda: setting("hdnd.signin.idle_minutes")),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_form_changes_nothing_without_its_token(site, form):
    base, request_factory, admin = site
    user, data, state = FORMS[form]
    if user != SITE_OWNER_NAME:
        admin = request_factory(basic_auth=(user, PASSWORD), api=False)
        admin.headers.update(HTML)
    before = state()
    admin.post(f"{base}/{form}", data=data)
    transaction.begin()
    assert state() == before
    page = admin.get(f"{base}/{form}")
    admin.post(f"{base}/{form}", data={**data, "_authenticator": token_of(page)})
    transaction.begin()
    assert state() != before


def test_the_account_page_needs_its_token(site):
    base, request_factory, _ = site
    person = request_factory(basic_auth=("chuyenvien-c", PASSWORD), api=False)
    person.headers.update(HTML)
    assert person.post(f"{base}/@@hdnd-account", data={"action": "begin"}).status_code == 403
    transaction.begin()
    assert signin.guard().peek("factors", "chuyenvien-c") is None
    page = person.get(f"{base}/@@hdnd-account")
    person.post(f"{base}/@@hdnd-account", data={"action": "begin", "_authenticator": token_of(page)})
    transaction.begin()
    assert signin.guard().peek("factors", "chuyenvien-c")["pending"]


def test_the_sign_in_settings_over_rest(site):
    base, request_factory, _ = site
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    admin.headers.update({"Accept": "application/json"})
    data = admin.get(f"{base}/@controlpanels/hdnd-signin").json()["data"]
    assert data["idle_minutes"] == 30 and data["password_max_days"] == 180
    assert admin.patch(f"{base}/@controlpanels/hdnd-signin", json={"session_hours": 8}).status_code == 204
    assert setting("hdnd.signin.session_hours") == 8
    # Out of range: refused, nothing kept.
    refused = admin.patch(f"{base}/@controlpanels/hdnd-signin", json={"idle_minutes": 1})
    assert refused.status_code == 400
    assert setting("hdnd.signin.idle_minutes") == 30
