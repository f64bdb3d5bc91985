"""Access given by a processing slip (phiếu xử lý): the people assigned on it
get, on the document or dossier the slip belongs to, the roles their work
needs — recorded with the slip as its reason — and lose them when the work
ends (the item reaches a final state, or the slip is removed).

Only roles granted here are ever withdrawn here; a classified item still
admits only cleared people who need to know (security.protect runs last).
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from datetime import datetime
from hdnd.content.security import is_classified_item
from hdnd.content.security import protect
from hdnd.content.stores import stored
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.dossier import IDossier
from hdnd.content.types.processing_slip import IProcessingSlip
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations


ANNOTATION_KEY = "hdnd.content.access"
WORK_ROLES = ("Reader", "Specialist")
# The states in which the work on an item has ended.
WORK_ENDED = ("done", "filed", "returned", "withdrawn", "closed", "transferred", "issued", "recalled", "superseded")


def grants(item):
    """[{userid, roles, reason, slip, granted, by}] given on `item`."""
    return list(IAnnotations(item).get(ANNOTATION_KEY, ()))


def _store(item):
    return stored(item, ANNOTATION_KEY, PersistentList)


def sync(item):
    """Make the local roles on `item` match the slips inside it."""
    wanted = {}
    # The state asked only of an item that holds something: every new
    # document comes here (its initial state is a transition), empty.
    if item.objectIds() and api.content.get_state(item, default=None) not in WORK_ENDED:
        for slip in item.objectValues():
            if not IProcessingSlip.providedBy(slip):
                continue
            for userid in slip.assignees or ():
                wanted.setdefault(userid, slip)
    # Nothing is written, nor the item's security reindexed, when its slips
    # and its grants already agree: every transition of every document comes
    # here (a document received in bulk paid a catalog search for nothing).
    store = stored(item, ANNOTATION_KEY, PersistentList, create=False, default=())
    changed = False
    for grant in list(store):
        if grant["userid"] not in wanted or grant["slip"] != api.content.get_uuid(wanted[grant["userid"]]):
            _withdraw(item, grant)
            store.remove(grant)
            changed = True
    present = {g["userid"] for g in store}
    for userid, slip in wanted.items():
        if userid in present:
            continue
        own = set(item.get_local_roles_for_userid(userid))
        added = tuple(r for r in WORK_ROLES if r not in own)
        item.manage_setLocalRoles(userid, sorted(own | set(WORK_ROLES)))
        store = _store(item)
        changed = True
        store.append(PersistentMapping(
            userid=userid, roles=added, slip=api.content.get_uuid(slip),
            reason=f"Phiếu xử lý: {slip.title}", by=api.user.get_current().getId(),
            granted=datetime.now().isoformat(timespec="seconds"),
        ))
    if changed:
        item.reindexObjectSecurity()
    if is_classified_item(item):
        protect(item)


def _withdraw(item, grant):
    remaining = [r for r in item.get_local_roles_for_userid(grant["userid"]) if r not in grant["roles"]]
    if remaining:
        item.manage_setLocalRoles(grant["userid"], remaining)
    else:
        item.manage_delLocalRoles([grant["userid"]])


def on_slip_changed(slip, event=None):
    # Added, modified or moved: its container now; removed: the one it left.
    parent = getattr(event, "newParent", None) or getattr(event, "oldParent", None)
    if parent is None:
        parent = aq_parent(aq_inner(slip))
    if _holds_slips(parent):
        sync(parent)


def _holds_slips(item):
    """A document or a dossier: what processing slips are written on."""
    item = aq_base(item)
    return IOfficialDocument.providedBy(item) or IDossier.providedBy(item)


def on_transition(item, event):
    if _holds_slips(item):
        sync(item)
