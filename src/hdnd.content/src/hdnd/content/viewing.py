"""What the current user may see, and how a person is named: the checks
every listing, page and generated document makes before showing an item or
a person."""

from Acquisition import aq_base
from plone import api


def may_see(obj):
    """Whether the current user may view ``obj`` (None: nothing to see)."""
    return obj is not None and api.user.has_permission("View", obj=obj)


def visible(objects):
    """The objects the current user may view, in their order."""
    return [o for o in objects if may_see(o)]


def fullname(userid, unknown=None):
    """A user's full name; the user id when they have none. For an id that
    names no user (gone, Zope's own administrators, the system): ``unknown``,
    or the user id itself when ``unknown`` is None."""
    user = api.user.get(userid=userid) if userid else None
    if user is None:
        return (userid or "") if unknown is None else unknown
    return user.getProperty("fullname") or userid


class People:
    """Full names, each looked up once: a page or a listing names the same
    people again and again."""

    def __init__(self, unknown=None):
        self.unknown = unknown
        self.names = {}

    def __call__(self, userid):
        if userid not in self.names:
            self.names[userid] = fullname(userid, self.unknown)
        return self.names[userid]


def seen_as():
    """What decides what the current user may see and do, for a cache of
    what they see: their id, roles, groups and clearance. Local roles (the
    sharing page, a classified item's cleared readers) are not here: every
    change of them reindexes the item's security, which moves the catalog's
    counter, the other half of such a key (:func:`catalog_state`)."""
    from hdnd.content.clearance import get_clearance

    member = api.user.get_current()
    userid = member.getId()
    # Asked of the objects themselves (aq_base): the anonymous user comes
    # wrapped in acl_users and would acquire PAS's own getUser(name).
    user = member.getUser() if hasattr(aq_base(member), "getUser") else member
    groups = tuple(sorted(user.getGroups() or ())) if hasattr(aq_base(user), "getGroups") else ()
    return (userid, tuple(sorted(member.getRoles())), groups, get_clearance(userid),
            api.portal.get_current_language())


def catalog_state():
    """The catalog's counter, which every (un)indexing moves, with the
    transaction that last moved it (the same count can come back after a
    rollback, a test's or a restored backup's; the transaction's id does
    not); None while the current transaction has changed the catalog, whose
    counter may be reached again by other changes after an abort: nothing
    is to be kept on it."""
    catalog = api.portal.get_tool("portal_catalog")
    counter = catalog.getCounter()
    length = getattr(catalog, "_counter", None)
    if length is None:
        return (counter, None)
    if length._p_changed:
        return None
    return (counter, length._p_serial)
