"""The big sections add and remove items without rewriting themselves
(issue 21).

*Văn bản*, *Hồ sơ* and *Phiên họp* grow by thousands of items a year. A plain
Plone folder is a write hot spot for that:

- plone.folder's default ordering keeps one ``PersistentList`` of every id,
  rewritten whole on each add: the section keeps no order ("unordered"
  ordering; listings sort by date);
- every add or removal notifies a ``ContainerModifiedEvent`` for the folder,
  and plone.dexterity's ``reindexOnModify`` answers it with a full reindex
  that also sets the folder's modification date: one persistent object (the
  section) and one catalog record (its metadata, its ``modified`` entry)
  that every create in the office rewrites — a conflict between any two
  creates that commit at once, which a client that does not retry sees as
  a 409. The section's own fields did not change, so a big section does not
  send that event for its items coming and going (the items' own added and
  removed events are sent as always; moves and renames through the
  clipboard, rare and made by hand, still notify it as Plone does).

A big section is a Plone ``Folder`` (same portal_type, schema, views and
permissions) of this class; ``adopt`` turns an existing folder into one.
"""

from Acquisition import aq_base
from plone.app.contenttypes.content import Folder
from zope.event import notify
from zope.lifecycleevent import ObjectAddedEvent
from zope.lifecycleevent import ObjectRemovedEvent

import OFS.event


ORDER_KEYS = ("plone.folder.ordered.order", "plone.folder.ordered.pos")


class BigSection(Folder):
    """A Folder that keeps no order of its items and is not modified (nor
    reindexed) when one is added or removed."""

    def _setObject(self, id, object, roles=None, user=None, set_owner=1, suppress_events=False):
        if suppress_events:
            return super()._setObject(id, object, roles, user, set_owner, suppress_events=True)
        # BTreeFolder2Base._setObject's events, less notifyContainerModified.
        notify(OFS.event.ObjectWillBeAddedEvent(object, self, id))
        id = super()._setObject(id, object, roles, user, set_owner, suppress_events=True)
        notify(ObjectAddedEvent(self._getOb(id), self, id))
        return id

    def _delObject(self, id, dp=1, suppress_events=False):
        if suppress_events:
            return super()._delObject(id, dp, suppress_events=True)
        # BTreeFolder2Base._delObject's events, less notifyContainerModified.
        ob = self._getOb(id)
        notify(OFS.event.ObjectWillBeRemovedEvent(ob, self, id))
        super()._delObject(id, dp, suppress_events=True)
        notify(ObjectRemovedEvent(ob, self, id))


def adopt(container, id):
    """Make ``container[id]`` (a Folder) a big section: its class, the
    "unordered" ordering and no stored order (a list of every id and a dict of
    positions). True if anything changed."""
    from zope.annotation.interfaces import IAnnotations

    folder = container._getOb(id)
    changed = False
    if aq_base(folder).__class__ is not BigSection:
        base = aq_base(folder)
        base.__class__ = BigSection
        base._p_changed = True
        # The container's BTree stores the class beside the reference:
        # write the entry again, or the next load makes a Folder again.
        tree = aq_base(container)._tree
        del tree[id]
        tree[id] = base
        folder = container._getOb(id)
        changed = True
    if getattr(aq_base(folder), "_ordering", "") != "unordered":
        folder.setOrdering("unordered")
        changed = True
    annotations = IAnnotations(folder)
    for key in ORDER_KEYS:
        if key in annotations:
            del annotations[key]
            changed = True
    return changed
