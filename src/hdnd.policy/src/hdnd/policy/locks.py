"""No item is locked by a GET (issue 21: GETs never write).

Plone locks an item when its edit form is opened (plone.app.lockingbehavior
hears IEditBegunEvent, which the form's GET fires) and unlocks it when the
form is saved or cancelled: a GET that writes the item and its annotations,
and a lock left behind by anyone who opens the form and walks away. The
lock asks ``ILockSettings`` of the item before it is taken; this adapter
answers "no lock" while the request is a GET or HEAD, and Plone's own
setting (Editing control panel, ``plone.lock_on_ttw_edit``) otherwise: a
lock asked for by a POST (a rename, plone.locking's create_lock) is taken as
before. Two people who opened the same item's form are not told by a lock:
the later save is refused instead (versions.py, optimistic concurrency), as a
PATCH with If-Match is over REST.
"""

from plone.base.interfaces import IEditingSchema
from plone.locking.interfaces import ILockSettings
from plone.locking.interfaces import ITTWLockable
from plone.registry.interfaces import IRegistry
from zope.component import adapter
from zope.component import getUtility
from zope.globalrequest import getRequest
from zope.interface import implementer


@implementer(ILockSettings)
@adapter(ITTWLockable)
class LockSettings:
    def __init__(self, context):
        self.context = context

    @property
    def lock_on_ttw_edit(self):
        request = getRequest()
        if request is not None and request.get("REQUEST_METHOD", "GET") in ("GET", "HEAD"):
            return False
        settings = getUtility(IRegistry).forInterface(IEditingSchema, prefix="plone", check=False)
        return settings.lock_on_ttw_edit is not False
