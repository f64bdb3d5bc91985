"""Plone's standard folder listing (``listing_view``) with the marks of each
item (Mật…, Hỏa tốc…) beside its title: Plone's own template, its ``entry``
slot filled with Plone's ``listitem`` macro and the marks — nothing of the
listing copied."""

from hdnd.policy.browser.marks import MarksMixin
from hdnd.policy.browser.theme import TypedResults  # types named in the reader's language
from plone.app.contenttypes.browser import folder
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import os


PLONE_LISTING = os.path.join(os.path.dirname(folder.__file__), "templates", "listing.pt")


class MarkedListing(TypedResults, folder.FolderView, MarksMixin):
    plone_listing = ViewPageTemplateFile(PLONE_LISTING)

    @property
    def macros(self):
        # Plone's other listings (summary_view, tabular_view…) borrow their
        # entries and byline through context/@@listing_view/macros: Plone's own.
        return self.plone_listing.macros
