"""A meeting and its vote in a real browser: the office head prepares the
meeting and a ballot in the Classic UI and opens the vote; members vote on
the ballot's page (a phone-sized picture too); the head closes the vote and
everyone sees the result."""

import pytest


PEOPLE = {
    "chanhvp-m": ("Ngô Thị Lan", "office-heads"),
    "thanhvien-m1": ("Lê Văn Cường", "delegation-members"),
    "thanhvien-m2": ("Phạm Thị Dung", "delegation-members"),
    "thanhvien-m3": ("Hoàng Minh Đức", "delegation-members"),
}


@pytest.fixture
def members(people):
    people(PEOPLE)


def vote(browser, user, meeting, choice):
    """A member opens the meeting, follows the ballot's link and votes."""
    browser.login(user)
    browser.go(meeting)
    browser.follow("Biểu quyết Đề án")
    browser.click(f'input[name="choice"][value="{choice}"]')
    browser.submit('#hdnd-vote button[type="submit"]')


def test_a_member_votes_in_a_meeting(browser, members):
    # The office head prepares the meeting and puts the motion to the vote.
    browser.login("chanhvp-m")
    browser.go("phien-hop")
    browser.add("Phiên họp")
    browser.form(title="Phiên họp chuyên đề tháng 12/2026", start="2026-12-10T08:00", location="Phòng họp số 1")
    browser.shot("head-prepares-the-meeting")
    browser.submit('[name="form.buttons.save"]')
    meeting = browser.url.removesuffix("/view")
    browser.add("Phiếu biểu quyết")
    browser.form(title="Biểu quyết Đề án", question="Tán thành Đề án giám sát chuyên đề năm 2027?")
    browser.shot("head-prepares-the-ballot")
    browser.submit('[name="form.buttons.save"]')
    ballot = browser.url.removesuffix("/view")
    assert ballot == f"{meeting}/bieu-quyet-de-an"
    browser.transition("Bắt đầu")
    assert browser.state() == "Trạng thái: Đang diễn ra"
    browser.shot("ballot-open")

    # Two members vote for, one against; a member sees the vote recorded.
    vote(browser, "thanhvien-m1", meeting, "for")
    assert browser.find("#hdnd-my-vote").text == "Đồng chí đã biểu quyết: Tán thành"
    browser.shot("member-has-voted")
    assert browser.phone("member-has-voted") == 0
    vote(browser, "thanhvien-m2", meeting, "for")
    vote(browser, "thanhvien-m3", meeting, "against")
    browser.shot("last-member-has-voted")

    # The head closes the vote: 2 of 3 incumbent members is more than half.
    browser.login("chanhvp-m")
    browser.go(ballot)
    browser.transition("Kết thúc")
    assert browser.state() == "Trạng thái: Đã kết thúc"
    tally = browser.find("#hdnd-tally tbody").text.split()
    assert tally[:5] == ["2", "1", "0", "0", "3"]
    assert "Được thông qua" in browser.find("#hdnd-tally").text
    browser.shot("ballot-closed-with-its-result")
