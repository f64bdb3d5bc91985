"""A periodic meeting over REST: scheduled for the year, invitations received
by a real SMTP server on 127.0.0.1, attendance and quorum, members vote and
change their vote, the tally with reserved opinions, minutes, and the
conclusion notice signed and issued with its number, printed to PDF."""

from datetime import date
from hdnd.content.core.layout import place_date
from hdnd.policy.testing import local_smtp
from hdnd.policy.testing import pdf_text
from plone import api

import email
import pytest
import transaction


PASSWORD = "meeting-pass-123"
JSON = {"Accept": "application/json"}


@pytest.fixture
def smtp(functional_portal):
    with local_smtp(functional_portal) as inbox:
        transaction.commit()
        yield inbox


def test_a_periodic_meeting_from_schedule_to_decision(functional_portal, request_factory, smtp, libreoffice):
    members = [f"thanhvien-{i}" for i in range(1, 10)]
    for userid in members + ["chanh-vp", "van-thu", "bi-thu"]:
        api.user.create(email=f"{userid}@hdnd.example.vn", username=userid, password=PASSWORD,
                        properties={"fullname": userid.upper()})
    for userid in members:
        api.group.add_user(groupname="delegation-members", username=userid)
    api.group.add_user(groupname="office-heads", username="chanh-vp")
    api.group.add_user(groupname="registry-clerks", username="van-thu")
    api.group.add_user(groupname="delegation-leaders", username="bi-thu")
    transaction.commit()
    base = functional_portal.absolute_url()
    head = request_factory(basic_auth=("chanh-vp", PASSWORD), api=False)
    clerk = request_factory(basic_auth=("van-thu", PASSWORD), api=False)
    leader = request_factory(basic_auth=("bi-thu", PASSWORD), api=False)
    voters = {m: request_factory(basic_auth=(m, PASSWORD), api=False) for m in members}

    bad = head.post(f"{base}/phien-hop/@hdnd-schedule", headers=JSON, json={"year": "năm sau"})
    assert bad.status_code == 400 and "year" in bad.text
    scheduled = head.post(f"{base}/phien-hop/@hdnd-schedule", headers=JSON, json={"year": 2027})
    assert scheduled.status_code == 200, scheduled.text
    assert len(scheduled.json()["created"]) == 12
    again = head.post(f"{base}/phien-hop/@hdnd-schedule", headers=JSON, json={"year": 2027})
    assert again.json()["created"] == []  # existing meetings are kept
    url = f"{base}/phien-hop/dinh-ky-2027-03"
    meeting = head.get(url, headers=JSON).json()
    assert meeting["start"].startswith("2027-03-25")  # the last Thursday of March 2027
    item = head.post(url, headers=JSON, json={"@type": "AgendaItem", "title": "Kế hoạch giám sát năm 2027"})
    assert item.status_code == 201, item.text

    # A classified item on the agenda, for thanhvien-1 only (cleared and named).
    from hdnd.content.clearance import set_clearance

    set_clearance("chanh-vp", "mat")
    set_clearance("thanhvien-1", "mat")
    transaction.commit()
    secret = head.post(url, headers=JSON, json={
        "@type": "AgendaItem", "title": "MATNHANSU phương án nhân sự", "classification": "mat",
        "need_to_know": ["thanhvien-1"]})
    assert secret.status_code == 201, secret.text

    invited = head.post(f"{url}/@hdnd-invite", headers=JSON)
    assert invited.status_code == 200, invited.text
    assert len(invited.json()["sent"]) == 9
    assert len(smtp.messages) == 9
    message = smtp.messages[0]
    body = message.get_payload(decode=True).decode("utf-8")
    assert "Phiên họp định kỳ tháng 3/2027" in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert "Kế hoạch giám sát năm 2027" in body and "25/03/2027" in body
    bodies = {m["To"]: m.get_payload(decode=True).decode("utf-8") for m in smtp.messages}
    assert "MATNHANSU" in bodies["thanhvien-1@hdnd.example.vn"]
    assert not [to for to, text in bodies.items() if "MATNHANSU" in text and to != "thanhvien-1@hdnd.example.vn"]

    refused = head.post(f"{url}/@hdnd-attendance", headers=JSON, json={"present": ["thanhvien-1", "nobody"]})
    assert refused.status_code == 400 and "present" in refused.text
    short = head.post(f"{url}/@hdnd-attendance", headers=JSON, json={"present": members[:5]}).json()
    assert (short["incumbent"], short["quorum_met"]) == (9, False)  # 5 of 9 < 2/3
    quorate = head.post(f"{url}/@hdnd-attendance", headers=JSON, json={"present": members[:6]}).json()
    assert quorate["quorum_met"] is True

    # The meeting is held; the members present vote on the agenda item themselves.
    assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 200
    ballot = head.post(item.json()["@id"], headers=JSON, json={
        "@type": "Ballot", "title": "Thông qua Kế hoạch giám sát năm 2027", "question": "Tán thành?"})
    assert ballot.status_code == 201, ballot.text
    ballot = ballot.json()["@id"]
    assert head.post(f"{ballot}/@workflow/open", headers=JSON, json={}).status_code == 200

    def vote(member, choice, comment=""):
        cast = voters[member].post(f"{ballot}/@hdnd-vote", headers=JSON, json={"choice": choice, "comment": comment})
        assert cast.status_code == 200, cast.text

    for member in members[:4]:
        vote(member, "for")
    vote(members[4], "against", "Đề nghị bổ sung giám sát đầu tư công")
    vote(members[5], "other", "Bổ sung lĩnh vực y tế")
    tally = head.get(f"{ballot}/@hdnd-tally", headers=JSON).json()
    assert (tally["for"], tally["incumbent"], tally["passed"]) == (4, 9, None)  # open: no result yet
    vote(members[4], "for")  # a vote changed before the ballot closes
    tally = head.get(f"{ballot}/@hdnd-tally", headers=JSON).json()
    assert (tally["for"], tally["against"], tally["passed"], tally["provisional"]) == (5, 0, None, True)
    assert head.post(f"{ballot}/@workflow/close", headers=JSON, json={}).status_code == 200
    closed = head.get(f"{ballot}/@hdnd-tally", headers=JSON).json()
    assert closed["passed"] and closed["reserved_opinions"] == [
        {"member": members[5], "choice": "other", "comment": "Bổ sung lĩnh vực y tế"}]
    late = voters[members[6]].post(f"{ballot}/@hdnd-vote", headers=JSON, json={"choice": "against"})
    assert late.status_code == 400  # closed

    # Minuted, and its conclusion notice drafted, signed and issued with its number.
    assert head.post(f"{url}/@workflow/close", headers=JSON, json={}).status_code == 200
    minutes = "Có mặt 6/9 đồng chí. Thống nhất thông qua Kế hoạch giám sát năm 2027."
    assert head.patch(url, headers=JSON, json={"minutes": minutes}).status_code == 204
    missing = head.post(f"{url}/@hdnd-conclusion", headers=JSON, json={})
    assert missing.status_code == 400 and "text" in missing.text
    drafted = head.post(f"{url}/@hdnd-conclusion", headers=JSON, json={"text": "Thông qua Kế hoạch giám sát năm 2027."})
    assert drafted.status_code == 200, drafted.text
    assert drafted.json()["review_state"] == "draft"
    notice = head.get(drafted.json()["@id"], headers=JSON).json()
    assert notice["title"] == "Thông báo kết luận phiên họp định kỳ tháng 3/2027"
    assert notice["document_type"]["token"] == "TB" and notice["symbol"] is None  # numbered at issue
    assert head.get(url, headers=JSON).json()["conclusion_notice"]["@id"] == drafted.json()["@id"]
    again = head.post(f"{url}/@hdnd-conclusion", headers=JSON, json={"text": "x"})
    assert again.json()["@id"] == drafted.json()["@id"]  # one notice per meeting

    notice_url = drafted.json()["@id"]
    assert head.patch(notice_url, headers=JSON, json={
        "signer": "BI-THU", "signer_position": "T/M Đảng đoàn, Bí thư"}).status_code == 204
    for session, transition in ((head, "submit"), (head, "approve"), (clerk, "format_ok"),
                                (leader, "sign"), (clerk, "issue")):
        done = session.post(f"{notice_url}/@workflow/{transition}", headers=JSON, json={})
        assert done.status_code == 200, done.text
    issued = head.get(notice_url, headers=JSON).json()
    assert (issued["review_state"], issued["symbol"]) == ("issued", "01-TB/ĐĐHĐND")
    # The notice as printed: the Party layout with its number, date and signer.
    pdf = head.get(f"{notice_url}/@hdnd-generate/thong-bao-ket-luan", params={"format": "pdf"})
    assert pdf.status_code == 200, pdf.text
    text = pdf_text(pdf.content)
    issue_day = date.fromisoformat(issued["issue_date"])
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 01-TB/ĐĐHĐND", place_date("Thành phố", issue_day),
                     "THÔNG BÁO", "Ngày 25/03/2027", "Thông qua Kế hoạch giám sát năm 2027.", "BI-THU"):
        assert expected in text, (expected, text)


def test_a_written_consultation_with_reminders_and_a_summary(functional_portal, request_factory, smtp):
    members = [f"uyvien-{i}" for i in range(1, 8)]
    for userid in members + ["chanh-vp2"]:
        api.user.create(email=f"{userid}@hdnd.example.vn", username=userid, password=PASSWORD)
    for userid in members:
        api.group.add_user(groupname="delegation-members", username=userid)
    api.group.add_user(groupname="office-heads", username="chanh-vp2")
    api.group.add_user(groupname="specialists", username="chanh-vp2")
    transaction.commit()
    base = functional_portal.absolute_url()
    head = request_factory(basic_auth=("chanh-vp2", PASSWORD), api=False)
    dossier = head.post(f"{base}/ho-so", headers=JSON, json={"@type": "Dossier", "title": "Hồ sơ kế hoạch giám sát 2027"})
    assert dossier.status_code == 201, dossier.text
    request = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "OpinionRequest", "title": "Xin ý kiến về Kế hoạch giám sát năm 2027",
        "question": "Đề nghị cho ý kiến", "reply_deadline": "2027-01-10T17:00:00+07:00",
        "dossier": dossier.json()["UID"]}).json()["@id"]
    ballot = head.post(request, headers=JSON, json={
        "@type": "Ballot", "title": "Thông qua Kế hoạch", "question": "Đồng ý?", "ballot_kind": "open"}).json()["@id"]
    for url in (request, ballot):
        assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 200
    voters = {m: request_factory(basic_auth=(m, PASSWORD), api=False) for m in members[:5]}
    for m, session in voters.items():
        choice = {"choice": "for"} if m != "uyvien-5" else {"choice": "against", "comment": "Cần thêm thời gian"}
        if m == "uyvien-1":
            choice["comment"] = "Nhất trí, đề nghị bổ sung lĩnh vực y tế"
        assert session.post(f"{ballot}/@hdnd-vote", headers=JSON, json=choice).status_code == 200
    # While it is open: the tally so far, marked provisional; no verdict, no opinions yet.
    early = head.get(f"{request}/@hdnd-summary", headers=JSON).json()
    assert (early["final"], early["ballots"][0]["provisional"], early["ballots"][0]["passed"]) == (False, True, None)
    assert "kết quả tạm tính" in early["summary"] and "được thông qua" not in early["summary"]
    assert early["ballots"][0]["opinions"] == []
    reminded = head.post(f"{request}/@hdnd-remind", headers=JSON).json()["reminded"]
    assert reminded == ["uyvien-6", "uyvien-7"]
    reminders = [m for m in smtp.messages if "Nhắc trả lời" in str(email.header.make_header(email.header.decode_header(m["Subject"])))]
    assert sorted(m["To"] for m in reminders) == ["uyvien-6@hdnd.example.vn", "uyvien-7@hdnd.example.vn"]
    assert head.post(f"{ballot}/@workflow/close", headers=JSON, json={}).status_code == 200
    assert head.post(f"{request}/@workflow/close", headers=JSON, json={}).status_code == 200
    assert head.post(f"{request}/@workflow/publish", headers=JSON, json={}).status_code == 200
    answer = head.get(f"{request}/@hdnd-summary", headers=JSON).json()
    summary = answer["summary"]
    assert "4 tán thành, 1 không tán thành, 0 ý kiến khác, 2 không trả lời (trên 7 thành viên): được thông qua" in summary
    assert "Cần thêm thời gian" in summary and "Nhất trí, đề nghị bổ sung lĩnh vực y tế" in summary
    # The summary's tally and each opinion, as data too.
    result = answer["ballots"][0]
    assert answer["final"] and (result["for"], result["against"], result["not_voted"], result["result"]) == (
        4, 1, 2, "passed")
    assert result["opinions"] == [
        {"member": "uyvien-1", "choice": "for", "comment": "Nhất trí, đề nghị bổ sung lĩnh vực y tế"},
        {"member": "uyvien-5", "choice": "against", "comment": "Cần thêm thời gian"}]
    filed = head.get(f"{dossier.json()['@id']}", headers=JSON).json()["items"]
    assert [i["title"] for i in filed] == ["Báo cáo tổng hợp ý kiến: Xin ý kiến về Kế hoạch giám sát năm 2027"]


def test_invitations_without_a_mail_server_are_a_clear_503(functional_portal, request_factory):
    api.user.create(email="cvp-mail@hdnd.example.vn", username="cvp-mail", password=PASSWORD)
    api.user.create(email="tv-mail@hdnd.example.vn", username="tv-mail", password=PASSWORD)
    api.group.add_user(groupname="office-heads", username="cvp-mail")
    api.group.add_user(groupname="delegation-members", username="tv-mail")
    api.portal.set_registry_record("plone.email_from_address", "")
    transaction.commit()
    head = request_factory(basic_auth=("cvp-mail", PASSWORD), api=False)
    url = head.post(f"{functional_portal.absolute_url()}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp bất thường", "meeting_kind": "extraordinary",
        "start": "2026-12-03T14:00:00+07:00"}).json()["@id"]
    refused = head.post(f"{url}/@hdnd-invite", headers=JSON)
    assert refused.status_code == 503
    assert refused.json()["error"]["message"].startswith("e-mail: no sender address is configured")
