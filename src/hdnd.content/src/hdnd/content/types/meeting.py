"""Meeting (phiên họp): periodic (last week of every month), thematic or
extraordinary; holds its agenda items, papers and ballots."""

from hdnd.content.i18n import _
from hdnd.content.validation import check_order
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import implementer
from zope.interface import invariant


class IMeeting(model.Schema):
    title = schema.TextLine(title=_("label_meeting_title", default="Meeting"), max_length=300)
    description = schema.Text(title=_("label_description", default="Description"), required=False)

    meeting_kind = schema.Choice(
        title=_("label_meeting_kind", default="Kind"),
        vocabulary="hdnd.vocabularies.MeetingKind",
        default="periodic",
        required=True,
    )
    start = schema.Datetime(title=_("label_start", default="Starts"), required=True)
    end = schema.Datetime(title=_("label_end", default="Ends"), required=False)
    location = schema.TextLine(title=_("label_location", default="Location"), required=False)

    chair = schema.Choice(
        title=_("label_chair", default="Chair"),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )
    secretary = schema.Choice(
        title=_("label_secretary", default="Secretary"),
        description=_("help_secretary", default="Who keeps the minutes (thư ký); named on them."),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )
    members = schema.List(
        title=_("label_members", default="Members invited"),
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.Users"),
        default=[],
        required=False,
    )
    directives.widget("members", vocabulary="plone.app.vocabularies.Users")

    minutes = schema.Text(
        title=_("label_minutes", default="Minutes"),
        description=_("help_minutes", default="Biên bản phiên họp: who spoke, what was decided."),
        required=False,
    )

    conclusion_notice = RelationChoice(
        title=_("label_conclusion_notice", default="Conclusion notice"),
        description=_(
            "help_conclusion_notice",
            default="The outgoing document (thông báo kết luận) that records the meeting's conclusions.",
        ),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )

    @invariant
    def ends_after_start(data):
        check_order(
            data, "start", "end",
            _("error_meeting_end", default="end: the meeting must end after it starts."),
        )


@implementer(IMeeting)
class Meeting(Container):
    @property
    def record_year(self):
        return self.start.year if getattr(self, "start", None) else None
