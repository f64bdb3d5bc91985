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
from Products.CMFCore.interfaces import IContentish
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
    """The site root and every item under it, depth first. A container's
    children are taken one id at a time (a section of a million documents
    is never a list), and the connection's cache is trimmed every ``every``
    items, so the walk holds a branch, not the site."""
    jar = portal._p_jar
    seen, stack = 0, [iter((portal,))]
    while stack:
        context = next(stack[-1], None)
        if context is None:
            stack.pop()
            continue
        yield context
        seen += 1
        if jar is not None and seen % every == 0:
            transaction.savepoint(optimistic=True)
            jar.cacheGC()
        if getattr(aq_base(context), "isPrincipiaFolderish", False):
            stack.append(_content_in(context))


def _content_in(container):
    for name in container.objectIds():
        child = container._getOb(name, None)
        if IContentish.providedBy(child):  # not the root's tools
            yield child


def settle_existing(portal, deep=False):
    """Give every assignment already there its settings (``deep``: on items
    at any depth too, which loads every item once); returns how many."""
    count = 0
    for mapping in _mappings(portal, deep=deep):
        for assignment in mapping.values():
            settle(assignment)
            count += 1
    return count
