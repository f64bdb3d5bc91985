"""Guards of a ballot's transitions: a ballot opens only when there are
incumbent members to vote on it (domain §4: a decision needs more than half
of all incumbent members, so a ballot with none could decide nothing and
its electorate, fixed when it opens, would stay empty)."""

from hdnd.content import voting
from hdnd.content.i18n import _
from hdnd.content.transitions import dispatch
from hdnd.content.transitions import refuse


def check_open(ballot, event):
    if not voting.incumbent_members():
        refuse(_("refused_open_no_members",
                 default="open: there are no incumbent members (group delegation-members) to vote on "
                 "this ballot; add the members first."))


GUARDS = {"open": check_open}

before = dispatch(GUARDS)
