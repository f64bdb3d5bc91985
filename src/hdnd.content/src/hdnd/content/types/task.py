"""Task (nhiệm vụ): a piece of work from a directive or the work programme.

Lead unit, co-operating units and deadline come from the ``hdnd.assignment``
behavior. The status is derived (see :mod:`hdnd.content.core.status`):
started once a progress report exists, done when ``completed_on`` is set.
"""

from hdnd.content.core.status import task_status
from hdnd.content.i18n import _
from hdnd.content.types.progress_report import IProgressReport
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import datetime


class ITask(model.Schema):
    title = schema.TextLine(title=_("label_task_title", default="Task"), max_length=500)
    description = schema.Text(title=_("label_description", default="Description"), required=False)

    assignee = schema.Choice(
        title=_("label_assignee", default="Assignee"),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )

    completed_on = schema.Date(
        title=_("label_completed_on", default="Completed on"),
        description=_("help_completed_on", default="Set when the task is accepted as done."),
        required=False,
    )

    status = schema.Choice(
        title=_("label_task_status", default="Status"),
        vocabulary="hdnd.vocabularies.TaskStatus",
        readonly=True,
        required=False,
    )


def today():
    return datetime.date.today()


@implementer(ITask)
class Task(Container):
    @property
    def status(self):
        return task_status(
            deadline=getattr(self, "deadline", None),
            completed_on=getattr(self, "completed_on", None),
            started=any(IProgressReport.providedBy(o) for o in self.objectValues()),
            today=today(),
        )
