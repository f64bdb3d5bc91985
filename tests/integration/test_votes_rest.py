"""Members vote themselves over REST; a decision needs more than half of all
incumbent members; a secret ballot keeps no link from a member to a choice."""

from plone import api

import pytest
import transaction


JSON = {"Accept": "application/json"}


@pytest.fixture
def meeting(functional_portal, people):
    members = [f"tv{i}" for i in range(1, 10)]  # nine incumbent members
    sessions = people({**dict.fromkeys(members, "delegation-members"), "head": "office-heads"})
    head = sessions.pop("head")
    base = functional_portal.absolute_url()
    url = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp định kỳ tháng 12/2026", "start": "2026-12-24T08:00:00+07:00",
    }).json()["@id"]
    item = head.post(url, headers=JSON, json={"@type": "AgendaItem", "title": "Cho ý kiến về nhân sự"}).json()["@id"]

    def ballot(kind):
        created = head.post(item, headers=JSON, json={
            "@type": "Ballot", "title": f"Biểu quyết ({kind})", "question": "Tán thành?", "ballot_kind": kind})
        assert created.status_code == 201, created.text
        ballot_url = created.json()["@id"]
        assert head.post(f"{ballot_url}/@workflow/open", headers=JSON, json={}).status_code == 200
        return ballot_url

    return {"head": head, "members": sessions, "ballot": ballot}


def vote(session, url, choice, comment="", receipt=None, status=200):
    body = {"choice": choice, "comment": comment}
    if receipt:
        body["receipt"] = receipt
    response = session.post(f"{url}/@hdnd-vote", headers=JSON, json=body)
    assert response.status_code == status, response.text
    return response.json()


def test_open_ballot_members_vote_change_and_reserve(meeting):
    url = meeting["ballot"]("open")
    members = meeting["members"]
    for m in ("tv1", "tv2", "tv3", "tv4"):
        vote(members[m], url, "for")
    vote(members["tv5"], url, "against", "Đề nghị xem xét thêm")
    vote(members["tv6"], url, "other", "Bổ sung ý kiến Ban Pháp chế")
    tally = meeting["head"].get(f"{url}/@hdnd-tally", headers=JSON).json()
    # While the ballot is open the counts are provisional: no result yet (4 of 9 voted for).
    assert (tally["for"], tally["passed"], tally["provisional"], tally["result"]) == (4, None, True, "provisional")
    vote(members["tv5"], url, "for")  # a member changes their vote before it closes
    tally = meeting["head"].get(f"{url}/@hdnd-tally", headers=JSON).json()
    assert (tally["for"], tally["against"], tally["other"], tally["not_voted"], tally["passed"]) == (5, 0, 1, 3, None)
    assert "votes" not in tally  # each member's vote is shown once the ballot is closed
    # Each member sees their own vote state; the office head is no voter.
    mine = members["tv5"].get(f"{url}/@hdnd-tally", headers=JSON).json()["me"]
    assert mine == {"electorate": True, "voted": True, "choice": "for", "comment": ""}
    assert members["tv7"].get(f"{url}/@hdnd-tally", headers=JSON).json()["me"] == {"electorate": True, "voted": False}
    assert tally["me"] == {"electorate": False, "voted": False}
    assert meeting["head"].post(f"{url}/@workflow/close", headers=JSON, json={}).status_code == 200
    vote(members["tv7"], url, "for", status=400)  # closed
    tally = meeting["head"].get(f"{url}/@hdnd-tally", headers=JSON).json()
    assert (tally["passed"], tally["final"], tally["result"]) == (True, True, "passed")  # 5 of 9: more than half
    assert tally["votes"]["tv6"]["choice"] == "other"
    assert tally["reserved_opinions"] == [
        {"member": "tv6", "choice": "other", "comment": "Bổ sung ý kiến Ban Pháp chế"}]


def test_bad_votes_are_refused_with_the_field(meeting):
    url = meeting["ballot"]("open")
    refused = vote(meeting["members"]["tv1"], url, "maybe", status=400)
    assert "choice" in refused["message"]
    refused = vote(meeting["members"]["tv1"], url, "other", status=400)
    assert "comment" in refused["message"]
    # Not an incumbent member: the office head cannot vote.
    assert meeting["head"].post(f"{url}/@hdnd-vote", headers=JSON, json={"choice": "for"}).status_code in (400, 401, 403)


def test_secret_ballot_counts_without_a_link_to_the_voter(meeting, functional_portal):
    url = meeting["ballot"]("secret")
    members = meeting["members"]
    receipts = {}
    for m, choice in [("tv1", "for"), ("tv2", "for"), ("tv3", "against"), ("tv4", "for"), ("tv5", "for")]:
        receipts[m] = vote(members[m], url, choice)["receipt"]
    vote(members["tv3"], url, "for", status=400)  # voted already, no receipt
    vote(members["tv3"], url, "for", receipt=receipts["tv3"])  # changed with its receipt
    tally = meeting["head"].get(f"{url}/@hdnd-tally", headers=JSON).json()
    assert (tally["for"], tally["against"], tally["voted"], tally["passed"]) == (5, 0, 5, None)  # open: provisional
    assert members["tv3"].get(f"{url}/@hdnd-tally", headers=JSON).json()["me"] == {"electorate": True, "voted": True}

    transaction.begin()
    ballot = functional_portal.unrestrictedTraverse(url.replace(functional_portal.absolute_url(), "").lstrip("/"))
    from hdnd.content.voting import box

    stored = box(ballot)
    voters = set(stored.voters)
    assert voters == {"tv1", "tv2", "tv3", "tv4", "tv5"}
    # Nothing in the ballot box pairs a member with a choice.
    for name, value in vars(stored).items():
        if hasattr(value, "items"):
            for key, choice in value.items():
                assert key not in voters, name
    assert not hasattr(stored, "votes")
    # The vote's transaction carries no user name (what the undo history shows).
    from hdnd.content.voting import cast

    transaction.get().setUser("tv6")
    transaction.get().note("vote")
    cast(ballot, "tv6", "against")
    assert (transaction.get().user, transaction.get().description) == ("", "")
    transaction.abort()
    # The audit trail holds no vote.
    from hdnd.content import audit

    assert not [e for e in audit.entries(site=functional_portal) if e.get("actor") in voters and "vote" in str(e)]
    # Nor does the catalog.
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(SearchableText="tv3")
