"""WorkProgramme (chương trình công tác năm): the items planned for a year,
plus the tasks that arose during it."""

from hdnd.content.i18n import _
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IWorkProgramme(model.Schema):
    title = schema.TextLine(title=_("label_programme_title", default="Work programme"), max_length=300)
    description = schema.Text(title=_("label_description", default="Description"), required=False)
    year = schema.Int(title=_("label_programme_year", default="Year"), min=1945, max=2100, required=True)


@implementer(IWorkProgramme)
class WorkProgramme(Container):
    pass
