"""AgendaItem (nội dung phiên họp): one matter on a meeting's agenda."""

from hdnd.content.i18n import _
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer


class IAgendaItem(model.Schema):
    title = schema.TextLine(title=_("label_agenda_item", default="Agenda item"), max_length=500)
    description = schema.Text(title=_("label_description", default="Description"), required=False)
    presenter = schema.TextLine(title=_("label_presenter", default="Presented by"), required=False)
    duration_minutes = schema.Int(
        title=_("label_duration", default="Duration (minutes)"), min=0, max=1440, required=False
    )
    dossiers = RelationList(
        title=_("label_dossiers", default="Dossiers"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        default=[],
        required=False,
    )
    directives.widget(
        "dossiers",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Dossier"]},
    )


@implementer(IAgendaItem)
class AgendaItem(Container):
    pass
