"""A ballot's page: the motion, and for a member of its electorate while it
is open, the form to cast or change their own vote (the same rules as
``@hdnd-vote``); whether the member has voted; the counts as ``@hdnd-tally``
gives them, marked provisional until the ballot closes, and the result only
then.

A secret vote is changed with the receipt shown once when it was cast: the
page keeps no trace of who chose what (see hdnd.content.voting).
"""

from hdnd.content import voting
from hdnd.content.core.voting import VotingError
from hdnd.content.i18n import _
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView


CHOICES = (
    ("for", _("choice_for", default="For")),
    ("against", _("choice_against", default="Against")),
    ("other", _("choice_other", default="Other opinion")),
)
# The page says in the reader's language what the rule (hdnd.content.voting)
# refuses; its message names the field first ("receipt: …"), as REST shows it.
VOTE_ERRORS = {
    "receipt": _("error_vote_receipt", default="You have already voted. To change your vote, "
                 "give the receipt you were shown when you voted."),
    "ballot": _("error_vote_ballot", default="You cannot vote on this ballot now."),
    "choice": _("error_vote_choice", default="Choose for, against or other opinion."),
    "comment": _("error_vote_comment", default="An other opinion needs its comment."),
}


class BallotView(BrowserView):
    receipt = None

    @property
    def panel(self):
        """The work page's parts for this item (workpage.py): buttons, history."""
        from hdnd.policy.browser.workpage import WorkPage

        if not hasattr(self, "_panel"):
            self._panel = WorkPage(self.context, self.request)
        return self._panel

    def __call__(self):
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.cast()
        return self.index()

    def cast(self):
        form = self.request.form
        if not self.can_vote():
            api.portal.show_message(
                _("msg_cannot_vote", default="You cannot vote on this ballot."), request=self.request, type="error"
            )
            return
        try:
            self.receipt = voting.cast(
                self.context, api.user.get_current().getId(), form.get("choice"),
                form.get("comment", ""), form.get("receipt") or None,
            )
        except VotingError as error:
            field = str(error).partition(":")[0]
            message = VOTE_ERRORS.get(field, _("msg_cannot_vote", default="You cannot vote on this ballot."))
            api.portal.show_message(message, request=self.request, type="error")
            return
        api.portal.show_message(_("msg_vote_recorded", default="Your vote is recorded."), request=self.request)

    def choices(self):
        return [{"value": value, "title": title} for value, title in CHOICES]

    def is_open(self):
        return api.content.get_state(self.context) == "open"

    def is_secret(self):
        return self.context.ballot_kind == "secret"

    def can_vote(self):
        return voting.may_vote(self.context)

    def my_vote(self):
        """The member's own vote on an open ballot (a secret one shows none)."""
        box = voting.box(self.context)
        if box is None or box.secret:
            return None
        return box.votes.get(api.user.get_current().getId())

    def has_voted(self):
        box = voting.box(self.context)
        userid = api.user.get_current().getId()
        return box is not None and userid in (box.voters if box.secret else box.votes)

    def choice_title(self, value):
        return dict(CHOICES).get(value, value)

    def tally(self):
        """The counts (provisional while the ballot is open) and ``me``."""
        return voting.tally(self.context, userid=api.user.get_current().getId())
