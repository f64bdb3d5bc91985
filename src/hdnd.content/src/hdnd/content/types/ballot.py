"""Ballot (phiếu biểu quyết): a vote on an agenda item or in a written
consultation. Open ballots record each member's choice; secret ballots keep
counts only (the casting of votes is built on this type)."""

from hdnd.content.i18n import _
from hdnd.content.validation import check_order
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import invariant


class IBallot(model.Schema):
    title = schema.TextLine(title=_("label_ballot", default="Ballot"), max_length=500)
    question = schema.Text(title=_("label_motion", default="Motion put to the vote"), required=True)
    ballot_kind = schema.Choice(
        title=_("label_ballot_kind", default="Ballot"),
        vocabulary="hdnd.vocabularies.BallotKind",
        default="open",
        required=True,
    )
    opens = schema.Datetime(title=_("label_opens", default="Opens"), required=False)
    closes = schema.Datetime(title=_("label_closes", default="Closes"), required=False)

    @invariant
    def closes_after_opening(data):
        check_order(
            data, "opens", "closes",
            _("error_ballot_closes", default="closes: a ballot must close after it opens."),
        )


@implementer(IBallot)
class Ballot(Item):
    pass
