"""One gate for every grant of access (domain §5, issue 18): who may be given
a role, a group membership or a local role that opens classified items or
the security officer's work, checked where those grants are *stored*, not
by each form or endpoint that makes them.

The rules:

- the cleared roles (ClearedReader, ClearedEditor, ClearedContributor) are
  only ever held locally, on a classified item, given by
  :func:`hdnd.content.security.protect` to the cleared people it names:
  nobody gives them site-wide, to a group, or as a local role by hand;
- the security officer's role (SecurityOfficer) and membership of their
  group (security-officers, or any group that holds the role) are given and
  taken only by a security officer — never by an administrator, to anyone,
  themselves included — or by code running as the system (the ``hdnd``
  command line, the demo data);
- the security officer's own permissions ("hdnd: Manage clearances", the
  audit log's) stay with that role alone;
- every accepted grant and revocation is written to the audit trail
  (``role_change``; memberships as ``group_change`` by
  audit_subscribers, from PAS's own events).

Where the gate stands:

- :class:`GuardedRoleManager` and :class:`GuardedGroupManager` are the
  site's ``portal_role_manager`` and ``source_groups`` (PlonePAS's classes,
  with their mutating methods checked): ``POST``/``PATCH @users`` and
  ``@groups``, the Users and Groups control panels, the ZMI's Roles and
  Groups tabs, plone.api, GenericSetup's PAS import all store through them.
  The role manager also never *reports* the cleared roles site-wide, and
  reports SecurityOfficer only when it comes from its own store through
  memberships of ``source_groups`` (a directory's or a dynamic group named
  ``security-officers`` opens nothing), so that a role stored before the
  gate, or by another plugin's group, opens nothing.
- Local roles and permission settings are kept in the objects themselves
  (``__ac_local_roles__``), which many paths write (the sharing page, the
  ZMI's Local roles and Security tabs, ``manage_setLocalRoles``): the objects
  a request changed are checked before its transaction is committed
  (:func:`check_before_commit`), and the sharing page's event is checked at
  once. The sharing page offers none of these roles anyway (only Reader,
  Editor, Contributor and Reviewer are sharing roles).

:func:`install` puts the guarded classes in place (the install step and the
upgrade step of hdnd.policy).
"""

from AccessControl import ClassSecurityInfo
from AccessControl import getSecurityManager
from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import manage_users as ManageUsers
from AccessControl.requestmethod import postonly
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.users import UnrestrictedUser
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from contextlib import contextmanager
from hdnd.content.security import CLEARED_ROLES
from hdnd.content.security import GRANTED
from Products.PlonePAS.plugins.group import GroupManager
from Products.PlonePAS.plugins.role import GroupAwareRoleManager
from zExceptions import Forbidden

import logging
import transaction


logger = logging.getLogger("hdnd.grants")

OFFICER_ROLE = "SecurityOfficer"
OFFICER_GROUP = "security-officers"
# Roles held only locally, on classified items, given by security.protect.
LOCAL_ONLY_ROLES = tuple(CLEARED_ROLES)
# Roles given and taken only by a security officer.
GUARDED_ROLES = (OFFICER_ROLE,)
# Groups whose members only a security officer adds or removes (besides any
# group that holds a guarded role).
GUARDED_GROUPS = (OFFICER_GROUP,)
VIRTUAL_ROLES = frozenset({"Authenticated", "Anonymous"})
# The security officer's own permissions: no other role may hold them.
OFFICER_PERMISSIONS = ("hdnd: Manage clearances", "hdnd: View audit log", "hdnd: Confirm audit alerts")


class GrantRefused(Forbidden):
    """A grant the gate refuses. A Forbidden (a 403), not a ValueError: PAS
    and PlonePAS swallow a plugin's ValueError and carry on as if the grant
    had been made. The message begins with the field it is about
    ("roles: …", "users: …")."""

    # Zope's publisher takes the status of an error page from the name of
    # the exception's class: this one is a "Forbidden" (403), not a 500.

    def __init__(self, field, reason=None):
        # Also made again from its message alone (Zope's error views do).
        message = field if reason is None else f"{field}: {reason}"
        self.field = message.partition(":")[0]
        super().__init__(message)


GrantRefused.__name__ = "Forbidden"


# Who may grant


def is_system(user=None):
    """Code running as an unrestricted user: the ``hdnd`` command line (Zope's
    "System Processes"), the demo loader, install steps run by them. Nothing
    reached through the web runs as one (Zope's emergency user needs the
    server's file system)."""
    user = user if user is not None else getSecurityManager().getUser()
    return isinstance(aq_base(user), UnrestrictedUser)


def is_security_officer(context=None):
    """The current user may manage clearances (``hdnd: Manage clearances``
    on the site; the permission's roles are themselves guarded, see
    :func:`check_permissions`). Code running as the system passes too."""
    if is_system():
        return True
    site = _site(context)
    if site is None:
        return False
    return bool(getSecurityManager().checkPermission(OFFICER_PERMISSIONS[0], site))


def _site(context=None):
    from Products.CMFCore.interfaces import ISiteRoot
    from zope.component.hooks import getSite

    obj = context
    while obj is not None:
        if ISiteRoot.providedBy(obj):
            return obj
        obj = aq_parent(aq_inner(obj))
    site = getSite()
    return site if ISiteRoot.providedBy(site) else None


@contextmanager
def as_system():
    """Grant as the system does: for the ``hdnd`` command line's commands and
    tests. Importable only by code on the server, never through the web."""
    from AccessControl.users import system

    before = getSecurityManager()
    newSecurityManager(None, system)
    try:
        yield
    finally:
        setSecurityManager(before)


# The rules


def check_roles(principal_id, before, after, context=None):
    """Refuse the change of `principal_id`'s site-wide roles from `before` to
    `after` if the rules forbid it; return (granted, revoked)."""
    # Authenticated and Anonymous come with being signed in or not: callers
    # such as plone.api pass them along, but nothing is given by them.
    before, after = set(before or ()) - VIRTUAL_ROLES, set(after or ()) - VIRTUAL_ROLES
    granted, revoked = after - before, before - after
    if granted & set(LOCAL_ONLY_ROLES):
        raise GrantRefused(
            "roles",
            "the cleared roles (%s) are given only on classified items, never site-wide"
            % ", ".join(sorted(granted & set(LOCAL_ONLY_ROLES))),
        )
    if (granted | revoked) & set(GUARDED_ROLES) and not is_security_officer(context):
        raise GrantRefused("roles", "only a security officer gives or takes the SecurityOfficer role")
    return sorted(granted), sorted(revoked)


def check_membership(principal_id, group_id, adding, guarded_group, context=None):
    """Refuse adding `principal_id` to (or removing it from) `group_id` when
    the group is a security officers' group and the user is not one."""
    if guarded_group and not is_security_officer(context):
        verb = "adds people to" if adding else "removes people from"
        raise GrantRefused("users", f"only a security officer {verb} the group {group_id}")


def check_group_removal(group_id, guarded_group, context=None):
    if guarded_group and not is_security_officer(context):
        raise GrantRefused("groupname", f"only a security officer removes the group {group_id}")


def audit_roles(principal_id, granted, revoked, context=None):
    if not (granted or revoked):
        return
    from hdnd.content import audit

    site = _site(context)
    if site is None:
        logger.info("role change outside a site: %s +%s -%s", principal_id, granted, revoked)
        return
    audit.record("role_change", site, principal=principal_id, granted=list(granted), revoked=list(revoked))


def refused_local_roles(obj):
    """The reason to refuse the local roles stored on `obj` (unwrapped or
    not), or None: SecurityOfficer is never a local role; a cleared role is
    one only for those security.protect named on the item."""
    local = getattr(aq_base(obj), "__ac_local_roles__", None)
    if not local or callable(local):
        return None
    named = set(getattr(aq_base(obj), GRANTED, None) or ())
    for principal, roles in dict(local).items():
        roles = set(roles or ())
        if roles & set(GUARDED_ROLES):
            return f"roles: {OFFICER_ROLE} is held site-wide only, never as a local role (given to {principal})"
        if roles & set(LOCAL_ONLY_ROLES) and principal not in named:
            return (
                "roles: the cleared roles are given only by the item's classification and need "
                f"to know, never by hand (given to {principal})"
            )
    return None


def refused_permissions(obj):
    """The reason to refuse `obj`'s settings of the security officer's
    permissions, or None: only SecurityOfficer holds them, and they are not
    acquired (a role given them on the Zope root would otherwise reach in)."""
    state = getattr(aq_base(obj), "__dict__", {})
    for permission in OFFICER_PERMISSIONS:
        attribute = "_" + "".join(c if c.isalnum() else "_" for c in permission) + "_Permission"
        if attribute not in state:
            continue
        roles = state[attribute]
        if roles is None:
            continue
        if isinstance(roles, list) and _is_site(obj):
            return f"permissions: {permission} is not acquired on the site"
        if set(roles) - set(GUARDED_ROLES):
            return f"permissions: {permission} belongs to the {OFFICER_ROLE} role alone"
    return None


def _is_site(obj):
    from Products.CMFCore.interfaces import ISiteRoot

    return ISiteRoot.providedBy(obj)


def check_stored(obj):
    """Raise GrantRefused if `obj` holds a local role or permission setting
    the rules forbid (code running as the system is not exempt: nothing
    legitimate stores them)."""
    reason = refused_local_roles(obj) or refused_permissions(obj)
    if reason:
        field, _sep, text = reason.partition(": ")
        raise GrantRefused(field, text)


# Subscribers


def on_local_roles_modified(obj, event):
    """ILocalrolesModifiedEvent (the sharing page, @sharing): refused at once."""
    check_stored(obj)


def _changed_objects(txn):
    for resource in list(getattr(txn, "_resources", ()) or ()):
        yield from list(getattr(resource, "_registered_objects", ()) or ())
        yield from list((getattr(resource, "_added", None) or {}).values())


def check_before_commit(event):
    """IPubBeforeCommit: every object a request changed holds no local role or
    permission setting the rules forbid (the ZMI's Local roles and Security
    tabs, ``manage_setLocalRoles`` and the like store there directly)."""
    txn = transaction.get()
    if txn.isDoomed():
        return
    for obj in _changed_objects(txn):
        try:
            check_stored(obj)
        except GrantRefused:
            logger.warning("refused a stored grant on %r", obj)
            raise


# The guarded PAS plugins


def _guarded_groups(pas):
    """The groups of the site's group store (source_groups) that carry the
    security officers' role, or are theirs."""
    roles = getattr(aq_base(pas), "portal_role_manager", None)
    found = set(GUARDED_GROUPS)
    if roles is not None:
        for principal_id, held in aq_base(roles)._principal_roles.items():
            if set(held) & set(GUARDED_ROLES):
                found.add(principal_id)
    return found


def _stored_groups(pas, principal_id):
    """`principal_id`'s groups in source_groups, transitively (groups of
    groups): the memberships this gate has seen."""
    store = getattr(aq_base(pas), "source_groups", None)
    if store is None or not isinstance(aq_base(store), GuardedGroupManager):
        return set()
    memberships = aq_base(store)._principal_groups
    found, todo = set(), [principal_id]
    while todo:
        for group_id in memberships.get(todo.pop(), ()):
            if group_id not in found:
                found.add(group_id)
                todo.append(group_id)
    return found


def _guards(pas, group_id):
    """Does membership of `group_id` give a guarded role (or make its member
    part of a group that does)?"""
    guarded = _guarded_groups(pas)
    return group_id in guarded or bool(_stored_groups(pas, group_id) & guarded)


class GuardedRoleManager(GroupAwareRoleManager):
    """PlonePAS's role manager, whose every change of a principal's roles
    passes :func:`check_roles` and is audited."""

    meta_type = "Group Aware Role Manager"
    security = ClassSecurityInfo()

    def __init__(self, id, title=None):
        # GenericSetup's PAS import empties the plugin by calling __init__ on
        # it again: that takes every role, guarded ones included.
        for principal_id, held in list(getattr(self, "_principal_roles", {}).items()):
            check_roles(principal_id, held, (), context=self)
        super().__init__(id, title)

    def _inherited(self, principal_id, roles):
        """`roles` without the guarded roles the principal already holds
        through its groups: plone.api and plone.restapi pass a user's roles
        from groups back as roles of its own, which would otherwise store
        the officers' role on the person (an administrator giving an officer
        any role would be refused, and leaving the group would not take it)."""
        before = set(self._principal_roles.get(principal_id, ()))
        held = set()
        for group_id in _stored_groups(self._getPAS(), principal_id):
            held.update(self._principal_roles.get(group_id, ()))
        dropped = (held & set(GUARDED_ROLES)) - before
        return tuple(r for r in roles if r not in dropped)

    @security.protected(ManageUsers)
    def assignRoleToPrincipal(self, role_id, principal_id, REQUEST=None):
        if not self._inherited(principal_id, (role_id,)):
            return False
        before = tuple(self._principal_roles.get(principal_id, ()))
        granted, revoked = check_roles(principal_id, before, before + (role_id,), context=self)
        result = super().assignRoleToPrincipal(role_id, principal_id)
        audit_roles(principal_id, granted, revoked, context=self)
        return result

    @security.protected(ManageUsers)
    def assignRolesToPrincipal(self, roles, principal_id, REQUEST=None):
        roles = self._inherited(principal_id, roles)
        before = tuple(self._principal_roles.get(principal_id, ()))
        granted, revoked = check_roles(principal_id, before, roles, context=self)
        # Without the request: PlonePAS's method is wrapped by postonly too.
        result = GroupAwareRoleManager.assignRolesToPrincipal(self, roles, principal_id)
        self._invalidatePrincipalCache(principal_id)
        audit_roles(principal_id, granted, revoked, context=self)
        return result

    assignRolesToPrincipal = postonly(assignRolesToPrincipal)

    @security.private
    def removeRoleFromPrincipal(self, role_id, principal_id):
        before = tuple(self._principal_roles.get(principal_id, ()))
        after = tuple(r for r in before if r != role_id)
        granted, revoked = check_roles(principal_id, before, after, context=self)
        result = super().removeRoleFromPrincipal(role_id, principal_id)
        audit_roles(principal_id, granted, revoked, context=self)
        return result

    @security.private
    def getRolesForPrincipal(self, principal, request=None):
        """PlonePAS's answer, without the cleared roles (only ever local), and
        with SecurityOfficer only when this store gives it to the principal
        or to a group it belongs to in source_groups."""
        roles = set(super().getRolesForPrincipal(principal, request)) - set(LOCAL_ONLY_ROLES)
        if roles & set(GUARDED_ROLES):
            roles -= set(GUARDED_ROLES) - self._guarded_roles_of(principal)
        return tuple(roles)

    def _guarded_roles_of(self, principal):
        pas = self._getPAS()
        principal_id = principal.getId()
        ids = _stored_groups(pas, principal_id)
        is_group = bool(getattr(principal, "isGroup", lambda: False)())
        store = getattr(aq_base(pas), "source_groups", None)
        # A user whose id is a group's id does not hold the group's roles.
        if is_group or store is None or principal_id not in aq_base(store)._groups:
            ids.add(principal_id)
        held = set()
        for pid in ids:
            held.update(self._principal_roles.get(pid, ()))
        return held & set(GUARDED_ROLES)


InitializeClass(GuardedRoleManager)


class GuardedGroupManager(GroupManager):
    """PlonePAS's group manager, whose changes of a guarded group's members
    pass :func:`check_membership` (audited by PAS's own events)."""

    meta_type = "Group Manager"
    security = ClassSecurityInfo()

    def __init__(self, *args, **kw):
        # GenericSetup's PAS import empties the plugin by calling __init__.
        if "_principal_groups" in self.__dict__:
            for principal_id, groups in list(self._principal_groups.items()):
                for group_id in groups:
                    self._check(principal_id, group_id, adding=False)
        super().__init__(*args, **kw)

    def _check(self, principal_id, group_id, adding):
        check_membership(principal_id, group_id, adding, _guards(self._getPAS(), group_id), context=self)

    @security.private
    def addPrincipalToGroup(self, principal_id, group_id):
        self._check(principal_id, group_id, adding=True)
        return super().addPrincipalToGroup(principal_id, group_id)

    @security.private
    def removePrincipalFromGroup(self, principal_id, group_id):
        if group_id in self._principal_groups.get(principal_id, ()):
            self._check(principal_id, group_id, adding=False)
        return super().removePrincipalFromGroup(principal_id, group_id)

    @security.private
    def removeGroup(self, group_id):
        check_group_removal(group_id, _guards(self._getPAS(), group_id), context=self)
        return super().removeGroup(group_id)


InitializeClass(GuardedGroupManager)


# Installation

PLUGINS = {
    "portal_role_manager": (GroupAwareRoleManager, GuardedRoleManager),
    "source_groups": (GroupManager, GuardedGroupManager),
}


def install(portal):
    """Make the site's role and group stores the guarded ones (their data
    kept: the class of the stored object changes). Idempotent. Returns the
    ids of the plugins changed."""
    pas = portal.acl_users
    changed = []
    for plugin_id, (expected, guarded) in PLUGINS.items():
        plugin = aq_base(getattr(aq_base(pas), plugin_id))
        if type(plugin) is guarded:
            continue
        if type(plugin) is not expected:
            raise TypeError(f"acl_users/{plugin_id} is a {type(plugin).__name__}, not PlonePAS's {expected.__name__}")
        plugin.__class__ = guarded
        plugin._p_changed = True
        changed.append(plugin_id)
    if changed:
        # The user folder's record names its plugins' classes in its
        # references to them: rewrite it too.
        aq_base(pas)._p_changed = True
        logger.info("guarded plugins installed: %s", ", ".join(changed))
    return changed


def cleanup(portal):
    """Take away what was stored before the gate stood: cleared roles given
    site-wide (held locally only) and guarded roles given as local roles.
    Returns what it removed, as (where, principal, roles)."""
    removed = []
    roles = aq_base(portal.acl_users.portal_role_manager)
    for principal_id, held in list(roles._principal_roles.items()):
        kept = tuple(r for r in held if r not in LOCAL_ONLY_ROLES)
        if kept != tuple(held):
            roles._principal_roles[principal_id] = kept
            removed.append(("acl_users", principal_id, sorted(set(held) - set(kept))))
    catalog = portal.portal_catalog
    everything = catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath()))
    objects = [portal] + [b._unrestrictedGetObject() for b in everything]
    for obj in objects:
        local = getattr(aq_base(obj), "__ac_local_roles__", None)
        if not local or callable(local):
            continue
        named = set(getattr(aq_base(obj), GRANTED, None) or ())
        for principal, held in list(local.items()):
            bad = set(held) & set(GUARDED_ROLES)
            if principal not in named:
                bad |= set(held) & set(LOCAL_ONLY_ROLES)
            if bad:
                kept = [r for r in held if r not in bad]
                if kept:
                    local[principal] = kept
                else:
                    del local[principal]
                obj._p_changed = True
                removed.append(("/".join(obj.getPhysicalPath()), principal, sorted(bad)))
    if removed:
        from hdnd.content import audit

        for where, principal, taken in removed:
            audit.record("role_change", portal, principal=principal, granted=[], revoked=taken,
                         where=where, reason="stored before the grants gate")
    return removed
