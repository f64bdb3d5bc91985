"""Ids from titles, except for classified items.

An id made from a classified item's title would print part of the title in
every URL, link, audit entry and 401 answer; a classified item gets a
neutral id instead (its type and a random part), which also cannot be
guessed to probe for its existence.
"""

from hdnd.content.core.levels import is_classified
from plone.app.content.interfaces import INameFromTitle
from zope.interface import implementer

import uuid


class INeutralNameFromTitle(INameFromTitle):
    """Our own behavior interface (the base is taken by plone.namefromtitle).
    It extends plone.app.content's, which extends plone.base's: plone.restapi
    looks up the first, Plone's name chooser the second, and both find this."""


@implementer(INeutralNameFromTitle)
class NameFromTitleUnlessClassified:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        if is_classified(getattr(self.context, "classification", None)):
            return f"{self.context.portal_type.lower()}-{uuid.uuid4().hex[:12]}"
        return self.context.title
