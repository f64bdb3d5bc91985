"""Collective decisions (domain §4): quorum, tally and majority.

- A decision is valid only when MORE than half of ALL incumbent members
  approve — of all members, not of those present; exactly half fails.
- Attendance quorum: at least 2/3 of incumbent members by default
  (configurable as a fraction).
- Choices: for (tán thành), against (không tán thành), other opinion
  (ý kiến khác, with a comment). A member's later vote replaces their
  earlier one until the ballot closes.
"""

from dataclasses import dataclass
from dataclasses import field
from fractions import Fraction


FOR = "for"
AGAINST = "against"
OTHER = "other"
CHOICES = (FOR, AGAINST, OTHER)
DEFAULT_QUORUM = Fraction(2, 3)


class VotingError(ValueError):
    """A vote or a count that cannot be accepted."""


def quorum_met(present: int, incumbent: int, quorum: Fraction = DEFAULT_QUORUM) -> bool:
    """Whether ``present`` of ``incumbent`` members reach the attendance quorum
    (at least the fraction: 6 of 9 reaches 2/3, 5 of 9 does not)."""
    if incumbent <= 0:
        raise VotingError("There are no incumbent members")
    if not 0 <= present <= incumbent:
        raise VotingError(f"{present} present of {incumbent} incumbent members is impossible")
    return Fraction(present, incumbent) >= quorum


def passes(votes_for: int, incumbent: int) -> bool:
    """More than half of all incumbent members: 5 of 9 passes, 4 of 8 fails."""
    if incumbent <= 0:
        raise VotingError("There are no incumbent members")
    return 2 * votes_for > incumbent


@dataclass
class Tally:
    """Counts of a ballot against the body's incumbent members."""

    incumbent: int
    counts: dict = field(default_factory=lambda: {c: 0 for c in CHOICES})

    @property
    def cast(self) -> int:
        return sum(self.counts.values())

    @property
    def not_voted(self) -> int:
        return self.incumbent - self.cast

    @property
    def passed(self) -> bool:
        # No incumbent members (a ballot opened before opening needed them):
        # nobody could approve, so nothing is decided. passes() itself refuses
        # such a count, for a caller that decides with no members is wrong.
        if self.incumbent <= 0:
            return False
        return passes(self.counts[FOR], self.incumbent)

    def as_dict(self):
        return {
            "incumbent": self.incumbent,
            "for": self.counts[FOR],
            "against": self.counts[AGAINST],
            "other": self.counts[OTHER],
            "not_voted": self.not_voted,
            "passed": self.passed,
        }


def check_choice(choice: str, comment: str = "") -> None:
    if choice not in CHOICES:
        raise VotingError(f"choice: expected one of {', '.join(CHOICES)}, got {choice!r}")
    if choice == OTHER and not (comment or "").strip():
        raise VotingError("comment: an other opinion (ý kiến khác) needs its comment")


def tally_open(votes: dict, incumbent: int) -> Tally:
    """Tally an open ballot from {member: choice} (a member's last vote counts)."""
    if len(votes) > incumbent:
        raise VotingError(f"{len(votes)} votes from {incumbent} incumbent members")
    tally = Tally(incumbent)
    for choice in votes.values():
        check_choice(choice, comment="-")
        tally.counts[choice] += 1
    return tally
