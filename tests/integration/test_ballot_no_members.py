"""A ballot and the delegation's members (domain §4): with no incumbent
members (the `delegation-members` group empty) a ballot cannot be opened —
REST answers 400 with the reason, the page says it — and a ballot that has
nobody left to vote (opened before opening needed members) or whose members
were removed later keeps its pages, its tally, the meeting's board, the
attendance and the generated minutes: no 5xx, the tally says there are no
voters and the motion is not passed."""

from hdnd.content import voting
from plone import api

import pytest
import re
import transaction


JSON = {"Accept": "application/json"}
MEMBERS = ["tv-k1", "tv-k2", "tv-k3"]


@pytest.fixture
def office(functional_portal, people):
    sessions = people({**dict.fromkeys(MEMBERS), "head-k": "office-heads"})  # members of no group yet
    head = sessions["head-k"]
    base = functional_portal.absolute_url()
    meeting = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp chuyên đề", "start": "2026-12-10T08:00:00+07:00"}).json()["@id"]

    def ballot(kind="open", container=meeting):
        created = head.post(container, headers=JSON, json={
            "@type": "Ballot", "title": f"Biểu quyết {kind}", "question": "Tán thành Đề án?", "ballot_kind": kind})
        assert created.status_code == 201, created.text
        return created.json()["@id"]

    def members(*userids, add=True):
        transaction.begin()
        for userid in userids:
            (api.group.add_user if add else api.group.remove_user)(groupname="delegation-members", username=userid)
        transaction.commit()

    def obj(url):
        transaction.begin()
        return functional_portal.unrestrictedTraverse(url.replace(base, "").lstrip("/"))

    return {"head": head, "base": base, "meeting": meeting, "ballot": ballot, "members": members, "obj": obj,
            "as": sessions}


def group_members():
    return [user.getId() for user in api.user.get_users(groupname="delegation-members")]


def state(office, url):
    return office["head"].get(url, headers=JSON).json()["review_state"]


def test_no_members_opening_a_ballot_is_refused_over_rest_and_on_the_page(office):
    head = office["head"]
    assert group_members() == []  # the group is empty
    url = office["ballot"]()
    refused = head.post(f"{url}/@workflow/open", headers=JSON, json={})
    assert refused.status_code == 400, refused.text
    assert "delegation-members" in refused.json()["error"]["message"], refused.text
    assert state(office, url) == "prepared"
    assert head.get(f"{url}/@hdnd-tally", headers=JSON).status_code == 400  # not opened: no ballot box
    # The work page's button: the step is refused with the reason, in Vietnamese, on the page.
    page = head.get(f"{url}/view")
    assert page.status_code == 200, page.text[:300]
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    step = head.post(f"{url}/@@hdnd-step", data={"_authenticator": token, "transition": "open", "confirmed": "1"},
                     allow_redirects=False)
    assert step.status_code == 302, step.text[:300]
    shown = head.get(f"{url}/view")
    assert shown.status_code == 200 and "chưa có thành viên Đảng đoàn đương nhiệm nào" in shown.text
    assert state(office, url) == "prepared"
    # The state menu (Plone's content_status_modify) refuses it the same way.
    menu = head.post(f"{url}/content_status_modify", data={"_authenticator": token, "workflow_action": "open"},
                     allow_redirects=False)
    assert menu.status_code == 302, menu.text[:300]
    assert "chưa có thành viên Đảng đoàn đương nhiệm nào" in head.get(f"{url}/view").text
    assert state(office, url) == "prepared"
    # With members, the same ballot opens and they make up its electorate.
    office["members"](*MEMBERS)
    assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 200
    assert sorted(voting.box(office["obj"](url)).electorate) == MEMBERS


def test_no_members_left_after_opening_pages_tally_boards_minutes_without_error(office):
    head, meeting = office["head"], office["meeting"]
    office["members"](*MEMBERS)
    kept, emptied, secret = office["ballot"](), office["ballot"](), office["ballot"]("secret")
    for url in (kept, emptied, secret):
        assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 200
    for url in (kept, emptied):
        assert office["as"]["tv-k1"].post(f"{url}/@hdnd-vote", headers=JSON, json={"choice": "for"}).status_code == 200
    assert head.post(f"{meeting}/@hdnd-attendance", headers=JSON, json={"present": MEMBERS}).status_code == 200
    assert head.post(f"{kept}/@workflow/close", headers=JSON, json={}).status_code == 200

    # Two members leave: more were present at the meeting than are members now.
    office["members"]("tv-k2", "tv-k3", add=False)
    attendance = head.get(f"{meeting}/@hdnd-attendance", headers=JSON)
    assert attendance.status_code == 200, attendance.text
    assert (attendance.json()["incumbent"], attendance.json()["quorum_met"]) == (1, True)
    # None left; the ballots `emptied` and `secret` hold what a ballot opened
    # with nobody to vote (before opening needed members) holds.
    office["members"]("tv-k1", add=False)
    assert group_members() == []
    for url in (emptied, secret):
        voting.open_box(office["obj"](url))
        transaction.commit()
    assert head.post(f"{emptied}/@workflow/close", headers=JSON, json={}).status_code == 200

    attendance = head.get(f"{meeting}/@hdnd-attendance", headers=JSON)
    assert attendance.status_code == 200, attendance.text
    assert (attendance.json()["incumbent"], attendance.json()["quorum_met"]) == (0, False)
    tally = head.get(f"{kept}/@hdnd-tally", headers=JSON).json()  # its electorate was fixed when it opened
    assert (tally["incumbent"], tally["for"], tally["result"], tally["no_voters"]) == (3, 1, "not_passed", False)
    tally = head.get(f"{emptied}/@hdnd-tally", headers=JSON)
    assert tally.status_code == 200, tally.text
    tally = tally.json()
    assert (tally["incumbent"], tally["no_voters"], tally["passed"], tally["result"]) == (0, True, False, "not_passed")
    tally = head.get(f"{secret}/@hdnd-tally", headers=JSON)
    assert tally.status_code == 200, tally.text
    assert (tally.json()["no_voters"], tally.json()["passed"], tally.json()["result"]) == (True, None, "provisional")

    for url in (emptied, secret):
        page = head.get(f"{url}/view")
        assert page.status_code == 200, page.text[:300]
        assert 'id="hdnd-no-voters"' in page.text and "không thể được thông qua" in page.text
    assert 'id="hdnd-no-voters"' not in head.get(f"{kept}/view").text
    board = head.get(f"{meeting}/view")
    assert board.status_code == 200, board.text[:300]
    minutes = head.get(f"{meeting}/@hdnd-generate/bien-ban", params={"format": "odt"}, headers=JSON)
    assert minutes.status_code == 200, minutes.text[:300]
    # A member who left sees no form; a vote is refused (no longer a member: no right to vote), never a 5xx.
    left = office["as"]["tv-k2"]
    assert left.post(f"{secret}/@hdnd-vote", headers=JSON, json={"choice": "for"}).status_code in (400, 401, 403)
    assert 'id="hdnd-vote"' not in left.get(f"{secret}/view").text


def test_opinion_request_with_a_ballot_nobody_can_vote_on(office):
    head, base = office["head"], office["base"]
    created = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "OpinionRequest", "title": "Xin ý kiến về Đề án", "question": "Đề nghị cho ý kiến.",
        "reply_deadline": "2026-12-28T17:00:00+07:00"})
    assert created.status_code == 201, created.text
    request_url = created.json()["@id"]
    url = office["ballot"](container=request_url)
    assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 400
    office["members"](*MEMBERS)
    assert head.post(f"{request_url}/@workflow/open", headers=JSON, json={}).status_code == 200
    assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 200
    office["members"](*MEMBERS, add=False)
    voting.open_box(office["obj"](url))  # as a ballot opened with nobody to vote
    transaction.commit()
    for path in ("view", "@hdnd-summary"):
        response = head.get(f"{request_url}/{path}", headers=JSON if path.startswith("@") else {})
        assert response.status_code == 200, (path, response.text[:300])
    assert head.post(f"{url}/@workflow/close", headers=JSON, json={}).status_code == 200
    assert head.post(f"{request_url}/@workflow/close", headers=JSON, json={}).status_code == 200
    summary = head.get(f"{request_url}/@hdnd-summary", headers=JSON)
    assert summary.status_code == 200, summary.text[:300]
    assert "không được thông qua" in summary.json()["summary"]
    assert head.get(f"{request_url}/view").status_code == 200
    assert head.get(f"{request_url}/@hdnd-generate/phieu-xin-y-kien", params={"format": "odt"},
                    headers=JSON).status_code == 200
