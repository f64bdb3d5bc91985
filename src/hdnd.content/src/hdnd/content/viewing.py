"""What the current user may see, and how a person is named: the checks
every listing, page and generated document makes before showing an item or
a person."""

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
