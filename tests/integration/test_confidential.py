"""The confidential installation (domain §5): Party numbers reserved on the
main installation, issued on the confidential one, reported back as stubs.

One test site plays both installations: the registry record
``hdnd.installation.kind`` is switched between them (their stores in the
site's annotations do not overlap).
"""

from datetime import date
from hdnd.content import installation
from hdnd.content import numbers
from hdnd.content.core import reservations as core
from hdnd.content.core.numbering import NumberingError
from hdnd.content.core.reservations import ReservationError
from hdnd.content.numbers import reservations
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import json
import pytest
import transaction


try:  # the clearance rules of the security work
    from hdnd.content.clearance import set_clearance
except ImportError:  # pragma: no cover
    set_clearance = None


KEY = "khóa-chung-giữa-hai-hệ-thống-2026"
DAY = date(2026, 3, 2)


def be(kind, installation_id):
    api.portal.set_registry_record("hdnd.installation.kind", kind)
    api.portal.set_registry_record("hdnd.installation.installation_id", installation_id)


def main():
    be("main", "hdnd-main")


def confidential():
    be("confidential", "hdnd-mat")


@pytest.fixture
def folder(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    if set_clearance is not None:  # whoever creates a secret document is cleared for it
        set_clearance(TEST_USER_ID, "tuyet_mat")
    api.portal.set_registry_record("hdnd.installation.reservation_key", KEY)
    main()
    return portal["van-ban"]


def outgoing(folder, document_type="TB", **fields):
    fields.setdefault("title", "Thông báo kết luận")
    return api.content.create(
        container=folder, type="OfficialDocument", direction="outgoing",
        document_type=document_type, **fields,
    )


def test_reserved_numbers_are_never_given_by_the_main_installation(folder):
    text = reservations.reserve("tb", 3, DAY, "hdnd-mat")
    payload = core.verify(text, KEY)
    assert (payload["kind"], payload["from"], payload["to"]) == ("reservation", "hdnd-main", "hdnd-mat")
    assert payload["key"] == ["party", "ĐĐHĐND", "TB", "2025-2030"]
    assert payload["numbers"] == [1, 2, 3]
    assert numbers.take_number(outgoing(folder), DAY) == "04-TB/ĐĐHĐND"
    assert numbers.take_number(outgoing(folder, "BC"), DAY) == "01-BC/ĐĐHĐND"
    assert core.verify(reservations.reserve("TB", 2, DAY, "hdnd-mat"), KEY)["numbers"] == [5, 6]


def test_the_confidential_installation_issues_reserved_numbers_in_order(folder):
    text = reservations.reserve("TB", 3, DAY, "hdnd-mat")
    assert numbers.take_number(outgoing(folder), DAY) == "04-TB/ĐĐHĐND"
    confidential()
    received = reservations.import_reservation(text)
    assert received["numbers"] == [1, 2, 3] and received["left"] == 3
    issued = [
        numbers.take_number(outgoing(folder, classification="mat"), DAY),
        numbers.take_number(outgoing(folder, classification="toi_mat"), DAY),
        numbers.take_number(outgoing(folder, classification="mat"), DAY),
    ]
    assert issued == ["01-TB/ĐĐHĐND", "02-TB/ĐĐHĐND", "03-TB/ĐĐHĐND"]
    with pytest.raises(NumberingError, match="No reserved numbers left for TB: import a reservation"):
        numbers.take_number(outgoing(folder, classification="mat"), DAY)
    with pytest.raises(NumberingError, match="No reserved numbers left for BC"):
        numbers.take_number(outgoing(folder, "BC", classification="mat"), DAY)
    # State numbers have their own secret series, kept where the documents are.
    state = outgoing(folder, "QĐ", family="state", classification="mat")
    assert numbers.take_number(state, DAY) == "01/QĐ-ĐĐHĐND"
    assert reservations.pool() == {("party", "ĐĐHĐND", "TB", "2025-2030"): []}


def test_a_file_is_imported_once_and_only_where_it_is_addressed(folder):
    text = reservations.reserve("TB", 2, DAY, "hdnd-mat")
    elsewhere = reservations.reserve("TB", 2, DAY, "hdnd-mat-2")
    with pytest.raises(ReservationError, match="on the confidential installation; this is the main"):
        reservations.import_reservation(text)
    confidential()
    reservations.import_reservation(text)
    with pytest.raises(ReservationError, match="already imported"):
        reservations.import_reservation(text)
    with pytest.raises(ReservationError, match="addressed to hdnd-mat-2, not to this installation"):
        reservations.import_reservation(elsewhere)
    with pytest.raises(ReservationError, match="Reserving numbers is done on the main installation"):
        reservations.reserve("TB", 1, DAY, "hdnd-main")
    assert reservations.pool() == {("party", "ĐĐHĐND", "TB", "2025-2030"): [1, 2]}


def test_a_tampered_or_foreign_file_is_refused(folder):
    data = json.loads(reservations.reserve("TB", 2, DAY, "hdnd-mat"))
    data["numbers"] = [1, 2, 3]
    confidential()
    with pytest.raises(ReservationError, match="signature does not match"):
        reservations.import_reservation(json.dumps(data, ensure_ascii=False))
    api.portal.set_registry_record("hdnd.installation.reservation_key", "một-khóa-khác-hẳn-dài-đủ")
    data["numbers"] = [1, 2]
    with pytest.raises(ReservationError, match="signature does not match"):
        reservations.import_reservation(json.dumps(data, ensure_ascii=False))
    with pytest.raises(ReservationError, match="not JSON"):
        reservations.import_file("<edXML/>")
    assert reservations.pool() == {}


def test_nothing_moves_without_the_shared_key(folder):
    api.portal.set_registry_record("hdnd.installation.reservation_key", "")
    with pytest.raises(ReservationError, match="No reservation key is set"):
        reservations.reserve("TB", 1, DAY, "hdnd-mat")
    assert numbers.take_number(outgoing(folder), DAY) == "01-TB/ĐĐHĐND"  # nothing was taken


def test_numbers_for_another_body_or_term_are_refused(folder):
    text = reservations.reserve("TB", 1, DAY, "hdnd-mat")
    confidential()
    api.portal.set_registry_record("hdnd.organisation.symbol_abbreviation", "TU")
    with pytest.raises(ReservationError, match="numbers are for ĐĐHĐND, term 2025-2030"):
        reservations.import_reservation(text)


def test_the_report_makes_stubs_on_the_main_installation_without_subjects(folder):
    text = reservations.reserve("TB", 3, DAY, "hdnd-mat")
    confidential()
    reservations.import_reservation(text)
    first = outgoing(folder, title="Kết luận về công tác nhân sự", classification="toi_mat")
    second = outgoing(folder, title="Thông báo ý kiến về đề án", classification="mat")
    numbers.take_number(first, DAY)
    numbers.take_number(second, date(2026, 3, 5))
    report_text = reservations.report("hdnd-main")
    assert "nhân sự" not in report_text and "đề án" not in report_text
    with pytest.raises(ReservationError, match="Importing a report of issued numbers is done on the main"):
        reservations.import_report(report_text)
    main()
    with pytest.raises(ReservationError, match="Reporting issued numbers is done on the confidential"):
        reservations.report("hdnd-mat")
    kind, stubs = reservations.import_file(report_text)
    assert kind == "report"
    assert [s.title for s in stubs] == ["Văn bản mật số 01-TB/ĐĐHĐND", "Văn bản mật số 02-TB/ĐĐHĐND"]
    stub = stubs[0]
    assert stub.portal_type == "SecretDocumentStub"
    # Its own workflow (hdnd_secret_stub_workflow): recorded, nothing to publish.
    assert api.content.get_state(stub) == "recorded"
    assert api.portal.get_tool("portal_workflow").getTransitionsFor(stub) == ()
    assert folder[stub.getId()].aq_base is stub.aq_base
    assert stub.getId() == "van-ban-mat-01-tb-ddhdnd-2025-2030"
    assert (stub.symbol, stub.issue_date, stub.document_classification, stub.document_type, stub.held_at) == (
        "01-TB/ĐĐHĐND", DAY, "toi_mat", "TB", "hdnd-mat",
    )
    assert stubs[1].issue_date == date(2026, 3, 5)
    assert not getattr(stub, "description", "") and not hasattr(stub, "classification")
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(portal_type="SecretDocumentStub", symbol="02-TB/ĐĐHĐND")
    assert [b.getId for b in found] == [stubs[1].getId()]
    by_number = catalog.unrestrictedSearchResults(portal_type="SecretDocumentStub", number=2)
    assert [b.getId for b in by_number] == [stubs[1].getId()]
    with pytest.raises(ReservationError, match="already imported"):
        reservations.import_report(report_text)


def test_a_report_covers_what_was_issued_since_the_last_one(folder):
    text = reservations.reserve("TB", 2, DAY, "hdnd-mat")
    confidential()
    reservations.import_reservation(text)
    with pytest.raises(ReservationError, match="Nothing to report"):
        reservations.report("hdnd-main")
    numbers.take_number(outgoing(folder, classification="mat"), DAY)
    assert [e["number"] for e in core.verify(reservations.report("hdnd-main"), KEY)["issued"]] == [1]
    with pytest.raises(ReservationError, match="Nothing to report"):
        reservations.report("hdnd-main")
    numbers.take_number(outgoing(folder, classification="mat"), DAY)
    later = core.verify(reservations.report("hdnd-main"), KEY)["issued"]
    assert [(e["number"], e["symbol"], e["classification"]) for e in later] == [(2, "02-TB/ĐĐHĐND", "mat")]


def test_a_report_of_numbers_never_reserved_is_refused(folder):
    reservations.reserve("TB", 1, DAY, "hdnd-mat")
    forged = core.sign(core.report("hdnd-mat", "hdnd-main", [{
        "key": ("party", "ĐĐHĐND", "TB", "2025-2030"), "number": 7, "symbol": "07-TB/ĐĐHĐND",
        "issue_date": DAY, "classification": "mat", "document_type": "TB",
    }]), KEY)
    with pytest.raises(ReservationError, match="07-TB/ĐĐHĐND \\(2025-2030\\) was not reserved for hdnd-mat"):
        reservations.import_report(forged)
    assert not api.portal.get_tool("portal_catalog").unrestrictedSearchResults(portal_type="SecretDocumentStub")


def test_the_confidential_profile_turns_exchange_off(portal):
    api.portal.set_registry_record("hdnd.installation.reservation_key", KEY)
    assert installation.kind() == "main" and installation.exchange_enabled()
    assert installation.installation_id() == "hdnd-main"
    setup = api.portal.get_tool("portal_setup")
    setup.runAllImportStepsFromProfile("profile-hdnd.policy:confidential")
    assert installation.kind() == "confidential" and installation.is_confidential()
    assert installation.installation_id() == "hdnd-mat"
    assert api.portal.get_registry_record("hdnd.installation.exchange_enabled") is False
    assert installation.exchange_enabled() is False
    assert installation.reservation_key() == KEY  # kept
    # Never exchange from a confidential installation, whatever the record says.
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    assert installation.exchange_enabled() is False


def test_a_main_site_is_never_turned_into_the_confidential_one(portal, app):
    from hdnd.policy.site import ensure_site
    from hdnd.policy.site import install_confidential
    from hdnd.policy.site import SetupError

    with pytest.raises(SetupError, match="holds a main installation"):
        install_confidential(portal, created=False)
    with pytest.raises(SetupError, match="no demo data"):
        ensure_site(app, portal.getId(), demo=True, confidential=True)
    assert not installation.is_confidential()


def test_setting_the_key(portal):
    with pytest.raises(ReservationError, match="too short"):
        installation.set_reservation_key("ngắn")
    installation.set_reservation_key(KEY)
    assert installation.reservation_key() == KEY


def test_the_confidential_deployment_profile_and_commands(tmp_path):
    from hdnd.policy import cli
    from hdnd.policy.cli.instance import write_instance
    from Zope2.Startup.options import ZopeWSGIOptions

    args = cli.parser().parse_args(["--var", str(tmp_path / "var"), "--profile", "confidential", "instance"])
    zope_conf = write_instance(args)
    config = ZopeWSGIOptions(configfile=str(zope_conf))().configroot
    (database,) = config.databases
    assert type(database.config.storage).__name__ == "BlobStorage"
    assert "The confidential installation (domain §5)" in zope_conf.read_text()
    args = cli.parser().parse_args(
        ["numbers", "reserve", "--type", "TB", "--count", "5", "--to", "hdnd-mat", "--out", "f.json",
         "--date", "2026-03-02"]
    )
    assert (args.func, args.count, args.date) == (cli.Command("numbers", "cmd_reserve"), 5, DAY)
    assert cli.parser().parse_args(["numbers", "import", "f.json"]).func == cli.Command("numbers", "cmd_import")
    assert cli.parser().parse_args(["numbers", "report", "--to", "hdnd-main", "--out", "r"]).to == "hdnd-main"


def test_content_upgrade_to_1009_gives_existing_stubs_their_workflow(folder):
    """A site of 1008: stubs followed the default workflow (anyone holding
    Reader on Văn bản saw them; one could be published). The upgrade puts
    them in hdnd_secret_stub_workflow, out of reach of staff and anonymous."""
    from plone.dexterity.utils import createContentInContainer

    tool = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    for user, group in (("cv-a", "specialists"), ("vt-a", "registry-clerks"), ("lt-a", "records-managers"),
                        ("tv-a", "delegation-members")):
        api.user.create(email=f"{user}@example.vn", username=user, password="stub-pass-2026")
        api.group.add_user(groupname=group, username=user)
    # The site before: no chain of its own, so the default one.
    tool.setChainForPortalTypes(["SecretDocumentStub"], "(Default)")
    tool.manage_delObjects(["hdnd_secret_stub_workflow"])
    assert tool.getChainFor("SecretDocumentStub") == ("simple_publication_workflow",)
    stubs = [createContentInContainer(folder, "SecretDocumentStub", checkConstraints=False, id=f"stub-{n}",
                                      title=f"Văn bản mật số 0{n}-TB/ĐĐHĐND", symbol=f"0{n}-TB/ĐĐHĐND",
                                      issue_date=DAY, document_classification="mat", document_type="TB",
                                      held_at="hdnd-mat") for n in (1, 2)]
    tool.doActionFor(stubs[1], "publish")
    assert api.content.get_state(stubs[1]) == "published"

    def who_sees(stub):
        return {u for u in ("cv-a", "vt-a", "lt-a", "tv-a") if api.user.has_permission("View", username=u, obj=stub)}

    def anonymous_sees(stub):
        return any(r["name"] == "Anonymous" and r["selected"] for r in stub.rolesOfPermission("View"))

    def found_by(user):
        with api.env.adopt_user(username=user):
            return sorted(b.getId for b in catalog(portal_type="SecretDocumentStub"))

    # What was wrong: every member of staff saw them, anonymous the published one.
    assert who_sees(stubs[0]) == {"cv-a", "vt-a", "lt-a", "tv-a"}
    assert anonymous_sees(stubs[1])
    assert found_by("cv-a") == ["stub-1", "stub-2"]
    setup.setLastVersionForProfile("hdnd.content:default", "1008")

    setup.upgradeProfile("hdnd.content:default")

    # Upgraded to the profile's current version (1009 and every step after it).
    assert setup.getLastVersionForProfile("hdnd.content:default") == (setup.getVersionForProfile("hdnd.content:default"),)
    assert tool.getChainFor("SecretDocumentStub") == ("hdnd_secret_stub_workflow",)
    for stub in stubs:
        assert api.content.get_state(stub) == "recorded"
        assert tool.getTransitionsFor(stub) == ()  # nothing to publish, even for a Manager
        assert who_sees(stub) == {"vt-a", "lt-a"}
        assert not anonymous_sees(stub)
        assert not api.user.has_permission("Modify portal content", username="vt-a", obj=stub)
    assert [b.review_state for b in catalog.unrestrictedSearchResults(portal_type="SecretDocumentStub")] == [
        "recorded", "recorded"]
    assert found_by("cv-a") == found_by("tv-a") == []
    assert found_by("vt-a") == found_by("lt-a") == ["stub-1", "stub-2"]
    # The old workflow's history stays, as history; the new one starts with the upgrade.
    assert stubs[1].workflow_history["simple_publication_workflow"][-1]["review_state"] == "published"
    assert "Upgrade 1009" in stubs[1].workflow_history["hdnd_secret_stub_workflow"][-1]["comments"]
    # Run again (a re-run upgrade): nothing changes, no second history entry.
    from hdnd.content.upgrades import to_1009

    assert to_1009(setup) == 2
    assert len(stubs[1].workflow_history["hdnd_secret_stub_workflow"]) == 1


# Who may learn of a stub (hdnd_secret_stub_workflow): the registry and the
# records managers, who keep the Party numbering, and administrators.
STUB_READERS = {"vt-b": "registry-clerks", "lt-b": "records-managers", "qt-b": "Site Administrators"}
STUB_OTHERS = {"cv-b": "specialists", "tv-b": "delegation-members", "bt-b": "delegation-leaders",
               "ld-b": "office-heads", "nv-b": None}
STUB_SYMBOL = "07-TB/ĐĐHĐND"


def stub_walk(session, base, stub_id):
    """Every way of asking for the stub over HTTP, REST and the classic UI:
    (what was asked, status, whether the answer tells of the stub). An
    answer about the stub's own URL tells of it when it differs from the
    answer about a missing sibling's (status or body); any other answer,
    when the stub's id (in its URL) is in it."""
    rest, html = {"Accept": "application/json"}, {"Accept": "text/html"}
    missing = "van-ban-mat-08-tb"
    asked = []

    def ask(url, headers, label=None):
        response = session.get(base + url, headers=headers)
        if stub_id in url:
            other = session.get(base + url.replace(stub_id, missing), headers=headers)
            tells = (response.status_code != other.status_code
                     or response.text != other.text.replace(missing, stub_id))
        else:
            tells = stub_id in response.text
        asked.append((label or url, response.status_code, tells))

    for url in (f"/van-ban/{stub_id}", f"/van-ban/{stub_id}/@workflow", f"/van-ban/{stub_id}/@history",
                f"/van-ban/{stub_id}/@breadcrumbs", "/van-ban?b_size=100", "/@search?portal_type=SecretDocumentStub",
                "/@search?SearchableText=07-TB*&b_size=100", "/@search?review_state=recorded",
                "/@hdnd-search?portal_type=SecretDocumentStub", "/@hdnd-search?SearchableText=07-TB*",
                "/@vocabularies/plone.app.vocabularies.Catalog?title=07-TB"):
        ask(url, rest)
    response = session.post(base + "/@querystring-search", headers=rest, json={
        "query": [{"i": "portal_type", "o": "plone.app.querystring.operation.selection.any",
                   "v": ["SecretDocumentStub"]}], "b_size": 100})
    asked.append(("@querystring-search", response.status_code, stub_id in response.text))
    for url in (f"/van-ban/{stub_id}", f"/van-ban/{stub_id}/view", f"/van-ban/{stub_id}/@@plone_context_state",
                "/van-ban/folder_contents", "/@@hdnd-search-page?portal_type=SecretDocumentStub",
                "/@@hdnd-search-page?SearchableText=07-TB*", "/@@hdnd-live-search?SearchableText=07-TB",
                "/@@search?SearchableText=07-TB*", "/@@livesearch_reply?q=07-TB"):
        ask(url, html, url + " (html)")
    return asked


def test_only_the_registry_and_records_managers_learn_of_a_stub(functional_portal, people, request_factory):
    """As an attacker: anonymous and every other member of staff ask for a
    stub every way there is; only those the workflow names see it, and
    nobody, a Manager included, can publish it."""
    from plone.dexterity.utils import createContentInContainer

    sessions = people({**STUB_READERS, **STUB_OTHERS})
    sessions["anonymous"] = request_factory(api=False)
    stub = createContentInContainer(functional_portal["van-ban"], "SecretDocumentStub", checkConstraints=False,
                                    id="van-ban-mat-07-tb", title=f"Văn bản mật số {STUB_SYMBOL}",
                                    symbol=STUB_SYMBOL, issue_date=DAY, document_classification="toi_mat",
                                    document_type="TB", held_at="hdnd-mat")
    transaction.commit()
    assert api.content.get_state(stub) == "recorded"
    base = functional_portal.absolute_url()
    for user, session in sessions.items():
        answers = stub_walk(session, base, stub.getId())
        named = [(url, status) for url, status, names in answers if names]
        if user in STUB_READERS:
            shown = {url for url, _status in named}
            for way in (f"/van-ban/{stub.getId()}", "/@search?portal_type", "/@hdnd-search?portal_type",
                        "/@@hdnd-search-page?portal_type", "/van-ban?b_size", "@querystring-search",
                        "/view (html)"):
                assert any(way in url for url in shown), (user, way, shown)
        else:
            assert not named, f"{user} learnt of the stub through {named}"
            # Nor counted: the searches' totals and facets.
            rest = {"Accept": "application/json"}
            assert session.get(f"{base}/@search?portal_type=SecretDocumentStub", headers=rest).json()[
                "items_total"] == 0
            found = session.get(f"{base}/@hdnd-search?SearchableText=07-TB*", headers=rest).json()
            assert found["items_total"] == 0 and "SecretDocumentStub" not in json.dumps(found["facets"]), found
            direct = session.get(f"{base}/van-ban/{stub.getId()}", headers={"Accept": "application/json"})
            assert direct.status_code in (401, 403, 404), (user, direct.status_code)
    # Nothing to publish: the stub's workflow offers no transition to anyone.
    clerk = sessions["vt-b"]
    assert clerk.get(f"{base}/van-ban/{stub.getId()}/@workflow",
                     headers={"Accept": "application/json"}).json()["transitions"] == []
    for who, session in (("vt-b", clerk), ("qt-b", sessions["qt-b"]),
                         ("Manager", request_factory(role="Manager", api=False))):
        for transition in ("publish", "submit", "show"):
            answer = session.post(f"{base}/van-ban/{stub.getId()}/@workflow/{transition}",
                                  headers={"Accept": "application/json"}, json={})
            assert 400 <= answer.status_code < 500, (who, transition, answer.status_code, answer.text)
        edit = session.patch(f"{base}/van-ban/{stub.getId()}", headers={"Accept": "application/json"},
                             json={"title": "Kết luận về công tác nhân sự"})
        # Refused (as the gate answers every refusal there: as a missing item).
        assert edit.status_code in (401, 403, 404), (who, edit.status_code, edit.text)
    transaction.begin()
    assert api.content.get_state(functional_portal["van-ban"][stub.getId()]) == "recorded"
    assert functional_portal["van-ban"][stub.getId()].title == f"Văn bản mật số {STUB_SYMBOL}"
