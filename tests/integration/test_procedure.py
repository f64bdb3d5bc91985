"""The dossier procedure end to end over REST, as the office's people: one
incoming document from arrival to filing, one outgoing document from draft
to issue with its number, refused and skipped transitions with their
messages, and a dossier that cannot close while work is open."""

from plone import api

import pytest
import transaction


PASSWORD = "procedure-pass-1"
PEOPLE = {"vanthu-t": "registry-clerks", "lanhdao-t": "delegation-leaders",
          "chanhvp-t": "office-heads", "chuyenvien-t": "specialists"}
JSON = {"Accept": "application/json"}


@pytest.fixture
def as_(functional_portal, request_factory):
    for user, group in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in PEOPLE}

    def session(user):
        return sessions[user]

    return session


def do(session, url, transition, status=200):
    response = session.post(f"{url}/@workflow/{transition}", headers=JSON, json={})
    assert response.status_code == status, response.text
    return response.json()


def state(session, url):
    return session.get(f"{url}/@workflow", headers=JSON).json()["state"]["id"]


def test_incoming_document_from_arrival_to_filing(functional_portal, as_):
    url = as_("vanthu-t").post(f"{functional_portal.absolute_url()}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Chỉ thị về công tác kiểm tra",
        "symbol": "36-CT/TU", "issuing_body": "Thành ủy", "issue_date": "2026-11-20", "urgency": "khan",
        "channel": "party",
    }).json()["@id"]
    assert state(as_("vanthu-t"), url) == "received"
    # A specialist cannot register; skipping straight to "file" is refused.
    do(as_("chuyenvien-t"), url, "register", status=400)
    refused = do(as_("vanthu-t"), url, "file", status=400)
    assert refused["error"]["message"] == "file: not possible for you from state received (possible: register, return_to_sender)."
    do(as_("vanthu-t"), url, "register")
    document = as_("vanthu-t").get(url, headers=JSON).json()
    assert document["arrival_number"] == 1 and document["arrival_date"]
    # The leader cannot assign without a processing slip: a clear message.
    refused = do(as_("lanhdao-t"), url, "assign", status=400)
    # In the office's language (Vietnamese, unless the language cookie says otherwise).
    assert refused["error"]["message"] == "assign: cần có phiếu xử lý ghi đơn vị chủ trì trước khi phân công."
    slip = as_("lanhdao-t").post(url, headers=JSON, json={
        "@type": "ProcessingSlip", "title": "Phiếu xử lý", "lead_unit": "phong-tong-hop",
        "instruction": "Giao Phòng Tổng hợp tham mưu, báo cáo trước 30/11.", "deadline": "2026-11-30",
    })
    assert slip.status_code == 201, slip.text
    do(as_("lanhdao-t"), url, "assign")
    do(as_("chuyenvien-t"), url, "start")
    do(as_("chuyenvien-t"), url, "complete")
    do(as_("vanthu-t"), url, "file")
    assert state(as_("vanthu-t"), url) == "filed"
    # Filed is read-only, even for the clerk who registered it.
    edit = as_("vanthu-t").patch(url, headers=JSON, json={"page_count": 3})
    assert edit.status_code in (401, 403)


def test_outgoing_document_from_draft_to_issue(functional_portal, as_):
    url = as_("chuyenvien-t").post(f"{functional_portal.absolute_url()}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "outgoing", "document_type": "TB",
        "title": "Thông báo kết luận phiên họp định kỳ tháng 11/2026",
    }).json()["@id"]
    assert state(as_("chuyenvien-t"), url) == "draft"
    do(as_("chuyenvien-t"), url, "issue", status=400)  # no skipping to issue
    do(as_("chuyenvien-t"), url, "submit")
    do(as_("chuyenvien-t"), url, "approve", status=400)  # only the office head approves
    do(as_("chanhvp-t"), url, "approve")
    do(as_("vanthu-t"), url, "format_ok")
    refused = do(as_("lanhdao-t"), url, "sign", status=400)
    assert refused["error"]["message"] == "sign: chưa có tên người ký (trường signer)."
    do(as_("lanhdao-t"), url, "send_back")
    assert as_("chuyenvien-t").patch(url, headers=JSON, json={
        "signer": "Nguyễn Văn An", "signer_position": "T/M ĐẢNG ĐOÀN, BÍ THƯ"}).status_code == 204
    assert as_("chuyenvien-t").get(url, headers=JSON).json()["symbol"] is None  # a draft has no number
    do(as_("chuyenvien-t"), url, "submit")
    do(as_("chanhvp-t"), url, "approve")
    do(as_("vanthu-t"), url, "format_ok")
    do(as_("lanhdao-t"), url, "sign")
    do(as_("vanthu-t"), url, "issue")
    issued = as_("vanthu-t").get(url, headers=JSON).json()
    assert issued["symbol"] == "01-TB/ĐĐHĐND"
    assert issued["review_state"] == "issued"
    edit = as_("chuyenvien-t").patch(url, headers=JSON, json={"title": "đổi"})
    assert edit.status_code in (401, 403)


def test_a_dossier_does_not_close_with_open_work(functional_portal, as_):
    portal_url = functional_portal.absolute_url()
    dossier = as_("chuyenvien-t").post(f"{portal_url}/ho-so", headers=JSON, json={
        "@type": "Dossier", "title": "Hồ sơ giám sát", "dossier_code": "09.KTGS"}).json()["@id"]  # no scheduled retention
    task = as_("chuyenvien-t").post(dossier, headers=JSON, json={
        "@type": "Task", "title": "Báo cáo kết quả giám sát", "lead_unit": "ban-kt-ns"}).json()["@id"]
    for user, transition in [("chuyenvien-t", "start"), ("chuyenvien-t", "submit"), ("lanhdao-t", "decide")]:
        do(as_(user), dossier, transition)
    incomplete = do(as_("chanhvp-t"), dossier, "close", status=400)
    assert incomplete["error"]["message"] == "close: cần nhập đủ retention của hồ sơ trước."
    assert as_("chanhvp-t").patch(dossier, headers=JSON, json={"retention": "10"}).status_code == 204
    refused = do(as_("chanhvp-t"), dossier, "close", status=400)
    assert refused["error"]["message"] == "close: hồ sơ còn 1 nhiệm vụ chưa hoàn thành và 0 dự thảo chưa ban hành."
    assert state(as_("chanhvp-t"), dossier) == "decided"
    for user, transition in [("chuyenvien-t", "start"), ("chuyenvien-t", "report"), ("chanhvp-t", "accept")]:
        do(as_(user), task, transition)
    assert as_("chanhvp-t").get(task, headers=JSON).json()["status"]["token"] == "done_on_time"
    do(as_("chanhvp-t"), dossier, "close")
    assert as_("chanhvp-t").get(dossier, headers=JSON).json()["end_date"] is not None  # the work ended today
    added = as_("chuyenvien-t").post(dossier, headers=JSON, json={"@type": "Task", "title": "muộn"})
    assert added.status_code in (401, 403)  # a closed dossier is read-only


def test_a_processing_slip_grants_access_until_the_work_ends(functional_portal, as_):
    portal_url = functional_portal.absolute_url()
    api.user.create(email="ngoai@example.vn", username="ngoai-t", password=PASSWORD)
    transaction.commit()
    from pytest_plone.fixtures.requests import RelativeSession

    outsider = RelativeSession(portal_url)
    outsider.auth = ("ngoai-t", PASSWORD)
    url = as_("vanthu-t").post(f"{portal_url}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Công văn cần phối hợp",
        "symbol": "415/UBND-VX", "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20"}).json()["@id"]
    do(as_("vanthu-t"), url, "register")
    assert outsider.get(url, headers=JSON).status_code in (401, 403)
    slip = as_("lanhdao-t").post(url, headers=JSON, json={
        "@type": "ProcessingSlip", "title": "Phiếu xử lý số 12", "lead_unit": "ban-phap-che",
        "assignees": ["ngoai-t"]})
    assert slip.status_code == 201, slip.text
    assert outsider.get(url, headers=JSON).status_code == 200
    transaction.begin()
    from hdnd.content.access import grants

    recorded = grants(functional_portal["van-ban"][url.rsplit("/", 1)[-1]])
    assert [(g["userid"], g["reason"]) for g in recorded] == [("ngoai-t", "Phiếu xử lý: Phiếu xử lý số 12")]
    do(as_("lanhdao-t"), url, "assign")
    do(as_("chuyenvien-t"), url, "start")
    do(as_("chuyenvien-t"), url, "complete")
    assert outsider.get(url, headers=JSON).status_code in (401, 403)  # the work has ended
