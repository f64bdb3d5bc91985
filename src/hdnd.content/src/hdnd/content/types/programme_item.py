"""ProgrammeItem (nội dung chương trình): one planned item of a work
programme, by month and lead unit (``hdnd.assignment``)."""

from hdnd.content.i18n import _
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IProgrammeItem(model.Schema):
    title = schema.TextLine(title=_("label_programme_item", default="Programme item"), max_length=500)
    description = schema.Text(title=_("label_description", default="Description"), required=False)
    planned_month = schema.Int(
        title=_("label_planned_month", default="Planned month"), min=1, max=12, required=True
    )
    completed_on = schema.Date(title=_("label_completed_on", default="Completed on"), required=False)


@implementer(IProgrammeItem)
class ProgrammeItem(Container):
    pass
