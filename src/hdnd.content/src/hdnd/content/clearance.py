"""Security clearances of people (Mật / Tối mật / Tuyệt mật): a property of a
person, separate from role (domain §1, §5), set only by a security officer.

Kept in the site's annotations rather than in member properties, so that no
"edit my profile" form or ``@users`` call can raise one's own clearance; the
``@users`` endpoint shows and (for security officers) sets it through the
adapters in services/users.py.
"""

from BTrees.OOBTree import OOBTree
from hdnd.content.core.levels import CLASSIFICATION
from hdnd.content.stores import stored
from plone import api
from zope.event import notify
from zope.interface import implementer
from zope.interface import Interface


ANNOTATION_KEY = "hdnd.content.clearances"
MANAGE_CLEARANCES = "hdnd: Manage clearances"


class IClearanceChangedEvent(Interface):
    """A person's clearance changed; classified items naming them follow."""


@implementer(IClearanceChangedEvent)
class ClearanceChanged:
    def __init__(self, userid, old, new):
        self.userid, self.old, self.new = userid, old, new


def _store(portal=None):
    portal = portal if portal is not None else api.portal.get()
    return stored(portal, ANNOTATION_KEY, OOBTree)


def get_clearance(userid):
    """"none", "mat", "toi_mat" or "tuyet_mat"."""
    if not userid:
        return "none"
    store = stored(api.portal.get(), ANNOTATION_KEY, OOBTree, create=False, default={})
    return store.get(userid) or "none"


def set_clearance(userid, level):
    """Set a clearance (the caller has checked the permission)."""
    if level not in CLASSIFICATION:
        raise ValueError(
            f"clearance: expected one of {', '.join(CLASSIFICATION)}, got {level!r}"
        )
    if api.user.get(userid=userid) is None:
        raise ValueError(f"clearance: no user {userid!r}")
    old = get_clearance(userid)
    if old != level:
        _store()[userid] = level
        notify(ClearanceChanged(userid, old, level))
    return level


def can_manage_clearances(context=None):
    return api.user.has_permission(MANAGE_CLEARANCES, obj=context or api.portal.get())
