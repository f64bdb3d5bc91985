"""Other agencies' systems over REST: a document with its files in one
call, idempotent on retry; bulk registration all or nothing with each
item's errors; status replies as the office handles the document; bad input
is a 400 naming the field and leaves nothing behind."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import base64
import pytest
import transaction


PASSWORD = "exchange-pass-1"
JSON = {"Accept": "application/json"}


def b64(data):
    return base64.b64encode(data).decode()


def document(key, **extra):
    return {"idempotency_key": key, "symbol": "125/UBND-VP", "title": "Về việc báo cáo kết quả giám sát",
            "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20", "urgency": "khan", **extra}


@pytest.fixture
def parties(functional_portal, request_factory):
    for userid, group in {"ubnd-tp": "agencies", "vanthu-x": "registry-clerks", "cvp-x": "office-heads"}.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD)
        api.group.add_user(groupname=group, username=userid)
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in ("ubnd-tp", "vanthu-x", "cvp-x")}
    sessions["admin"] = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    return functional_portal.absolute_url(), sessions


def count(sessions, base):
    return sessions["admin"].get(f"{base}/@search", headers=JSON,
                                 params={"portal_type": "OfficialDocument", "direction": "incoming"}).json()["items_total"]


def test_a_document_and_its_files_in_one_call_idempotent_with_status_replies(parties):
    base, sessions = parties
    agency = sessions["ubnd-tp"]
    body = document("ubnd-2026-125", files=[
        {"filename": "125-ubnd.pdf", "content_type": "application/pdf", "data": b64(b"%PDF-1.4 van ban")},
        {"filename": "phu-luc.docx", "content_type": "application/octet-stream", "data": b64(b"PK phu luc")},
    ])
    first = agency.post(f"{base}/@hdnd-receive", headers=JSON, json=body)
    assert first.status_code == 201, first.text
    retry = agency.post(f"{base}/@hdnd-receive", headers=JSON, json=body)
    assert retry.status_code == 200 and retry.json()["@id"] == first.json()["@id"] and retry.json()["created"] is False
    assert count(sessions, base) == 1
    url = first.json()["@id"]
    assert agency.get(url, headers=JSON).status_code in (401, 403, 404)  # an agency does not browse the office
    seen = sessions["vanthu-x"].get(url, headers=JSON).json()
    assert (seen["symbol"], seen["direction"]["token"], seen["review_state"]) == ("125/UBND-VP", "incoming", "received")
    assert seen["file"]["filename"] == "125-ubnd.pdf" and [i["title"] for i in seen["items"]] == ["phu-luc.docx"]

    assert sessions["vanthu-x"].post(f"{url}/@workflow/register", headers=JSON, json={}).status_code == 200
    status = agency.get(f"{base}/@hdnd-sent-status", headers=JSON, params={"idempotency_key": "ubnd-2026-125"}).json()
    assert [s["code"] for s in status["status"]] == ["01", "03"]
    assert status["arrival_number"] == 1 and status["status"][1]["time"].endswith("+07:00")
    other = agency.get(f"{base}/@hdnd-sent-status", headers=JSON, params={"idempotency_key": "not-mine"})
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "idempotency_key"

    rejected = agency.post(f"{base}/@hdnd-receive", headers=JSON, json=document("ubnd-2026-126", symbol="126/UBND-VP"))
    assert sessions["vanthu-x"].post(f"{rejected.json()['@id']}/@workflow/return_to_sender", headers=JSON,
                                     json={"comment": "Không thuộc thẩm quyền"}).status_code == 200
    replies = agency.get(f"{base}/@hdnd-sent-status", headers=JSON, params={"idempotency_key": "ubnd-2026-126"}).json()
    assert [(s["code"], s["reason"]) for s in replies["status"]] == [("01", ""), ("02", "Không thuộc thẩm quyền")]

    # Only service accounts of agencies send this way.
    assert sessions["vanthu-x"].post(f"{base}/@hdnd-receive", headers=JSON, json=document("x")).status_code in (401, 403)


@pytest.mark.parametrize("change, field", [
    ({"idempotency_key": None}, "idempotency_key"),
    ({"symbol": "không phải số"}, "symbol"),
    ({"issue_date": "20/11/2026"}, "issue_date"),
    ({"urgency": "rất gấp"}, "urgency"),
    ({"title": ""}, "title"),
    ({"title": "x" * 501}, "title"),
    ({"classification": "mat"}, "classification"),
    ({"owner": "me"}, "owner"),
    ({"files": [{"filename": "a.pdf", "data": "không phải base64!"}]}, "files[0]"),
    ({"files": "a.pdf"}, "files"),
])
def test_bad_input_names_the_field_and_leaves_nothing(parties, change, field):
    base, sessions = parties
    body = dict(document("bad-1"), **change)
    refused = sessions["ubnd-tp"].post(f"{base}/@hdnd-receive", headers=JSON, json=body)
    assert refused.status_code == 400, refused.text
    assert any(e["field"] == field or e["message"].startswith(field) for e in refused.json()["errors"]), refused.json()
    assert count(sessions, base) == 0
    assert sessions["ubnd-tp"].post(f"{base}/@hdnd-receive", headers=JSON, json=document("bad-1")).status_code == 201


def test_bulk_registration_is_all_or_nothing(parties):
    base, sessions = parties
    agency = sessions["ubnd-tp"]
    items = [document(f"lo-{n}", symbol=f"{n}/UBND-VP") for n in range(1, 4)]
    items[1]["issue_date"] = "ngày mai"
    refused = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": items})
    assert refused.status_code == 400
    assert [f["index"] for f in refused.json()["failures"]] == [1]
    assert refused.json()["failures"][0]["errors"][0]["field"] == "issue_date"
    assert count(sessions, base) == 0  # not even the good ones
    items[1]["issue_date"] = "2026-11-21"
    done = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": items})
    assert done.status_code == 200 and [i["created"] for i in done.json()["items"]] == [True, True, True]
    again = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": items})
    assert [i["created"] for i in again.json()["items"]] == [False, False, False]
    assert count(sessions, base) == 3
    twice = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": [items[0], items[0]]})
    assert twice.status_code == 400 and "given twice" in twice.json()["message"]
    empty = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": []})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "items"
    # Two items of one batch holding one number: refused before anything is
    # created (the catalog knows neither yet), the first named.
    same = [document("lo-9", symbol="9/UBND-VP"), document("lo-10", symbol="10/UBND-VP"),
            document("lo-11", symbol="9/UBND-VP")]
    held = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": same})
    assert held.status_code == 400, held.text
    assert [(f["index"], f["errors"][0]["field"]) for f in held.json()["failures"]] == [(2, "symbol")]
    assert "item 0" in held.json()["failures"][0]["errors"][0]["message"]
    assert count(sessions, base) == 3


def read_changes(base, session, since=0, limit=100):
    answer = session.get(f"{base}/@changes", headers=JSON, params={"since": since, "limit": limit})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_change_feed_in_order_resumable_and_filtered(parties, functional_portal):
    base, sessions = parties
    clerk, head = sessions["vanthu-x"], sessions["cvp-x"]

    start = read_changes(base, sessions["admin"])["cursor"]

    def read(session, since=0, limit=100):
        return read_changes(base, session, since, limit)

    first = clerk.post(f"{base}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Công văn CONGKHAI",
        "symbol": "88/UBND-VP", "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20"}).json()["@id"]
    clerk.patch(first, headers=JSON, json={"description": "Thêm trích yếu"})
    clerk.post(f"{first}/@workflow/register", headers=JSON, json={})
    # A meeting the registry clerk may not see (no role in Phiên họp), then deleted.
    secret = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp BIMAT", "start": "2026-12-03T08:00:00+07:00"}).json()["@id"]
    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=functional_portal.unrestrictedTraverse(secret.replace(base + "/", "")))
    transaction.commit()

    mine = read(clerk, start)
    actions = [(i["action"], i.get("title")) for i in mine["items"]]
    assert actions == [("created", "Công văn CONGKHAI"), ("modified", "Công văn CONGKHAI"),
                       ("transition", "Công văn CONGKHAI")]  # nothing of the meeting, not even its deletion
    assert mine["cursor"] != start and mine["more"] is False
    named = read(head, start)
    # The head saw the meeting: only its deletion is left to tell (it no longer exists).
    assert [i["action"] for i in named["items"] if i["portal_type"] == "Meeting"] == ["deleted"]
    assert not [i for i in mine["items"] if i["portal_type"] == "Meeting"]
    # Page by page from a cursor: the same items, none twice, none lost.
    seen, cursor, more = [], start, True
    while more:
        page = read(head, cursor, limit=2)
        seen += [(i["action"], i["uid"], i["time"]) for i in page["items"]]
        cursor, more = page["cursor"], page["more"]
    assert seen == [(i["action"], i["uid"], i["time"]) for i in named["items"]]
    bad = clerk.get(f"{base}/@changes", headers=JSON, params={"since": "hôm qua"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "since"
    assert clerk.get(f"{base}/@changes", headers=JSON, params={"limit": 5000}).status_code == 400


def test_the_change_feed_cursor_tells_nothing_of_hidden_changes(parties):
    """Issue 18, item 4: a cursor (or an entry's number) that counts every
    change would tell a reader how many it was not shown, and when."""
    base, sessions = parties
    clerk, head = sessions["vanthu-x"], sessions["cvp-x"]
    mark = read_changes(base, clerk)
    # Changes the clerk may not see: a meeting (no role in Phiên họp), edited.
    meeting = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp BIMAT", "start": "2026-12-03T08:00:00+07:00"}).json()["@id"]
    head.patch(meeting, headers=JSON, json={"description": "Nội dung BIMAT"})
    after = read_changes(base, clerk, mark["cursor"])
    assert after["items"] == [] and after["more"] is False
    # Opaque, and never the same twice: reading the same place again gives
    # another cursor of the same length, whatever happened in between.
    assert isinstance(after["cursor"], str) and not after["cursor"].isdigit()
    again = read_changes(base, clerk, after["cursor"])
    assert again["cursor"] != after["cursor"] and len(again["cursor"]) == len(after["cursor"])
    # Numbers are refused (trying them would locate the hidden changes); 0 starts over.
    for probe in ("3", "1000", after["cursor"][:-4] + "AAAA"):
        refused = clerk.get(f"{base}/@changes", headers=JSON, params={"since": probe})
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "since"
    # A resumed client loses nothing it may see; entries carry no number.
    clerk.post(f"{base}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Công văn SAU"})
    head.patch(meeting, headers=JSON, json={"description": "Sửa lần hai"})  # hidden, after it
    resumed = read_changes(base, clerk, again["cursor"], limit=1)
    assert [(i["action"], i["title"]) for i in resumed["items"]] == [("created", "Công văn SAU")]
    assert "seq" not in resumed["items"][0]
    # "more" only when an entry the reader may see follows, not a hidden one.
    assert resumed["more"] is False
    assert read_changes(base, clerk, resumed["cursor"])["items"] == []


def test_the_openapi_description_covers_every_hdnd_endpoint(functional_portal, request_factory):
    import re
    from pathlib import Path

    import hdnd.content
    import hdnd.policy

    described = request_factory(api=False).get(f"{functional_portal.absolute_url()}/@hdnd-openapi", headers=JSON)
    assert described.status_code == 200
    spec = described.json()
    assert spec["openapi"].startswith("3.") and spec["servers"][0]["url"] == functional_portal.absolute_url()
    operations = {(path.split("/")[-1] if "{template}" not in path and "{id}" not in path else path.split("/")[-2],
                   method.upper())
                  for path, methods in spec["paths"].items() for method in methods}
    root = Path(hdnd.content.__file__).parent
    registered = set()
    policy = Path(hdnd.policy.__file__).parent
    for zcml in [root / "services" / "configure.zcml", root / "audit.zcml", root / "ocr.zcml",
                 policy / "configure.zcml"]:
        for method, name in re.findall(r'method="([A-Z]+)"\s+name="(@(?:hdnd-[a-z-]+|changes))"', zcml.read_text()):
            registered.add((name, method))
    assert registered and registered <= operations, registered - operations
    for methods in spec["paths"].values():
        for operation in methods.values():
            assert operation["summary"] and "200" in operation["responses"] and "400" in operation["responses"]
