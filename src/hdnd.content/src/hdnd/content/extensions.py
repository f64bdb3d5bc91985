"""Requests to extend a task's deadline (đề nghị gia hạn), with approval.

The assignee (or whoever may edit the task) asks for a new deadline with a
reason; the office head or a leader of the delegation approves or refuses.
An approved request moves the deadline (the status follows from it); every
request and decision stays on the task and in the audit trail.
"""

from datetime import date
from datetime import datetime
from hdnd.content import audit
from hdnd.content.core import formats
from hdnd.content.stores import stored
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.lifecycleevent import modified


KEY = "hdnd.content.extensions"
DECIDERS = ("OfficeHead", "DelegationLeader", "Manager", "Site Administrator")


class ExtensionError(ValueError):
    """Bad request: the message names the field."""


def requests_of(task):
    return IAnnotations(task).get(KEY, ())


def as_dicts(task):
    return [dict(r, new_deadline=r["new_deadline"].isoformat(),
                 old_deadline=r["old_deadline"].isoformat() if r["old_deadline"] else None)
            for r in requests_of(task)]


def may_request(task, userid):
    return userid == getattr(task, "assignee", None) or api.user.has_permission("Modify portal content", obj=task)


def may_decide(task):
    return bool(set(api.user.get_roles(obj=task)) & set(DECIDERS))


def request(task, new_deadline, reason):
    userid = api.user.get_current().getId()
    if not may_request(task, userid):
        raise ExtensionError("task: only its assignee or who may edit it asks for more time")
    if getattr(task, "completed_on", None) is not None:
        raise ExtensionError("task: it is done; a done task needs no more time")
    if not isinstance(new_deadline, date):
        raise ExtensionError("deadline: expected a date such as 2026-12-31")
    current = getattr(task, "deadline", None)
    if current is not None and new_deadline <= current:
        raise ExtensionError(f"deadline: must be after the current deadline {formats.day(current)}")
    if not (reason or "").strip():
        raise ExtensionError("reason: say why more time is needed")
    if any(r["state"] == "pending" for r in requests_of(task)):
        raise ExtensionError("task: a request is already waiting for a decision")
    requests = stored(task, KEY, PersistentList)
    entry = PersistentMapping(
        id=len(requests) + 1, requested_by=userid, requested_on=datetime.now().isoformat(timespec="seconds"),
        old_deadline=current, new_deadline=new_deadline, reason=reason.strip(), state="pending",
        decided_by=None, note="",
    )
    requests.append(entry)
    audit.record("extension_requested", task, new_deadline=new_deadline.isoformat())
    return entry


def decide(task, request_id, approve, note=""):
    if not may_decide(task):
        raise ExtensionError("decision: only the office head or a leader decides on more time")
    entry = next((r for r in requests_of(task) if r["id"] == request_id), None)
    if entry is None:
        raise ExtensionError(f"id: no extension request {request_id!r} on this task")
    if entry["state"] != "pending":
        raise ExtensionError(f"id: request {request_id} is already {entry['state']}")
    entry["state"] = "approved" if approve else "refused"
    entry["decided_by"] = api.user.get_current().getId()
    entry["note"] = note or ""
    if approve:
        task.deadline = entry["new_deadline"]
        modified(task)  # reindex the deadline; the status follows
    audit.record("extension_" + entry["state"], task, request=request_id)
    return entry
