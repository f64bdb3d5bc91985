"""Execution tracking: the tasks of a directive and the items of a work
programme, their derived status, the key figures, and e-mail reminders.

What is counted is what the current user may see (View): a classified task
adds nothing to the figures of someone who may not know it exists.
"""

from datetime import date
from datetime import timedelta
from hdnd.content.core import figures as core
from hdnd.content.core import formats
from hdnd.content.core.status import task_status
from hdnd.content.mail import mail_member
from hdnd.content.types.programme_item import IProgrammeItem
from hdnd.content.types.progress_report import IProgressReport
from hdnd.content.types.task import ITask
from hdnd.content.types.work_programme import IWorkProgramme
from hdnd.content.viewing import visible
from plone import api
from zope.annotation.interfaces import IAnnotations

import calendar


TRACKED = (ITask, IProgrammeItem)  # what a programme or a directive tracks
REMINDED_KEY = "hdnd.content.reminded"
# While a task stays overdue, its assignee is reminded again every week.
OVERDUE_EVERY = 7


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def year_of(obj):
    programme = obj.aq_parent
    return getattr(programme, "year", None) or date.today().year


def deadline_of(obj):
    """A task's deadline; a programme item's, else the end of its planned month."""
    deadline = getattr(obj, "deadline", None)
    if deadline is None and IProgrammeItem.providedBy(obj) and getattr(obj, "planned_month", None):
        deadline = month_end(year_of(obj), obj.planned_month)
    return deadline


def status_of(obj, today=None):
    if ITask.providedBy(obj) and today is None:
        return obj.status
    return task_status(
        deadline=deadline_of(obj),
        completed_on=getattr(obj, "completed_on", None),
        started=any(IProgressReport.providedBy(o) or ITask.providedBy(o) for o in obj.objectValues()),
        today=today or date.today(),
    )


def tracked(container):
    """``(planned, arisen)``: a programme's items and the tasks that arose
    during its year; a directive's tasks (all planned)."""
    children = visible(o for o in container.objectValues() if any(i.providedBy(o) for i in TRACKED))
    if IWorkProgramme.providedBy(container):
        return [o for o in children if IProgrammeItem.providedBy(o)], [o for o in children if ITask.providedBy(o)]
    return children, []


def record(obj, arisen=False, today=None):
    deadline = deadline_of(obj)
    month = getattr(obj, "planned_month", None) or (deadline.month if deadline else None)
    return core.Record(
        status=status_of(obj, today), unit=getattr(obj, "lead_unit", None) or "", month=month,
        arisen=arisen, completed_on=getattr(obj, "completed_on", None),
    )


def figures(container, today=None):
    planned, arisen = tracked(container)
    records = [record(o, False, today) for o in planned] + [record(o, True, today) for o in arisen]
    result = core.key_figures(records)
    result["sentence"] = core.sentence(result)
    year = getattr(container, "year", None)
    if year:
        result["done_over_time"] = core.done_over_time(records, year)
    return result


def rows(container, today=None):
    """The listing of a programme or directive, as the user may see it."""
    planned, arisen = tracked(container)
    found = []
    for obj, is_arisen in [(o, False) for o in planned] + [(o, True) for o in arisen]:
        deadline = deadline_of(obj)
        found.append({
            "@id": obj.absolute_url(),
            "id": obj.getId(),
            "title": obj.title,
            "type": obj.portal_type,
            "arisen": is_arisen,
            "planned_month": getattr(obj, "planned_month", None),
            "lead_unit": getattr(obj, "lead_unit", None) or "",
            "cooperating_units": list(getattr(obj, "cooperating_units", None) or ()),
            "assignee": getattr(obj, "assignee", None) or "",
            "deadline": deadline.isoformat() if deadline else None,
            "completed_on": obj.completed_on.isoformat() if getattr(obj, "completed_on", None) else None,
            "status": status_of(obj, today),
        })
    return found


# Reminders ------------------------------------------------------------------


def open_tasks():
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Task"):
        task = brain._unrestrictedGetObject()
        if getattr(task, "completed_on", None) is None and getattr(task, "assignee", None):
            yield task


def may_see(userid, obj):
    """A reminder names its task: only to someone who may see it."""
    if api.user.get(userid=userid) is None:
        return False
    with api.env.adopt_user(username=userid):
        return api.user.has_permission("View", obj=obj)


def reminder_due(task, today, days):
    """"soon", "overdue" or None: what to remind the assignee of today."""
    deadline = getattr(task, "deadline", None)
    if deadline is None:
        return None
    sent = IAnnotations(task).get(REMINDED_KEY, {})
    if today > deadline:
        last = sent.get("overdue")
        return "overdue" if last is None or (today - last).days >= OVERDUE_EVERY else None
    if deadline - today <= timedelta(days=days) and sent.get("soon") is None:
        return "soon"
    return None


def remind_tasks(days=3, today=None):
    """E-mail each assignee of an open task due within ``days`` (once), or
    overdue (then weekly); returns {task url: kind} of the reminders sent."""
    today = today or date.today()
    sent = {}
    for task in open_tasks():
        kind = reminder_due(task, today, days)
        if kind is None or not may_see(task.assignee, task):
            continue
        when = formats.day(task.deadline)
        subject = (f"Quá hạn: {task.title}" if kind == "overdue" else f"Sắp đến hạn: {task.title}")
        body = (
            f"Nhiệm vụ \"{task.title}\" đã quá thời hạn {when}. Đề nghị đồng chí báo cáo tiến độ "
            f"hoặc đề nghị gia hạn: {task.absolute_url()}"
            if kind == "overdue"
            else f"Nhiệm vụ \"{task.title}\" đến hạn ngày {when}. Đề nghị đồng chí hoàn thành và "
            f"báo cáo kết quả: {task.absolute_url()}"
        )
        if mail_member(task.assignee, subject, body):
            annotations = IAnnotations(task)
            annotations[REMINDED_KEY] = dict(annotations.get(REMINDED_KEY, {}), **{kind: today})
            sent[task.absolute_url()] = kind
    return sent

