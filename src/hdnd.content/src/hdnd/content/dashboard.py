"""What each person sees first: their own tasks, what is due soon and what is
overdue; a unit's work; and, for the leaders, the execution of directives
and the progress of the work programmes. Everything is read as the current
user (catalog searches filtered by their access).
"""

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from hdnd.content import tracking
from hdnd.content.core.status import DONE_LATE
from hdnd.content.core.status import DONE_ON_TIME
from hdnd.content.core.status import OVERDUE
from hdnd.content.core.status import TITLES
from hdnd.content.core import officetime
from hdnd.content.core.officetime import OFFICE_TIME
from hdnd.content.types.ballot import IBallot
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.meeting import IMeeting
from hdnd.content.types.opinion_request import IOpinionRequest
from hdnd.content.types.processing_slip import IProcessingSlip
from hdnd.content.types.programme_item import IProgrammeItem
from hdnd.content.types.task import ITask
from hdnd.content.viewing import catalog_state
from hdnd.content.viewing import People
from hdnd.content.viewing import seen_as
from plone import api
from plone.memoize import ram

import copy


DUE_SOON_DAYS = 7
WAITING_MAX = 500  # items given as waiting for the person (the page shows them a page at a time)
WAITING_SCAN = 2000  # items in a state with a next step, most recently changed, looked at
DONE = (DONE_ON_TIME, DONE_LATE)


def summary(obj, today):
    deadline = tracking.deadline_of(obj)
    status = tracking.status_of(obj, today)
    return {
        "@id": obj.absolute_url(),
        "title": obj.title,
        "type": obj.portal_type,
        "lead_unit": getattr(obj, "lead_unit", None) or "",
        "assignee": getattr(obj, "assignee", None) or "",
        "deadline": deadline.isoformat() if deadline else None,
        "status": status,
        "status_title": TITLES[status],
        # The container's title only for who may see the container itself.
        "parent": obj.aq_parent.title if api.user.has_permission("View", obj=obj.aq_parent) else "",
    }


def work(portal_types=("Task", "ProgrammeItem"), **query):
    catalog = api.portal.get_tool("portal_catalog")
    return [b.getObject() for b in catalog(portal_type=list(portal_types), **query)]


def office_steps():
    """(workflow id, state) -> the procedure's steps from that state that an
    office role takes (administrators' corrections and the exceptions — send
    back, reopen, recall… — are not anyone's waiting work)."""
    from hdnd.content.workflows.definitions import ADMIN
    from hdnd.content.workflows.definitions import WORKFLOWS

    steps = {}
    for workflow in WORKFLOWS:
        for state in workflow.states:
            mine = [t for t in workflow.transitions_from(state.id)
                    if set(t.roles) - set(ADMIN) and not t.exception]
            if mine:
                steps[(workflow.id, state.id)] = mine
    return steps


def office_time(value):
    """A Zope DateTime or a datetime in the office's time zone (a naive
    datetime is taken as UTC, as Plone stores them)."""
    if value is None:
        return None
    if hasattr(value, "asdatetime"):
        value = value.asdatetime()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(OFFICE_TIME)
    return value


def _day(value):
    """The office day of a date or datetime (None stays None)."""
    value = office_time(value)
    return value.date() if isinstance(value, datetime) else value


def kind_of(obj):
    """The inbox's kinds: incoming, outgoing (drafts and internal
    documents), dossier, task, meeting, ballot, consultation, records."""
    if IOfficialDocument.providedBy(obj):
        return "incoming" if getattr(obj, "direction", None) == "incoming" else "outgoing"
    return KINDS_BY_TYPE.get(obj.portal_type, "records")


KINDS_BY_TYPE = {
    "Dossier": "dossier", "Task": "task", "ProgrammeItem": "task", "Meeting": "meeting", "Ballot": "ballot",
    "OpinionRequest": "consultation",
}
KINDS = ("incoming", "outgoing", "dossier", "task", "meeting", "ballot", "consultation", "records")


def deadline_for(obj):
    """When the person's step is due: a task's deadline, an incoming
    document's due date, a meeting's start, a ballot's closing, an opinion
    request's reply deadline (the office's day)."""
    for name in ("deadline", "due_date", "closes", "reply_deadline", "start"):
        value = getattr(obj, name, None)
        if value is not None and not callable(value):
            return _day(value)
    return tracking.deadline_of(obj) if IProgrammeItem.providedBy(obj) else None


def unit_for(obj):
    unit = getattr(obj, "lead_unit", None)
    if not unit and IOfficialDocument.providedBy(obj):
        for child in obj.objectValues():
            if IProcessingSlip.providedBy(child) and getattr(child, "lead_unit", None):
                return child.lead_unit
    return unit or ""


def needed_now(obj, today):
    """A meeting (or a ballot) waits to be opened only when it is near: its
    start (opening) within DUE_SOON_DAYS, or past; a ballot without an
    opening time when the meeting or the request that holds it is open."""
    if IMeeting.providedBy(obj):
        start = _day(getattr(obj, "start", None))
        return start is None or start <= today + timedelta(days=DUE_SOON_DAYS)
    if IBallot.providedBy(obj):
        opens = _day(getattr(obj, "opens", None))
        if opens is not None:
            return opens <= today + timedelta(days=DUE_SOON_DAYS)
        parent = obj.aq_parent
        if IMeeting.providedBy(parent) or IOpinionRequest.providedBy(parent):
            return api.content.get_state(parent, default=None) == "open"
    return True


# The steps of handling an item, taken by whoever it was given to: when the
# item names them (a task's assignee, a dossier's responsible, the people on
# an incoming document's processing slip), these wait for them only — not
# for every specialist and head who could take them.
HANDLING = {"start", "report", "complete", "submit"}


def handlers(obj):
    """The user ids the item was given to (empty: anyone with the role)."""
    for name in ("assignee", "responsible"):
        value = getattr(obj, name, None)
        if value and not callable(value):
            return {value}
    if IOfficialDocument.providedBy(obj):
        found = set()
        for child in obj.objectValues():
            if IProcessingSlip.providedBy(child):
                found |= set(getattr(child, "assignees", None) or ())
        return found
    return set()


def _last_step(tool, obj):
    """(who, when) of the step that brought the item to its state."""
    chain = tool.getChainFor(obj)
    history = obj.workflow_history.get(chain[0], ()) if chain and hasattr(obj, "workflow_history") else ()
    creator = obj.Creator() if hasattr(obj, "Creator") else None
    if history:
        entry = history[-1]
        return entry.get("actor") or creator, entry.get("time")
    return creator, getattr(obj, "created", lambda: None)()


def row(obj, state, steps, tool, people, today):
    from hdnd.content.security import effective_classification

    actor, when = _last_step(tool, obj)
    incoming = IOfficialDocument.providedBy(obj) and getattr(obj, "direction", None) == "incoming"
    deadline = deadline_for(obj)
    received = office_time(when)
    return {
        "@id": obj.absolute_url(), "title": obj.title, "type": obj.portal_type, "kind": kind_of(obj),
        "symbol": getattr(obj, "symbol", None) or "",
        "from": (getattr(obj, "issuing_body", None) or "") if incoming else people(actor),
        "received": received.isoformat(timespec="minutes") if received else None,
        "deadline": deadline.isoformat() if deadline else None,
        "overdue": bool(deadline and deadline < today),
        "unit": unit_for(obj), "state": state, "state_title": state_title(tool, obj, state),
        "classification": effective_classification(obj), "urgency": getattr(obj, "urgency", None) or "normal",
        "steps": steps,
    }


def state_title(tool, obj, state):
    chain = tool.getChainFor(obj)
    workflow = tool.getWorkflowById(chain[0]) if chain else None
    definition = workflow.states.get(state) if workflow is not None else None
    return definition.title if definition is not None else state


def ballots_to_vote(userid):
    """Open ballots whose electorate holds the user and that have no vote of theirs yet."""
    from hdnd.content import voting

    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog(portal_type="Ballot", review_state="open"):
        ballot = brain.getObject()
        box = voting.box(ballot)
        if box is None or userid not in box.electorate:
            continue
        voted = userid in (box.voters if box.secret else box.votes)
        if not voted:
            yield ballot


def waiting(limit=WAITING_MAX, kind=None, unit=None, urgency=None, overdue=False, today=None):
    """What waits for the current user now: items in a state from which a
    role of the office they hold there may take the next step (register,
    assign, approve, sign, issue, accept…) and the workflow offers it to them
    now — a meeting or ballot to open only when it is near (needed_now) —
    and the open ballots they have not voted on. Sorted by deadline (the
    nearest first, those without one last), then most recently arrived.
    Filters: kind (KINDS), unit (lead unit), urgency, overdue."""
    from hdnd.content.i18n import _
    from hdnd.content.workflows.definitions import ADMIN
    from zope.globalrequest import getRequest
    from zope.i18n import translate

    today = today or officetime.today()
    tool = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    people = People(unknown="")  # no name for Zope's own administrators and the system
    # The person once: api.user.get_roles(obj=…) looks the user up again in
    # PAS for every item (most of this list's time on the demo office).
    member = api.portal.get_tool("portal_membership").getAuthenticatedMember()
    userid = member.getId()
    steps = office_steps()
    found = []
    for brain in catalog(review_state=sorted({state for _, state in steps}), sort_on="modified",
                         sort_order="reverse", sort_limit=WAITING_SCAN):
        obj = brain.getObject()
        chain = tool.getChainFor(obj)
        offered = steps.get((chain[0] if chain else None, brain.review_state))
        if not offered or not needed_now(obj, today):
            continue
        roles = set(member.getRolesInContext(obj)) - set(ADMIN)
        mine = [t for t in offered if set(t.roles) & roles]
        if not mine:
            continue  # none of the person's roles takes a step here: no guard to evaluate
        # The guards of the person's candidate steps only (getTransitionsFor
        # evaluates every transition out of the state).
        workflow = tool.getWorkflowById(chain[0])
        mine = [t for t in mine if workflow.isActionSupported(obj, t.id)]
        if mine and any(t.id in HANDLING for t in mine):
            given_to = handlers(obj)
            if given_to and userid not in given_to:
                mine = [t for t in mine if t.id not in HANDLING]
        if mine:
            found.append(row(obj, brain.review_state, [{"id": t.id, "title": t.title} for t in mine],
                             tool, people, today))
    if not api.user.is_anonymous():
        vote = translate(_("step_vote", default="Vote"), context=getRequest())
        rows = {r["@id"]: r for r in found}
        for ballot in ballots_to_vote(userid):
            step = {"id": "vote", "title": vote}
            if ballot.absolute_url() in rows:  # also closed by this person: one row, both steps
                rows[ballot.absolute_url()]["steps"].insert(0, step)
            else:
                found.append(row(ballot, "open", [step], tool, people, today))
    found = [r for r in found
             if (not kind or r["kind"] == kind) and (not unit or r["unit"] == unit)
             and (not urgency or r["urgency"] == urgency) and (not overdue or r["overdue"])]
    found.sort(key=lambda r: r["received"] or "", reverse=True)
    found.sort(key=lambda r: r["deadline"] or "9999-12-31")
    return found[:limit]


def waiting_filters(form):
    """The inbox's filters from a request's form: kind, lead_unit, urgency, overdue."""
    kind = form.get("kind") or None
    return {
        "kind": kind if kind in KINDS else None,
        "unit": form.get("lead_unit") or None,
        "urgency": form.get("urgency") or None,
        "overdue": str(form.get("overdue") or "").lower() in ("1", "true", "on", "yes"),
    }


def dashboard(unit=None, today=None, filters=None):
    today = today or officetime.today()
    return {
        "today": today.isoformat(),
        # Always read afresh: a vote or a guard's condition may change what
        # waits without moving the catalog (overview() below is kept).
        "waiting": waiting(today=today, **(filters or {})),
        **copy.deepcopy(overview(unit, today)),
    }


def _overview_key(func, unit, today):
    state = catalog_state()
    if state is None:
        raise ram.DontCache
    return (seen_as(), state, unit, today.isoformat())


@ram.cache(_overview_key)
def overview(unit, today):
    """The dashboard's figures (own tasks, due soon, overdue, directives,
    programmes, transfers, a unit's work) as the current user may see them.
    Kept per person — their id, roles, groups and clearance — until the
    catalog changes (any item added, changed, moved, or its sharing) or the
    day does: a person never gets another's figures, and a classified item
    counts only for who may see it, as when computed afresh."""
    userid = api.user.get_current().getId()
    objects = work()
    open_work = [summary(o, today) for o in objects]
    open_work = [s for s in open_work if s["status"] not in DONE]
    open_work.sort(key=lambda s: s["deadline"] or "9999")
    soon = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    result = {
        "my_tasks": [s for s in open_work if s["assignee"] == userid],
        "due_soon": [s for s in open_work if s["status"] != OVERDUE and s["deadline"] and s["deadline"] <= soon],
        "overdue": [s for s in open_work if s["status"] == OVERDUE],
        "directives": directives(today, tasks=[o for o in objects if ITask.providedBy(o)]),
        "programmes": programmes(today),
        "transfers": transfers(today),
    }
    if unit:
        result["unit"] = {
            "id": unit,
            "open": [s for s in open_work if s["lead_unit"] == unit],
            "figures": unit_figures(unit, today),
        }
    return result


def directives(today, tasks=None):
    """Each document with tasks the user may see, with its execution
    (``tasks``: the tasks the user may see, when already looked up)."""
    found = []
    for doc in directive_documents(tasks):
        figures = tracking.figures(doc, today)["planned"]
        found.append({"@id": doc.absolute_url(), "symbol": doc.symbol or "", "title": doc.title, **figures})
    return sorted(found, key=lambda d: d["symbol"])


def directive_documents(tasks=None):
    """The documents with tasks (directives) the user may see."""
    parents = {}
    for task in work(("Task",)) if tasks is None else tasks:
        parent = task.aq_parent
        if IOfficialDocument.providedBy(parent) and api.user.has_permission("View", obj=parent):
            parents[parent.absolute_url()] = parent
    return list(parents.values())


def programmes(today):
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog(portal_type="WorkProgramme", sort_on="programme_year", sort_order="descending"):
        programme = brain.getObject()
        progress = programme_progress(programme, today)
        found.append({key: progress[key] for key in (
            "@id", "title", "year", "sentence", "planned", "arisen", "done_over_time", "planned_over_time",
            "can_import")})
    return found


def programme_progress(programme, today):
    """A programme's figures (as ``@hdnd-figures`` gives them) with the
    cumulative curves of items planned and done by the end of each month."""
    figures = tracking.figures(programme, today)
    planned_by_month = [0] * 12
    for month, data in figures["by_month"].items():
        planned_by_month[int(month) - 1] = data["total"]
    running, planned_curve = 0, []
    for n in planned_by_month:
        running += n
        planned_curve.append(running)
    return {
        **figures,
        "@id": programme.absolute_url(), "title": programme.title, "year": programme.year,
        "done_over_time": [n for _month, n in figures.get("done_over_time", [])],
        "planned_over_time": planned_curve,
        "can_import": bool(api.user.has_permission("Add portal content", obj=programme)),
    }


def unit_figures(unit, today):
    from hdnd.content.core import figures as core

    records = [tracking.record(o, False, today) for o in work(lead_unit=unit)]
    return core.summary(records)


def transfers(today):
    """Closed dossiers due at the archive within 30 days, or late."""
    from hdnd.content.archive import transfer_status

    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog(portal_type="Dossier", review_state="closed"):
        dossier = brain.getObject()
        status = transfer_status(dossier, today)
        if status["warning"]:
            found.append({"@id": dossier.absolute_url(), "title": dossier.title,
                          "dossier_code": dossier.dossier_code or "", **status})
    return sorted(found, key=lambda d: d["held_until"] or d["due"])
