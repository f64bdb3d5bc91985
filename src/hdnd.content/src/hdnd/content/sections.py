"""The big sections add and remove items without rewriting themselves
(issue 21).

plone.dexterity reindexes a container on every ContainerModifiedEvent, that
is each time an item is added to it or removed: a full reindex that also sets
the container's modification date. For *Văn bản* or *Hồ sơ* that is one
persistent object (the section) and one catalog record (its metadata, its
``modified`` entry) that every create in the office rewrites — a conflict
between any two creates that commit at once, which a client that does not
retry sees as a 500. A section that keeps no order of its items (plone.folder's
"unordered" ordering, see hdnd.policy's structure) is not reindexed for its
items coming and going: its own fields did not change.

plone.dexterity's subscriber is registered by its ZCML before ours is read,
so it cannot be replaced in the registry from here; its code is given the
check instead (the same function object, so the registration stays).
"""

from Acquisition import aq_base
from zope.container.interfaces import IContainerModifiedEvent

import plone.dexterity.content


def skip_reindex(content, event):
    """True for a child coming or going in an unordered (big) section."""
    return IContainerModifiedEvent.providedBy(event) and getattr(aq_base(content), "_ordering", "") == "unordered"


def _reindex_on_modify(content, event):
    """When an object is modified, re-index it in the catalog"""
    if event.object is not content:
        return
    if _hdnd_skip_reindex(content, event):  # noqa: F821 (a global of plone.dexterity.content, set below)
        return
    content.reindexObject()


def install():
    module = plone.dexterity.content
    module._hdnd_skip_reindex = skip_reindex
    original = module.reindexOnModify
    if original.__code__ is not _reindex_on_modify.__code__:
        original.__code__ = _reindex_on_modify.__code__


install()
