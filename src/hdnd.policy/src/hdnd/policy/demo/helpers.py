"""Small idempotent builders for the demo data."""

from plone import api
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds


def ensure(container, id, portal_type, **fields):
    """The item `id` in `container`, created with `fields` if missing."""
    if id in container.objectIds():
        return container[id], False
    obj = api.content.create(container=container, type=portal_type, id=id, **fields)
    return obj, True


def relation(obj):
    return RelationValue(getUtility(IIntIds).getId(obj))


def walk(obj, *transitions, **kwargs):
    """Take the transitions in order (as the demo's administrator)."""
    tool = api.portal.get_tool("portal_workflow")
    for transition in transitions:
        tool.doActionFor(obj, transition, comment="Dữ liệu mẫu", **kwargs)
