"""The OpenAPI description as the contract (issue 19): valid OpenAPI 3
(openapi-spec-validator), every request body and response described,
every status each endpoint gives, its real security and download media
types; and what the site does where schemathesis found 5xx: a method it
does not serve is a 405, a body that is not JSON a 415, one over the limit
a 413, a field or parameter of the wrong type a 400 naming it."""

from hdnd.content import openapi
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def test_the_description_is_valid_openapi():
    from hdnd.content.registers import REGISTERS
    from openapi_spec_validator import validate

    validate(openapi.description("http://localhost:8080/hdnd"))
    assert openapi.REGISTERS == tuple(REGISTERS)


def test_every_operation_says_what_it_takes_and_gives():
    spec = openapi.description("http://x")
    schemes = spec["components"]["securitySchemes"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            responses = operation["responses"]
            assert {"200", "400"} <= set(responses), where
            # A described answer, not a bare object.
            content = responses["200"]["content"]
            for media_type, described in content.items():
                schema = described["schema"]
                assert schema.get("properties") or schema.get("format") == "binary" or media_type != "application/json", where
            if "{item}" in path:
                assert "404" in responses, where
            body = operation.get("requestBody")
            if body:
                assert {"413"} <= set(responses), where
                if "application/json" in body["content"]:
                    assert "415" in responses, where
                    schema = body["content"]["application/json"]["schema"]
                    assert schema["type"] == "object" and schema["properties"], where
            security = operation["security"]
            assert all(name in schemes for requirement in security for name in requirement), where
            if security == [{}]:  # public: nothing to refuse
                assert "401" not in responses, where
            else:
                assert {"401", "403"} <= set(responses), where
    # Downloads are declared with their real media types.
    paths = spec["paths"]
    assert set(paths["/{item}/@hdnd-export"]["get"]["responses"]["200"]["content"]) == {openapi.XLSX}
    assert set(paths["/{item}/@hdnd-package"]["get"]["responses"]["200"]["content"]) == {"application/zip"}
    assert set(paths["/{item}/@hdnd-generate/{template}"]["get"]["responses"]["200"]["content"]) == {
        "application/pdf", "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    # Required fields are named.
    receive = paths["/@hdnd-receive"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "idempotency_key" in receive["required"] and "title" in receive["required"]
    assert paths["/{item}/@hdnd-vote"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"] == ["choice"]


@pytest.fixture
def admin(functional_portal, request_factory):
    session = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    return functional_portal.absolute_url(), session


def test_the_security_declared_is_the_security_it_has(admin, request_factory):
    base, _ = admin
    anonymous = request_factory(api=False)
    spec = anonymous.get(f"{base}/@hdnd-openapi", headers={"Accept": "application/json"})
    assert spec.status_code == 200 and spec.json()["paths"]["/@hdnd-openapi"]["get"]["security"] == [{}]
    for path, methods in spec.json()["paths"].items():
        if "{" in path or {} in next(iter(methods.values()))["security"]:
            continue
        for method in methods:
            answer = anonymous.request(method.upper(), f"{base}{path}", headers=JSON, data="{}")
            assert answer.status_code in (401, 403), (method, path, answer.status_code, answer.text[:200])


def test_a_method_the_site_does_not_serve_is_a_405(admin):
    base, session = admin
    for method, path in (("QUERY", "/@hdnd-search"), ("QUERY", "/@search"), ("FOO", "/ho-so"), ("QUERY", "/no-such")):
        answer = session.request(method, f"{base}{path}", headers={"Accept": "application/json"})
        assert answer.status_code == 405, (method, path, answer.status_code, answer.text[:300])
        assert "GET" in answer.headers["Allow"]


def test_a_body_not_json_is_a_415_and_one_too_large_a_413(admin):
    base, session = admin
    answer = session.post(f"{base}/@hdnd-saved-searches", headers={**JSON, "Content-Type": "text/plain"},
                          data='{"name": "x", "query": {}}')
    assert answer.status_code == 415 and "application/json" in answer.json()["message"], answer.text[:300]
    answer = session.post(f"{base}/@hdnd-saved-searches", headers=JSON,
                          json={"name": "x" * (2 * 1024 * 1024), "query": {}})
    assert answer.status_code == 413 and "larger than" in answer.json()["message"], answer.text[:300]


def test_fields_of_the_wrong_type_are_a_400_naming_them(admin):
    base, session = admin
    from hdnd.policy.testing import as_system

    with as_system(api.portal.get()):
        api.content.create(container=api.portal.get()["ho-so"], type="Dossier", id="hs-kieu", title="Hồ sơ")
    transaction.commit()
    cases = [
        ("/ho-so/hs-kieu/@hdnd-hold-back", {"until": "2030-01-01", "reason": [None, None]}, "reason: expected a string"),
        ("/@hdnd-saved-searches", {"name": {"a": 1}, "query": {}}, "name: expected a string"),
        ("/@hdnd-receive", {"idempotency_key": "k", "files": [{"data": [None]}]}, "files[0].data: expected a string"),
        ("/@hdnd-agency-token", {"userid": "x", "days": "90"}, "days: expected an integer"),
        # It signed the caller out (issue 19): an object is no user id.
        ("/@hdnd-sign-out-everywhere", {"userid": {}}, "userid: expected a string"),
    ]
    for path, data, message in cases:
        answer = session.post(f"{base}{path}", headers=JSON, json=data)
        assert answer.status_code == 400 and message in answer.json()["message"], (path, answer.status_code, answer.text[:300])
        assert answer.json()["errors"][0]["message"] == message, answer.json()
    transaction.begin()
    assert api.portal.get().acl_users.hdnd_signin.peek("signed_out", SITE_OWNER_NAME) is None
    # A query parameter given twice.
    answer = session.get(f"{base}/ho-so/@hdnd-export", params=[("register", "incoming"), ("register", "x")],
                         headers={"Accept": "application/json"})
    assert answer.status_code == 400 and "register: give it once" in answer.json()["message"], answer.text[:300]
    # Query parameters as described: a whole number, one of the choices.
    for params, message in (({"year": "AAA"}, "year: expected a whole number"),
                            ({"register": "x"}, "register: expected one of incoming, outgoing")):
        answer = session.get(f"{base}/ho-so/@hdnd-export", params=params, headers={"Accept": "application/json"})
        assert answer.status_code == 400 and message in answer.json()["message"], answer.text[:300]
        assert answer.json()["errors"][0]["field"] == next(iter(params))
    # Right types still reach the service, which checks the rest.
    answer = session.post(f"{base}/ho-so/hs-kieu/@hdnd-hold-back", headers=JSON, json={"until": "x", "reason": "r"})
    assert answer.status_code == 400 and "until" in answer.json()["message"]


def test_scheduling_meetings_where_they_are_not_kept_is_a_400(admin):
    base, session = admin
    answer = session.post(f"{base}/ho-so/@hdnd-schedule", headers=JSON, json={"year": 2099})
    assert answer.status_code == 400 and answer.json()["message"].startswith("folder:"), answer.text[:300]


def test_a_conflict_that_outlasts_the_retries_is_a_409(functional_portal):
    """ZPublisher retries a ConflictError; when it still fails, the error
    view answers, and for a REST request it is a 409 (plone.rest's: 500)."""
    from plone.rest.interfaces import IAPIRequest
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides
    from ZODB.POSException import ConflictError

    request = functional_portal.REQUEST
    alsoProvides(request, IAPIRequest)
    view = getMultiAdapter((ConflictError(), request), name="index.html")
    view()
    assert request.response.getStatus() == 409
    assert request.response.getHeader("Retry-After") == "1"
    assert "send the request again" in request.response.getBody().decode()
    assert "409" in openapi.PATHS["/{item}/@hdnd-hold-back"]["post"]["responses"]
