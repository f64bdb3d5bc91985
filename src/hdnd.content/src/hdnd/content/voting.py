"""Members cast their own votes on a ballot (rules in core.voting).

The electorate is fixed when the ballot opens: the incumbent members (the
`delegation-members` group). A member's later vote replaces their earlier
one until the ballot closes.

Open ballots keep each member's choice (visible after the ballot closes).
Secret ballots keep only counts, the set of members who have voted (so
nobody votes twice) and, for changing a vote, the SHA-256 of a random
receipt given to the voter with the choice it stands for: nothing stored
maps a member to a choice. The vote's transaction carries no user name, and
the audit trail does not record votes. (A raw copy of the database taken
before it is packed still holds each transaction's before-and-after state;
pack the database after a secret ballot closes.)
"""

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from datetime import datetime
from hashlib import sha256
from hdnd.content.core import voting
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations

import secrets
import transaction


ANNOTATION_KEY = "hdnd.content.votes"
ELECTORATE_GROUP = "delegation-members"


class BallotBox(Persistent):
    tallies = None  # a secret box from before issue 21 has `counts` instead

    def __init__(self, electorate, secret):
        self.electorate = tuple(sorted(electorate))
        self.secret = secret
        if secret:
            # One BTrees.Length per choice (issue 21): members voting at once
            # change counters that resolve their conflicts by adding up, not
            # one mapping every vote rewrites. (Boxes from before keep `counts`.)
            self.tallies = {c: Length(0) for c in voting.CHOICES}
            self.voters = OOTreeSet()
            self.receipts = OOBTree()  # sha256(receipt) -> choice
            self.comments = []  # other opinions and reservations, anonymous
        else:
            self.votes = OOBTree()  # member -> {"choice", "comment", "time"}


def _count(ballot_box, choice, delta):
    tallies = getattr(ballot_box, "tallies", None)
    if tallies is not None:
        tallies[choice].change(delta)
    else:
        ballot_box.counts[choice] += delta


def counts_of(ballot_box):
    """{choice: votes} of a secret ballot box."""
    tallies = getattr(ballot_box, "tallies", None)
    if tallies is not None:
        return {choice: tallies[choice]() for choice in voting.CHOICES}
    return dict(ballot_box.counts)


def box(ballot):
    return IAnnotations(ballot).get(ANNOTATION_KEY)


def may_vote(ballot):
    """May the current user cast (or change) their vote on ``ballot`` now:
    it is open, they are in its electorate, and they hold the vote there.
    The ballot's page and the work page's buttons ask this."""
    ballot_box = box(ballot)
    return (
        api.content.get_state(ballot, default=None) == "open"
        and ballot_box is not None
        and api.user.get_current().getId() in ballot_box.electorate
        and api.user.has_permission("hdnd: Vote", obj=ballot)
    )


def incumbent_members():
    """The ids of the incumbent members now (the `delegation-members` group;
    none if the group is missing)."""
    if api.group.get(groupname=ELECTORATE_GROUP) is None:
        return []
    return sorted(u.getId() for u in api.user.get_users(groupname=ELECTORATE_GROUP))


def open_box(ballot):
    """Fix the electorate when the ballot opens (the open step refuses an
    empty one: transitions.ballots)."""
    IAnnotations(ballot)[ANNOTATION_KEY] = BallotBox(incumbent_members(), ballot.ballot_kind == "secret")


def _hash(receipt):
    return sha256(receipt.encode("utf-8")).hexdigest()


def cast(ballot, userid, choice, comment="", receipt=None):
    """Record a vote; returns a receipt for a secret ballot (else None)."""
    ballot_box = box(ballot)
    if ballot_box is None or api.content.get_state(ballot) != "open":
        raise voting.VotingError("ballot: votes are cast only while the ballot is open")
    if userid not in ballot_box.electorate:
        raise voting.VotingError("ballot: only the incumbent members vote on it")
    voting.check_choice(choice, comment)
    if not ballot_box.secret:
        ballot_box.votes[userid] = {
            "choice": choice, "comment": comment or "", "time": datetime.now().isoformat(timespec="seconds")
        }
        return None
    # A secret vote: no user name on the transaction that stores it.
    current = transaction.get()
    current.user = ""
    current.description = ""
    if userid in ballot_box.voters:
        if not receipt or _hash(receipt) not in ballot_box.receipts:
            raise voting.VotingError(
                "receipt: you have voted; give the receipt of your vote to change it"
            )
        _count(ballot_box, ballot_box.receipts[_hash(receipt)], -1)
        del ballot_box.receipts[_hash(receipt)]
    else:
        ballot_box.voters.add(userid)
    _count(ballot_box, choice, 1)
    new_receipt = secrets.token_urlsafe(24)
    ballot_box.receipts[_hash(new_receipt)] = choice
    if comment:
        ballot_box.comments.append(comment)
        ballot_box._p_changed = True
    return new_receipt


def tally(ballot, userid=None):
    """The counts of ``ballot``; its result only once it is closed.

    While the ballot is open the counts are provisional (``"provisional":
    true``, ``"result": "provisional"``) and ``passed`` is None: a motion is
    not "not passed" while members are still voting. Closed (or published),
    ``result`` is ``passed`` or ``not_passed`` and each member's vote (an open
    ballot) or the anonymous opinions (a secret one) are given. With
    ``userid``, ``me`` says whether that member is in the electorate and has
    voted (and, on an open ballot, their own choice)."""
    ballot_box = box(ballot)
    if ballot_box is None:
        return None
    incumbent = len(ballot_box.electorate)
    if ballot_box.secret:
        result = voting.Tally(incumbent, counts_of(ballot_box))
    else:
        result = voting.tally_open({m: v["choice"] for m, v in ballot_box.votes.items()}, incumbent)
    data = result.as_dict()
    # A ballot opened with nobody to vote (before opening needed members)
    # shows so, not passed, instead of failing its pages.
    data["no_voters"] = incumbent == 0
    data["voted"] = len(ballot_box.voters) if ballot_box.secret else len(ballot_box.votes)
    data["secret"] = ballot_box.secret
    closed = api.content.get_state(ballot) in ("closed", "published")
    data["final"] = closed
    data["provisional"] = not closed
    data["result"] = ("passed" if result.passed else "not_passed") if closed else "provisional"
    if not closed:
        data["passed"] = None
    if userid is not None:
        voters = ballot_box.voters if ballot_box.secret else ballot_box.votes
        me = {"electorate": userid in ballot_box.electorate, "voted": userid in voters}
        if me["voted"] and not ballot_box.secret:
            me.update(choice=ballot_box.votes[userid]["choice"], comment=ballot_box.votes[userid]["comment"])
        data["me"] = me
    if closed:
        if ballot_box.secret:
            data["opinions"] = list(ballot_box.comments)
        else:
            data["votes"] = {m: dict(v) for m, v in ballot_box.votes.items()}
            # Reserved opinions of the minority, recorded with the decision.
            losing = voting.AGAINST if result.passed else voting.FOR
            data["reserved_opinions"] = [
                {"member": m, "choice": v["choice"], "comment": v["comment"]}
                for m, v in ballot_box.votes.items()
                if v["choice"] in (losing, voting.OTHER) and v["comment"]
            ]
    return data


def on_ballot_transition(ballot, event):
    if event.transition is not None and event.transition.id == "open" and box(ballot) is None:
        open_box(ballot)
