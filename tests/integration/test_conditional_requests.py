"""Conditional requests on an item (issue 21, hdnd.policy.conditions), as a
REST client of another agency expects them from RFC 9110:

- every unsafe request on an item honours If-Match / If-Unmodified-Since /
  If-None-Match: 412 with a JSON body naming the header, and nothing
  written. The requests are not a list written here: every REST service
  registered for a method other than GET (plone.restapi's, hdnd's, an
  add-on's) is read from the component registry (tests/integration/
  registered.py, where the GET gate and the attack-surface test read
  theirs), and asked on every context it is registered for, so a service
  added later is asked without anyone listing it; so are the pages of an
  item, posted to, and WebDAV's methods;
- a conditional GET or HEAD of an unchanged item answers 304, no body, the
  same ETag, and writes nothing;
- a classified item stays a missing one for a person without clearance,
  whatever conditional header they send.
"""

from email.utils import formatdate
from hdnd.content.clearance import set_clearance
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import TEST_USER_PASSWORD
from plone.app.testing import setRoles
from registered import registered  # what is registered for an item, as the other gates read it
from test_gets_write_nothing import build_site
from test_gets_write_nothing import written_since

import pytest
import transaction


PASSWORD = "conditions-pass-2026"
JSON = {"Accept": "application/json"}
STALE = '"0000000000000001"'  # a version no item has
SAFE = {"GET", "HEAD", "OPTIONS"}


def unsafe_services(context):
    """(method, name) of every REST service registered for ``context`` with
    a method other than GET/HEAD/OPTIONS."""
    return {(method, name) for method, name in registered(context)[1] if method not in SAFE}


def page_names(context):
    """The browser views registered for ``context`` (each may be posted to)."""
    return registered(context)[0]


@pytest.fixture
def contexts(functional_portal):
    portal = functional_portal
    made = build_site(portal)
    transaction.commit()
    return made


def test_every_unsafe_request_on_an_item_honours_its_preconditions(functional_portal, contexts, request_factory,
                                                                   capsys):
    """Each registered unsafe service on each context it is registered for,
    with a stale If-Match; a rotating third of them also with an old
    If-Unmodified-Since and with If-None-Match: *; every page of the item
    posted to; WebDAV's methods. Each is refused with 412 (or, where Zope or
    an earlier gate answers before anything is done - a service asked
    without its sub-path - with that 4xx: RFC 9110 13.2.1), and the
    database's last transaction never moves."""
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    db = functional_portal._p_jar.db()
    old = formatdate(0, usegmt=True)
    plan = []
    services = set()
    for n, (label, context) in enumerate(sorted(contexts.items())):
        url = context.absolute_url()
        for m, (method, name) in enumerate(sorted(unsafe_services(context))):
            services.add((method, name))
            target = f"{url}/{name}" if name else url
            plan.append((label, method, target, JSON, {"If-Match": STALE}, "If-Match"))
            if (n + m) % 3 == 0:
                plan.append((label, method, target, JSON, {"If-Unmodified-Since": old}, "If-Unmodified-Since"))
            if (n + m) % 3 == 1:
                plan.append((label, method, target, JSON, {"If-None-Match": "*"}, "If-None-Match"))
        if label != "site root":
            for method in ("DELETE", "PUT", "PROPPATCH", "MKCOL", "LOCK", "UNLOCK", "MOVE", "COPY"):
                plan.append((label, method, url, {"Accept": "text/html"}, {"If-Match": STALE}, "If-Match"))
    # The pages of an item, posted to as a form would be (each on one item).
    pages = sorted(page_names(contexts["OfficialDocument"]))
    for n, name in enumerate(pages):
        plan.append(("OfficialDocument", "POST", f"{contexts['OfficialDocument'].absolute_url()}/@@{name}",
                     {"Accept": "text/html"}, {"If-Match": STALE}, "If-Match"))
    # The services this gate exists for are among those asked.
    expected = {("DELETE", ""), ("PATCH", ""), ("POST", "@workflow"), ("POST", "@lock"), ("DELETE", "@lock"),
                ("POST", "@sharing"), ("POST", "@copy"), ("POST", "@move"), ("POST", "@hdnd-register"),
                ("POST", "@hdnd-issue"), ("POST", "@hdnd-vote"), ("POST", "@hdnd-forward")}
    assert expected <= services, sorted(expected - services)

    before = db.lastTransaction()
    statuses, refused_before, wrong, reached = {}, {}, [], set()
    for label, method, target, accept, headers, header in plan:
        answer = admin.request(method, target, headers={**accept, **headers}, allow_redirects=False, timeout=120)
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        if answer.status_code == 412:
            reached.add((method, target.rsplit("/", 1)[-1]))
            error = answer.json()["error"]
            if error["type"] != "PreconditionFailed" or error["header"] != header or header not in error["message"]:
                wrong.append((label, method, target, header, answer.text[:200]))
        elif 300 <= answer.status_code < 500:
            # Refused before the gate (Zope's validation, a name that is no
            # page, WebDAV turned off, a page that sends elsewhere): the same
            # answer without the header, so preconditions are ignored, as
            # RFC 9110 13.2.1 has it, and nothing ran either way.
            unconditional = admin.request(method, target, headers=accept, allow_redirects=False, timeout=120)
            if unconditional.status_code != answer.status_code:
                wrong.append((label, method, target, header, answer.status_code, unconditional.status_code))
            refused_before[answer.status_code] = refused_before.get(answer.status_code, 0) + 1
        else:
            wrong.append((label, method, target, header, answer.status_code, answer.text[:200]))
        if db.lastTransaction() != before:
            transaction.begin()
            raise AssertionError(f"{method} {target} with {headers} wrote: {written_since(db, before)}")
    with capsys.disabled():
        print(f"\nConditional requests: {len(services)} unsafe services on {len(contexts)} contexts, "
              f"{len(pages)} pages of an item posted to, WebDAV; {len(plan)} requests, answers "
              f"{sorted(statuses.items())}, 0 wrote; refused before the gate as without the header: "
              f"{sorted(refused_before.items())}")
    assert not wrong, wrong[:20]
    # The services this gate exists for answered 412 (DELETE and PATCH of the item itself just below).
    assert {key for key in expected if key[1]} <= reached, sorted({key for key in expected if key[1]} - reached)
    assert ("DELETE", "vb-doc") in reached and ("PATCH", "vb-doc") in reached and ("PUT", "vb-doc") in reached


@pytest.fixture
def doc(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    item = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-dk",
                              direction="outgoing", title="Dự thảo có điều kiện")
    transaction.commit()
    return item


def test_delete_and_a_workflow_step_with_preconditions(functional_portal, doc, request_factory):
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    db = functional_portal._p_jar.db()
    url = doc.absolute_url()
    got = admin.get(url)
    tag, modified = got.headers["ETag"], got.headers["Last-Modified"]
    state = api.content.get_state(doc)
    transitions = [t["@id"].rsplit("/", 1)[-1] for t in admin.get(f"{url}/@workflow").json()["transitions"]]
    assert transitions
    before = db.lastTransaction()
    for headers, header in (({"If-Match": STALE}, "If-Match"), ({"If-Match": f"W/{tag}"}, "If-Match"),
                            ({"If-Unmodified-Since": formatdate(0, usegmt=True)}, "If-Unmodified-Since"),
                            ({"If-None-Match": "*"}, "If-None-Match"), ({"If-None-Match": f"W/{tag}"}, "If-None-Match")):
        for method, target in (("POST", f"{url}/@workflow/{transitions[0]}"), ("DELETE", url)):
            answer = admin.request(method, target, headers=headers)
            assert answer.status_code == 412, (method, headers, answer.status_code, answer.text)
            assert answer.json()["error"]["header"] == header
    assert db.lastTransaction() == before
    transaction.begin()
    assert api.content.get_state(doc) == state and "vb-dk" in functional_portal["van-ban"]

    # Preconditions that hold: the step is taken, with any of the forms RFC 9110 allows.
    step = admin.post(f"{url}/@workflow/{transitions[0]}", headers={"If-Match": f'"0", {tag}',
                                                                      "If-Unmodified-Since": "not a date",
                                                                      "If-None-Match": STALE})
    assert step.status_code == 200, step.text
    transaction.begin()
    assert api.content.get_state(doc) != state
    # The step changed the item's version: the tag read before is stale now.
    assert admin.delete(url, headers={"If-Match": tag}).status_code == 412
    assert admin.delete(url, headers={"If-Unmodified-Since": modified}).status_code in (204, 412)
    transaction.begin()
    if "vb-dk" in functional_portal["van-ban"]:  # the step came in the same second as the GET
        fresh = admin.get(url).headers["ETag"]
        assert admin.delete(url, headers={"If-Match": fresh}).status_code == 204
    transaction.begin()
    assert "vb-dk" not in functional_portal["van-ban"]


def test_conditional_get_and_head(functional_portal, doc, request_factory):
    """304 with no body and the same ETag for an unchanged item, by tag
    (weak comparison) or date; a changed item (or a child added to it) is
    answered in full with its new ETag; nothing is written."""
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    db = functional_portal._p_jar.db()
    url = doc.absolute_url()
    got = admin.get(url)
    tag, modified = got.headers["ETag"], got.headers["Last-Modified"]
    # One person's answer: no shared cache keeps it, and a client's own revalidates it.
    assert got.headers["Cache-Control"] == "private, no-cache" and "Accept" in got.headers["Vary"]
    before = db.lastTransaction()
    for headers in ({"If-None-Match": tag}, {"If-None-Match": f"W/{tag}"}, {"If-None-Match": f'"x", {tag}'},
                    {"If-None-Match": "*"}, {"If-Modified-Since": modified},
                    {"If-Modified-Since": formatdate(9_999_999_999, usegmt=True)}):
        for method in ("GET", "HEAD"):
            answer = admin.request(method, url, headers=headers)
            assert answer.status_code == 304, (method, headers, answer.status_code, answer.text[:200])
            assert answer.content == b"" and answer.headers["ETag"] == tag, (method, headers)
            assert answer.headers["Last-Modified"] == modified
            assert answer.headers["Cache-Control"] == "private, no-cache"
    for headers in ({"If-None-Match": STALE}, {"If-Modified-Since": formatdate(0, usegmt=True)},
                    {"If-Modified-Since": "not a date"},
                    # If-None-Match, when sent, decides alone (RFC 9110 13.2.2).
                    {"If-None-Match": STALE, "If-Modified-Since": modified}):
        answer = admin.get(url, headers=headers)
        assert answer.status_code == 200 and answer.json()["title"] == "Dự thảo có điều kiện", headers
        assert answer.headers["ETag"] == tag
    head, full = admin.head(url), admin.get(url)
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"] == tag
    assert head.headers["Content-Type"] == full.headers["Content-Type"] == "application/json"
    assert int(head.headers["Content-Length"]) == len(full.content)  # what GET's body would be
    # If-Match on a GET is a precondition too.
    assert admin.get(url, headers={"If-Match": STALE}).status_code == 412
    # Only the item's own answer is what the ETag stands for: another GET
    # service of it (its workflow, with the item's transitions) is never 304.
    assert admin.get(f"{url}/@workflow", headers={"If-None-Match": tag}).status_code == 200
    assert db.lastTransaction() == before

    # A child added: the container's answer lists it, so its ETag moves.
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=doc, type="ProcessingSlip", title="Phiếu xử lý")
    transaction.commit()
    after_child = admin.get(url, headers={"If-None-Match": tag})
    assert after_child.status_code == 200 and after_child.headers["ETag"] != tag
    assert [i["title"] for i in after_child.json()["items"]] == ["Phiếu xử lý"]
    # An edit: the same.
    tag = after_child.headers["ETag"]
    assert admin.patch(url, json={"title": "Đã sửa"}, headers={"If-Match": tag}).status_code == 204
    edited = admin.get(url, headers={"If-None-Match": tag})
    assert edited.status_code == 200 and edited.json()["title"] == "Đã sửa" and edited.headers["ETag"] != tag
    assert admin.get(url, headers={"If-None-Match": edited.headers["ETag"]}).status_code == 304


def test_a_classified_item_stays_missing_whatever_the_conditions(functional_portal, request_factory):
    """hdnd.content.hidden answers first: a person without clearance gets the
    same 404 with and without conditional headers - a 304 (or a 412) would
    tell that something is there. The cleared person who needs to know it
    gets the 304 and the 412, so the headers are not simply ignored."""
    portal = functional_portal
    for user, group in (("cv-khong", "specialists"), ("lanh-dao", "delegation-leaders")):
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    set_clearance("lanh-dao", "tuyet_mat")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    secret = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-mat-dk",
                                title="Văn bản mật", direction="internal", classification="mat",
                                need_to_know=["lanh-dao"])
    transaction.commit()
    url, missing = secret.absolute_url(), portal["van-ban"].absolute_url() + "/vb-khong-co"
    leader = request_factory(basic_auth=("lanh-dao", PASSWORD))
    seen = leader.get(url)
    assert seen.status_code == 200, seen.text
    tag, modified = seen.headers["ETag"], seen.headers["Last-Modified"]
    # The leader: the conditions work on it.
    assert leader.get(url, headers={"If-None-Match": tag}).status_code == 304
    # Its author (a Manager, cleared): a change of it is conditional.
    author = request_factory(basic_auth=(TEST_USER_NAME, TEST_USER_PASSWORD))
    assert author.get(url).headers["ETag"] == tag
    assert author.post(f"{url}/@workflow/submit", headers={"If-Match": STALE}).status_code == 412

    outsider = request_factory(basic_auth=("cv-khong", PASSWORD))
    anonymous = request_factory()
    db = portal._p_jar.db()
    before = db.lastTransaction()
    conditions = [{}, {"If-None-Match": tag}, {"If-None-Match": "*"}, {"If-Modified-Since": modified},
                  {"If-Match": STALE}, {"If-Match": "*"}, {"If-Match": tag},
                  {"If-Unmodified-Since": formatdate(0, usegmt=True)}, {"If-None-Match": "*", "If-Match": STALE}]
    compared = 0
    for who in (outsider, anonymous):
        for method, suffix in (("GET", ""), ("HEAD", ""), ("DELETE", ""), ("PATCH", ""), ("POST", "/@workflow/submit"),
                               ("POST", "/@lock"), ("POST", "/@hdnd-register")):
            # HEAD on a kept-alive connection: its answer has no body to be read as the next one's.
            close = {}
            plain = {target: who.request(method, target + suffix, headers=close) for target in (url, missing)}
            for headers in conditions:
                for target in (url, missing):
                    answer = who.request(method, target + suffix, headers={**headers, **close})
                    assert answer.status_code == 404, (method, suffix, headers, answer.status_code, answer.text[:300])
                    # The same answer as without the headers, and as a URL that names nothing.
                    assert answer.content == plain[target].content, (method, suffix, headers)
                    assert set(answer.headers) - {"Date"} == set(plain[target].headers) - {"Date"}
                    assert "ETag" not in answer.headers and "Last-Modified" not in answer.headers
                    compared += 1
            assert plain[url].content.replace(b"vb-mat-dk", b"vb-khong-co") == plain[missing].content, (method, suffix)
    assert compared == 2 * 7 * len(conditions) * 2
    assert db.lastTransaction() == before
