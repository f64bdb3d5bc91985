"""Members vote on the ballot's web page (Classic UI, through a real HTTP
server): the form with its CSRF token, a vote changed, the counts; a secret
vote changed only with its receipt; who may not vote gets no form."""

import pytest
import re


JSON = {"Accept": "application/json"}


@pytest.fixture
def ballot(functional_portal, people):
    sessions = people({**dict.fromkeys(["tv-a", "tv-b", "tv-c"], "delegation-members"), "head-b": "office-heads"})
    head = sessions["head-b"]
    base = functional_portal.absolute_url()
    meeting = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp chuyên đề", "start": "2026-12-10T08:00:00+07:00"}).json()["@id"]

    def make(kind):
        url = head.post(meeting, headers=JSON, json={
            "@type": "Ballot", "title": f"Biểu quyết {kind}", "question": "Tán thành Đề án?",
            "ballot_kind": kind}).json()["@id"]
        assert head.post(f"{url}/@workflow/open", headers=JSON, json={}).status_code == 200
        return url

    return make, sessions


def token(session, page_url):
    page = session.get(page_url)
    assert page.status_code == 200
    return re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)


def post_vote(session, url, **form):
    return session.post(f"{url}/view", data={"_authenticator": token(session, f"{url}/view"), **form})


def test_a_member_votes_and_changes_the_vote_on_the_page(ballot):
    make, sessions = ballot
    url = make("open")
    page = sessions["tv-a"].get(f"{url}/view")
    assert 'id="hdnd-vote"' in page.text and "Tán thành Đề án?" in page.text
    done = post_vote(sessions["tv-a"], url, choice="against", comment="Chưa đủ căn cứ")
    assert done.status_code == 200 and 'id="hdnd-my-vote"' in done.text
    post_vote(sessions["tv-a"], url, choice="for")
    post_vote(sessions["tv-b"], url, choice="for")
    tally = sessions["head-b"].get(f"{url}/@hdnd-tally", headers=JSON).json()
    assert (tally["for"], tally["against"], tally["passed"]) == (2, 0, None)  # open: provisional
    page = sessions["tv-a"].get(f"{url}/view").text
    assert 'id="hdnd-my-vote-state"' in page and "Đồng chí đã biểu quyết" in page
    assert 'id="hdnd-provisional"' in page and "Không được thông qua" not in page
    assert "Đồng chí chưa biểu quyết" in sessions["tv-c"].get(f"{url}/view").text
    refused = post_vote(sessions["tv-c"], url, choice="other")  # "other" needs a comment
    assert "comment" in refused.text
    assert sessions["head-b"].get(f"{url}/@hdnd-tally", headers=JSON).json()["other"] == 0
    # Not in the electorate: no form, and a forged post changes nothing.
    assert 'id="hdnd-vote"' not in sessions["head-b"].get(f"{url}/view").text
    valid = token(sessions["head-b"], url.split("/phien-hop/")[0] + "/@@personal-information")
    forged = sessions["head-b"].post(f"{url}/view", data={"_authenticator": valid, "choice": "against"})
    assert forged.status_code == 200 and "không thể biểu quyết" in forged.text
    assert sessions["head-b"].get(f"{url}/@hdnd-tally", headers=JSON).json()["against"] == 0
    # Without the CSRF token nothing is recorded.
    forged = sessions["tv-c"].post(f"{url}/view", data={"choice": "against"})
    assert forged.status_code == 403
    assert sessions["head-b"].get(f"{url}/@hdnd-tally", headers=JSON).json()["against"] == 0


def test_a_secret_vote_is_changed_with_its_receipt_only(ballot):
    make, sessions = ballot
    url = make("secret")
    first = post_vote(sessions["tv-a"], url, choice="for")
    receipt = re.search(r'id="hdnd-receipt".*?<code>([^<]+)</code>', first.text, re.S).group(1)
    assert 'id="hdnd-my-vote"' not in first.text  # a secret vote is never shown back
    again = post_vote(sessions["tv-a"], url, choice="against")
    # Refused, in Vietnamese (not the rule's English "receipt: you have voted…").
    assert "Đồng chí đã biểu quyết. Để thay đổi, nhập mã xác nhận" in again.text, again.text
    assert "you have voted" not in again.text
    post_vote(sessions["tv-a"], url, choice="against", receipt=receipt)
    tally = sessions["head-b"].get(f"{url}/@hdnd-tally", headers=JSON).json()
    assert (tally["for"], tally["against"], tally["voted"]) == (0, 1, 1)
