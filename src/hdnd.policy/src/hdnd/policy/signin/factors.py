"""The second factor of a person: who must have one, enrolling an
authenticator app, recovery codes, and an administrator's reset.

The secrets live in the sign-in guard (``plugin``, its store ``factors``), which asks
for the code at every password sign-in. Everything here runs in the
request's own transaction: it is the person at their own account page (or
an administrator), and the form's CSRF token guards it.
"""

from hdnd.content import audit
from hdnd.content.clearance import get_clearance
from hdnd.content.i18n import _
from hdnd.policy.signin import credentials
from hdnd.policy.signin import sessions
from hdnd.policy.signin.base import guard as guard_of_site
from hdnd.policy.signin.base import setting
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from zope.globalrequest import getRequest
from zope.i18n import translate

import time


# Roles that can read or change everything: always with a second factor.
ADMINISTRATORS = ("Manager", "Site Administrator")
# Other agencies' systems sign in with passwords or scoped tokens, never a phone.
SERVICE_GROUP = "agencies"


class FactorError(ValueError):
    """A step refused; the message (an i18n message) says why."""

    def text(self, request):
        return translate(self.args[0], context=request)


def required(user):
    """Must ``user`` (a PAS user) sign in with a second factor?
    Clearance holders and administrators must (domain: classified records),
    everyone when the office says so; other agencies' systems never."""
    if not setting("require_second_factor"):
        return False
    if set(user.getRoles()) & set(ADMINISTRATORS):
        return True  # even an administrator who is also in the agencies' group
    if SERVICE_GROUP in (user.getGroups() or ()):
        return False
    if setting("second_factor_for_all"):
        return True
    return get_clearance(user.getId()) != "none"


def enrolled(userid, guard=None):
    entry = (guard or guard_of_site()).peek("factors", userid)
    return bool(entry and entry.get("secret"))


def status(user, guard=None):
    guard = guard or guard_of_site()
    entry = guard.peek("factors", user.getId()) or {}
    return {
        "enrolled": bool(entry.get("secret")),
        "required": required(user),
        "enrolled_at": entry.get("enrolled"),
        "recovery_codes_left": sum(1 for one in entry.get("recovery", ()) if one),
    }


def begin(user, guard=None):
    """A new secret waiting for its first code; returns ``(secret, uri)``.
    Beginning again replaces a waiting secret (a new scan), never a confirmed one."""
    guard = guard or guard_of_site()
    if enrolled(user.getId(), guard):
        raise FactorError(_("error_factor_already", default="An authenticator app is already set up; turn it off or ask an administrator to reset it first."))
    secret = credentials.new_secret()
    guard.store("factors")[user.getId()] = PersistentMapping(pending=secret, begun=time.time())
    return secret, credentials.provisioning_uri(secret, f"{user.getUserName()}@{site_name()}")


def pending_secret(user, guard=None):
    entry = (guard or guard_of_site()).peek("factors", user.getId()) or {}
    return entry.get("pending")


def confirm(user, code, guard=None):
    """The first code from the app proves it has the secret: the factor is
    on. Returns the recovery codes, shown this once."""
    guard = guard or guard_of_site()
    secret = pending_secret(user, guard)
    if not secret:
        raise FactorError(_("error_factor_not_begun", default="Start the set-up first: no authenticator app is waiting to be confirmed."))
    step = credentials.totp_step(secret, code)
    if step is None:
        raise FactorError(_("error_factor_first_code", default="That code is not right. Check the time on your phone and type the code now shown."))
    codes = credentials.new_recovery_codes()
    guard.store("factors")[user.getId()] = PersistentMapping(
        secret=secret, last_step=step, enrolled=time.time(),
        recovery=PersistentList(credentials.recovery_digests(codes)))
    guard._audit("second_factor_enrolled", user.getUserName())
    # Sessions and tokens opened with the password alone end (one may be a
    # thief's); this browser goes on with a new session.
    sessions.sign_out_everywhere(user.getId(), guard)
    if getRequest() is not None:
        sessions.renew_browser_session(user.getId(), getRequest(), guard)
    return codes


def _check_current(guard, user, code):
    entry = guard.peek("factors", user.getId())
    if not entry or not entry.get("secret"):
        raise FactorError(_("error_factor_none", default="No authenticator app is set up for this account."))
    step = credentials.totp_step(entry["secret"], code, entry.get("last_step", 0))
    if step is None:
        raise FactorError(_("error_factor_code", default="That code is not right (a code works once; wait for the next one)."))
    entry["last_step"] = step
    return entry


def new_recovery_codes(user, code, guard=None):
    """Fresh recovery codes (the old ones stop working), with a current code."""
    guard = guard or guard_of_site()
    entry = _check_current(guard, user, code)
    codes = credentials.new_recovery_codes()
    entry["recovery"] = PersistentList(credentials.recovery_digests(codes))
    guard._audit("second_factor_recovery_renewed", user.getUserName())
    return codes


def turn_off(user, code, guard=None):
    """Only for those who need no second factor, and with a current code."""
    guard = guard or guard_of_site()
    if required(user):
        raise FactorError(_("error_factor_required", default="Your account must sign in with a second factor; an administrator can reset it if you lost your phone."))
    _check_current(guard, user, code)
    del guard.store("factors")[user.getId()]
    guard._audit("second_factor_removed", user.getUserName())


def reset(userid, guard=None):
    """An administrator's answer to a lost phone: the factor is gone, and
    the person enrols again at their next sign-in (their sessions end)."""
    guard = guard or guard_of_site()
    factors = guard.store("factors")
    if userid not in factors:
        return False
    del factors[userid]
    sessions.sign_out_everywhere(userid, guard)
    audit.record("second_factor_reset", None, login=userid)  # by the administrator
    return True


def site_name():
    return api.portal.get().getId()
