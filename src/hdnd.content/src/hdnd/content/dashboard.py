"""What each person sees first: their own tasks, what is due soon and what is
overdue; a unit's work; and, for the leaders, the execution of directives
and the progress of the work programmes. Everything is read as the current
user (catalog searches filtered by their access).
"""

from datetime import date
from datetime import timedelta
from hdnd.content import tracking
from hdnd.content.core.status import DONE_LATE
from hdnd.content.core.status import DONE_ON_TIME
from hdnd.content.core.status import OVERDUE
from hdnd.content.core.status import TITLES
from plone import api


DUE_SOON_DAYS = 7
WAITING_LIMIT = 50  # items shown as waiting for the person
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


def waiting(limit=WAITING_LIMIT):
    """What waits for the current user: items in a state from which a role
    of the office they hold there may take the next step (register, assign,
    approve, sign, issue, vote, accept…) and the workflow offers it to them
    now; most recently changed first."""
    from hdnd.content.security import effective_classification
    from hdnd.content.workflows.definitions import ADMIN

    tool = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    steps = office_steps()
    found = []
    for brain in catalog(review_state=sorted({state for _, state in steps}), sort_on="modified",
                         sort_order="reverse", sort_limit=WAITING_SCAN):
        obj = brain.getObject()
        chain = tool.getChainFor(obj)
        offered = steps.get((chain[0] if chain else None, brain.review_state))
        if not offered:
            continue
        roles = set(api.user.get_roles(obj=obj)) - set(ADMIN)
        available = {t["id"] for t in tool.getTransitionsFor(obj)}
        mine = [t for t in offered if set(t.roles) & roles and t.id in available]
        if mine:
            found.append({
                "@id": obj.absolute_url(), "title": obj.title, "type": obj.portal_type,
                "symbol": getattr(obj, "symbol", None) or "", "state": brain.review_state,
                "classification": effective_classification(obj), "urgency": getattr(obj, "urgency", None) or "normal",
                "steps": [{"id": t.id, "title": t.title} for t in mine],
            })
            if len(found) >= limit:
                break
    return found


def dashboard(unit=None, today=None):
    today = today or date.today()
    userid = api.user.get_current().getId()
    open_work = [summary(o, today) for o in work()]
    open_work = [s for s in open_work if s["status"] not in DONE]
    open_work.sort(key=lambda s: s["deadline"] or "9999")
    soon = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    result = {
        "today": today.isoformat(),
        "waiting": waiting(),
        "my_tasks": [s for s in open_work if s["assignee"] == userid],
        "due_soon": [s for s in open_work if s["status"] != OVERDUE and s["deadline"] and s["deadline"] <= soon],
        "overdue": [s for s in open_work if s["status"] == OVERDUE],
        "directives": directives(today),
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


def directives(today):
    """Each document with tasks the user may see, with its execution."""
    found = []
    for doc in directive_documents():
        figures = tracking.figures(doc, today)["planned"]
        found.append({"@id": doc.absolute_url(), "symbol": doc.symbol or "", "title": doc.title, **figures})
    return sorted(found, key=lambda d: d["symbol"])


def directive_documents():
    """The documents with tasks (directives) the user may see."""
    parents = {}
    for task in work(("Task",)):
        parent = task.aq_parent
        if parent.portal_type == "OfficialDocument" and api.user.has_permission("View", obj=parent):
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
