"""The change feed: creations, modifications, transitions, moves and
deletions of the office's records, in commit order, for clients that sync
(``GET /@changes?since=CURSOR``).

A change is first added to the log's inbox (:mod:`hdnd.content.inbox`), which
concurrent transactions write without conflicting; after the commit it is
sealed in a short transaction of its own: numbered from the log's counter, in
the order of sealing, with no gap and no duplicate. A reader reads only what
is sealed, so a client that has read up to N never misses a change numbered
below N later (a change that commits late is sealed, and numbered, later).

What a caller is shown is what they may see: an item that exists must be
visible to them now; a deleted item's entry keeps who could see it then
(its ``allowedRolesAndUsers``) and is shown only to them.

The cursor is opaque: the position read up to, encrypted (AES-GCM, a fresh
nonce each time, with a key the log keeps and never shows). A number would
tell how many changes the reader was not shown — that classified items
changed, and when. So entries carry no number either, ``more`` is true only
if another entry the reader may see follows, and ``since`` takes only a
cursor this feed gave, or 0 to start from the beginning: trying numbers
would find where hidden changes lie. A resumed client still misses nothing
it may see: the cursor is where the reading stopped.
"""

from BTrees.IOBTree import IOBTree
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from datetime import datetime
from hdnd.content import inbox
from hdnd.content.inbox import Inbox
from hdnd.content.meetings import OFFICE_TIME
from hdnd.content.stores import stored
from hdnd.content.types.agenda_item import IAgendaItem
from hdnd.content.types.ballot import IBallot
from hdnd.content.types.destruction_list import IDestructionList
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.dossier import IDossier
from hdnd.content.types.file_plan import IFilePlan
from hdnd.content.types.file_plan import IFilePlanHeading
from hdnd.content.types.meeting import IMeeting
from hdnd.content.types.opinion_request import IOpinionRequest
from hdnd.content.types.processing_slip import IProcessingSlip
from hdnd.content.types.programme_item import IProgrammeItem
from hdnd.content.types.progress_report import IProgressReport
from hdnd.content.types.task import ITask
from hdnd.content.types.transfer_batch import ITransferBatch
from hdnd.content.types.work_programme import IWorkProgramme
from persistent import Persistent
from plone import api
from plone.app.contenttypes.interfaces import IFile
from plone.app.uuid.utils import uuidToObject
from plone.protect.utils import safeWrite
from zope.container.interfaces import IContainerModifiedEvent

import base64
import os
import struct


KEY = "hdnd.content.changes"
TRACKED = (  # the office's records and their files; a type providing one of these is followed too
    IOfficialDocument, IDossier, ITask, IProgressReport, IMeeting, IAgendaItem, IOpinionRequest, IBallot,
    IProcessingSlip, IWorkProgramme, IProgrammeItem, IFilePlan, IFilePlanHeading, ITransferBatch,
    IDestructionList, IFile,
)
PAGE = 100


class ChangeLog(Persistent):
    key = None  # a log from before opaque cursors gets its key when first read
    inbox = None  # a log from before issue 21 gets its inbox on the first change

    def __init__(self):
        self.last = 0
        self.entries = IOBTree()
        self.key = new_key()
        self.inbox = Inbox()

    def append(self, **entry):
        """Add a change to the inbox (no conflict with concurrent writers);
        it is numbered when sealed, after the commit."""
        if self.inbox is None:
            self.inbox = Inbox()
        self.inbox.add(entry)
        inbox.seal_after_commit(self)
        return entry

    def seal(self):
        """Number the inbox's entries and move them into the log."""
        if self.key is None:
            self.key = new_key()  # a log from before opaque cursors: not left to a GET to write
        if self.inbox is None:
            return 0
        taken = self.inbox.take()
        for entry in taken:
            self.last += 1
            entry["seq"] = self.last
            self.entries[self.last] = entry
        return len(taken)


def log(create=True):
    return stored(api.portal.get(), KEY, ChangeLog, create=create)


def sealed(changes):
    """The log, with what this transaction itself added sealed in it (what
    others added is sealed after their commit, not by a reader)."""
    if changes is not None and inbox.mine(changes.inbox):
        changes.seal()
    return changes


def allowed_of(obj):
    from Products.CMFPlone.CatalogTool import allowedRolesAndUsers

    try:
        return list(allowedRolesAndUsers(obj)())
    except Exception:  # an item half-gone: nobody but administrators
        return ["Manager"]


def record(obj, action):
    if not any(i.providedBy(obj) for i in TRACKED):
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


class BadCursor(ValueError):
    """A ``since`` that is neither 0 nor a cursor this feed gave."""


CURSOR_CONTEXT = b"hdnd.content.changes cursor"


def new_key():
    return os.urandom(32)


def _key(changes):
    if changes.key is None:
        # A log recorded before cursors were opaque: its key is made on the
        # first read (a GET; the write is ours, not a forged request's).
        changes.key = new_key()
        safeWrite(changes)
    return changes.key


def cursor_of(changes, position):
    """The opaque cursor of ``position``: two cursors of the same position
    differ, so comparing them tells nothing either."""
    nonce = os.urandom(12)
    sealed = AESGCM(_key(changes)).encrypt(nonce, struct.pack(">Q", position), CURSOR_CONTEXT)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def position_of(changes, cursor):
    """The position a cursor stands for; 0 for "0" or nothing. BadCursor
    for anything else (an old numeric cursor included: start again from 0)."""
    if cursor in (None, "", "0", 0):
        return 0
    if changes is None:
        raise BadCursor("since: not a cursor of this feed; give 0 to start from the beginning")
    try:
        raw = base64.urlsafe_b64decode(str(cursor).encode("ascii"))
        (position,) = struct.unpack(
            ">Q", AESGCM(_key(changes)).decrypt(raw[:12], raw[12:], CURSOR_CONTEXT)
        )
    except (ValueError, UnicodeError, InvalidTag, struct.error):
        raise BadCursor("since: not a cursor of this feed; give 0 to start from the beginning")
    return position


def feed(since=None, limit=PAGE):
    """``{"items", "cursor", "more"}``: the next changes after the cursor
    ``since`` (None or 0: from the beginning) the user may see; ``cursor``
    is what to ask from next time. BadCursor if ``since`` is not one."""
    changes = sealed(log(create=False))
    position = position_of(changes, since)
    if changes is None:
        # Nothing ever recorded, for anyone: nothing to hide yet.
        return {"items": [], "cursor": "0", "more": False}
    catalog = api.portal.get_tool("portal_catalog")
    user = api.user.get_current()
    mine = set(catalog._listAllowedRolesAndUsers(user))
    items, more = [], False
    for seq, entry in changes.entries.items(min=position + 1):
        item = _visible(entry, mine)
        if item is None:
            position = seq  # not this reader's: read past it
            continue
        if len(items) >= limit:
            more = True  # another entry this reader may see follows
            break
        items.append(item)
        position = seq
    return {"items": items, "cursor": cursor_of(changes, position), "more": more}


def _visible(entry, mine):
    """The entry as the reader may see it, or None."""
    if entry["action"] == "deleted":
        return _public(entry) if mine & set(entry.get("allowed") or ()) else None
    obj = uuidToObject(entry["uid"], unrestricted=True)
    if obj is None or not api.user.has_permission("View", obj=obj):
        return None
    return dict(_public(entry), **{"@id": obj.absolute_url(), "title": obj.Title()})


def _public(entry):
    # Not "seq": the numbers of two entries would tell how many changes
    # between them the reader was not shown.
    return {name: entry[name] for name in ("time", "action", "uid", "portal_type", "state")}
