"""The item's work page (issue 20): the default view of documents (incoming
and outgoing), dossiers, tasks, meetings, ballots and opinion requests.

- a header: the classification and urgency marks, symbol, numbers, dates and
  the state;
- the actions the person may take now, as buttons: the workflow's steps
  offered to them (guards and roles evaluated by the workflow tool) and
  hdnd's own (Trả lời, Chuyển xử lý, Sửa, Giao nhiệm vụ). Steps that commit
  the office (:data:`CONFIRM`) go through a confirmation page
  (``@@hdnd-step``) with an optional comment kept in the workflow history;
- the file(s) previewed in the page, pages rendered on the server
  (``@@hdnd-preview``, hdnd.content.core.preview);
- only the fields that have a value, grouped, labelled as the forms label
  them (Vietnamese by default);
- the processing slips, tasks with assignee and deadline, related,
  replacing and replying documents;
- the history as a timeline, latest step first: who, when (office time,
  dd/mm/yyyy HH:MM), comment.

Everything is read from the item and its own contents (no catalog query per
row); every other object shown is checked for View first. The dossier, the
meeting and the ballot keep their own pages and take the panel's parts
through :class:`WorkPanel` (the ``work`` macros).
"""

from Acquisition import aq_inner
from DateTime import DateTime
from hdnd.content import previews as office_previews
from hdnd.content import replies
from hdnd.content.core import preview as previews
from hdnd.content.i18n import _
from hdnd.content.types.ballot import IBallot
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.dossier import IDossier
from hdnd.content.types.processing_slip import IProcessingSlip
from hdnd.content.types.task import ITask
from hdnd.content.viewing import may_see as visible
from hdnd.content.viewing import People
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser import formats
from hdnd.policy.browser.marks import marks_html
from plone import api
from plone.app.contenttypes.interfaces import IFile
from plone.dexterity.utils import iterSchemata
from plone.protect import CheckAuthenticator
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import BadRequest
from zExceptions import NotFound
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema import getFieldsInOrder
from zope.schema.interfaces import IBool
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ICollection
from zope.schema.interfaces import IDate
from zope.schema.interfaces import IDatetime
from zope.schema.interfaces import IVocabularyFactory

import os
import tempfile
import transaction


# Steps that commit the office: asked for confirmation, with a comment.
CONFIRM = frozenset({
    "approve", "sign", "issue", "return", "return_to_sender", "send_back", "close", "destroy", "decide",
    "recall", "supersede", "withdraw", "publish", "accept", "transfer", "authorize", "appraise", "file",
    "reopen",
})
COMMENT_MAX = 2000
HISTORY_LENGTH = 30

# Shown in the header (or in a part of the page of their own), not among the fields.
HEADER = {"title", "symbol", "number", "doc_type", "issuer", "year", "arrival_number", "issue_date",
          "arrival_date", "due_date", "deadline", "urgency", "classification", "start", "end", "opens",
          "closes", "reply_deadline"}
ELSEWHERE = {"file", "signed_file", "replaces", "replaced_by", "superseded", "in_reply_to", "documents",
             "conclusion_notice", "dossier", "question", "minutes"}
GROUPS = (
    ("document", _("group_document", default="General information"),
     ("direction", "document_type", "family", "issuing_body", "channel", "page_count", "description",
      "meeting_kind", "location", "ballot_kind", "dossier_code", "start_date", "end_date", "responsible")),
    ("signing", _("group_signing", default="Signing and sending"),
     ("signer", "signer_position", "recipients", "send_to", "chair", "members")),
    ("handling", _("group_handling", default="Handling"),
     ("status", "lead_unit", "cooperating_units", "assignee", "assignees", "director", "proposal",
      "instruction", "completed_on", "paper_original")),
    ("records", _("group_records", default="Records and security"),
     ("retention", "retention_decision", "closing_note", "held_until", "legal_hold", "need_to_know",
      "classified_on", "protection_extended_until")),
)
OTHER = ("other", _("group_other", default="Other information"))

# hdnd's own actions, their labels.
REPLY = _("action_reply", default="Reply")
FORWARD = _("action_forward", default="Forward for handling")
EDIT = _("action_edit", default="Edit")
ADD_TASK = _("action_add_task", default="Assign a task")
VOTE = _("action_vote", default="Vote")


def workflow_of(obj):
    tool = api.portal.get_tool("portal_workflow")
    chain = tool.getChainFor(obj)
    return tool, (tool[chain[0]] if chain and chain[0] in tool.objectIds() else None)


def state_title(obj):
    tool, workflow = workflow_of(obj)
    state = api.content.get_state(obj, default=None)
    if workflow is not None and state in workflow.states.objectIds():
        return workflow.states[state].title
    return state or ""


def preview_cache():
    """Where page images are kept: HDND_PREVIEW_CACHE, else var/previews of
    the instance, else the system's temporary folder."""
    folder = os.environ.get("HDND_PREVIEW_CACHE")
    if not folder:
        from App.config import getConfiguration

        home = getattr(getConfiguration(), "clienthome", None)
        folder = os.path.join(home, "previews") if home else os.path.join(tempfile.gettempdir(), "hdnd-previews")
    os.makedirs(folder, exist_ok=True)
    return folder


def file_version(value):
    """A key naming one version of a NamedBlobFile: its blob's oid and serial."""
    version = office_previews.version_of(value)  # (a ghost blob's serial is loaded first)
    if version:
        return version
    import hashlib

    return "sha-" + hashlib.sha256(value.data).hexdigest()[:40]


preview_fields = office_previews.fields_of  # the file fields previewed, in order (one rule)


class WorkPanel:
    """The work page's parts, for any view of an item (a mixin)."""

    work_template = ViewPageTemplateFile("templates/workpanel.pt")
    show_lists = True  # the dossier lists its slips and tasks itself

    @property
    def work(self):
        return self.work_template.macros

    @property
    def people(self):
        if not hasattr(self, "_people"):
            self._people = People()
        return self._people

    # -- header

    def item_marks(self):
        return marks_html(self.context, self.request)

    def item_state(self):
        return state_title(self.context)

    def kind_title(self):
        context = self.context
        if IOfficialDocument.providedBy(context):
            return {"incoming": _("kind_one_incoming", default="Incoming document"),
                    "outgoing": _("kind_one_outgoing", default="Outgoing document")}.get(
                context.direction, _("kind_one_internal", default="Internal document"))
        fti = api.portal.get_tool("portal_types").getTypeInfo(context)
        return fti.Title() if fti is not None else context.portal_type

    def facts(self):
        """The header's facts: (label, value) with a value."""
        c = self.context
        found = []

        def add(name, label, value):
            if value not in (None, "", [], ()):
                found.append({"name": name, "label": label, "value": value})

        add("symbol", _("label_symbol", default="Number and symbol"), getattr(c, "symbol", None))
        add("arrival_number", _("label_arrival_number", default="Arrival number"), getattr(c, "arrival_number", None))
        add("issue_date", _("label_issue_date", default="Date of issue"), formats.day(getattr(c, "issue_date", None)))
        add("arrival_date", _("label_arrival_date", default="Arrival date"),
            formats.day(getattr(c, "arrival_date", None)))
        add("due_date", _("label_due_date", default="Reply due"), formats.day(getattr(c, "due_date", None)))
        add("deadline", _("label_deadline", default="Deadline"), formats.day(getattr(c, "deadline", None)))
        add("start", _("label_start", default="Starts"), formats.moment(getattr(c, "start", None)))
        add("end", _("label_end", default="Ends"), formats.moment(getattr(c, "end", None)))
        add("opens", _("label_opens", default="Opens"), formats.moment(getattr(c, "opens", None)))
        add("closes", _("label_closes", default="Closes"), formats.moment(getattr(c, "closes", None)))
        add("reply_deadline", _("label_reply_deadline", default="Reply by"),
            formats.moment(getattr(c, "reply_deadline", None)))
        return found

    # -- actions

    def actions(self):
        """The buttons: hdnd's own first (the usual next thing), then the
        workflow's steps offered to this person now."""
        context = aq_inner(self.context)
        url = context.absolute_url()
        found = []
        if replies.is_incoming(context):
            if replies.can_forward(context):
                existing = replies.slips(context)
                href = existing[-1].absolute_url() if existing else f"{url}/@@hdnd-forward"
                found.append({"id": "forward", "title": FORWARD, "href": href, "method": "get",
                              "primary": False})
            if replies.can_reply(context):
                found.append({"id": "reply", "title": REPLY, "href": f"{url}/@@hdnd-reply", "method": "post",
                              "primary": False})
        tool, workflow = workflow_of(context)
        for transition in tool.getTransitionsFor(context) if workflow is not None else ():
            step = transition["id"]
            title = transition.get("title") or transition.get("name") or step
            if step in CONFIRM:
                found.append({"id": step, "title": title, "href": f"{url}/@@hdnd-step?transition={step}",
                              "method": "get", "confirm": True, "primary": True})
            else:
                found.append({"id": step, "title": title, "href": f"{url}/@@hdnd-step", "method": "post",
                              "transition": step, "primary": True})
        if IBallot.providedBy(context) and self._can_vote():
            found.append({"id": "vote", "title": VOTE, "href": "#hdnd-vote", "method": "get", "primary": True})
        if (IOfficialDocument.providedBy(context) or IDossier.providedBy(context)) and \
                api.user.has_permission("hdnd: Add Task", obj=context) and \
                "Task" in [t.getId() for t in context.allowedContentTypes()]:
            found.append({"id": "add-task", "title": ADD_TASK, "href": f"{url}/++add++Task", "method": "get",
                          "primary": False})
        if api.user.has_permission("Modify portal content", obj=context):
            found.append({"id": "edit", "title": EDIT, "href": f"{url}/edit", "method": "get", "primary": False})
        return found

    def _can_vote(self):
        from hdnd.content import voting

        return voting.may_vote(self.context)

    def pages_word(self):
        return translate(_("label_file_pages", default="Pages of the file"), context=self.request)

    def page_word(self):
        return translate(_("label_page", default="page"), context=self.request)

    def authenticator(self):
        return self.context.restrictedTraverse("@@authenticator").token()

    # -- files

    def files(self):
        """The files to preview: the document's own (signed PDF first), then
        its attachments the person may see. Each with its pages' image URLs."""
        context = self.context
        found = []
        for name in preview_fields(context):
            value = getattr(context, name, None)
            if value is not None and getattr(value, "size", 0):
                found.append(self._file(context, name, value))
        for child in context.objectValues() if hasattr(context, "objectValues") else ():
            if IFile.providedBy(child) and visible(child):
                value = getattr(child, "file", None)
                if value is not None and getattr(value, "size", 0):
                    found.append(self._file(child, "file", value))
        return found

    def _file(self, owner, name, value):
        base = owner.absolute_url()
        what = previews.kind(value.contentType, value.filename)
        entry = {"field": name, "filename": value.filename or name, "size": value.size, "kind": what,
                 "download": f"{base}/@@download/{name}", "pages": [], "more": 0, "error": None,
                 "signed": name == "signed_file", "preparing": False}
        if what in ("pdf", "office"):
            if what == "office":
                # Converted by the preview worker, never here (hdnd.content.previews):
                # until its PDF is made of this very file, the page says so.
                made, _pdf, count = office_previews.status(owner, name)
                if made != "ready":
                    entry["preparing"] = made == "preparing"
                    entry["error"] = "failed" if made == "failed" else None
                    return entry
            else:
                try:
                    pdf = previews.pdf_of(preview_cache(), file_version(value), lambda: value.data,
                                          value.contentType, value.filename)
                    count = previews.page_count(pdf)
                except previews.PreviewError as error:
                    entry["error"] = str(error)
                    return entry
            shown = min(count, previews.MAX_PAGES)
            entry["pages"] = [f"{base}/@@hdnd-preview?field={name}&page={n}" for n in range(1, shown + 1)]
            entry["more"] = count - shown
        elif what == "image":
            entry["pages"] = [f"{base}/@@download/{name}"]
        return entry

    # -- fields

    def field_groups(self):
        context = self.context
        by_group = {}
        for schema in iterSchemata(context):
            for name, field in getFieldsInOrder(schema):
                if name in HEADER or name in ELSEWHERE:
                    continue
                value = getattr(context, name, None)
                if callable(value):
                    continue
                shown = self.show(field, value)
                if not shown:
                    continue
                group = next((g for g, _t, names in GROUPS if name in names), OTHER[0])
                by_group.setdefault(group, [])
                if name not in [f["name"] for f in by_group[group]]:
                    by_group[group].append({"name": name, "label": field.title, "value": shown})
        groups = [(g, title) for g, title, _n in GROUPS] + [OTHER]
        return [{"id": g, "title": title, "fields": by_group[g]} for g, title in groups if by_group.get(g)]

    def show(self, field, value):
        """The text of a field's value, "" when it has none."""
        if value is None or value == "" or value == [] or value == () or value == set():
            return ""
        if IBool.providedBy(field):
            return translate(_("yes", default="Yes") if value else _("no", default="No"), context=self.request) \
                if value else ""
        if IDatetime.providedBy(field):
            return formats.moment(value)
        if IDate.providedBy(field):
            return formats.day(value)
        if ICollection.providedBy(field):
            items = [self._term(field.value_type, v) for v in value]
            return ", ".join(i for i in items if i)
        if IChoice.providedBy(field):
            return self._term(field, value)
        if hasattr(value, "to_object"):
            return ""
        if hasattr(value, "output"):  # rich text
            return value.output
        return str(value)

    def _term(self, field, value):
        if value in (None, ""):
            return ""
        name = getattr(field, "vocabularyName", None)
        if name in ("plone.app.vocabularies.Users", "plone.app.vocabularies.Principals"):
            return self.people(value)
        if name:
            cache = self.__dict__.setdefault("_vocabularies", {})
            if name not in cache:
                factory = queryUtility(IVocabularyFactory, name)
                try:
                    cache[name] = {t.value: t.title or t.token for t in factory(self.context)} if factory else {}
                except Exception:  # a source that cannot be listed: show the value
                    cache[name] = {}
            title = cache[name].get(value, value)
            return translate(title, context=self.request) if title is not None else str(value)
        if getattr(field, "vocabulary", None) is not None:
            try:
                return translate(field.vocabulary.getTerm(value).title or str(value), context=self.request)
            except LookupError:
                return str(value)
        return str(value)

    # -- related items

    def slips(self):
        if not hasattr(self.context, "objectValues"):
            return []
        units = dict(registry_pairs("units"))
        return [{"item": s, "lead_unit": units.get(s.lead_unit, s.lead_unit or ""),
                 "cooperating": ", ".join(units.get(u, u) for u in (getattr(s, "cooperating_units", None) or ())),
                 "deadline": formats.day(getattr(s, "deadline", None)),
                 "assignees": ", ".join(self.people(a) for a in (getattr(s, "assignees", None) or ())),
                 "instruction": getattr(s, "instruction", None) or ""}
                for s in self.context.objectValues() if IProcessingSlip.providedBy(s) and visible(s)]

    def tasks(self):
        if not hasattr(self.context, "objectValues"):
            return []
        from hdnd.content.core.officetime import today

        now = today()
        found = []
        for task in self.context.objectValues():
            if not ITask.providedBy(task) or not visible(task):
                continue
            deadline = getattr(task, "deadline", None)
            found.append({"item": task, "assignee": self.people(getattr(task, "assignee", None)),
                          "deadline": formats.day(deadline), "state": state_title(task),
                          "overdue": bool(deadline and deadline < now and not getattr(task, "completed_on", None))})
        found.sort(key=lambda t: (t["item"].deadline is None, t["item"].deadline or now))
        return found

    def related(self):
        """Documents linked to this one: it replies to, replies, replaces,
        is replaced by, its dossier, the conclusion notice."""
        c = self.context
        found = []

        def add(label, obj):
            if visible(obj):
                found.append({"label": label, "kind": str(label), "item": obj, "state": state_title(obj),
                              "symbol": getattr(obj, "symbol", None) or ""})

        for name, label in (("in_reply_to", _("label_in_reply_to", default="In reply to")),
                            ("conclusion_notice", _("label_conclusion_notice", default="Conclusion notice")),
                            ("dossier", _("label_dossier", default="Dossier"))):
            relation = getattr(c, name, None)
            if relation is not None and hasattr(relation, "to_object"):
                add(label, relation.to_object)
        for relation in getattr(c, "replaces", None) or ():
            add(_("label_replaces", default="Replaces"), relation.to_object)
        if IOfficialDocument.providedBy(c):
            for doc in c.replies():
                add(_("label_replied_by", default="Answered by"), doc)
            for doc in c.replacing_documents():
                add(_("label_replaced_by", default="Replaced by"), doc)
        return found

    # -- history

    def history(self):
        """The item's workflow steps, latest first: who, when, what, comment."""
        tool, workflow = workflow_of(self.context)
        if workflow is None:
            return []
        entries = (getattr(self.context, "workflow_history", None) or {}).get(workflow.getId(), ())
        transitions, states = workflow.transitions, workflow.states
        found = []
        for entry in reversed(entries[-HISTORY_LENGTH:]):
            action, state = entry.get("action"), entry.get("review_state")
            when = entry.get("time")
            found.append({
                "when": formats.moment(when),
                "iso": when.ISO8601() if isinstance(when, DateTime) else "",
                "who": self.people(entry.get("actor")),
                "action": transitions[action].title if action and action in transitions.objectIds()
                else (_("history_created", default="Created") if not action else action),
                "state": states[state].title if state in states.objectIds() else state or "",
                "comment": entry.get("comments") or "",
            })
        return found


def _quote(text):
    from urllib.parse import quote

    return quote(text)


class WorkPage(BrowserView, WorkPanel):
    """The work page of a document, task or opinion request."""


class StepView(BrowserView, WorkPanel):
    """``@@hdnd-step``: take a workflow step. A step that commits the office
    shows a confirmation page first (GET, or a POST without ``confirmed``):
    what is being done to what, the file, and a comment; the POST from it
    takes the step with the comment, kept in the workflow history."""

    confirm_template = ViewPageTemplateFile("templates/step_confirm.pt")

    def __call__(self):
        form = self.request.form
        self.transition = form.get("transition")
        if not isinstance(self.transition, str):
            raise BadRequest("transition: which step to take")
        offered = self.offered()
        context_url = self.context.absolute_url()
        if self.transition not in offered:
            api.portal.show_message(
                _("msg_step_not_offered", default="This step is not possible for you now."),
                request=self.request, type="error")
            return self.request.response.redirect(context_url)
        self.step_title = offered[self.transition]
        comment = form.get("comment", "")
        if not isinstance(comment, str) or len(comment) > COMMENT_MAX:
            raise BadRequest(f"comment: at most {COMMENT_MAX} characters")
        if self.request.method != "POST" or (self.transition in CONFIRM and not form.get("confirmed")):
            return self.confirm_template()
        CheckAuthenticator(self.request)
        tool = api.portal.get_tool("portal_workflow")
        try:
            tool.doActionFor(self.context, self.transition, comment=comment.strip())
        except WorkflowException as refusal:
            transaction.doom()
            reason = str(refusal).removeprefix(f"{self.transition}: ")
            api.portal.show_message(reason, request=self.request, type="error")
            return self.request.response.redirect(context_url)
        api.portal.show_message(
            _("msg_step_taken", default="Done: ${step}.", mapping={"step": self.step_title}), request=self.request)
        target = context_url if visible(self.context) else api.portal.get().absolute_url() + "/@@hdnd-inbox"
        return self.request.response.redirect(target)

    def offered(self):
        tool = api.portal.get_tool("portal_workflow")
        return {t["id"]: t.get("title") or t.get("name") or t["id"] for t in tool.getTransitionsFor(self.context)}

    def needs_confirmation(self):
        return self.transition in CONFIRM


class ReplyView(BrowserView):
    """``@@hdnd-reply`` (POST, from the incoming document's page): draft the
    reply and open it."""

    def __call__(self):
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        CheckAuthenticator(self.request)
        try:
            draft = replies.draft_reply(self.context)
        except replies.ReplyError as error:
            api.portal.show_message(str(error), request=self.request, type="error")
            return self.request.response.redirect(self.context.absolute_url())
        api.portal.show_message(
            _("msg_reply_drafted", default="The draft reply is created: complete it, attach its file and submit it."),
            request=self.request)
        return self.request.response.redirect(draft.absolute_url())


class ForwardView(BrowserView, WorkPanel):
    """``@@hdnd-forward``: Chuyển xử lý — the processing slip of an incoming
    document on one page (lead unit, co-operating units, deadline, the
    office's proposal, the instruction); saved through hdnd.content.replies,
    as ``@hdnd-forward`` does. A refused field is shown on the form."""

    form_template = ViewPageTemplateFile("templates/forward.pt")
    error = None

    def __call__(self):
        if not replies.can_forward(self.context):
            api.portal.show_message(_("msg_cannot_forward", default="You cannot forward this document now."),
                                    request=self.request, type="error")
            return self.request.response.redirect(self.context.absolute_url())
        existing = replies.slips(self.context)
        if existing and self.request.method != "POST":
            return self.request.response.redirect(existing[-1].absolute_url())
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            form = self.request.form
            cooperating = form.get("cooperating_units") or []
            try:
                replies.forward(
                    self.context, lead_unit=form.get("lead_unit") or None,
                    cooperating_units=[cooperating] if isinstance(cooperating, str) else list(cooperating),
                    deadline=form.get("deadline") or None, proposal=form.get("proposal", ""),
                    instruction=form.get("instruction", ""), title=form.get("title") or None)
            except replies.ReplyError as error:
                self.error = error
                transaction.doom()
                return self.form_template()
            api.portal.show_message(_("msg_forwarded", default="The processing slip is written."),
                                    request=self.request)
            return self.request.response.redirect(self.context.absolute_url())
        return self.form_template()

    def slip_title(self):
        return self.request.form.get("title") or f"Phiếu xử lý {self.context.symbol or self.context.title}"[:300]

    def unit_options(self):
        return [{"value": code, "title": title} for code, title in registry_pairs("units")]

    def value(self, name):
        return self.request.form.get(name, "")

    def chosen(self, name, code):
        value = self.request.form.get(name) or []
        return code in ([value] if isinstance(value, str) else value)


class PreviewView(BrowserView):
    """``@@hdnd-preview?field=file&page=2``: one page of a file as PNG, for
    whoever may see the item (a hidden item answers as a missing one, at
    traversal). Cached per file version."""

    def __call__(self):
        name = self.request.form.get("field", "file")
        if name not in preview_fields(self.context):
            raise NotFound(self.context, name, self.request)
        value = getattr(self.context, name, None)
        if value is None or not getattr(value, "size", 0):
            raise NotFound(self.context, name, self.request)
        try:
            page = int(self.request.form.get("page", 1))
        except (TypeError, ValueError):
            raise BadRequest("page: a page number such as 1") from None
        what = previews.kind(value.contentType, value.filename)
        if what == "office":
            # The PDF the preview worker made of this version of the file;
            # none yet (or failed): no page to show.
            made, value, _count = office_previews.status(self.context, name)
            if made != "ready":
                raise NotFound(self.context, name, self.request)
        elif what != "pdf":
            raise NotFound(self.context, name, self.request)
        try:
            pdf = previews.pdf_of(preview_cache(), file_version(value), lambda: value.data,
                                  previews.PDF, "preview.pdf")
            png = previews.page_png(pdf, page)
        except IndexError:
            raise NotFound(self.context, f"page {page}", self.request) from None
        except previews.PreviewError:
            raise NotFound(self.context, name, self.request) from None
        response = self.request.response
        response.setHeader("Content-Type", "image/png")
        # The person's own copy only: a classified page never sits in a shared cache.
        response.setHeader("Cache-Control", "private, max-age=3600")
        return png.read_bytes()
