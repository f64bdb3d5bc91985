"""DestructionList (danh mục tài liệu hết giá trị): expired dossiers proposed
for destruction, appraised by the council, appraised in writing by the
archive authority, decided by the head, then destroyed — each step recorded
here; the dossiers leave tombstones (hdnd.content.archive)."""

from hdnd.content.i18n import _
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer


class IDestructionList(model.Schema):
    title = schema.TextLine(title=_("label_destruction_title", default="Destruction list"), max_length=300)
    dossiers = RelationList(
        title=_("label_destruction_dossiers", default="Dossiers proposed for destruction"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        default=[],
        required=False,
    )
    directives.widget(
        "dossiers", RelatedItemsFieldWidget, vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Dossier"]},
    )
    council_minutes = schema.Text(
        title=_("label_council_minutes", default="Appraisal council's minutes"), required=False)
    authority_appraisal = schema.TextLine(
        title=_("label_authority_appraisal", default="Archive authority's written appraisal (number, date)"),
        required=False)
    decision = schema.TextLine(
        title=_("label_destruction_decision", default="Head's decision (number, date)"), required=False)


@implementer(IDestructionList)
class DestructionList(Container):
    pass
