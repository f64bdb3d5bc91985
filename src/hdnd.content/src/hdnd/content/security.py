"""Who may see a classified item (domain §5), on the Zope side.

A classified item — one whose own or container's classification is Mật,
Tối mật or Tuyệt mật — is open only to people named in its need to know (or
its containers') whose clearance is at least its level; site administrators
are not exempt. This is enforced with Zope's own machinery, so every listing,
search, REST endpoint and count that checks permissions obeys it:

- the item blocks the local roles it would acquire from the site's sections
  (where the office's groups hold their roles), and holds local roles only
  for those cleared, named people;
- its permissions go to roles that are only ever granted locally, by this
  module (ClearedReader, ClearedEditor, ClearedContributor), so that no role
  held site-wide — Manager, or any role an administrator gives themselves —
  opens it; deleting, copying out and sharing are shut.

The rules of levels are in :mod:`hdnd.content.core.levels`.
"""

from Acquisition import aq_base
from datetime import date
from Acquisition import aq_chain
from Acquisition import aq_inner
from Acquisition import aq_parent
from hdnd.content.clearance import get_clearance
from hdnd.content.core.levels import CLASSIFICATION
from hdnd.content.core.levels import rank
from hdnd.content.workflows.spec import ACCESS
from hdnd.content.workflows.spec import ADD
from hdnd.content.workflows.spec import LIST
from hdnd.content.workflows.spec import MANAGED
from hdnd.content.workflows.spec import MODIFY
from hdnd.content.workflows.spec import VIEW
from hdnd.content.i18n import _
from plone import api
from zExceptions import BadRequest
from zope.container.interfaces import IContainerModifiedEvent
from zope.globalrequest import getRequest
from zope.i18n import translate
from Products.CMFCore.interfaces import IContentish
from Products.CMFCore.interfaces import ISiteRoot


CLEARED = {
    VIEW: "ClearedReader",
    ACCESS: "ClearedReader",
    LIST: "ClearedReader",
    MODIFY: "ClearedEditor",
    ADD: "ClearedContributor",
}
CLEARED_ROLES = ("ClearedReader", "ClearedEditor", "ClearedContributor")
# Nobody deletes, shares or re-permissions a classified item; its cleared
# readers may copy or move it, and it stays classified where it goes.
SHUT = (
    "Delete objects", "Change local roles", "Change permissions",
    "Take ownership", "Manage properties", "Modify view template", "Review portal content",
    "Request review", "WebDAV Lock items", "WebDAV Unlock items",
    "Sharing page: Delegate roles", "Sharing page: Delegate Reader role",
    "Sharing page: Delegate Editor role", "Sharing page: Delegate Contributor role",
    "Sharing page: Delegate Reviewer role", "Lock items", "Unlock items",
)
OFFICE_ROLES = (
    "DelegationLeader", "DelegationMember", "OfficeHead", "Specialist", "RegistryClerk",
    "RecordsManager", "Contributor", "Reader",
)
GRANTED = "_hdnd_classified_grants"  # principals this module granted roles to


def _ancestry(obj):
    for item in aq_chain(aq_inner(obj)):
        if ISiteRoot.providedBy(item):
            return
        yield item


def effective_classification(obj):
    """The highest classification of `obj` and its containers ("none" if none)."""
    level = "none"
    for item in _ancestry(obj):
        own = getattr(aq_base(item), "classification", None)
        if own in CLASSIFICATION and rank(own) > rank(level):
            level = own
    return level


def is_classified_item(obj):
    return effective_classification(obj) != "none"


def effective_need_to_know(obj):
    """Everyone named on the item or on its classified containers (a name on
    an ordinary folder or dossier opens nothing inside it)."""
    named = set()
    for index, item in enumerate(_ancestry(obj)):
        own = getattr(aq_base(item), "classification", None)
        if index == 0 or (own in CLASSIFICATION and own != "none"):
            named.update(getattr(aq_base(item), "need_to_know", None) or ())
    return named


def cleared_readers(obj):
    """The named people whose clearance opens the item."""
    level = rank(effective_classification(obj))
    return sorted(u for u in effective_need_to_know(obj) if rank(get_clearance(u)) >= level)


def _roles_where_it_lives(obj, userid):
    """The office roles `userid` holds on the item's container."""
    user = api.user.get(userid=userid)
    if user is None:
        return set()
    parent = aq_parent(aq_inner(obj))
    return set(user.getRolesInContext(parent)) & set(OFFICE_ROLES)


def protect(obj):
    """Apply the rules to `obj` and everything inside it (idempotent)."""
    for item in _subtree(obj):
        changed = _close(item) if is_classified_item(item) else _open(item)
        if changed:  # reindexing security is the costly part: only when needed
            item.reindexObject(idxs=["allowedRolesAndUsers"])


def _subtree(obj):
    """The item and its content (not tools, not the site itself)."""
    if ISiteRoot.providedBy(obj) or not IContentish.providedBy(obj):
        return
    yield obj
    if getattr(aq_base(obj), "isPrincipiaFolderish", False):
        for child in obj.objectValues():
            yield from _subtree(child)


def _close(item):
    """Shut the item to all but its cleared readers.

    Its permissions go to three roles that are only ever granted here,
    locally: ClearedReader (see), ClearedEditor (edit), ClearedContributor
    (add). A role held site-wide — Manager, or an office role an
    administrator gives themselves — therefore opens nothing; the office
    roles stay on the cleared readers only for the workflow's guards.
    Deleting, copying, sharing and permission changes are shut outright.
    """
    readers = cleared_readers(item)
    state = _state_spec(item)
    item.__ac_local_roles_block__ = True
    for principal in list(dict(getattr(aq_base(item), "__ac_local_roles__", None) or {})):
        item.manage_delLocalRoles([principal])
    for userid in readers:
        office = _roles_where_it_lives(item, userid)
        grants = {"ClearedReader"}
        if state is not None:
            if office & set(state.edit):
                grants.add("ClearedEditor")
            if office & set(state.add):
                grants.add("ClearedContributor")
        else:  # no workflow of its own (a file, a slip): as on its container
            grants |= _roles_at_parent(item, userid) & set(CLEARED_ROLES)
        item.manage_setLocalRoles(userid, sorted(grants | office))
    setattr(item, GRANTED, tuple(readers))
    known = _known_permissions(item)
    for permission in MANAGED:
        if permission in known:
            item.manage_permission(permission, [CLEARED[permission]], acquire=0)
    for permission in SHUT:
        if permission in known:
            item.manage_permission(permission, [], acquire=0)
    if "Copy or Move" in known:
        item.manage_permission("Copy or Move", list(CLEARED_ROLES), acquire=0)
    return True


def _state_spec(item):
    """The state of the item's workflow as definitions.py describes it."""
    from hdnd.content.workflows.definitions import by_id

    chain = api.portal.get_tool("portal_workflow").getChainFor(item)
    if not chain:
        return None
    try:
        return by_id(chain[0]).state(api.content.get_state(item))
    except StopIteration:
        return None


def _roles_at_parent(item, userid):
    user = api.user.get(userid=userid)
    return set(user.getRolesInContext(aq_parent(aq_inner(item)))) if user is not None else set()


def _open(item):
    if not getattr(aq_base(item), GRANTED, None) and not getattr(
        aq_base(item), "__ac_local_roles_block__", False
    ):
        return False
    for userid in getattr(aq_base(item), GRANTED, ()):
        item.manage_delLocalRoles([userid])
    item.__ac_local_roles_block__ = False
    if hasattr(aq_base(item), GRANTED):
        delattr(item, GRANTED)
    _restore_workflow_permissions(item)
    return True


def _known_permissions(item):
    """The permissions that apply to this kind of item (a file has no "List
    folder contents")."""
    return {p[0] for p in item.ac_inherited_permissions(1)}


def _restore_workflow_permissions(item):
    known = _known_permissions(item)
    for permission in SHUT + ("Copy or Move",):
        if permission in known:
            item.manage_permission(permission, [], acquire=1)
    workflow_tool = api.portal.get_tool("portal_workflow")
    workflows = workflow_tool.getWorkflowsFor(item)
    for workflow in workflows:
        workflow.updateRoleMappingsFor(item)
    if not workflows:
        for permission in MANAGED:
            if permission in known:
                item.manage_permission(permission, [], acquire=1)


# Event handlers -----------------------------------------------------------


SEEN = "_hdnd_classification_seen"  # the item's own level when last protected
DECLASSIFY = "hdnd: Manage clearances"


def on_change(obj, event=None):
    """Added, modified, moved, or a transition reset the permissions."""
    if IContainerModifiedEvent.providedBy(event):
        # A child came or went: the container's own protection is the same,
        # and walking all its children on every addition made adding the
        # n-th item cost n (an import of 900 rows: 56 s).
        return
    if getattr(event, "oldParent", None) is not None and getattr(event, "newParent", None) is None:
        return  # removed
    if getattr(event, "oldParent", None) is not None:
        keep_classified(obj, effective_classification(event.oldParent),
                        effective_need_to_know(event.oldParent))
    if getattr(event, "oldParent", False) is None:
        name_the_creator(obj)
    check_lowering(obj)
    own = getattr(aq_base(obj), "classification", None)
    if own in CLASSIFICATION and own != "none" and not getattr(aq_base(obj), "classified_on", None):
        obj.classified_on = date.today()
    protect(obj)
    setattr(obj, SEEN, own or "none")


def check_lowering(obj):
    """A classification may be raised by anyone who can edit the item, but
    lowered or removed only by a security officer (domain §5)."""
    before = getattr(aq_base(obj), SEEN, None)
    now = getattr(aq_base(obj), "classification", None) or "none"
    if before is None or rank(now) >= rank(before):
        return
    if not api.user.has_permission(DECLASSIFY, obj=api.portal.get()):
        raise BadRequest(
            translate(
                _(
                    "error_lowering_classification",
                    default="classification: only a security officer lowers or removes a "
                    "classification (${before} to ${now}).",
                    mapping={"before": before, "now": now},
                ),
                context=getRequest(),
            )
        )


def declassify_expired(today=None):
    """Declassify every item whose protection period has run out (run daily:
    `hdnd declassify`). Returns the paths declassified."""
    from hdnd.content.core.levels import is_expired

    today = today or date.today()
    catalog = api.portal.get_tool("portal_catalog")
    done = []
    for brain in catalog.unrestrictedSearchResults(classification=["mat", "toi_mat", "tuyet_mat"]):
        item = brain._unrestrictedGetObject()
        level = getattr(aq_base(item), "classification", None)
        if is_expired(level, getattr(aq_base(item), "classified_on", None), today,
                      getattr(aq_base(item), "protection_extended_until", None)):
            item.classification = "none"
            setattr(item, SEEN, "none")
            protect(item)
            item.reindexObject(idxs=["classification"])
            done.append("/".join(item.getPhysicalPath()))
    return done


def keep_classified(obj, level, named):
    """An item moved or copied out of a classified place stays classified
    (at least ``level``, for the people ``named``): only a security officer
    lowers a classification."""
    if rank(level) > rank(effective_classification(obj)):
        obj.classification = level
        obj.need_to_know = sorted(set(getattr(aq_base(obj), "need_to_know", None) or ()) | set(named))
        setattr(obj, SEEN, level)


def on_copied(copy, event):
    original = event.original
    keep_classified(copy, effective_classification(original), effective_need_to_know(original))


def name_the_creator(obj):
    """Whoever creates a classified item needs to know it, and must be cleared
    for it: nobody creates what they could not see."""
    level = effective_classification(obj)
    if level == "none":
        return
    userid = api.user.get_current().getId()
    if rank(get_clearance(userid)) < rank(level):
        raise BadRequest(
            translate(
                _(
                    "error_classified_above_clearance",
                    default="classification: your clearance does not open ${level} items, "
                    "so you cannot create one.",
                    mapping={"level": level},
                ),
                context=getRequest(),
            )
        )
    named = list(getattr(aq_base(obj), "need_to_know", None) or ())
    if userid not in named and userid not in effective_need_to_know(obj):
        obj.need_to_know = named + [userid]


def on_clearance_changed(event):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(need_to_know=event.userid):
        protect(brain._unrestrictedGetObject())
