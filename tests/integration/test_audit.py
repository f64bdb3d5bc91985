"""The audit trail (domain §5): what is logged, the security officer's view,
REST and alerts, and tampering found by the verification."""

from hdnd.content import audit
from hdnd.content import grants
from hdnd.content.core import audit as chain
from hdnd.content.clearance import set_clearance
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import pytest
import transaction


def clear(userid, level="tuyet_mat"):
    """A classified item needs a cleared creator."""
    set_clearance(userid, level)


def document(portal, classification="none", **fields):
    clear(TEST_USER_ID)
    return api.content.create(
        container=portal["van-ban"], type="OfficialDocument", title="Báo cáo nhân sự",
        direction="internal", classification=classification, **fields,
    )


def actions(portal, **filters):
    return [(e["action"], e["actor"]) for e in audit.entries(site=portal, **filters)]


def add_user(username, password, roles=(), clearance=None):
    user = api.user.create(email=f"{username}@example.vn", username=username, password=password)
    if roles:
        with grants.as_system():  # SecurityOfficer: only the system or an officer gives it
            api.user.grant_roles(username=username, roles=list(roles))
    if clearance:
        clear(username, clearance)
    return user


# Integration: the log, its chain and the subscribers


@pytest.fixture
def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return portal


def test_record_builds_a_verified_chain_outside_the_objects(manager):
    portal = manager
    doc = document(portal, "mat")
    before = audit.count(site=portal)
    audit.record("print", doc, copies=2)
    audit.record("generation", doc, template="phieu-trinh")
    # Sealed into the chain when this transaction reads the log (after the
    # commit otherwise): numbered and hashed in the order recorded.
    second, first = (chain.Entry.from_dict(e) for e in audit.entries(site=portal, limit=2))
    assert second.seq == first.seq + 1 == before + 2
    assert second.prev_hash == first.hash
    assert first.actor == TEST_USER_ID
    assert first.time.endswith("+07:00")
    assert (first.target_uid, first.target_classification) == (api.content.get_uuid(doc), "mat")
    assert first.target_path == "/".join(doc.getPhysicalPath())
    assert first.details["copies"] == 2
    # Kept in the site's annotations, never on the item.
    assert isinstance(portal.__annotations__[audit.ANNOTATION_KEY], audit.AuditLog)
    assert not any("audit" in key for key in getattr(doc, "__annotations__", {}))
    assert audit.verify(site=portal) == []
    assert audit.entries(site=portal, limit=2) == [second.to_dict(), first.to_dict()]


def test_tampering_with_an_entry_is_found(manager):
    portal = manager
    doc = document(portal, "toi_mat")
    for copies in range(1, 5):
        audit.record("print", doc, copies=copies)
    log = audit.get_log(portal)
    assert log.verify() == []
    seq = log.last_seq - 2
    stored = dict(log._entries[seq])
    stored["details"] = {**stored["details"], "copies": 99}
    log._entries[seq] = stored  # straight into the ZODB, as an intruder would
    assert audit.verify(site=portal) == [f"entry {seq}: hash mismatch, the entry was changed"]
    log._entries[seq] = {**stored, "details": {**stored["details"], "copies": 2}}  # put back
    assert audit.verify(site=portal) == []


def test_deleting_an_entry_is_found(manager):
    portal = manager
    doc = document(portal, "mat")
    for copies in range(1, 5):
        audit.record("print", doc, copies=copies)
    log = audit.get_log(portal)
    seq = log.last_seq - 1
    del log._entries[seq]
    problems = audit.verify(site=portal)
    assert f"entry {seq + 1}: sequence gap, entry {seq} missing" in problems
    assert f"entry {seq + 1}: broken link, prev_hash is not the hash of entry {seq - 1}" in problems
    del log._entries[seq + 1]  # the last one too: the head still knows
    assert f"entry {seq + 1}: the log's head is entry {seq + 1} but the chain ends at entry {seq - 1}" in (
        audit.verify(site=portal)
    )


def test_a_rewritten_chain_is_found_by_a_noted_head(manager):
    from hdnd.content.core import audit as chain

    portal = manager
    doc = document(portal, "mat")
    audit.record("print", doc, copies=1)
    log = audit.get_log(portal)
    noted = log.head()
    # An intruder rewrites every entry and the head: the chain is consistent…
    prev = None
    for seq in list(log._entries.keys()):
        old = log._entries[seq]
        prev = chain.make_entry(prev, old["action"], "someone-else", time=old["time"], details=old["details"])
        log._entries[seq] = prev.to_dict()
    log.last_seq, log.last_hash = prev.seq, prev.hash
    assert audit.verify(site=portal) == []
    # …but not with the head noted outside the database.
    assert audit.verify(site=portal, expect=[noted]) == [
        f"entry {noted[0]}: differs from the hash noted earlier ({noted[1][:12]}…)"
    ]


def test_a_transition_of_a_classified_item_is_logged(manager):
    portal = manager
    workflow = api.portal.get_tool("portal_workflow")
    plain, secret = document(portal), document(portal, "mat")
    transition = workflow.getTransitionsFor(secret)[0]["id"]
    before = audit.count(site=portal, action="transition")
    api.content.transition(plain, transition=transition)
    assert audit.count(site=portal, action="transition") == before
    api.content.transition(secret, transition=transition)
    entry = audit.entries(site=portal, action="transition")[0]
    assert entry["target_uid"] == api.content.get_uuid(secret)
    assert entry["details"]["transition"] == transition
    assert entry["details"]["state"] == api.content.get_state(secret)


def test_classification_changes_raise_alerts(manager):
    from zope.event import notify
    from zope.lifecycleevent import Attributes
    from zope.lifecycleevent import ObjectModifiedEvent
    from hdnd.content.behaviors.classification import IClassification

    portal = manager
    doc = document(portal)
    notify(ObjectModifiedEvent(doc, Attributes(IClassification, "IClassification.need_to_know")))
    assert audit.alerts(site=portal) == []  # not classified: not a permission change
    doc.classification = "toi_mat"
    notify(ObjectModifiedEvent(doc, Attributes(IClassification, "IClassification.classification")))
    alert = audit.alerts(site=portal)[0]
    assert (alert["action"], alert["target_classification"]) == ("permission_change", "toi_mat")
    assert alert["details"]["fields"] == ["classification"]


def test_group_changes_are_logged(manager):
    portal = manager
    add_user("nguoi-moi", "nguoi-moi-secret-1")
    with grants.as_system():
        api.group.add_user(groupname="security-officers", username="nguoi-moi")
    entry = audit.entries(site=portal, action="group_change")[0]
    assert entry["details"]["principal"] == "nguoi-moi"
    assert (entry["details"]["group"], entry["details"]["change"]) == ("security-officers", "added")


def test_clearance_changes_are_logged(manager):
    portal = manager
    add_user("can-bo", "can-bo-secret-1")
    set_clearance("can-bo", "toi_mat")
    entry = audit.entries(site=portal, action="clearance_change")[0]
    assert entry["details"] == {"principal": "can-bo", "old": "none", "new": "toi_mat"}


# Over HTTP: logins, views, sharing, the officer's REST and view


@pytest.fixture
def office(functional_portal, request_factory):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    add_user("baomat-test", "baomat-secret-1", roles=["SecurityOfficer"])
    add_user("docgia", "docgia-secret-1", clearance="mat")
    add_user("quantri", "quantri-secret-1", roles=["Manager", "Site Administrator"], clearance="tuyet_mat")
    api.group.add_user(groupname="specialists", username="docgia")
    secret = document(portal, "mat", need_to_know=["docgia"])
    plain = document(portal)
    api.content.transition(plain, transition=api.portal.get_tool("portal_workflow").getTransitionsFor(plain)[0]["id"])
    api.user.grant_roles(username="docgia", obj=plain, roles=["Reader"])
    transaction.commit()
    return {
        "portal": portal,
        "secret": secret,
        "plain": plain,
        "officer": request_factory(basic_auth=("baomat-test", "baomat-secret-1"), api=False),
        "reader": request_factory(basic_auth=("docgia", "docgia-secret-1"), api=False),
        "admin": request_factory(basic_auth=("quantri", "quantri-secret-1"), api=False),
        "owner": request_factory(role="Manager", api=False),
        "anonymous": request_factory(api=False),
    }


def fresh(portal):
    transaction.begin()  # see what the server committed
    return audit.entries(site=portal)


def test_logins_and_failed_logins_are_logged(office):
    portal = office["portal"]
    ok = office["anonymous"].post("/@login", json={"login": "docgia", "password": "docgia-secret-1"})
    assert ok.status_code == 200, ok.text
    bad = office["anonymous"].post("/@login", json={"login": "docgia", "password": "wrong"})
    assert bad.status_code == 401
    found = fresh(portal)
    assert [(e["action"], e["actor"]) for e in found[:2]] == [("login_failed", "docgia"), ("login", "docgia")]
    assert found[0]["details"]["ip"] == "127.0.0.1"
    token = ok.json()["token"]
    office["anonymous"].post("/@logout", headers={"Authorization": f"Bearer {token}"})
    assert fresh(portal)[0]["action"] == "logout"


def test_logins_through_the_login_form_are_logged(office):
    portal, browser = office["portal"], office["anonymous"]
    form = {"__ac_name": "docgia", "__ac_password": "wrong", "buttons.login": "Log in"}
    assert browser.post("/login", data=form, headers={"Accept": "text/html"}).status_code == 200
    assert [(e["action"], e["actor"]) for e in fresh(portal)[:1]] == [("login_failed", "docgia")]
    form["__ac_password"] = "docgia-secret-1"
    browser.post("/login", data=form, headers={"Accept": "text/html"})
    assert [(e["action"], e["actor"]) for e in fresh(portal)[:1]] == [("login", "docgia")]


def test_views_of_classified_items_are_logged_and_others_not(office):
    portal, reader = office["portal"], office["reader"]
    before = len(fresh(portal))
    plain = reader.get(office["plain"].absolute_url())
    assert plain.status_code == 200, plain.text
    assert len(fresh(portal)) == before  # an ordinary item: nothing logged
    secret = reader.get(office["secret"].absolute_url())
    assert secret.status_code == 200, secret.text
    entry = fresh(portal)[0]
    assert (entry["action"], entry["actor"]) == ("view", "docgia")
    assert entry["target_uid"] == office["secret"].UID()
    assert entry["target_classification"] == "mat"
    # The classic page of the item is a view too; a refused request is not.
    page = reader.get(office["secret"].absolute_url(), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert [e["action"] for e in fresh(portal)[:2]] == ["view", "view"]
    count = len(fresh(portal))
    assert office["anonymous"].get(office["secret"].absolute_url()).status_code in (401, 403, 404)
    assert len(fresh(portal)) == count
    assert audit.verify(site=portal) == []


def test_downloads_of_classified_items_are_logged(office):
    from plone.namedfile.file import NamedBlobFile

    portal, secret = office["portal"], office["secret"]
    secret.file = NamedBlobFile(b"%PDF-1.4 mat", filename="bao-cao.pdf", contentType="application/pdf")
    transaction.commit()
    response = office["reader"].get(f"{secret.absolute_url()}/@@download/file")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 mat"
    entry = fresh(portal)[0]
    assert (entry["action"], entry["actor"], entry["details"]["view"]) == ("download", "docgia", "download")


def test_sharing_changes_are_logged(office):
    portal, plain = office["portal"], office["plain"]
    shared = office["owner"].post(f"{plain.absolute_url()}/@sharing", json={
        "entries": [{"id": "docgia", "type": "user", "roles": {"Editor": True}}],
    })
    assert shared.status_code == 204, shared.text
    entry = fresh(portal)[0]
    assert (entry["action"], entry["actor"]) == ("sharing_change", "admin")
    assert "Editor" in entry["details"]["local_roles"]["docgia"]
    assert audit.alerts(site=portal) == []  # not classified: no alert


def test_sharing_change_raises_an_alert_the_officer_confirms(office):
    from plone.app.workflow.events import LocalrolesModifiedEvent
    from zope.event import notify
    from zope.globalrequest import getRequest

    portal, secret = office["portal"], office["secret"]
    # What the sharing page and @sharing do (who may share a classified item
    # is the security rules' business, not the log's).
    secret.manage_setLocalRoles("docgia", ["Editor", "Reader"])
    notify(LocalrolesModifiedEvent(secret, getRequest()))
    transaction.commit()
    found = fresh(portal)
    assert [e["action"] for e in found[:2]] == ["permission_change", "sharing_change"]
    alert = found[0]
    assert alert["target_uid"] == secret.UID()
    assert "docgia" in alert["details"]["local_roles"]

    officer = office["officer"]
    listed = officer.get("/@hdnd-audit", params={"b_size": 2})
    assert listed.status_code == 200, listed.text
    assert alert["seq"] in listed.json()["pending_alerts"]
    assert [i["seq"] for i in listed.json()["items"]][:2] == [alert["seq"], alert["seq"] - 1]
    assert listed.json()["items_total"] == alert["seq"]
    assert "next" in listed.json()["batching"]

    assert officer.post("/@hdnd-audit-confirm", json={"seq": alert["seq"] - 1}).status_code == 400
    confirmed = officer.post("/@hdnd-audit-confirm", json={"seq": alert["seq"], "note": "Đã kiểm tra"})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["entry"]["details"] == {"alert_seq": alert["seq"], "note": "Đã kiểm tra"}
    assert alert["seq"] not in officer.get("/@hdnd-audit").json()["pending_alerts"]
    again = officer.post("/@hdnd-audit-confirm", json={"seq": alert["seq"]})
    assert again.status_code == 400
    # The alert itself is unchanged; the confirmation is a new entry.
    stored = fresh(portal)
    assert stored[0]["action"] == "alert_confirmed" and stored[0]["actor"] == "baomat-test"
    assert audit.get_log(portal).get(alert["seq"]) == alert
    verified = officer.get("/@hdnd-audit-verify").json()
    assert verified["intact"] is True and verified["problems"] == []
    assert verified["head"]["seq"] == stored[0]["seq"]


def test_only_the_security_officer_reads_the_log(office):
    for who in ("owner", "admin", "reader", "anonymous"):
        for path in ("/@hdnd-audit", "/@hdnd-audit-verify", "/@@hdnd-audit", "/@@hdnd-audit.csv"):
            response = office[who].get(path)
            assert response.status_code in (401, 403), (who, path, response.status_code)
        refused = office[who].post("/@hdnd-audit-confirm", json={"seq": 1})
        assert refused.status_code in (401, 403), who
    assert office["officer"].get("/@hdnd-audit-verify").status_code == 200


def test_the_officer_sees_tampering_in_the_view_and_exports_csv(office):
    portal, officer = office["portal"], office["officer"]
    audit.record("print", office["secret"], copies=1, ghi_chu="Bản sao số 1")
    transaction.commit()
    page = officer.get("/@@hdnd-audit", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'id="hdnd-audit-intact"' in page.text and "Bản sao số 1" in page.text
    csv = officer.get("/@@hdnd-audit.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.content.startswith("\ufeffseq,time,actor".encode("utf-8"))
    assert "Bản sao số 1" in csv.content.decode("utf-8")

    log = audit.get_log(portal)
    seq = log.last_seq
    log._entries[seq] = {**log._entries[seq], "actor": "nguoi-khac"}
    transaction.commit()
    page = officer.get("/@@hdnd-audit", headers={"Accept": "text/html"})
    assert 'id="hdnd-audit-tampered"' in page.text
    assert f"entry {seq}: hash mismatch" in page.text
    verified = officer.get("/@hdnd-audit-verify").json()
    assert verified["intact"] is False
    assert verified["problems"] == [f"entry {seq}: hash mismatch, the entry was changed"]


def test_the_officer_confirms_in_the_view_with_the_csrf_token(office):
    import re

    portal, officer = office["portal"], office["officer"]
    audit.record("permission_change", office["secret"], change="test")
    transaction.commit()
    seq = audit.get_log(portal).last_seq
    page = officer.get("/@@hdnd-audit", headers={"Accept": "text/html"})
    assert f'name="seq" value="{seq}"' in page.text
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    forged = officer.post("/@@hdnd-audit", data={"seq": seq, "form.button.confirm": "1"})
    assert forged.status_code == 403
    transaction.begin()
    assert seq in [a["seq"] for a in audit.alerts(site=portal)]
    done = officer.post("/@@hdnd-audit", data={"seq": seq, "_authenticator": token, "form.button.confirm": "1"})
    assert done.status_code == 200  # redirected back to the log
    transaction.begin()
    assert seq not in [a["seq"] for a in audit.alerts(site=portal)]
    assert audit.entries(site=portal)[0]["details"]["alert_seq"] == seq


def test_confirming_over_rest_needs_json(office):
    response = office["officer"].post("/@hdnd-audit-confirm", data='{"seq": 1}',
                                      headers={"Content-Type": "text/plain"})
    assert response.status_code == 415  # Unsupported Media Type, as the description says


def test_concurrent_appends_both_commit_and_the_chain_does_not_fork(functional_portal):
    """Two requests logging at once both commit at the first try (issue 21:
    a client that never retries); the entries are sealed into one chain
    after the commits, the sealers queueing on the head, so it never forks."""
    from hdnd.policy.testing import site_of_own

    import threading
    import time

    audit.record("login", None, actor="khoi-dau")  # the log exists before the race
    transaction.commit()
    db = functional_portal._p_jar.db()
    barrier = threading.Barrier(2)
    conflicts = []

    def worker(name):
        with site_of_own(db):
            for i in range(5):
                barrier.wait(timeout=30)
                transaction.begin()
                audit.record("print", None, actor=name, copies=i)
                time.sleep(0.02)  # both hold an uncommitted entry
                try:
                    transaction.commit()  # once: no retry (issue 21)
                except Exception as error:
                    conflicts.append((name, error))
                    transaction.abort()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("mot", "hai")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert conflicts == []  # both commit, every time, without retrying
    transaction.begin()
    log = audit.get_log(functional_portal)
    assert audit.verify(site=functional_portal) == []
    prints = audit.entries(site=functional_portal, action="print")
    assert sorted(e["actor"] for e in prints) == ["hai"] * 5 + ["mot"] * 5
    assert [e["seq"] for e in audit.entries(site=functional_portal)] == list(range(log.last_seq, 0, -1))
