"""A dossier's page (its default view): its documents (inside it and filed
by relation), processing slips, tasks (overdue ones marked), the meetings
whose agenda lists it, and a timeline of the workflow steps of it and its
contents. Everything is what the user may see: the catalog searches as the
user, and related items are checked one by one."""

from Acquisition import aq_base
from Acquisition import aq_parent
from DateTime import DateTime
from hdnd.content.core import formats
from hdnd.content.types.document import referring
from hdnd.content.viewing import may_see as visible
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser.marks import MarksMixin
from plone import api
from Products.Five.browser import BrowserView
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory


TIMELINE_LENGTH = 50


class DossierView(BrowserView, MarksMixin):
    @property
    def panel(self):
        """The work page's parts for this item (workpage.py): buttons, history."""
        from hdnd.policy.browser.workpage import WorkPage

        if not hasattr(self, "_panel"):
            self._panel = WorkPage(self.context, self.request)
        return self._panel

    def documents(self):
        if not hasattr(self, "_documents"):
            inside = set(self.context.objectIds())
            self._documents = [
                {"item": doc, "filed_here": doc.getId() in inside and aq_base(aq_parent(doc)) is aq_base(self.context),
                 "state": self.state_title(doc)}
                for doc in self.context.filed_documents() if visible(doc)
            ]
        return self._documents

    def _paths(self):
        return ["/".join(self.context.getPhysicalPath())] + [
            "/".join(d["item"].getPhysicalPath()) for d in self.documents() if not d["filed_here"]
        ]

    def _find(self, portal_type, **query):
        catalog = api.portal.get_tool("portal_catalog")
        return [b.getObject() for b in catalog(portal_type=portal_type, path=self._paths(), **query)]

    def slips(self):
        # Once for the page: the table and the timeline both read them.
        if hasattr(self, "_slips"):
            return self._slips
        units = dict(registry_pairs("units"))
        self._slips = [
            {"item": slip, "lead_unit": units.get(slip.lead_unit, slip.lead_unit or ""),
             "deadline": slip.deadline, "parent": slip.aq_parent}
            for slip in self._find("ProcessingSlip", sort_on="created")
        ]
        return self._slips

    def tasks(self):
        if hasattr(self, "_tasks"):
            return self._tasks
        units = dict(registry_pairs("units"))
        factory = getUtility(IVocabularyFactory, "hdnd.vocabularies.TaskStatus")
        titles = {t.value: t.title for t in factory(self.context)}
        found = []
        for task in self._find("Task", sort_on="deadline"):
            status = task.status
            found.append({
                "item": task, "status": status, "status_title": titles.get(status, status),
                "overdue": status == "overdue", "deadline": task.deadline,
                "lead_unit": units.get(task.lead_unit, task.lead_unit or ""),
            })
        self._tasks = found
        return found

    def meetings(self):
        """(meeting, agenda item) of every agenda that lists this dossier."""
        found = []
        for item in referring(self.context, "dossiers"):
            if not visible(item):
                continue
            meeting = item.aq_parent
            found.append({"meeting": meeting, "item": item, "start": getattr(meeting, "start", None),
                          "state": self.state_title(meeting)})
        found.sort(key=lambda m: str(m["start"] or ""))
        return found

    def state_title(self, obj):
        # The chain depends on the item (incoming and outgoing documents differ).
        state = api.content.get_state(obj=obj, default=None)
        for workflow in api.portal.get_tool("portal_workflow").getWorkflowsFor(obj):
            if state in workflow.states.objectIds():
                return workflow.states[state].title
        return state or ""

    def timeline(self):
        """The workflow steps of the dossier and of what it lists, newest first."""
        workflow = api.portal.get_tool("portal_workflow")
        items = [self.context] + [d["item"] for d in self.documents()]
        items += [s["item"] for s in self.slips()] + [t["item"] for t in self.tasks()]
        seen, events = set(), []
        for item in items:
            path = item.getPhysicalPath()
            if path in seen:
                continue
            seen.add(path)
            for chain_id in workflow.getChainFor(item):
                for entry in (getattr(item, "workflow_history", None) or {}).get(chain_id, ()):
                    when = entry.get("time")
                    action = entry.get("action")
                    state = entry.get("review_state")
                    events.append({
                        "time": when, "when": formats.moment(when) if isinstance(when, DateTime) else "",
                        # Who, by name as on the work page's history (one memo of names for the page).
                        "actor": self.panel.people(entry.get("actor")) if entry.get("actor") else "",
                        "action": workflow[chain_id].transitions[action].title
                        if action and action in workflow[chain_id].transitions.objectIds() else action or "",
                        "state": workflow[chain_id].states[state].title
                        if state and state in workflow[chain_id].states.objectIds() else state or "",
                        "item": item, "comments": entry.get("comments") or "",
                    })
        events.sort(key=lambda e: e["time"] or DateTime(0), reverse=True)
        return events[:TIMELINE_LENGTH]

    def day(self, value):
        return formats.day(value)

    def moment(self, value):
        return formats.moment(value)
