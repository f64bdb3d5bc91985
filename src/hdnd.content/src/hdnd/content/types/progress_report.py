"""ProgressReport (báo cáo tiến độ): what was done on a task, with attachments."""

from hdnd.content.i18n import _
from plone.dexterity.content import Container
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import datetime


class IProgressReport(model.Schema):
    title = schema.TextLine(title=_("label_report_title", default="Report"), max_length=300)
    report_date = schema.Date(
        title=_("label_report_date", default="Report date"),
        defaultFactory=datetime.date.today,
        required=True,
    )
    text = schema.Text(title=_("label_report_text", default="Progress"), required=False)
    percent_done = schema.Int(
        title=_("label_percent_done", default="Done (%)"), min=0, max=100, required=False
    )
    file = NamedBlobFile(title=_("label_attachment", default="Attachment"), required=False)


@implementer(IProgressReport)
class ProgressReport(Container):
    """A progress report; folderish so it can hold further attachments."""
