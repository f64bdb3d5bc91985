"""Two of Plone's views that answered 500, answering cleanly on this site.

- ``@@history`` (CMFEditions' diff of versions): on an item of which no
  version is kept, CMFEditions gets a list instead of a history and fails
  (``'list' object has no attribute 'retrieve'``); a version that is not a
  number (``?one=x``) or not kept failed too. Here: 404 when there is no
  such version, 400 for a version that is not a number.
- ``@@plone_interface_info``: a helper for templates (``provides``,
  ``class_provides``, …, which import any dotted name given them), public
  because templates of anonymous pages use it. Published by URL, with a
  missing or unknown name, it failed; here its methods are not published
  at all (404), while templates keep calling them.
"""

from plone.app.layout.globals.interface import InterfaceInformation as PloneInterfaceInformation
from Products.CMFEditions.browser.diff import DiffView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import BadRequest
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import os
import Products.CMFEditions.browser


class HistoryDiff(DiffView):
    index = ViewPageTemplateFile("templates/diff.pt", _prefix=os.path.dirname(Products.CMFEditions.browser.__file__))

    def __call__(self):
        for name in ("one", "two"):
            value = self.request.get(name, "current")
            if value != "current" and not (isinstance(value, str) and value.isdigit()):
                raise BadRequest(f"{name}: a version number or 'current'")
        if not hasattr(self.repo_tool.getHistoryMetadata(self.context), "retrieve"):
            raise NotFound("No earlier version of this item is kept.")
        return super().__call__()

    def getVersion(self, version):
        from Products.CMFEditions.interfaces.IArchivist import ArchivistRetrieveError

        try:
            return super().getVersion(version)
        except ArchivistRetrieveError:
            raise NotFound(f"No version {version} of this item is kept.") from None


@implementer(IPublishTraverse)
class InterfaceInformation(PloneInterfaceInformation):
    def publishTraverse(self, request, name):
        raise NotFound(name)

    def __call__(self):
        raise NotFound("plone_interface_info")
