from fractions import Fraction
from hdnd.content.core.voting import passes
from hdnd.content.core.voting import quorum_met
from hdnd.content.core.voting import tally_open
from hdnd.content.core.voting import VotingError
from hdnd.content.core.voting import check_choice

import pytest


@pytest.mark.parametrize(
    "votes_for, incumbent, expected",
    [(5, 9, True), (4, 9, False), (4, 8, False), (5, 8, True), (1, 1, True), (0, 1, False), (6, 11, True)],
)
def test_more_than_half_of_all_incumbent_members(votes_for, incumbent, expected):
    assert passes(votes_for, incumbent) is expected


def test_exactly_half_fails():
    assert passes(4, 8) is False
    assert passes(7, 14) is False


def test_absent_members_count_against_passing():
    # 6 present of 9: 5 for is a pass (5 > 4.5); 4 for is not, even though 4 of 6 present.
    assert tally_open({"a": "for", "b": "for", "c": "for", "d": "for", "e": "against", "f": "other"}, 9).passed is False
    votes = {m: "for" for m in "abcde"} | {"f": "against"}
    assert tally_open(votes, 9).passed is True


def test_quorum_two_thirds_by_default_and_configurable():
    assert quorum_met(6, 9) and not quorum_met(5, 9)
    assert quorum_met(2, 3) and not quorum_met(1, 3)
    assert quorum_met(5, 9, Fraction(1, 2)) and not quorum_met(4, 9, Fraction(1, 2))
    with pytest.raises(VotingError):
        quorum_met(10, 9)


def test_no_incumbent_members_decide_nothing():
    # The rules refuse a count against nobody; a ballot's tally with nobody
    # in its electorate (opened before opening needed members) is "not passed".
    with pytest.raises(VotingError):
        passes(0, 0)
    with pytest.raises(VotingError):
        quorum_met(0, 0)
    tally = tally_open({}, 0)
    assert tally.passed is False
    assert tally.as_dict() == {"incumbent": 0, "for": 0, "against": 0, "other": 0, "not_voted": 0, "passed": False}


def test_a_changed_vote_counts_once():
    votes = {"a": "for", "b": "against"}
    votes["a"] = "against"  # a member changes their vote before the ballot closes
    tally = tally_open(votes, 3)
    assert tally.as_dict() == {"incumbent": 3, "for": 0, "against": 2, "other": 0, "not_voted": 1, "passed": False}


def test_choices_and_other_opinion_comment():
    check_choice("for")
    with pytest.raises(VotingError, match="choice"):
        check_choice("yes")
    with pytest.raises(VotingError, match="comment"):
        check_choice("other", "")
    check_choice("other", "Đề nghị bổ sung ý kiến của Ban Pháp chế")
