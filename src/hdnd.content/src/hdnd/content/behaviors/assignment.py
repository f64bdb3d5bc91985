"""Lead unit, co-operating units and deadline: the assignment blocks shared by
tasks, processing slips and programme items (đơn vị chủ trì / phối hợp / thời hạn)."""

from hdnd.content.i18n import _
from hdnd.content.validation import invalid
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import invariant
from zope.interface import provider


@provider(IFormFieldProvider)
class IAssignment(model.Schema):
    lead_unit = schema.Choice(
        title=_("label_lead_unit", default="Lead unit"),
        vocabulary="hdnd.vocabularies.Units",
        required=False,
    )

    cooperating_units = schema.List(
        title=_("label_cooperating_units", default="Co-operating units"),
        value_type=schema.Choice(vocabulary="hdnd.vocabularies.Units"),
        default=[],
        required=False,
    )

    deadline = schema.Date(
        title=_("label_deadline", default="Deadline"),
        required=False,
    )

    @invariant
    def lead_is_not_cooperating(data):
        lead = getattr(data, "lead_unit", None)
        if lead and lead in (getattr(data, "cooperating_units", None) or ()):
            raise invalid(
                _(
                    "error_lead_also_cooperating",
                    default="cooperating_units: the lead unit cannot also be a co-operating unit.",
                )
            )
