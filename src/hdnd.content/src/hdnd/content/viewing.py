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


def fullname(userid):
    """A user's full name; the user id when they have none or are gone."""
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") or userid) if user is not None else (userid or "")
