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
adapter then only reads.
"""

from plone.portlets.constants import CONTEXT_ASSIGNMENT_KEY
from plone.portlets.interfaces import IPortletAssignmentSettings
from plone.portlets.interfaces import IPortletManager
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtilitiesFor


def settle(assignment, event=None):
    """(IPortletAssignment, IObjectAddedEvent): the settings, made now."""
    IPortletAssignmentSettings(assignment)


def _mappings(portal):
    """Every assignment mapping there is to find cheaply: those of the site
    root and its sections (where profiles put portlets), and each portlet
    manager's categories (users' dashboards, groups, content types). A
    portlet put on a deeper item got its settings when it was added."""
    for context in (portal, *portal.objectValues()):
        try:
            stored = IAnnotations(context).get(CONTEXT_ASSIGNMENT_KEY)
        except TypeError:  # not annotatable (a tool)
            continue
        if stored is not None:
            yield from stored.values()
    for _name, manager in getUtilitiesFor(IPortletManager, context=portal):
        for category in getattr(manager, "values", lambda: ())():
            yield from category.values()


def settle_existing(portal):
    """Give every assignment already there its settings; returns how many."""
    count = 0
    for mapping in _mappings(portal):
        for assignment in mapping.values():
            settle(assignment)
            count += 1
    return count
