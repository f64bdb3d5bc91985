"""What the office's templates print, read as the requesting user.

appy.pod evaluates a template's expressions as plain Python: the templates
shipped with hdnd read everything through this helper (``view`` in a
template), and the helper reads what the user may see and nothing else:
agenda items, ballots and register entries are filtered by the View
permission or come from the catalog's security-filtered search; people are
printed by name. This is why only administrators may add or edit templates
(see the ``hdnd.ManageTemplates`` permission): a template could otherwise
read around it.
"""

from collective.documentgenerator.helper.dexterity import DXDocumentGenerationHelperView
from datetime import date
from datetime import datetime
from hdnd.content import voting
from hdnd.content.core import layout
from hdnd.content.core import formats
from hdnd.content.core.levels import URGENCY_TITLES
from hdnd.content.meetings import attendance
from hdnd.content.core import officetime
from hdnd.content.meetings import agenda
from hdnd.content.meetings import agenda_dossiers
from hdnd.content.settings import organisation_settings
from hdnd.content.types.agenda_item import IAgendaItem
from hdnd.content.types.ballot import IBallot
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.file_plan import IFilePlanHeading
from hdnd.content.types.meeting import IMeeting
from hdnd.content.types.work_programme import IWorkProgramme
from hdnd.content.viewing import fullname
from hdnd.content.viewing import visible
from hdnd.content.vocabularies import registry_pairs
from plone import api


WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
CHOICES = {"for": "Tán thành", "against": "Không tán thành", "other": "Ý kiến khác"}


def local(value):
    """A stored datetime in the office's time, a date as it is."""
    if isinstance(value, datetime):
        return officetime.localize(value)
    return value


def day_of(value):
    value = local(value)
    return value.date() if isinstance(value, datetime) else value


def short_date(value):
    return formats.day(day_of(value))


class HelperView(DXDocumentGenerationHelperView):
    """``document_generation_helper_view`` for hdnd's content (on hdnd's layer)."""

    # The Party layout's header and signature -----------------------------

    def settings(self):
        return organisation_settings()

    def parent_body(self):
        return layout.header_lines(self.settings().parent_body, self.settings().body_name)[0]

    def body_name(self):
        return layout.header_lines(self.settings().parent_body, self.settings().body_name)[1]

    def number_line(self, doc_type=None):
        symbol = getattr(self.real_context, "symbol", None)
        kind = doc_type or getattr(self.real_context, "document_type", None) or ""
        return layout.number_line(symbol, kind, self.settings().symbol_abbreviation)

    def place_date(self, day=None):
        when = day or getattr(self.real_context, "issue_date", None) or date.today()
        return layout.place_date(self.settings().place_name, day_of(when))

    def marks(self):
        return layout.marks(
            getattr(self.real_context, "classification", None), getattr(self.real_context, "urgency", None)
        )

    def signature_lines(self, default="T/M Đảng đoàn, Bí thư"):
        return layout.signature_lines(getattr(self.real_context, "signer_position", None) or default)

    def signer(self, default=""):
        own = getattr(self.real_context, "signer", None)
        if own:
            return own
        chair = getattr(self.real_context, "chair", None)
        return fullname(chair) if chair else default

    def recipients(self, default=("Các đồng chí Thành viên Đảng đoàn", "Lưu Văn phòng")):
        return list(getattr(self.real_context, "recipients", None) or default)

    def value(self, name, default=""):
        """A field's stored value as text (the display proxy that
        collective.documentgenerator puts in ``context`` shortens long text)."""
        value = getattr(self.real_context, name, None)
        return str(value) if value not in (None, "") else default

    def lines(self, name):
        """A text field's non-empty lines, one paragraph each."""
        return [line.strip() for line in self.value(name).splitlines() if line.strip()]

    def today(self):
        return short_date(date.today())

    def short(self, value):
        return short_date(value)

    # Meetings ----------------------------------------------------------

    def meeting(self):
        """The meeting of the context: itself, or the one whose conclusion
        notice the context is (only if the user may see it)."""
        context = self.real_context
        if IMeeting.providedBy(context):
            return context
        for relation in self.get_relations(attribute="conclusion_notice", backrefs=True, as_obj=False):
            meeting = relation.from_object
            if meeting is not None and api.user.has_permission("View", obj=meeting):
                return meeting
        return None

    def meeting_time(self):
        meeting = self.meeting()
        if meeting is None or meeting.start is None:
            return ""
        start = local(meeting.start)
        return f"{formats.clock(start).replace(':', ' giờ ')}, {WEEKDAYS[start.weekday()]}, ngày {formats.day(start)}"

    def meeting_day(self):
        meeting = self.meeting()
        return short_date(meeting.start) if meeting is not None else ""

    def meeting_date(self):
        """The day the meeting was held, in the office's time (None without
        one): its minutes and agenda are dated that day, not the day they
        are printed."""
        meeting = self.meeting()
        return day_of(meeting.start) if meeting is not None and meeting.start else None

    def secretary(self):
        meeting = self.meeting()
        userid = getattr(meeting, "secretary", None) if meeting is not None else None
        return fullname(userid) if userid else ""

    def closing_line(self):
        """The minutes' last sentence: when the meeting ended."""
        meeting = self.meeting()
        end = local(getattr(meeting, "end", None)) if meeting is not None else None
        if end is None:
            return "Biên bản được lập tại phiên họp, thông qua trước các đồng chí dự họp."
        same_day = day_of(meeting.start) == end.date() if meeting.start else True
        when = "cùng ngày" if same_day else f"ngày {formats.day(end)}"
        return f"Phiên họp kết thúc lúc {end:%H} giờ {end:%M} {when}."

    def agenda(self):
        meeting = self.meeting()
        if meeting is None:
            return []
        return [
            {
                "n": n,
                "title": item.title,
                "presenter": item.presenter or "",
                "minutes": str(item.duration_minutes or ""),
                "dossiers": ", ".join(dossier.title for dossier in agenda_dossiers(item)),
            }
            for n, item in enumerate(agenda(meeting), 1)
        ]

    def invitees(self):
        meeting = self.meeting()
        members = (meeting.members if meeting is not None else None) or []
        return [fullname(m) for m in members]

    def attendance(self):
        meeting = self.meeting()
        if meeting is None:
            return {"present": [], "absent": [], "line": ""}
        data = attendance(meeting)
        present = set(data["present"])
        members = meeting.members or []
        absent = [m for m in members if m not in present]
        line = f"Có mặt {len(present)}/{data['incumbent']} đồng chí Thành viên Đảng đoàn"
        if data["incumbent"]:
            line += ", đủ số lượng theo quy định." if data["quorum_met"] else ", không đủ số lượng theo quy định."
        return {
            "present": [fullname(m) for m in sorted(present)],
            "absent": [fullname(m) for m in absent],
            "line": line,
        }

    def ballots(self):
        """The meeting's (or request's) ballots the user may see, with their counts."""
        context = self.meeting() or self.real_context
        items = [i for i in visible(context.objectValues()) if IAgendaItem.providedBy(i)]
        found = [
            ballot
            for container in [context, *items]
            for ballot in visible(container.objectValues())
            if IBallot.providedBy(ballot)
        ]
        rows = []
        for ballot in found:
            result = voting.tally(ballot) or {}
            decided = api.content.get_state(ballot) in ("closed", "published")
            rows.append({
                "title": ballot.title,
                "for": str(result.get("for", "")),
                "against": str(result.get("against", "")),
                "other": str(result.get("other", "")),
                "result": (("Thông qua" if result.get("passed") else "Không thông qua") if decided else "Đang biểu quyết"),
            })
        return rows

    # Written consultation and ballots -----------------------------------

    def deadline(self):
        value = getattr(self.real_context, "reply_deadline", None) or getattr(self.real_context, "closes", None)
        if not value:
            return ""
        return formats.spoken_moment(local(value))

    def choices(self):
        return list(CHOICES.values())

    def ballot_kind(self):
        kind = getattr(self.real_context, "ballot_kind", "open")
        return "Biểu quyết kín (phiếu không ghi tên)" if kind == "secret" else "Biểu quyết công khai"

    def questions(self):
        """An opinion request's ballots (each a question), else the context's own."""
        context = self.real_context
        ballots = visible(b for b in context.objectValues() if IBallot.providedBy(b)) if hasattr(context, "objectValues") else []
        if ballots:
            return [{"n": n, "title": b.title, "question": b.question} for n, b in enumerate(ballots, 1)]
        return [{"n": 1, "title": context.title, "question": getattr(context, "question", "")}]

    # Processing slips ----------------------------------------------------

    def document(self):
        """The document a processing slip belongs to."""
        return self.real_context.aq_parent

    def document_rows(self):
        doc = self.document()
        return [
            ("Số đến", str(getattr(doc, "arrival_number", "") or "")),
            ("Ngày đến", short_date(getattr(doc, "arrival_date", None))),
            ("Số, ký hiệu", getattr(doc, "symbol", "") or ""),
            ("Ngày văn bản", short_date(getattr(doc, "issue_date", None))),
            ("Cơ quan ban hành", getattr(doc, "issuing_body", "") or ""),
            ("Trích yếu", doc.title),
            ("Độ khẩn", URGENCY_TITLES.get(getattr(doc, "urgency", None) or "normal", "")),
            ("Hạn xử lý", short_date(getattr(doc, "due_date", None))),
        ]

    def director(self):
        return fullname(getattr(self.real_context, "director", None))

    def assignees(self):
        return [fullname(a) for a in getattr(self.real_context, "assignees", None) or []]

    # Conclusion notices ----------------------------------------------------

    def summary(self):
        """The title without its leading type name: "Thông báo kết luận ..." ->
        "kết luận ...", printed under the type in capitals."""
        title = self.real_context.title or ""
        names = {t.lower() for _code, t in registry_pairs("document_types")}
        for name in sorted(names, key=len, reverse=True):
            if title.lower().startswith(name + " "):
                return title[len(name) + 1:]
        return title

    def type_title(self):
        code = getattr(self.real_context, "document_type", None)
        return dict(registry_pairs("document_types")).get(code, code or "").upper()

    # Registers -------------------------------------------------------------

    def year(self):
        own = getattr(self.real_context, "year", None)  # a work programme's
        try:
            return int(self.request.get("year") or own or date.today().year)
        except ValueError:
            return own or date.today().year

    def register(self, direction):
        """The year's register as printed (see hdnd.content.registers): the
        register for secret documents when the request names it
        (``register=incoming-secret``, as the print view takes it)."""
        from hdnd.content.registers import REGISTERS
        from hdnd.content.registers import rows

        asked = REGISTERS.get(self.request.get("register") or "")
        secret = bool(asked and asked == (direction, True))
        return [
            dict(row, number=str(row["number"] or ""), day=short_date(row["day"]),
                 issue_date=short_date(row["issue_date"]))
            for row in rows(direction, self.year(), secret=secret)
        ]

    # The yearly report ---------------------------------------------------------

    def yearly(self):
        """The year's work computed from the records the user may see (once
        per document: the template asks for it many times)."""
        if getattr(self, "_yearly", None) is None:
            self._yearly = self._compute_yearly()
        return self._yearly

    def _compute_yearly(self):
        from hdnd.content import tracking

        catalog = api.portal.get_tool("portal_catalog")
        year = self.year()
        meetings = {"periodic": 0, "thematic": 0, "extraordinary": 0}
        for brain in catalog(portal_type="Meeting", review_state=["closed", "published"]):
            meeting = brain.getObject()
            if day_of(meeting.start).year == year:
                meetings[meeting.meeting_kind] = meetings.get(meeting.meeting_kind, 0) + 1
        types = dict(registry_pairs("document_types"))
        issued, incoming = {}, 0
        for brain in catalog(portal_type="OfficialDocument"):
            doc = brain.getObject()
            if doc.direction == "incoming" and doc.arrival_date and doc.arrival_date.year == year:
                incoming += 1
            elif doc.direction != "incoming" and doc.issue_date and doc.issue_date.year == year and doc.symbol:
                name = types.get(doc.document_type, doc.document_type or "Khác")
                issued[name] = issued.get(name, 0) + 1
        tasks = [t for t in (b.getObject() for b in catalog(portal_type="Task"))
                 if IOfficialDocument.providedBy(t.aq_parent)]
        from hdnd.content.core import figures as core

        directive_figures = core.summary([tracking.record(t) for t in tasks])
        return {
            "meetings": [
                {"kind": title, "count": str(meetings.get(kind, 0))}
                for kind, title in (("periodic", "Phiên họp định kỳ"), ("thematic", "Phiên họp chuyên đề"),
                                    ("extraordinary", "Phiên họp bất thường"))
            ],
            "meetings_total": str(sum(meetings.values())),
            "incoming": str(incoming),
            "issued": [{"type": name, "count": str(n)} for name, n in sorted(issued.items())],
            "issued_total": str(sum(issued.values())),
            "tasks": directive_figures,
            "tasks_line": (
                f"{directive_figures['done']}/{directive_figures['total']} nhiệm vụ hoàn thành "
                f"({directive_figures['done_on_time']} đúng hạn, {directive_figures['done_late']} quá hạn), "
                f"{directive_figures['overdue']} nhiệm vụ quá hạn chưa hoàn thành."
            ),
        }

    def programme_figures(self):
        from hdnd.content import tracking

        if not IWorkProgramme.providedBy(self.real_context):
            return None
        return tracking.figures(self.real_context)

    def unit_rows(self):
        figures = self.programme_figures() or {"by_unit": {}}
        units = dict(registry_pairs("units"))
        return [
            {"unit": units.get(code, code), "total": str(f["total"]), "done": str(f["done"]),
             "percent": f"{f['percent_done']:.1f}".replace(".", ",") if f["percent_done"] is not None else ""}
            for code, f in figures["by_unit"].items()
        ]

    # Records ---------------------------------------------------------------------

    def toc(self):
        """A dossier's table of contents (mục lục văn bản), as the user may see it."""
        from hdnd.content.archive import table_of_contents

        if getattr(self, "_toc", None) is None:
            self._toc = table_of_contents(self.real_context)
        return self._toc

    def file_plan_rows(self):
        retention = dict(registry_pairs("retention"))
        rows = []
        for heading in visible(h for h in self.real_context.objectValues() if IFilePlanHeading.providedBy(h)):
            rows.append({
                "group": heading.heading or "", "code": heading.dossier_code, "title": heading.title,
                "retention": retention.get(heading.retention, heading.retention or ""),
                "responsible": fullname(heading.responsible) if heading.responsible else "",
            })
        return sorted(rows, key=lambda r: r["code"])

    def transfer_rows(self):
        """A transfer's dossiers as the transfer list prints them (mục lục hồ sơ nộp lưu)."""
        from hdnd.content.archive import table_of_contents

        retention = dict(registry_pairs("retention"))
        dossiers = [r.to_object for r in (getattr(self.real_context, "dossiers", None) or ()) if r.to_object is not None]
        rows = []
        for n, dossier in enumerate(visible(dossiers), 1):
            contents = table_of_contents(dossier)
            span = " - ".join(short_date(d) for d in (dossier.start_date, dossier.end_date) if d)
            rows.append({
                "n": str(n), "code": dossier.dossier_code or "", "title": dossier.title, "dates": span,
                "documents": str(contents["documents"]), "pages": str(contents["pages"]),
                "retention": retention.get(dossier.retention, dossier.retention or ""),
            })
        return rows
