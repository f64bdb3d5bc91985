"""The office's face on every page (issue 20): a skip link, Plone's toolbar
toggle given a role, and the widgets whose controls Plone leaves unnamed
(templates/widgets). Styles: static/theme.css."""

from hdnd.content.core import formats
from hdnd.content.i18n import _
from html import escape
from plone import api
from plone.app.contenttypes.browser import folder
from plone.app.contenttypes.browser.folder import FolderView
from plone.app.layout.viewlets.common import ViewletBase
from plone.app.layout.viewlets.toolbar import ToolbarViewletManager
from plone.app.viewletmanager.manager import BaseOrderedViewletManager
from plone.app.contentlisting.contentlisting import ContentListing
from z3c.form.converter import IntegerDataConverter
from z3c.form.interfaces import ITextWidget
from zope.component import adapter
from zope.globalrequest import getRequest
from zope.i18n import translate
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18nmessageid import Message
from zope.schema.interfaces import IInt

import os


class SkipLinkViewlet(ViewletBase):
    """The first thing a keyboard reaches: a link to the page's content."""

    def index(self):
        label = translate(_("label_skip_to_content", default="Skip to main content"), context=self.request)
        return f'<a class="hdnd-skip-link" href="#content">{escape(label)}</a>'


class Toolbar(ToolbarViewletManager):
    """Plone's toolbar, whose pin/unpin links carry an aria-label without a
    role (axe: aria-prohibited-attr, serious): they act as buttons, so they
    get role="button" and a tab stop. The rest is Plone's own rendering."""

    def render(self):
        html = super().render()
        for css in ("toolbar-collapse", "toolbar-expand"):
            html = html.replace(f'<a class="{css}"', f'<a class="{css}" role="button" tabindex="0"', 1)
        return html


class HeadLinks(BaseOrderedViewletManager):
    """The head's links (plone.htmlhead.links), with hdnd's styles last:
    after Plone's resource registry's, Barceloneta's theme among them, so
    that where a rule of hdnd's and one of Plone's are as specific, hdnd's
    wins by coming later, as CSS means it to. Plone orders this manager by
    a stored order it does not keep for it, then by viewlet name, which put
    hdnd.desk-styles first. The rest keeps Plone's order."""

    LAST = ("hdnd.desk-styles",)

    def sort(self, viewlets):
        ordered = super().sort(viewlets)
        return [v for v in ordered if v[0] not in self.LAST] + [v for v in ordered if v[0] in self.LAST]


class _TypedItem:
    """A listing's item whose PortalType() is a message in its type's
    domain: Plone's listing templates write it as the link's title (and
    derive CSS classes from it, which a message, being the same string,
    leaves as they were): the page names "Hồ sơ công việc", not "Dossier"."""

    def __init__(self, item, titles):
        self._item = item
        self._titles = titles

    def __getattr__(self, name):
        return getattr(self._item, name)

    def PortalType(self):
        portal_type = self._item.PortalType()
        return self._titles.get(portal_type, portal_type)


class _TypedListing(ContentListing):
    def __init__(self, sequence, titles):
        super().__init__(sequence)
        self._titles = titles

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _TypedListing(self._basesequence[index], self._titles)
        return _TypedItem(super().__getitem__(index), self._titles)

    def __iter__(self):
        for item in super().__iter__():
            yield _TypedItem(item, self._titles)


def type_messages():
    """{type id: a message that is the type's id as a string and its title,
    translated, where shown}. The string stays the id because Plone's
    templates derive CSS classes from it and compare it with type ids; a type
    whose title is not its id ("Official document" for OfficialDocument, which
    the office's listings named "OfficialDocument") is shown by its title in
    the reader's language, the message's default."""
    messages = {}
    request = getRequest()
    for fti in api.portal.get_tool("portal_types").objectValues():
        domain = getattr(fti, "i18n_domain", None) or "plone"
        if fti.title == fti.getId():
            messages[fti.getId()] = Message(fti.getId(), domain=domain)
        elif fti.title:
            title = translate(Message(fti.title, domain=domain), context=request)
            messages[fti.getId()] = Message(fti.getId(), domain=domain, default=title)
    return messages


class TypedResults:
    """For Plone's folder views: results whose items name their type in the reader's language."""

    def results(self, **kwargs):
        found = super().results(**kwargs)
        return _TypedListing(getattr(found, "_basesequence", found), type_messages())


class TabularListing(TypedResults, FolderView):
    """Plone's tabular folder view, the type named in the reader's language."""

    index = ViewPageTemplateFile(os.path.join(os.path.dirname(folder.__file__), "templates", "listing_tabular.pt"))

    def __call__(self):
        return self.index()


@adapter(IInt, ITextWidget)
class YearDataConverter(IntegerDataConverter):
    """A year in a form reads 2026, not the locale's "2.026" (issue 20: one
    format, core.formats.year). Other whole numbers keep z3c.form's format."""

    def toWidgetValue(self, value):
        if "year" in (getattr(self.field, "__name__", "") or "") and value != self.field.missing_value:
            return formats.year(value)
        return super().toWidgetValue(value)

    def toFieldValue(self, value):
        if "year" in (getattr(self.field, "__name__", "") or "") and isinstance(value, str):
            value = value.replace(".", "").replace(",", "").strip()  # "2.026" typed as shown before
        return super().toFieldValue(value)
