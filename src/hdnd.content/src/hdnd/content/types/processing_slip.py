"""ProcessingSlip (phiếu xử lý công việc): the leader's assignment of a
document or dossier. Lead unit, co-operating units and deadline come from the
``hdnd.assignment`` behavior; the slip adds the office's proposal and the
leader's instruction, the two blocks of the printed form."""

from hdnd.content.i18n import _
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IProcessingSlip(model.Schema):
    title = schema.TextLine(title=_("label_slip_title", default="Processing slip"), max_length=300)
    proposal = schema.Text(
        title=_("label_proposal", default="Proposal of the office"),
        description=_("help_proposal", default="Ý kiến đề xuất của Văn phòng."),
        required=False,
    )
    instruction = schema.Text(
        title=_("label_instruction", default="Instruction"),
        description=_("help_instruction", default="Ý kiến chỉ đạo của lãnh đạo."),
        required=False,
    )
    director = schema.Choice(
        title=_("label_director", default="Directed by"),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )
    assignees = schema.List(
        title=_("label_assignees", default="Assigned people"),
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.Users"),
        default=[],
        required=False,
    )


@implementer(IProcessingSlip)
class ProcessingSlip(Item):
    pass
