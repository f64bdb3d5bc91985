"""The change feed: creations, modifications, transitions, moves and
deletions of the office's records, in commit order, for clients that sync
(``GET /@changes?since=CURSOR``).

Each change takes the next number from one counter on the site. The counter
is a plain persistent integer without conflict resolution: two transactions
that change records at once conflict on it and Zope retries the later one,
so numbers follow the order of commits with no gap and no duplicate, and a
client that has read up to N never misses a change numbered below N later.

What a caller is shown is what they may see: an item that exists must be
visible to them now; a deleted item's entry keeps who could see it then
(its ``allowedRolesAndUsers``) and is shown only to them.
"""

from BTrees.IOBTree import IOBTree
from datetime import datetime
from hdnd.content.meetings import OFFICE_TIME
from persistent import Persistent
from plone import api
from plone.app.uuid.utils import uuidToObject
from zope.annotation.interfaces import IAnnotations
from zope.container.interfaces import IContainerModifiedEvent


KEY = "hdnd.content.changes"
TRACKED = frozenset({
    "OfficialDocument", "Dossier", "Task", "ProgressReport", "Meeting", "AgendaItem", "OpinionRequest",
    "Ballot", "ProcessingSlip", "WorkProgramme", "ProgrammeItem", "FilePlan", "FilePlanHeading",
    "TransferBatch", "DestructionList", "File",
})
PAGE = 100


class ChangeLog(Persistent):
    def __init__(self):
        self.last = 0
        self.entries = IOBTree()

    def append(self, **entry):
        self.last += 1
        entry["seq"] = self.last
        self.entries[self.last] = entry
        return entry


def log(create=True):
    portal = api.portal.get()
    annotations = IAnnotations(portal)
    if KEY not in annotations and create:
        annotations[KEY] = ChangeLog()
    return annotations.get(KEY)


def allowed_of(obj):
    from Products.CMFPlone.CatalogTool import allowedRolesAndUsers

    try:
        return list(allowedRolesAndUsers(obj)())
    except Exception:  # an item half-gone: nobody but administrators
        return ["Manager"]


def record(obj, action):
    if getattr(obj, "portal_type", None) not in TRACKED:
        return None
    try:
        portal = api.portal.get()
    except api.exc.CannotGetPortalError:
        return None
    if portal is None:
        return None
    try:
        uid = api.content.get_uuid(obj)
    except TypeError:
        return None
    state = api.content.get_state(obj, default=None) if action != "deleted" else None
    return log().append(
        time=datetime.now(OFFICE_TIME).replace(microsecond=0).isoformat(), action=action, uid=uid,
        portal_type=obj.portal_type, path="/".join(obj.getPhysicalPath()), state=state,
        allowed=allowed_of(obj) if action == "deleted" else None,
    )


def on_moved(obj, event):
    """Added, removed or moved (all IObjectMovedEvent)."""
    if event.oldParent is None and event.newParent is not None:
        record(obj, "created")
    elif event.newParent is None and event.oldParent is not None:
        record(obj, "deleted")
    elif event.oldParent is not None and event.oldParent is not event.newParent:
        record(obj, "moved")  # a rename in place keeps the uid: nothing for a client to do


def on_modified(obj, event):
    if IContainerModifiedEvent.providedBy(event):
        return  # a child came or went: that child's own entry says so
    record(obj, "modified")


def on_transition(obj, event):
    if getattr(event, "action", None):
        record(obj, "transition")


def feed(since=0, limit=PAGE):
    """``{"items", "cursor", "more"}``: the next changes after ``since`` the
    user may see; ``cursor`` is the number to ask from next time."""
    changes = log(create=False)
    if changes is None:
        return {"items": [], "cursor": since, "more": False}
    catalog = api.portal.get_tool("portal_catalog")
    user = api.user.get_current()
    mine = set(catalog._listAllowedRolesAndUsers(user))
    items, cursor = [], since
    for seq, entry in changes.entries.items(min=since + 1):
        if len(items) >= limit:
            return {"items": items, "cursor": cursor, "more": True}
        cursor = seq
        if entry["action"] == "deleted":
            if mine & set(entry.get("allowed") or ()):
                items.append(_public(entry))
            continue
        obj = uuidToObject(entry["uid"], unrestricted=True)
        if obj is None or not api.user.has_permission("View", obj=obj):
            continue
        items.append(dict(_public(entry), **{"@id": obj.absolute_url(), "title": obj.Title()}))
    return {"items": items, "cursor": cursor, "more": False}


def _public(entry):
    return {name: entry[name] for name in ("seq", "time", "action", "uid", "portal_type", "state")}
