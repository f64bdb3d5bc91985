"""The registry desk (``@@hdnd-registry-desk``, bàn văn thư): one form that
records an incoming document in *Văn bản* and registers it (arrival number)
in one POST with the form's CSRF token, through the same code as REST:
the type's schema and invariants (duplicate rule), the workflow's
"register" transition (which draws the number), the creator's clearance.

Nothing is half-created: the form is checked before anything is written,
and an error after that aborts the whole transaction.
"""

from datetime import date
from hdnd.content.clearance import get_clearance
from hdnd.content.core.levels import rank
from hdnd.content.i18n import _
from hdnd.content.numbers import holder
from hdnd.content.numbers import in_secret_register
from hdnd.content.numbers.identity import identity_key
from hdnd.content.numbers.identity import parse
from hdnd.content.transitions import documents as steps
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser.marks import MarksMixin
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from types import SimpleNamespace
from zExceptions import Unauthorized
from zope.component import getUtility
from zope.i18n import translate
from zope.interface import Invalid
from zope.schema import ValidationError
from zope.schema.interfaces import IVocabularyFactory

import transaction


SECTION = "van-ban"
TEXT_FIELDS = ("symbol", "issuing_body", "title", "document_type", "urgency", "classification", "channel")
DATE_FIELDS = ("issue_date", "arrival_date", "due_date")
REQUIRED = ("symbol", "issuing_body", "issue_date", "title")


def may_register(section):
    """Whether the current user may add documents in `section` and take
    the register step (the registry clerks; administrators)."""
    if not api.user.has_permission("hdnd: Add OfficialDocument", obj=section):
        return False
    roles = api.user.get_roles(obj=section)
    return any(r in roles for r in ("RegistryClerk", "Manager", "Site Administrator"))


class RegistryDeskView(BrowserView, MarksMixin):
    def __call__(self):
        self.section = api.portal.get()[SECTION]
        if not may_register(self.section):
            raise Unauthorized("The registry desk is for the registry clerks.")
        self.errors = {}
        self.duplicate = None
        self.values = {"urgency": "normal", "classification": "none", "arrival_date": date.today().isoformat()}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            document = self.submit()
            if document is not None:
                self.request.response.redirect(
                    f"{self.context.absolute_url()}/@@hdnd-registry-desk?registered={document.UID()}"
                )
                return ""
        return self.index()

    # The form

    def choices(self, name):
        vocabulary = {
            "document_type": "DocumentTypes", "urgency": "Urgency",
            "classification": "Classification", "channel": "Channel",
        }[name]
        factory = getUtility(IVocabularyFactory, f"hdnd.vocabularies.{vocabulary}")
        return [{"value": t.value, "title": t.title} for t in factory(self.context)]

    def issuers(self):
        return [title for _token, title in registry_pairs("issuers")]

    def error(self, name):
        message = self.errors.get(name)
        return translate(message, context=self.request) if message is not None else None

    def submit(self):
        """Check the form, then create and register in this transaction.
        The document, or None with ``self.errors`` filled."""
        form = self.request.form
        data = {name: (form.get(name) or "").strip() or None for name in TEXT_FIELDS}
        self.values.update({k: v for k, v in data.items() if v is not None})
        for name in DATE_FIELDS:
            text = (form.get(name) or "").strip()
            self.values[name] = text
            try:
                data[name] = date.fromisoformat(text) if text else None
            except ValueError:
                self.errors[name] = _("error_date_format", default="Give a date as YYYY-MM-DD.")
        text = (form.get("page_count") or "").strip()
        self.values["page_count"] = text
        data["page_count"] = None
        if text:
            try:
                data["page_count"] = int(text)
            except ValueError:
                self.errors["page_count"] = _("error_whole_number", default="Give a whole number.")
        for name in REQUIRED:
            if data.get(name) is None and name not in self.errors:
                self.errors[name] = _("error_required", default="Required.")
        data["urgency"] = data["urgency"] or "normal"
        data["classification"] = data["classification"] or "none"
        self.check_fields(data)
        if not self.errors:
            self.check_rules(data)
        if self.errors:
            return None
        upload = form.get("file")
        if upload and getattr(upload, "filename", None):
            data["file"] = NamedBlobFile(data=upload.read(), filename=upload.filename)
        try:
            return self.create(data)
        except Exception as error:  # noqa: B902 - whatever refused it, nothing stays
            transaction.abort()
            self.place(str(error.args[0] if getattr(error, "args", None) else error))
            return None

    def place(self, message):
        """Show a refusal ("symbol: ...") next to the field it names, else above the form."""
        field, _sep, text = message.partition(":")
        if field in DATE_FIELDS or field in TEXT_FIELDS or field == "page_count":
            self.errors[field] = text.strip()
        else:
            self.errors["form"] = message

    def check_fields(self, data):
        """Each field by the type's own schema (lengths, vocabularies, symbol)."""
        for name, value in data.items():
            if value is None or name in self.errors or name not in IOfficialDocument:
                continue
            field = IOfficialDocument[name].bind(self.section)
            try:
                field.validate(value)
            except ValidationError as error:
                self.errors[name] = error.doc()

    def check_rules(self, data):
        """The type's invariants (duplicate, symbol needs its date), and the
        creator's clearance, before anything is written."""
        if rank(get_clearance(api.user.get_current().getId())) < rank(data["classification"]):
            self.errors["classification"] = _(
                "error_classified_above_clearance",
                default="classification: your clearance does not open ${level} items, so you cannot create one.",
                mapping={"level": data["classification"]},
            )
            return
        candidate = SimpleNamespace(direction="incoming", __context__=None, replaces=None, **data)
        problems = []
        try:
            IOfficialDocument.validateInvariants(candidate, problems)
        except Invalid:
            pass  # each one is in `problems`
        for problem in problems:
            self.place(str(problem.args[0]) if isinstance(problem, Invalid) and problem.args else str(problem))
        if "symbol" in self.errors:
            other = holder(identity_key(data["symbol"], data["issue_date"], rank(data["classification"]) > 0))
            if other is not None and api.user.has_permission("View", obj=other):
                self.duplicate = {"title": other.Title(), "url": other.absolute_url(),
                                  "arrival_number": f"{other.arrival_number or 0:02d}", "symbol": other.symbol}

    def create(self, data):
        family = parse(data["symbol"]).family
        day = data.pop("arrival_date") or date.today()
        fields = {k: v for k, v in data.items() if v is not None}
        document = api.content.create(
            container=self.section, type="OfficialDocument", direction="incoming", family=family, **fields
        )
        steps.register(document, day)
        return document

    # What it shows

    def registered(self):
        """The document just registered (after the redirect), if the user sees it.

        Looked up in the catalog as the user: a uid the user may not see
        answers exactly as one that does not exist (the plain desk), never
        a redirect to the login form that would say it exists.
        """
        uid = self.request.form.get("registered")
        if not uid or not isinstance(uid, str):
            return None
        brains = api.portal.get_tool("portal_catalog")(UID=uid, portal_type="OfficialDocument")
        document = brains[0].getObject() if len(brains) == 1 else None
        if document is None or not document.arrival_number:
            return None
        return {"title": document.Title(), "url": document.absolute_url(), "symbol": document.symbol,
                "number": f"{document.arrival_number:02d}", "arrival_date": document.arrival_date,
                "secret_register": in_secret_register(document), "item": document}

    def today(self):
        """Documents registered today, the last first (as the user may see them)."""
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(portal_type="OfficialDocument", direction="incoming", arrival_date=date.today(),
                         sort_on="arrival_number", sort_order="descending")
        return [b for b in brains if b.arrival_number][:20]

    def in_secret_register(self, brain):
        """Whether the arrival number is one of the register for secret
        documents (two series: the same number may appear in both)."""
        return in_secret_register(brain.getObject())


class DesksView(BrowserView):
    """``@@hdnd-desks``, for the site's tabs: which desks the signed-in
    person uses (an action's expression may not look into sections it
    cannot see; this asks as the desks themselves do)."""

    def registry(self):
        section = api.portal.get().get(SECTION)
        return section is not None and may_register(section)

    def records(self):
        from hdnd.policy.browser.boards import may_keep_records

        return may_keep_records()
