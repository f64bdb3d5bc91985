"""FilePlan (danh mục hồ sơ): the dossiers the office plans to open in a
year, under headings by unit or field, each with its code, retention and
who keeps it; approved at the start of the year, then the dossiers are
opened from it (``hdnd.content.fileplan.open_dossiers``)."""

from hdnd.content.i18n import _
from hdnd.content.types.dossier import check_dossier_code
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IFilePlan(model.Schema):
    title = schema.TextLine(title=_("label_file_plan_title", default="File plan"), max_length=300)
    description = schema.Text(title=_("label_description", default="Description"), required=False)
    year = schema.Int(title=_("label_programme_year", default="Year"), min=1945, max=2100, required=True)


class IFilePlanHeading(model.Schema):
    title = schema.TextLine(title=_("label_dossier_title", default="Dossier title"), max_length=500)
    dossier_code = schema.TextLine(
        title=_("label_dossier_code", default="Dossier code"),
        description=_("help_dossier_code", default="The code from the file plan, e.g. 01.TCCB."),
        required=True,
        constraint=check_dossier_code,
    )
    heading = schema.TextLine(
        title=_("label_heading", default="Heading"),
        description=_("help_heading", default="The unit or field the dossier is listed under, e.g. I. Tổ chức cán bộ."),
        required=False,
    )
    retention = schema.Choice(
        title=_("label_retention", default="Retention"),
        vocabulary="hdnd.vocabularies.Retention",
        required=True,
    )
    responsible = schema.Choice(
        title=_("label_responsible", default="Responsible"),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )


@implementer(IFilePlan)
class FilePlan(Container):
    pass


@implementer(IFilePlanHeading)
class FilePlanHeading(Item):
    pass
