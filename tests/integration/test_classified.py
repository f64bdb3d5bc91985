"""Classified items are invisible — title, existence, count — to anyone
without the clearance and the need to know, through every listing, search
and REST endpoint; site administrators are not exempt. Each user of the
matrix below walks every endpoint, over HTTP against a real WSGI server."""

from datetime import date
from datetime import timedelta
from hdnd.content import grants
from hdnd.content.clearance import get_clearance
from hdnd.content.clearance import set_clearance
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import io
import pytest
import transaction
import zipfile


PASSWORD = "secret-pass-123"
LEVELS = ("mat", "toi_mat", "tuyet_mat")

# user -> (group, clearance, named on every classified item?)
PEOPLE = {
    "named-top": ("specialists", "tuyet_mat", True),
    "named-mat": ("specialists", "mat", True),
    "unnamed-top": ("specialists", "tuyet_mat", False),
    "named-none": ("specialists", "none", True),
    "plain": ("specialists", "none", False),
    "clerk": ("registry-clerks", "none", False),
    "leader-unnamed": ("delegation-leaders", "tuyet_mat", False),
    "officer": ("security-officers", "tuyet_mat", False),
    "siteadmin": ("Site Administrators", "tuyet_mat", False),
    "manager": ("Administrators", "tuyet_mat", False),
}


def may_see(user, level):
    _group, clearance, named = PEOPLE[user]
    return named and LEVELS.index(level) <= (LEVELS.index(clearance) if clearance in LEVELS else -1)


@pytest.fixture
def office(functional_portal):
    portal = functional_portal
    for user, (group, clearance, _named) in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        with grants.as_system():  # the officer: only the system or an officer makes one
            api.group.add_user(groupname=group, username=user)
        set_clearance(user, clearance)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    named = [u for u, (_g, _c, n) in PEOPLE.items() if n]
    secrets = {}
    for level in LEVELS:
        doc = api.content.create(
            container=portal["van-ban"], type="OfficialDocument", id=f"doc-{level}",
            title=f"BIMAT{level} nhân sự", direction="incoming", classification=level,
            need_to_know=named,
        )
        doc.arrival_date = date.today()  # in this year's incoming register
        api.content.create(container=doc, type="File", id="phu-luc", title=f"BIMAT{level} phụ lục")
        # A task of the document, overdue: the dashboards' lists and figures.
        api.content.create(container=doc, type="Task", id="nhiem-vu", title=f"BIMAT{level} nhiệm vụ",
                           assignee="plain", deadline=date.today() - timedelta(days=3))
        dossier = api.content.create(
            container=portal["ho-so"], type="Dossier", id=f"dossier-{level}",
            title=f"BIMAT{level} hồ sơ", classification=level, need_to_know=named,
        )
        # Unclassified itself, classified by its dossier.
        api.content.create(
            container=dossier, type="OfficialDocument", id="inside", title=f"BIMAT{level} bên trong",
            direction="internal",
        )
        secrets[level] = [doc, doc["phu-luc"], dossier, dossier["inside"]]
    api.content.create(container=portal["van-ban"], type="OfficialDocument", id="public",
                       title="Văn bản thường CONGKHAI", direction="incoming")
    transaction.commit()
    return secrets


def walk(session, portal_url, level):
    """Every endpoint a person may use to learn of an item; the responses' text."""
    base = portal_url
    paths = [f"/van-ban/doc-{level}", f"/ho-so/dossier-{level}", f"/ho-so/dossier-{level}/inside",
             f"/van-ban/doc-{level}/phu-luc"]
    texts = []
    json_headers = {"Accept": "application/json"}
    for url in [
        "/van-ban", "/ho-so", "/@search?SearchableText=BIMAT*", f"/@search?classification={level}",
        "/@search?portal_type=OfficialDocument&b_size=100", "/@search?path.depth=3&b_size=100",
        "/@navigation?expand.navigation.depth=4", "/@vocabularies/plone.app.vocabularies.Catalog?title=BIMAT",
    ] + [p + suffix for p in paths for suffix in ("", "/@history", "/@breadcrumbs", "/@workflow", "/@sharing")]:
        response = session.get(base + url, headers=json_headers)
        texts.append((url, response.status_code, response.text))
    response = session.post(base + "/@querystring-search", headers=json_headers, json={
        "query": [{"i": "portal_type", "o": "plone.app.querystring.operation.selection.any",
                   "v": ["OfficialDocument", "Dossier", "File"]}], "b_size": 100})
    texts.append(("@querystring-search", response.status_code, response.text))
    for url in ["/van-ban", "/ho-so", "/@@search?SearchableText=BIMAT*", "/@@livesearch_reply?q=BIMAT",
                "/van-ban/folder_contents", f"/van-ban/doc-{level}", "/sitemap.xml.gz", "/@@hdnd-dashboard"]:
        response = session.get(base + url)
        texts.append((url + " (html)", response.status_code, response.text))
    # Dashboards, figures, exports and generated documents (zipped: read inside).
    for url in ["/@hdnd-dashboard", "/@hdnd-search?SearchableText=BIMAT*", f"/van-ban/doc-{level}/@hdnd-figures", "/van-ban/@hdnd-export",
                "/ho-so/@hdnd-export", f"/van-ban/@hdnd-generate/so-van-ban-den?format=odt&year={date.today().year}",
                f"/van-ban/doc-{level}/@hdnd-templates"]:
        response = session.get(base + url, headers=json_headers)
        texts.append((url, response.status_code, unzipped(response.content)))
    return texts


def unzipped(content):
    """The text of a response; of every part of an .xlsx or .odt."""
    if not content.startswith(b"PK"):
        return content.decode("utf-8", "replace")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


@pytest.mark.parametrize("user", list(PEOPLE))
def test_nobody_learns_of_a_classified_item_they_may_not_see(office, functional_portal, request_factory, user):
    session = request_factory(basic_auth=(user, PASSWORD), api=False)
    portal_url = functional_portal.absolute_url()
    for level in LEVELS:
        token = f"BIMAT{level}"
        texts = walk(session, portal_url, level)
        seen = [(url, status) for url, status, text in texts if token in text]
        if may_see(user, level):
            assert seen, f"{user} should see {level} items"
            # The new ways in do show it to who may see it (so their silence below means something).
            shown = {url for url, _status in seen}
            for way in ("/@hdnd-dashboard", "/@hdnd-search", "/van-ban/@hdnd-export", "so-van-ban-den",
                        f"doc-{level}/@hdnd-figures"):
                assert any(way in url for url in shown), (user, level, way, shown)
        else:
            assert not seen, f"{user} learnt of a {level} item through {seen}"
            direct = session.get(f"{portal_url}/van-ban/doc-{level}", headers={"Accept": "application/json"})
            assert direct.status_code in (401, 403, 404)


def test_counts_do_not_betray_classified_items(office, functional_portal, request_factory):
    totals = {}
    for user in ("plain", "manager", "named-top"):
        session = request_factory(basic_auth=(user, PASSWORD), api=False)
        found = session.get(
            f"{functional_portal.absolute_url()}/@search?portal_type=OfficialDocument",
            headers={"Accept": "application/json"},
        ).json()
        totals[user] = found["items_total"]
    assert totals["plain"] == totals["manager"] == 1  # only the public one
    assert totals["named-top"] == 1 + 2 * len(LEVELS)
    # The facets of the records search count the same way.
    facets = {}
    for user in ("plain", "named-top"):
        session = request_factory(basic_auth=(user, PASSWORD), api=False)
        facets[user] = session.get(f"{functional_portal.absolute_url()}/@hdnd-search",
                                   params={"portal_type": "OfficialDocument"},
                                   headers={"Accept": "application/json"}).json()["facets"]["portal_type"]
    assert facets == {"plain": {"OfficialDocument": 1}, "named-top": {"OfficialDocument": 1 + 2 * len(LEVELS)}}


def test_clearance_is_set_only_by_a_security_officer(office, functional_portal, request_factory):
    url = f"{functional_portal.absolute_url()}/@users/plain"
    json_headers = {"Accept": "application/json"}
    me = request_factory(basic_auth=("plain", PASSWORD), api=False)
    assert me.patch(url, json={"clearance": "tuyet_mat"}, headers=json_headers).status_code == 403
    manager = request_factory(basic_auth=("manager", PASSWORD), api=False)
    assert manager.patch(url, json={"clearance": "tuyet_mat"}, headers=json_headers).status_code == 403
    officer = request_factory(basic_auth=("officer", PASSWORD), api=False)
    bad = officer.patch(url, json={"clearance": "top"}, headers=json_headers)
    assert bad.status_code == 400 and "clearance" in bad.text
    transaction.begin()
    assert get_clearance("plain") == "none"
    assert officer.patch(url, json={"clearance": "mat"}, headers=json_headers).status_code == 204
    assert officer.get(url, headers=json_headers).json()["clearance"] == "mat"
    assert "clearance" not in manager.get(url, headers=json_headers).json()
    assert me.get(url, headers=json_headers).json()["clearance"] == "mat"


def test_clearance_raised_and_named_opens_the_item(office, functional_portal, request_factory):
    url = f"{functional_portal.absolute_url()}/van-ban/doc-toi_mat"
    json_headers = {"Accept": "application/json"}
    reader = request_factory(basic_auth=("named-mat", PASSWORD), api=False)
    assert reader.get(url, headers=json_headers).status_code == 404  # as if it did not exist
    officer = request_factory(basic_auth=("officer", PASSWORD), api=False)
    officer.patch(f"{functional_portal.absolute_url()}/@users/named-mat", json={"clearance": "toi_mat"},
                  headers=json_headers)
    response = reader.get(url, headers=json_headers)
    assert response.status_code == 200, response.text[-3000:]


def test_creating_above_ones_clearance_is_refused(office, functional_portal, request_factory):
    session = request_factory(basic_auth=("plain", PASSWORD), api=False)
    response = session.post(f"{functional_portal.absolute_url()}/ho-so", headers={"Accept": "application/json"},
                            json={"@type": "Dossier", "title": "x", "classification": "mat"})
    assert response.status_code == 400
    assert "classification" in response.text
    cleared = request_factory(basic_auth=("named-top", PASSWORD), api=False)
    response = cleared.post(f"{functional_portal.absolute_url()}/ho-so", headers={"Accept": "application/json"},
                            json={"@type": "Dossier", "id": "mine", "title": "Hồ sơ mật của tôi", "classification": "mat"})
    assert response.status_code == 201, response.text
    assert cleared.get(f"{functional_portal.absolute_url()}/ho-so/mine", headers={"Accept": "application/json"}).json()["need_to_know"]


def test_only_a_security_officer_lowers_a_classification(office, functional_portal, request_factory):
    url = f"{functional_portal.absolute_url()}/ho-so/dossier-mat"
    json_headers = {"Accept": "application/json"}
    named = request_factory(basic_auth=("named-top", PASSWORD), api=False)
    raised = named.patch(url, headers=json_headers, json={"classification": "toi_mat"})
    assert raised.status_code == 204, raised.text  # raising is free
    lowered = named.patch(url, headers=json_headers, json={"classification": "none"})
    assert lowered.status_code == 400
    assert "cán bộ bảo mật" in lowered.json()["message"]  # "only a security officer…", in Vietnamese
    assert named.get(url, headers=json_headers).json()["classification"]["token"] == "toi_mat"


def test_protection_runs_out_and_the_item_is_declassified(office, functional_portal, request_factory):
    import datetime

    from hdnd.content.security import declassify_expired

    doc = functional_portal["van-ban"]["doc-mat"]
    assert doc.classified_on == datetime.date.today()
    assert declassify_expired(datetime.date.today() + datetime.timedelta(days=3650)) == []
    expired = declassify_expired(datetime.date.today().replace(year=datetime.date.today().year + 11))
    assert "/plone/van-ban/doc-mat" in expired
    transaction.commit()
    plain = request_factory(basic_auth=("plain", PASSWORD), api=False)
    assert plain.get(doc.absolute_url(), headers={"Accept": "application/json"}).status_code == 200


JSON = {"Accept": "application/json"}


def test_a_role_given_site_wide_opens_nothing(office, functional_portal, request_factory):
    """An administrator who gives themselves (or everyone) a role still cannot see."""
    base = functional_portal.absolute_url()
    admin = request_factory(basic_auth=("siteadmin", PASSWORD), api=False)
    assert admin.patch(f"{base}/@users/siteadmin", headers=JSON,
                       json={"roles": {"Reader": True, "Specialist": True}}).status_code == 204
    assert admin.patch(f"{base}/@groups/AuthenticatedUsers", headers=JSON,
                       json={"roles": ["Reader"]}).status_code == 204
    for user in ("siteadmin", "plain"):
        session = request_factory(basic_auth=(user, PASSWORD), api=False)
        assert session.get(f"{base}/van-ban/doc-mat", headers=JSON).status_code in (401, 403, 404)
        found = session.get(f"{base}/@search?SearchableText=BIMAT*", headers=JSON).json()
        assert found["items_total"] == 0, user
    # ...nor can they give the cleared roles or make themselves security officer.
    refused = admin.patch(f"{base}/@users/siteadmin", headers=JSON, json={"roles": {"ClearedReader": True}})
    assert refused.status_code == 403
    refused = admin.patch(f"{base}/@users/siteadmin", headers=JSON, json={"roles": {"SecurityOfficer": True}})
    assert refused.status_code == 403
    refused = admin.patch(f"{base}/@groups/security-officers", headers=JSON, json={"users": {"siteadmin": True}})
    assert refused.status_code == 403


def test_nobody_deletes_or_copies_out_a_classified_item(office, functional_portal, request_factory):
    base = functional_portal.absolute_url()
    manager = request_factory(basic_auth=("manager", PASSWORD), api=False)
    assert manager.delete(f"{base}/van-ban/doc-mat", headers=JSON).status_code in (401, 403, 404)
    named = request_factory(basic_auth=("named-top", PASSWORD), api=False)
    # Refused before anyone is validated on a classified item: answered as a
    # missing URL, even to a cleared reader (who may not delete it either).
    assert named.delete(f"{base}/ho-so/dossier-mat", headers=JSON).status_code == 404
    # A cleared reader may copy an item out of its classified dossier: the
    # copy stays classified, for the same people.
    copied = named.post(f"{base}/van-ban/@copy", headers=JSON,
                        json={"source": f"{base}/ho-so/dossier-mat/inside"})
    assert copied.status_code == 200, copied.text
    transaction.begin()
    assert "doc-mat" in functional_portal["van-ban"].objectIds()
    copy = functional_portal["van-ban"]["inside"]
    assert copy.classification == "mat"
    plain = request_factory(basic_auth=("plain", PASSWORD), api=False)
    assert plain.get(f"{base}/van-ban/inside", headers=JSON).status_code == 404
    assert plain.get(f"{base}/@search?SearchableText=BIMATmat*", headers=JSON).json()["items_total"] == 0
    assert named.get(f"{base}/van-ban/inside", headers=JSON).status_code == 200


def test_a_name_on_an_ordinary_dossier_opens_nothing_inside(office, functional_portal, request_factory):
    base = functional_portal.absolute_url()
    named = request_factory(basic_auth=("named-top", PASSWORD), api=False)
    dossier = named.post(f"{base}/ho-so", headers=JSON, json={"@type": "Dossier", "id": "thuong", "title": "Hồ sơ thường"})
    assert dossier.status_code == 201
    secret = named.post(f"{base}/ho-so/thuong", headers=JSON, json={
        "@type": "OfficialDocument", "id": "du-thao-mat", "title": "BIMATx dự thảo", "direction": "internal",
        "classification": "mat"})
    assert secret.status_code == 201, secret.text
    unnamed = request_factory(basic_auth=("unnamed-top", PASSWORD), api=False)
    # unnamed-top may edit the ordinary dossier and names themselves on it:
    transaction.begin()
    functional_portal["ho-so"]["thuong"].need_to_know = ["unnamed-top"]
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    notify(ObjectModifiedEvent(functional_portal["ho-so"]["thuong"]))
    transaction.commit()
    assert unnamed.get(f"{base}/ho-so/thuong/du-thao-mat", headers=JSON).status_code == 404


def test_keywords_of_classified_items_stay_out_of_keyword_lists(office, functional_portal, request_factory):
    doc = functional_portal["van-ban"]["doc-mat"]
    doc.setSubject(["BIMATKW"])
    doc.reindexObject()
    transaction.commit()
    manager = request_factory(basic_auth=("manager", PASSWORD), api=False)
    keywords = manager.get(f"{functional_portal.absolute_url()}/@vocabularies/plone.app.vocabularies.Keywords",
                           headers=JSON)
    assert "BIMATKW" not in keywords.text


def test_a_number_held_by_a_classified_document_is_refused_without_saying_so(office, functional_portal, request_factory):
    transaction.begin()
    functional_portal["van-ban"]["doc-mat"].symbol = "77-QĐ/TU"
    functional_portal["van-ban"]["doc-mat"].issue_date = __import__("datetime").date(2026, 3, 1)
    functional_portal["van-ban"]["doc-mat"].reindexObject()
    transaction.commit()
    clerk = request_factory(basic_auth=("clerk", PASSWORD), api=False)
    response = clerk.post(f"{functional_portal.absolute_url()}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "title": "Quyết định", "direction": "incoming", "symbol": "77-QĐ/TU",
        "issue_date": "2026-03-01"})
    assert response.status_code == 400
    assert "đã được đăng ký" not in response.json()["message"]  # not "already registered (arrival …)"
    assert "77-QĐ/TU" in response.json()["message"]


def test_a_classified_item_gets_a_neutral_id(office, functional_portal, request_factory):
    named = request_factory(basic_auth=("named-top", PASSWORD), api=False)
    base = functional_portal.absolute_url()
    secret = named.post(f"{base}/ho-so", headers=JSON, json={
        "@type": "Dossier", "title": "Kỷ luật ông Trần Văn B", "classification": "mat"})
    assert secret.status_code == 201, secret.text
    assert "tran-van-b" not in secret.json()["@id"]
    assert secret.json()["@id"].rsplit("/", 1)[-1].startswith("dossier-")
    ordinary = named.post(f"{base}/ho-so", headers=JSON, json={"@type": "Dossier", "title": "Hồ sơ giám sát"})
    assert ordinary.json()["@id"].endswith("/ho-so-giam-sat")
