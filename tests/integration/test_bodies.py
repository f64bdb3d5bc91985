"""Malformed request bodies are a 400 naming the problem, never a 5xx
(hdnd.content.bodies): for hdnd's services, which read bodies with one
reader, and for plone.restapi's own, checked once after traversal. Every
REST service registered for a writing method is walked from the component
registry, so a new one is covered without being listed here. Also: a
multipart body without its boundary, and two classic views that answered
500."""

from hdnd.policy.testing import as_system
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import json
import pytest
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
DEEP = "[" * 100000 + "]" * 100000
MALFORMED = {
    "bad json": "{bad json",
    "an array": '["x"]',
    "nulls": "[null, null]",
    "a string": '"x"',
    "deep arrays": DEEP,
    "deep objects": '{"a": ' * 5000 + "1" + "}" * 5000,
}


@pytest.fixture
def admin(request_factory):
    return request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)


def refused(response, what="body"):
    assert response.status_code == 400, (response.request.method, response.request.url, response.status_code, response.text[:600])
    data = response.json()
    assert data["type"] == "BadRequest", data
    assert what in data["message"], data
    return data


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_plone_restapi_services_answer_400_for_malformed_bodies(admin, name):
    body = MALFORMED[name]
    for method, path in (("POST", "/@login"), ("PATCH", f"/@users/{SITE_OWNER_NAME}"), ("PATCH", "/@groups/Reviewers"),
                         ("POST", "/ho-so"), ("PATCH", "/ho-so"), ("POST", "/@users"), ("POST", "/@groups"),
                         ("POST", "/@querystring-search"), ("PATCH", "/@controlpanels/hdnd-organisation")):
        refused(admin.request(method, path, headers=JSON, data=body))


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_hdnd_services_answer_400_for_malformed_bodies(admin, name):
    body = MALFORMED[name]
    for path in ("/@hdnd-saved-searches", "/@hdnd-receive", "/@hdnd-receive-bulk", "/@hdnd-sign-out-everywhere",
                 "/@hdnd-two-factor", "/@hdnd-agency-token", "/@hdnd-verify-signature"):
        refused(admin.post(path, headers=JSON, data=body))
    # The JSON half of the delivery status (its other half is edXML) reads with the same reader.
    refused(admin.post("/@hdnd-delivery-status", headers=JSON, data=body))


def test_the_message_names_what_is_wrong(admin):
    assert "not valid JSON" in refused(admin.post("/@login", headers=JSON, data="{bad json"))["message"]
    assert "expected an object" in refused(admin.post("/@login", headers=JSON, data='["x"]'))["message"]
    assert "got an array" in refused(admin.post("/@hdnd-saved-searches", headers=JSON, data="[null, null]"))["message"]
    assert "deeper than" in refused(admin.post("/@hdnd-receive", headers=JSON, data=DEEP))["message"]
    # A body of hdnd's services is JSON, said so: 415 Unsupported Media Type.
    response = admin.post("/@hdnd-saved-searches", headers={"Accept": "application/json", "Content-Type": "text/plain"},
                          data='{"name": "x", "query": {}}')
    assert response.status_code == 415 and "Content-Type" in response.json()["message"], response.text[:300]


def test_good_bodies_still_pass(admin):
    response = admin.post("/@login", headers=JSON, json={"login": SITE_OWNER_NAME, "password": SITE_OWNER_PASSWORD})
    assert response.status_code == 200, response.text
    response = admin.post("/@hdnd-saved-searches", headers=JSON, json={"name": "mine", "query": {"SearchableText": "x"}})
    assert response.status_code == 200, response.text
    response = admin.post("/ho-so", headers=JSON, json={"@type": "Dossier", "title": "Hồ sơ thử"})
    assert response.status_code < 500, response.text
    # No body at all is {}: many POSTs carry none.
    assert admin.post("/@hdnd-sign-out-everywhere", headers=JSON).status_code < 500


def test_multipart_without_boundary_is_a_400(admin, request_factory):
    anonymous = request_factory(api=False)
    for session in (admin, anonymous):
        for path, accept in (("/@login", "application/json"), ("/ho-so", "application/json"), ("/login", "text/html")):
            response = session.post(path, headers={"Accept": accept, "Content-Type": "multipart/form-data"},
                                    data=b"--x\r\n")
            assert response.status_code == 400, (path, response.status_code, response.text[:300])
    response = admin.post("/@login", headers={"Accept": "application/json", "Content-Type": "multipart/form-data"},
                          data=b"x")
    assert "boundary" in response.json()["message"]


# Every REST service for a writing method, from the component registry.

WRITING = ("POST", "PATCH", "PUT", "DELETE")


def writing_services():
    """(method, name, for_, layer) of each plone.rest service registered
    for a method that carries a body."""
    from plone.rest.interfaces import IService
    from zope.component import getGlobalSiteManager

    found = set()
    for registration in getGlobalSiteManager().registeredAdapters():
        factory = registration.factory
        method = getattr(factory, "method", None)
        if method not in WRITING or not IService.implementedBy(factory):
            continue
        name = registration.name
        prefix = f"{method}_application_json_"
        if not name.startswith(prefix):
            continue
        for_, layer = registration.required
        found.add((method, name[len(prefix):], for_, layer))
    return sorted(found, key=lambda s: (s[0] == "DELETE", s[1], s[0], s[2].__identifier__))


@pytest.fixture
def contexts(functional_portal):
    """One object of each kind hdnd has, and the site: where the services are called."""
    portal = functional_portal
    with as_system(portal):
        dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-body", title="Hồ sơ")
        document = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-body",
                                      title="Văn bản", direction="incoming")
        meeting = api.content.create(container=portal["phien-hop"], type="Meeting", id="ph-body", title="Phiên họp")
        ballot = api.content.create(container=meeting, type="Ballot", id="bq-body", title="Biểu quyết")
        opinion = api.content.create(container=meeting, type="OpinionRequest", id="xyk-body", title="Xin ý kiến")
        programme = api.content.create(container=portal["chuong-trinh-cong-tac"], type="WorkProgramme", id="ct-body",
                                       title="Chương trình", year=2026)
        task = api.content.create(container=programme, type="Task", id="nv-body", title="Nhiệm vụ")
        page = api.content.create(container=dossier, type="File", id="tep-body", title="Tệp")
    transaction.commit()
    return [portal, dossier, document, meeting, ballot, opinion, programme, task, page] + [
        portal[id] for id in portal.objectIds() if hasattr(portal[id], "portal_type")]


def test_every_writing_rest_service_refuses_malformed_bodies(admin, contexts):
    walked, unplaced = [], []
    services = writing_services()
    assert len(services) > 60, len(services)  # plone.restapi's and hdnd's
    for method, name, for_, layer in services:
        context = next((c for c in contexts if for_.providedBy(c)), None)
        if context is None:
            unplaced.append(f"{method} {name} ({for_.__identifier__})")
            continue
        url = context.absolute_url() + (f"/{name}" if name else "")
        for label, body in MALFORMED.items():
            response = admin.request(method, url, headers=JSON, data=body)
            assert response.status_code < 500, (method, url, label, response.status_code, response.text[:500])
        walked.append((method, name))
    print(f"walked {len(walked)} writing REST services × {len(MALFORMED)} malformed bodies; "
          f"no object of the kind they are for: {unplaced}")
    assert len(walked) >= len(services) * 0.8, unplaced


# Classic views that answered 500.

def test_history_and_interface_info_answer_cleanly(admin, request_factory, contexts):
    document = contexts[2]
    html = {"Accept": "text/html"}
    # No version of the document is kept: nothing to compare.
    assert admin.get(f"{document.absolute_url()}/@@history", headers=html).status_code == 404
    assert admin.get(f"{document.absolute_url()}/@@history?one=x", headers=html).status_code == 400
    anonymous = request_factory(api=False)
    for path in ("/@@plone_interface_info/provides", "/@@plone_interface_info/provides?dotted_name=x",
                 "/@@plone_interface_info/provides?dotted_name=os.path", "/@@plone_interface_info"):
        response = anonymous.get(path, headers=html)
        assert response.status_code == 404, (path, response.status_code)
    # Templates still use it: the site's pages render.
    assert anonymous.get("/", headers=html).status_code == 200


def test_deeply_nested_query_parameters_are_a_400(admin, request_factory):
    """A parameter of the query string (or a form field) that nests deeper
    than a body may: plone.restapi's @querystring-search parses its `query`
    parameter as JSON (a RecursionError, a 500); refused at the site's door
    for every URL alike."""
    from hdnd.content.bodies import nesting

    # Brackets inside strings do not count; escaped quotes do not end them.
    assert nesting('["[[[[", {"a": "}}}\\"["}]') == 2 and nesting("[" * 101 + "]" * 101) == 101
    deep = "[" * 5000 + "]" * 5000
    for who in (admin, request_factory(api=False)):
        response = who.get("/@querystring-search", params={"query": deep}, headers={"Accept": "application/json"})
        assert response.status_code == 400, response.text[:300]
        assert "query" in response.json()["message"]
    # Nested as deep as a body may: answered.
    query = {"query": [{"i": "portal_type", "o": "plone.app.querystring.operation.selection.any",
                        "v": ["Dossier"]}]}
    response = admin.get("/@querystring-search", params={"query": json.dumps(query)},
                         headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text[:300]
