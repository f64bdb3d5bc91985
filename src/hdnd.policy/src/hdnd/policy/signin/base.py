"""What every part of sign-in shares: the guard's id in acl_users, its
settings (registry ``hdnd.signin.*``) and how to find it. The bottom of the
package: it imports nothing of hdnd."""

from Acquisition import aq_base
from plone import api
from zope.component.hooks import getSite


PLUGIN_ID = "hdnd_signin"
PLONE_USERS = "source_users"
GUARDED = (PLONE_USERS,)
SETTINGS = {"max_failures": 5, "window": 15, "lock_minutes": 30, "min_length": 12,
            "password_history": 5, "password_max_days": 180, "require_second_factor": True,
            "second_factor_for_all": False, "idle_minutes": 30, "session_hours": 10}
STORES = ("attempts", "factors", "passwords", "signed_out")


def setting(name):
    value = api.portal.get_registry_record(f"hdnd.signin.{name}", default=None)
    return SETTINGS[name] if value is None else value


def guard(portal=None):
    return getattr((portal or api.portal.get()).acl_users, PLUGIN_ID, None)


def guard_for(request=None):
    """The guard of the site being published, or None (the Zope root, a plain site)."""
    pas = getattr(getSite(), "acl_users", None)
    if pas is None or getattr(aq_base(pas), PLUGIN_ID, None) is None:
        return None
    return getattr(pas, PLUGIN_ID)
