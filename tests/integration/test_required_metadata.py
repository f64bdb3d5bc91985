"""Required metadata enforced where the procedure needs it (issue 19): an
incoming document is registered only with its symbol, issuing body, date of
issue and subject; an outgoing one issued only with its signer's name and
position, type and subject; a dossier closed only with its code and
retention. One rule, in the workflow (transitions.REQUIRED_METADATA), so
every client meets it: REST create then @workflow or @hdnd-register, the
state menu, the registry desk's call, documents received from agencies one
by one or in bulk. The refusal names the fields; nothing is numbered."""

from datetime import date
from hdnd.content import exchange
from hdnd.content.transitions import MissingMetadata
from hdnd.content.transitions import REQUIRED_METADATA
from hdnd.content.transitions.documents import register
from hdnd.policy.testing import as_system
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser

import pytest
import re
import transaction


PASSWORD = "metadata-pass-1"
JSON = {"Accept": "application/json"}


@pytest.fixture
def clerk(functional_portal, request_factory):
    for user, group in {"vanthu-m": "registry-clerks", "chuyenvien-m": "specialists"}.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    transaction.commit()
    return request_factory(basic_auth=("vanthu-m", PASSWORD), api=False)


def test_the_rule_names_what_each_step_needs():
    assert REQUIRED_METADATA[("OfficialDocument", "register")] == ("symbol", "issuing_body", "issue_date", "title")
    assert REQUIRED_METADATA[("OfficialDocument", "issue")] == ("signer", "signer_position", "document_type", "title")
    assert REQUIRED_METADATA[("Dossier", "close")] == ("dossier_code", "retention")


def test_rest_registration_without_symbol_body_or_date_is_refused_naming_them(functional_portal, clerk):
    """What @plone/client sends (its schema drops hdnd's fields): a title and
    a direction. Created, yes; registered, no — until the fields are given."""
    base = functional_portal.absolute_url()
    created = clerk.post(f"{base}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Công văn không số"})
    assert created.status_code == 201, created.text
    url = created.json()["@id"]

    refused = clerk.post(f"{url}/@workflow/register", headers=JSON, json={})
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["message"] == "register: cần nhập symbol, issuing_body, issue_date của văn bản trước khi đăng ký."
    assert [e["field"] for e in error["errors"]] == ["symbol", "issuing_body", "issue_date"]
    again = clerk.post(f"{url}/@hdnd-register", headers=JSON, json={"arrival_date": "2026-11-22"})
    assert again.status_code == 400, again.text
    assert [e["field"] for e in again.json()["errors"]] == ["symbol", "issuing_body", "issue_date"]
    assert "issuing_body" in again.json()["message"]
    document = clerk.get(url, headers=JSON).json()
    assert (document["review_state"], document["arrival_number"], document["arrival_date"]) == ("received", None, None)

    # One field given, the others still named.
    assert clerk.patch(url, headers=JSON, json={"symbol": "77/UBND-VP", "issue_date": "2026-11-20"}).status_code == 204
    still = clerk.post(f"{url}/@workflow/register", headers=JSON, json={})
    assert [e["field"] for e in still.json()["error"]["errors"]] == ["issuing_body"]
    assert clerk.patch(url, headers=JSON, json={"issuing_body": "UBND Thành phố"}).status_code == 204
    done = clerk.post(f"{url}/@hdnd-register", headers=JSON, json={"arrival_date": "2026-11-22"})
    assert done.status_code == 200, done.text
    assert done.json()["arrival_number"] == 1  # the refusals took no number


def test_documents_from_agencies_one_or_in_bulk_meet_the_same_rule(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    one, _created = exchange.receive({"idempotency_key": "k-1", "title": "Công văn chưa ghi số",
                                      "issuing_body": "UBND Thành phố"}, "ubnd-tp")
    [item] = exchange.receive_many([{"idempotency_key": "k-2", "title": "Công văn thiếu nơi ban hành",
                                     "symbol": "91/UBND-VP", "issue_date": "2026-11-20"}], "ubnd-tp")
    many = portal.unrestrictedTraverse(item["@id"].replace(portal.absolute_url() + "/", ""))
    tool = api.portal.get_tool("portal_workflow")
    for document, missing in ((one, ("symbol", "issue_date")), (many, ("issuing_body",))):
        with pytest.raises(MissingMetadata) as refused:
            tool.doActionFor(document, "register")
        assert refused.value.fields == missing and missing[0] in str(refused.value)
        transaction.abort()  # the refusal doomed the transaction, as a request's would be
        transaction.begin()


def test_the_registry_desks_call_is_refused_with_the_reason(portal):
    """register (the desk, @hdnd-register) gives the guard's reason,
    not plone.api's "Invalid transition"."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    document = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="incoming",
                                  title="Văn bản giấy chưa ghi số", issuing_body="Thành ủy")
    with pytest.raises(MissingMetadata) as refused:
        register(document, date(2026, 11, 22))
    assert refused.value.fields == ("symbol", "issue_date")
    assert document.arrival_number is None
    transaction.abort()


def test_the_state_menu_brings_the_clerk_back_with_the_fields_named(functional_portal, functional):
    api.user.create(email="vanthu-sm@example.vn", username="vanthu-sm", password=PASSWORD)
    api.group.add_user(groupname="registry-clerks", username="vanthu-sm")
    with as_system(functional_portal):
        document = api.content.create(container=functional_portal["van-ban"], type="OfficialDocument",
                                      direction="incoming", title="Công văn chưa ghi nơi ban hành",
                                      symbol="36-CT/TU", issue_date=date(2026, 11, 20))
    transaction.commit()
    browser = Browser(functional["app"])
    browser.addHeader("Authorization", f"Basic vanthu-sm:{PASSWORD}")
    browser.open(document.absolute_url())
    register = re.search(r'href="([^"]+workflow_action=register[^"]*)"', browser.contents).group(1)
    browser.open(register.replace("&amp;", "&"))
    assert browser.url == f"{document.absolute_url()}/view"
    message = browser.contents.split('class="portalMessage', 1)[1].split("</div>", 1)[0]
    assert "alert-danger" in message and "issuing_body" in message
    transaction.begin()
    assert api.content.get_state(document) == "received" and document.arrival_number is None


def test_issue_needs_the_signers_position_and_names_it(functional_portal, clerk):
    base = functional_portal.absolute_url()
    with as_system(functional_portal):
        draft = api.content.create(container=functional_portal["van-ban"], type="OfficialDocument",
                                   direction="outgoing", document_type="TB", title="Thông báo kết luận",
                                   signer="Nguyễn Văn An")
        tool = api.portal.get_tool("portal_workflow")
        tool.setStatusOf("hdnd_outgoing_workflow", draft, {"review_state": "signed", "action": None,
                                                           "actor": "test", "comments": "", "time": None})
        tool["hdnd_outgoing_workflow"].updateRoleMappingsFor(draft)
    transaction.commit()
    url = f"{base}/van-ban/{draft.getId()}"
    refused = clerk.post(f"{url}/@hdnd-issue", headers=JSON, json={"issue_date": "2026-11-20"})
    assert refused.status_code == 400, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["signer_position"]
    step = clerk.post(f"{url}/@workflow/issue", headers=JSON, json={})
    assert step.status_code == 400
    assert step.json()["error"]["message"] == "issue: văn bản chỉ được ban hành khi có signer_position."
    assert clerk.get(url, headers=JSON).json()["symbol"] is None  # nothing numbered


def test_close_names_the_dossiers_missing_fields_over_rest(functional_portal, clerk, request_factory):
    base = functional_portal.absolute_url()
    with as_system(functional_portal):
        dossier = api.content.create(container=functional_portal["ho-so"], type="Dossier", title="Hồ sơ thiếu mã")
        tool = api.portal.get_tool("portal_workflow")
        tool.setStatusOf("hdnd_dossier_workflow", dossier, {"review_state": "decided", "action": None,
                                                            "actor": "test", "comments": "", "time": None})
        tool["hdnd_dossier_workflow"].updateRoleMappingsFor(dossier)
    transaction.commit()
    admin = request_factory(role="Manager", api=False)
    refused = admin.post(f"{base}/ho-so/{dossier.getId()}/@workflow/close", headers=JSON, json={})
    assert refused.status_code == 400, refused.text
    assert [e["field"] for e in refused.json()["error"]["errors"]] == ["dossier_code", "retention"]
