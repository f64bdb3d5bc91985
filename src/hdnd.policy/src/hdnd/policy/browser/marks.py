"""Classification (độ mật) and urgency (độ khẩn) marks: one place renders
them, as small badges that carry their text (never colour alone), for an
item, a catalog brain or a dict with ``classification`` and ``urgency``.

Every hdnd listing calls :func:`marks_html` (or a view's ``marks``); the
viewlet shows them under the title of every item that has the fields.
"""

from Acquisition import aq_base
from Acquisition import aq_chain
from Acquisition import aq_inner
from hdnd.content.core.levels import rank
from hdnd.content.core.levels import URGENCY
from hdnd.content.i18n import _
from hdnd.content.security import effective_classification
from html import escape
from plone.app.layout.viewlets.common import ViewletBase
from plone.dexterity.interfaces import IDexterityContent
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import getUtility
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory


def _titles(name):
    factory = getUtility(IVocabularyFactory, f"hdnd.vocabularies.{name}")
    return {term.value: term.title for term in factory(None)}


def _value(item, name):
    if isinstance(item, dict):
        return item.get(name)
    if IDexterityContent.providedBy(item):
        # What an item lacks it takes from its containers (a directive's task
        # shows the directive's urgency), as acquisition gives it — looked up
        # here up to the site, not in it: the site root's own lookup of a name
        # it lacks was most of a board's time spent on marks.
        for obj in aq_chain(aq_inner(item)):
            if ISiteRoot.providedBy(obj):
                return None
            if hasattr(aq_base(obj), name):
                value = getattr(aq_base(obj), name, None)
                return None if callable(value) else value
        return None
    value = getattr(item, name, None)
    return None if callable(value) else value


def marks(item):
    """The marks of `item`: dicts with kind, level, title and css class, the
    classification first. Titles come from the office's lists (registry)."""
    found = []
    if IDexterityContent.providedBy(item):
        # Inside a classified dossier, an item is as classified as its dossier.
        classification = effective_classification(item)
    else:
        classification = _value(item, "classification")
    if classification and rank(classification) > 0:
        found.append({
            "kind": "classification", "level": classification,
            "title": _titles("Classification").get(classification, classification),
            "label": _("label_classification", default="Classification"),
        })
    urgency = _value(item, "urgency")
    if urgency in URGENCY and urgency != "normal":
        found.append({
            "kind": "urgency", "level": urgency,
            "title": _titles("Urgency").get(urgency, urgency),
            "label": _("label_urgency", default="Urgency"),
        })
    for mark in found:
        mark["css"] = f"hdnd-mark hdnd-mark-{mark['kind']} hdnd-mark-{mark['level']}"
    return found


def marks_html(item, request=None):
    """The badges of `item` as HTML (empty when it has none)."""
    request = request if request is not None else getRequest()
    badges = []
    for mark in marks(item):
        label = translate(mark["label"], context=request)
        badges.append(
            f'<span class="{mark["css"]}" title="{escape(label)}: {escape(mark["title"])}">'
            f'<span class="visually-hidden">{escape(label)}: </span>{escape(mark["title"])}</span>'
        )
    if not badges:
        return ""
    return f'<span class="hdnd-marks">{" ".join(badges)}</span>'


class MarksMixin:
    """For hdnd's views: ``structure python:view.marks(item)`` in a listing."""

    def marks(self, item):
        return marks_html(item, self.request)


class MarksViewlet(ViewletBase, MarksMixin):
    """The marks under the title of any item with classification or urgency."""

    def index(self):
        html = self.marks(self.context)
        return f'<div class="hdnd-marks-below-title">{html}</div>' if html else ""


class StylesViewlet(ViewletBase):
    """hdnd's own styles (marks, desk, registers), in the page head."""

    def index(self):
        # theme.css and theme.js (contrast, focus, skip link, names, the office's identity) on every page.
        site = escape(self.site_url)
        return "".join(f'<link rel="stylesheet" href="{site}/++resource++{name}" />'
                       for name in ("hdnd-desk.css", "hdnd-theme.css")) + \
            f'<script defer src="{site}/++resource++hdnd-theme.js"></script>'
