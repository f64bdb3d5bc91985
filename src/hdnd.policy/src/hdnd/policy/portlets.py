"""Portlet assignments get their settings when they are made, not on the
first page that shows them (issue 21: a GET never writes).

plone.portlets keeps an assignment's settings (visible or hidden, extra CSS
class) in an annotation that its adapter ``IPortletAssignmentSettings``
creates the first time anyone asks for it, and every portlet renderer asks:
so the first page that showed the site's navigation or events portlet wrote
two annotations, once per assignment, from a GET. Asked here when the
assignment is added (any assignment: Plone's profile, the portlet manager,
the dashboard of a new account), and once for those already there
(:func:`settle_existing`, run by the install and an upgrade step), the
adapter then only reads. Upgrade 1014 settled the site root's and the
sections' only; an assignment put on a deeper item (a dossier's column)
before the subscriber existed still wrote on its first display, so upgrade
1016 walks every item (``deep=True``).
"""

from Acquisition import aq_base
from plone.portlets.constants import CONTEXT_ASSIGNMENT_KEY
from plone.portlets.interfaces import IPortletAssignmentSettings
from plone.portlets.interfaces import IPortletManager
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtilitiesFor

import transaction


def settle(assignment, event=None):
    """(IPortletAssignment, IObjectAddedEvent): the settings, made now."""
    IPortletAssignmentSettings(assignment)


def _mappings(portal, deep=False):
    """Every assignment mapping there is to find: those of the site root and
    its sections (where profiles put portlets) or, ``deep``, of every item
    at any depth; and each portlet manager's categories (users' dashboards,
    groups, content types)."""
    for context in _items(portal) if deep else (portal, *portal.objectValues()):
        try:
            stored = IAnnotations(context).get(CONTEXT_ASSIGNMENT_KEY)
        except TypeError:  # not annotatable (a tool)
            continue
        if stored is not None:
            yield from stored.values()
    for _name, manager in getUtilitiesFor(IPortletManager, context=portal):
        for category in getattr(manager, "values", lambda: ())():
            yield from category.values()


def _items(portal, every=5000):
    """The site root and every item under it, depth first; the connection's
    cache is trimmed every ``every`` items (a site of a million documents
    does not fit in memory at once)."""
    jar = portal._p_jar
    stack, seen = [portal], 0
    while stack:
        context = stack.pop()
        yield context
        seen += 1
        if jar is not None and seen % every == 0:
            transaction.savepoint(optimistic=True)
            jar.cacheGC()
        if hasattr(aq_base(context), "contentValues"):  # the content in it: not the root's tools
            stack.extend(reversed(context.contentValues()))


def settle_existing(portal, deep=False):
    """Give every assignment already there its settings (``deep``: on items
    at any depth too, which loads every item once); returns how many."""
    count = 0
    for mapping in _mappings(portal, deep=deep):
        for assignment in mapping.values():
            settle(assignment)
            count += 1
    return count
