"""TransferBatch (đợt nộp lưu): closed dossiers handed to the archive
together. Proposed by the records manager with its transfer list (mục lục
hồ sơ nộp lưu); when the archive accepts it, the hand-over record (biên bản
giao nhận) is signed and the dossiers become transferred."""

from hdnd.content.i18n import _
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer


class ITransferBatch(model.Schema):
    title = schema.TextLine(title=_("label_transfer_title", default="Transfer"), max_length=300)
    archive_name = schema.TextLine(
        title=_("label_archive_name", default="Receiving archive"),
        default="Lưu trữ cơ quan",
        required=True,
    )
    dossiers = RelationList(
        title=_("label_transfer_dossiers", default="Dossiers transferred"),
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
    handover_date = schema.Date(title=_("label_handover_date", default="Handed over on"), required=False)
    received_by = schema.TextLine(
        title=_("label_received_by", default="Received by"),
        description=_("help_received_by", default="The archive's officer who signs the hand-over record."),
        required=False,
    )


@implementer(ITransferBatch)
class TransferBatch(Container):
    pass
