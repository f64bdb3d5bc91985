"""The staff's boards (issue 10): a meeting's page, the directive tracking
board, a work programme's progress and the records manager's desk.

They read what the REST services read (meetings.attendance, voting.tally,
tracking.figures and tracking.rows, archive.transfer_status,
archive.tombstones), as the current user: catalog searches are never
unrestricted here, and every object shown is checked for View, so a
classified item someone may not see is not on their page at all. Each row
carries its classification and urgency marks.
"""

from datetime import date
from hdnd.content import archive
from hdnd.content import meetings
from hdnd.content import tracking
from hdnd.content import voting
from hdnd.content.core.status import STATUSES
from hdnd.content.core import formats
from hdnd.content.dashboard import programme_progress
from hdnd.content.dashboard import directive_documents
from hdnd.content.i18n import _
from hdnd.content.meetings import agenda
from hdnd.content.meetings import agenda_dossiers
from hdnd.content.types.ballot import IBallot
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.file_plan import IFilePlanHeading
from hdnd.content.types.progress_report import IProgressReport
from hdnd.content.viewing import catalog_state
from hdnd.content.viewing import fullname
from hdnd.content.viewing import seen_as
from hdnd.content.viewing import visible
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser.ballot import BallotView
from hdnd.policy.browser.dashboard import chart
from hdnd.policy.browser.marks import marks_html
from plone import api
from plone.app.contenttypes.interfaces import IFile
from plone.memoize import ram
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Unauthorized
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

import copy

STATUS_CLASS = {"overdue": "table-danger", "done_late": "table-warning", "done_on_time": "table-success"}
CLOSED_BALLOT = ("closed", "published")


def marks(obj):
    """The classification and urgency badges of an item (the shared marks)."""
    return marks_html(obj)


def related(relations):
    """The targets of relations that the user may see."""
    return visible(r.to_object for r in (relations or ()) if r is not None and r.to_object is not None)


def day(value):
    """dd/mm/yyyy from a date, a datetime or an ISO string."""
    return formats.day(value)


def state_title(obj):
    state = api.content.get_state(obj, default=None)
    if state is None:
        return ""
    return api.portal.get_tool("portal_workflow").getTitleForStateOnType(state, obj.portal_type)


def vocabulary_titles(name):
    return {term.value: term.title for term in getUtility(IVocabularyFactory, name)(None)}


def summary_row(obj, **extra):
    return {"@id": obj.absolute_url(), "title": obj.title, "marks": marks(obj), "state": state_title(obj), **extra}


def last_report(task):
    """The task's latest progress report the user may see, or None."""
    reports = visible(o for o in task.objectValues() if IProgressReport.providedBy(o))
    return max(reports, key=lambda r: (r.report_date or date.min, r.created()), default=None)


class Board(BrowserView):
    """What every board shares: the marks macro, labels, dates."""

    macros_template = ViewPageTemplateFile("templates/boards_macros.pt")

    @property
    def macros(self):
        return self.macros_template.macros

    def day(self, value):
        return day(value)

    def number(self, value, decimals=None):
        """83,3 (a decimal comma, the office's one format); "" for nothing."""
        return formats.number(value, decimals)

    def unit_title(self, code):
        return dict(registry_pairs("units")).get(code, code)

    def units(self):
        return [{"id": code, "title": title} for code, title in registry_pairs("units")]

    def status_title(self, status):
        return vocabulary_titles("hdnd.vocabularies.TaskStatus").get(status, status)

    def status_class(self, status):
        return STATUS_CLASS.get(status, "")


# A meeting ----------------------------------------------------------------------


class MeetingView(Board):
    """Agenda in order (presenter, duration, dossiers with their documents and
    files), attendance and quorum, each ballot with the member's own panel and
    the results once closed, the minutes and the conclusion notice."""

    @property
    def panel(self):
        """The work page's parts for this item (workpage.py): buttons, history."""
        from hdnd.policy.browser.workpage import WorkPage

        if not hasattr(self, "_panel"):
            self._panel = WorkPage(self.context, self.request)
        return self._panel

    def kind_title(self):
        return vocabulary_titles("hdnd.vocabularies.MeetingKind").get(self.context.meeting_kind, "")

    def when(self):
        start, end = self.context.start, self.context.end
        text = f"{formats.clock(start)} {formats.day(start)}" if start else ""
        if end:
            text += f" – {formats.clock(end)}"
        return text

    def chair(self):
        return fullname(self.context.chair)

    def state(self):
        return state_title(self.context)

    def agenda(self):
        return [
            summary_row(
                item, presenter=item.presenter or "", duration=item.duration_minutes,
                description=item.description or "",
                dossiers=[self.dossier(d) for d in agenda_dossiers(item)],
                papers=[self.paper(o) for o in visible(item.objectValues()) if (IFile.providedBy(o) or IOfficialDocument.providedBy(o))],
                ballots=[self.ballot(b) for b in visible(item.objectValues()) if IBallot.providedBy(b)],
            )
            for item in agenda(self.context)
        ]

    def meeting_ballots(self):
        """Ballots held on the meeting itself, outside its agenda items."""
        return [self.ballot(b) for b in visible(self.context.objectValues()) if IBallot.providedBy(b)]

    def dossier(self, dossier):
        return summary_row(dossier, code=dossier.dossier_code or "",
                           documents=[self.paper(d) for d in archive.documents_of(dossier)])

    def paper(self, obj):
        row = summary_row(obj, symbol=getattr(obj, "symbol", None) or "", files=[])
        if IOfficialDocument.providedBy(obj):
            if getattr(obj, "file", None) is not None and obj.file.size:
                row["files"].append({"url": f"{obj.absolute_url()}/@@download/file",
                                     "name": obj.file.filename or obj.getId()})
            for child in visible(obj.objectValues()):
                if IFile.providedBy(child):
                    row["files"].append({"url": f"{child.absolute_url()}/@@download/file", "name": child.title})
        elif IFile.providedBy(obj):
            row["files"].append({"url": f"{obj.absolute_url()}/@@download/file", "name": obj.title})
        return row

    def ballot(self, ballot):
        page = BallotView(ballot, self.request)
        state = api.content.get_state(ballot)
        box = voting.box(ballot)
        mine = page.my_vote()
        result = voting.tally(ballot) if state in CLOSED_BALLOT else None
        votes = []
        if result and not result["secret"]:
            votes = [{"member": fullname(m), "choice": page.choice_title(v["choice"]), "comment": v["comment"]}
                     for m, v in sorted(result.get("votes", {}).items())]
        self._ballots = getattr(self, "_ballots", 0) + 1
        return summary_row(
            ballot, number=self._ballots, question=ballot.question or "", secret=page.is_secret(), is_open=page.is_open(),
            can_vote=page.can_vote(), has_voted=page.has_voted(),
            in_electorate=box is not None and api.user.get_current().getId() in box.electorate,
            my_choice=page.choice_title(mine["choice"]) if mine else "",
            result=result, votes=votes,
        )

    def attendance(self):
        data = meetings.attendance(self.context)
        present = set(data["present"])
        incumbent = meetings.incumbent_members()
        return {
            **data,
            "present_names": [fullname(m) for m in data["present"]],
            "absent_names": [fullname(m) for m in incumbent if m not in present],
            "count": len(present),
        }

    def minutes(self):
        return self.context.minutes or ""

    def conclusion_notice(self):
        notice = self.context.conclusion_notice
        found = related([notice]) if notice is not None else []
        return summary_row(found[0], symbol=found[0].symbol or "") if found else None


# Directives ----------------------------------------------------------------------


class DirectivesView(Board):
    """Each directive (a document with tasks) the user may see, its tasks
    grouped by status, filtered by lead unit and status (GET parameters)."""

    def filters(self):
        form = self.request.form
        unit = form.get("unit") or ""
        status = form.get("status") or ""
        return {"unit": unit, "status": status if status in STATUSES else ""}

    def statuses(self):
        return [{"id": s, "title": self.status_title(s)} for s in STATUSES]

    def directives(self):
        if hasattr(self, "_directives"):
            return self._directives
        wanted = self.filters()
        found = []
        for doc in sorted(directive_documents(), key=lambda d: (d.symbol or "", d.title)):
            tasks = []
            for row in tracking.rows(doc):
                if wanted["unit"] and row["lead_unit"] != wanted["unit"]:
                    continue
                if wanted["status"] and row["status"] != wanted["status"]:
                    continue
                task = doc[row["id"]]
                report = last_report(task)
                tasks.append({**row, "marks": marks(task),
                              "percent": report.percent_done if report is not None else None,
                              "report_date": day(report.report_date) if report is not None else ""})
            if not tasks and (wanted["unit"] or wanted["status"]):
                continue
            groups = [{"status": s, "title": self.status_title(s), "tasks": [t for t in tasks if t["status"] == s]}
                      for s in STATUSES]
            found.append(summary_row(
                doc, symbol=doc.symbol or "", figures=tracking.figures(doc)["planned"],
                groups=[g for g in groups if g["tasks"]],
            ))
        self._directives = found
        return found


# A work programme ------------------------------------------------------------------


class ProgrammeView(Board):
    """Items by planned month with their status, the planned and done curves
    (the dashboard's chart) and the figures by month as a table."""

    def _board(self):
        if not hasattr(self, "_kept"):
            self._kept = copy.deepcopy(programme_board(self.context))
        return self._kept

    def progress(self):
        return self._board()[0]

    def chart(self):
        return chart(self.progress())

    def rows(self):
        """The programme's rows, read once for the page (months, unscheduled, arisen)."""
        return self._board()[1]

    def months(self):
        progress = self.progress()
        by_month = {int(m): f for m, f in progress["by_month"].items()}
        items = [row for row in self.rows() if not row["arisen"]]
        found = []
        for month in range(1, 13):
            figures = by_month.get(month)
            found.append({
                "month": month,
                "figures": figures,
                "planned_to_date": progress["planned_over_time"][month - 1],
                "done_to_date": progress["done_over_time"][month - 1] if progress["done_over_time"] else None,
                "items": [row for row in items if row["planned_month"] == month],
            })
        return found

    def unscheduled(self):
        return [row for row in self.rows() if not row["arisen"] and not row["planned_month"]]

    def arisen(self):
        return [row for row in self.rows() if row["arisen"]]

    def month_label(self, month):
        return translate(_("label_month_n", default="Month ${month}", mapping={"month": month}), context=self.request)

    def unscheduled_label(self):
        return translate(_("label_no_planned_month", default="No planned month"), context=self.request)


def _programme_key(func, programme):
    state = catalog_state()
    if state is None:
        raise ram.DontCache
    return (seen_as(), state, "/".join(programme.getPhysicalPath()), date.today().isoformat())


@ram.cache(_programme_key)
def programme_board(programme):
    """A programme's progress and rows with their marks, as the current user
    may see them: kept per person (id, roles, groups, clearance, language)
    until the catalog changes or the day does, like the dashboard's figures
    (hdnd.content.dashboard.overview); the page deep-copies what it reads."""
    rows = [{**row, "marks": marks(programme[row["id"]])} for row in tracking.rows(programme)]
    return programme_progress(programme, None), rows


# Records ---------------------------------------------------------------------------


def may_keep_records():
    """Whether the current user keeps the records (records managers, administrators)."""
    section = api.portal.get().get("luu-tru")
    return section is not None and api.user.has_permission("hdnd: Add TransferBatch", obj=section)


class RecordsView(Board):
    """The records manager's desk: file plans, dossiers to close and to
    transfer this year, transfers, destruction lists, tombstones."""

    def __call__(self):
        if not may_keep_records():
            raise Unauthorized("Only records managers use the records desk.")
        return self.index()

    def year(self):
        return date.today().year

    def search(self, portal_type, **query):
        catalog = api.portal.get_tool("portal_catalog")
        return [b.getObject() for b in catalog(portal_type=portal_type, **query)]

    def dossiers(self):
        if not hasattr(self, "_dossiers"):
            self._dossiers = self.search("Dossier", sort_on="getId")
        return self._dossiers

    def retention_title(self, value):
        return dict(registry_pairs("retention")).get(value, value or "")

    def file_plans(self):
        opened = {}
        for dossier in self.dossiers():
            if dossier.start_date and dossier.dossier_code:
                opened[(dossier.start_date.year, dossier.dossier_code)] = dossier
        plans = []
        for plan in sorted(self.search("FilePlan"), key=lambda p: -(p.year or 0)):
            headings = []
            for heading in visible(o for o in plan.objectValues() if IFilePlanHeading.providedBy(o)):
                dossier = opened.get((plan.year, heading.dossier_code))
                headings.append({
                    "code": heading.dossier_code, "heading": heading.heading or "", "title": heading.title,
                    "retention": self.retention_title(heading.retention), "responsible": fullname(heading.responsible),
                    "dossier": summary_row(dossier) if dossier is not None else None,
                })
            plans.append(summary_row(plan, year=plan.year, headings=headings))
        return plans

    def to_close(self):
        """Dossiers decided and waiting to be closed, and those of past years still open."""
        year = self.year()
        found = []
        for dossier in self.dossiers():
            state = api.content.get_state(dossier)
            if state in ("closed", "transferred"):
                continue
            started = dossier.start_date.year if dossier.start_date else year
            if state == "decided" or started < year:
                found.append(summary_row(dossier, code=dossier.dossier_code or "", start=day(dossier.start_date),
                                         retention=self.retention_title(dossier.retention)))
        return found

    def to_transfer(self):
        """Closed dossiers whose transfer to the archive falls due by the end of this year."""
        year = self.year()
        found = []
        for dossier in self.dossiers():
            if api.content.get_state(dossier) != "closed":
                continue
            status = archive.transfer_status(dossier)
            if status["due"] and int(status["due"][:4]) <= year:
                found.append(summary_row(
                    dossier, code=dossier.dossier_code or "", end=day(dossier.end_date),
                    retention=self.retention_title(dossier.retention), due=day(status["due"]),
                    held_until=day(status["held_until"]), warning=status["warning"] or "", due_iso=status["due"],
                ))
        return sorted(found, key=lambda d: d["due_iso"])

    def batches(self, portal_type):
        return [
            summary_row(obj, dossiers=[summary_row(d, code=d.dossier_code or "") for d in related(obj.dossiers)],
                        archive_name=getattr(obj, "archive_name", "") or "",
                        handover=day(getattr(obj, "handover_date", None)),
                        decision=getattr(obj, "decision", "") or "")
            for obj in self.search(portal_type, sort_on="created", sort_order="descending")
        ]

    def transfers(self):
        return self.batches("TransferBatch")

    def destruction_lists(self):
        return self.batches("DestructionList")

    def tombstones(self):
        return [{**stone, "marks": marks(stone)} for stone in archive.tombstones()]

