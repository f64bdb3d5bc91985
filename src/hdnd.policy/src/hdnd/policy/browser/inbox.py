"""Each person's inbox (``@@hdnd-inbox``): what waits for them now — the
rows of ``waiting`` (hdnd.content.dashboard, the REST ``@hdnd-dashboard``'s
``waiting``), sorted by deadline, filtered by kind, unit, urgency and
overdue, a page at a time. It is where a person lands after signing in
(:class:`RedirectToInbox`), and its navigation tab carries the count
(:class:`GlobalSectionsViewlet`)."""

from hdnd.content.core.levels import URGENCY
from hdnd.content.dashboard import KINDS
from hdnd.content.dashboard import waiting
from hdnd.content.dashboard import waiting_filters
from hdnd.content.i18n import _
from hdnd.content.viewing import catalog_state
from hdnd.content.viewing import seen_as
from hdnd.content.vocabularies import registry_pairs
from hdnd.content.core import formats
from hdnd.policy.browser.marks import marks_html
from hdnd.policy.interfaces import IHdndPolicyLayer
from html import escape
from plone import api
from plone.app.layout.viewlets.common import GlobalSectionsViewlet as PloneGlobalSections
from plone.base import PloneMessageFactory
from plone.base.interfaces import IRedirectAfterLogin
from plone.batching import Batch
from plone.memoize import ram
from Products.Five.browser import BrowserView
from Products.statusmessages.interfaces import IStatusMessage
from types import SimpleNamespace
from urllib.parse import urlsplit
from zope.component import adapter
from zope.component import getUtility
from zope.i18n import translate
from zope.interface import implementer
from zope.interface import Interface
from zope.schema.interfaces import IVocabularyFactory

import time


PAGE_SIZE = 20
TAB_ID = "hdnd-inbox"
COUNT_KEY = "hdnd.waiting_count"
COUNT_SECONDS = 60  # the tab's count is kept this long (or until the catalog changes)

WELCOME = PloneMessageFactory("you_are_now_logged_in", default="Welcome! You are now logged in.")
KIND_TITLES = {
    "incoming": _("kind_incoming", default="Incoming documents"),
    "outgoing": _("kind_outgoing", default="Outgoing documents"),
    "dossier": _("kind_dossier", default="Dossiers"),
    "task": _("kind_task", default="Tasks"),
    "meeting": _("kind_meeting", default="Meetings"),
    "ballot": _("kind_ballot", default="Ballots"),
    "consultation": _("kind_consultation", default="Written consultations"),
    "records": _("kind_records", default="Records management"),
}


class InboxView(BrowserView):
    def __call__(self):
        form = self.request.form
        self.filters = waiting_filters(form)
        self.rows = waiting(**self.filters)
        try:
            start = max(0, int(form.get("b_start", 0)))
        except (TypeError, ValueError):
            start = 0
        self.batch = Batch(self.rows, PAGE_SIZE, start)
        if not self.filtered():
            self.request.set(COUNT_KEY, len(self.rows))  # the tab's count: no second look
        return self.index()

    def kinds(self):
        return [{"id": kind, "title": KIND_TITLES[kind]} for kind in KINDS]

    def units(self):
        return [{"id": code, "title": title} for code, title in registry_pairs("units")]

    def urgencies(self):
        titles = {term.value: term.title
                  for term in getUtility(IVocabularyFactory, "hdnd.vocabularies.Urgency")(None)}
        return [{"id": level, "title": titles.get(level, level)} for level in URGENCY if level != "normal"]

    def unit_title(self, code):
        return dict(registry_pairs("units")).get(code, code)

    def kind_title(self, kind):
        return KIND_TITLES.get(kind, kind)

    def marks(self, item):
        return marks_html(SimpleNamespace(**item), self.request)

    def day(self, value):
        return formats.day(value)

    def moment(self, value):
        return formats.moment(value)

    def filtered(self):
        return any(self.filters.values())

    def reset_url(self):
        return f"{self.context.absolute_url()}/@@hdnd-inbox"


def _count_key(func, userid):
    # Who sees (id, roles, groups, clearance) and the catalog's state, as the
    # dashboard's kept figures: a group joined is counted at once, and a count
    # reached again after a rollback is not taken for the one before it.
    state = catalog_state()
    if state is None:
        raise ram.DontCache
    return (seen_as(), state, int(time.time() // COUNT_SECONDS))


@ram.cache(_count_key)
def waiting_count(userid):
    return len(waiting())


class GlobalSectionsViewlet(PloneGlobalSections):
    """Plone's navigation with the number of waiting items on the inbox tab."""

    def customize_tab(self, entry, tab):
        if tab.get("id") != TAB_ID or api.user.is_anonymous():
            return
        count = self.request.get(COUNT_KEY)
        if count is None:
            count = waiting_count(api.user.get_current().getId())
        label = translate(_("label_waiting_count", default="${count} waiting", mapping={"count": count}),
                          context=self.request)
        entry["title"] += (f' <span class="badge rounded-pill text-bg-danger hdnd-inbox-count" title="{escape(label)}">'
                           f'{count}<span class="visually-hidden"> — {escape(label)}</span></span>')


@implementer(IRedirectAfterLogin)
@adapter(Interface, IHdndPolicyLayer)
class RedirectToInbox:
    """After signing in, a person lands on their inbox — unless the login
    came from a page of the site they asked for (``came_from``), which
    they get. Plone's "Welcome! You are now logged in." (English: Plone's
    Vietnamese catalog has no translation) is left out either way."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, came_from=None, is_initial_login=False):
        welcome = {WELCOME.default, translate(WELCOME, context=self.request)}
        messages = IStatusMessage(self.request)
        kept = [m for m in messages.show() if m.message not in welcome]
        for message in kept:
            messages.add(message.message, message.type)
        home = api.portal.get().absolute_url()
        if came_from and urlsplit(came_from).path.rstrip("/") not in ("", urlsplit(home).path.rstrip("/")):
            return came_from
        return f"{home}/@@hdnd-inbox"

