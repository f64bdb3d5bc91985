"""OpinionRequest (phiếu xin ý kiến): a written consultation of the members,
with a reply deadline; it holds the ballots and papers."""

from hdnd.content.i18n import _
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import implementer


class IOpinionRequest(model.Schema):
    title = schema.TextLine(title=_("label_opinion_request", default="Opinion request"), max_length=500)
    question = schema.Text(title=_("label_question", default="Question put to the members"), required=True)
    reply_deadline = schema.Datetime(title=_("label_reply_deadline", default="Reply by"), required=True)
    recipients = schema.List(
        title=_("label_members_asked", default="Members asked"),
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.Users"),
        default=[],
        required=False,
    )
    dossier = RelationChoice(
        title=_("label_dossier", default="Dossier"),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    directives.widget(
        "dossier",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Dossier"], "maximumSelectionSize": 1},
    )


@implementer(IOpinionRequest)
class OpinionRequest(Container):
    pass
