"""A signed-in person with a step still to take — enrol the second factor
their account requires, or replace an expired password — reaches only the
pages that take it (and signing out). Browsers are sent there; REST clients
get a 403 that says what to do.

This is what makes a password alone worth nothing to a clearance holder who
has not enrolled yet: it opens the enrolment page and nothing else.
"""

from AccessControl.SecurityManagement import getSecurityManager
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from hdnd.policy import signin
from hdnd.policy.publishing import is_static
from hdnd.policy.publishing import published_name
from hdnd.policy.signin import factors
from zExceptions import Forbidden
from zExceptions import Redirect


ACCOUNT_PAGE = "@@hdnd-account"
PASSWORD_PAGE = "@@change-password"
# The views and REST services that take the step, or sign in and out.
OPEN = {
    "hdnd-account", "@hdnd-two-factor", "@hdnd-sign-out-everywhere",
    "change-password", "login", "@login", "logout", "@logout", "logged-out", "favicon.ico",
}
MESSAGES = {
    "enrol": "Your account must sign in with a second factor: set up an authenticator app at @@hdnd-account first "
             "(REST: POST @hdnd-two-factor).",
    "password": "Your password has expired: choose a new one at @@change-password first "
                "(REST: POST @users/<id>/reset-password).",
}


def step_for(user, guard=None):
    """"enrol", "password" or None for a signed-in site user."""
    guard = guard or signin.guard()
    if guard is None:
        return None
    if not factors.enrolled(user.getId(), guard) and factors.required(user):
        return "enrol"
    if guard.password_expired(user.getId()):
        return "password"
    return None


def opens_step(request):
    """Is what is published one of the pages that take a step (or the site's look)?"""
    if is_static(request):
        return True
    name = published_name(request)
    if name == "@users":  # only the person's own password change
        path = (request.get("PATH_INFO") or "").rstrip("/")
        return request.get("REQUEST_METHOD") == "POST" and path.endswith("/reset-password")
    return name in OPEN


def check(event):
    """IPubAfterTraversal: keep a person with a step to take on its page."""
    request = event.request
    user = getSecurityManager().getUser()
    if user is None or user.getId() is None:
        return  # anonymous
    guard = signin.guard_for()
    # Only the site's own users: the Zope root's emergency administrator is not the site's to hold.
    if guard is None or aq_base(aq_parent(aq_inner(user))) is not aq_base(guard._getPAS()):
        return
    step = step_for(user, guard)
    if step is None:
        return
    if opens_step(request):
        return
    if "json" in (request.getHeader("Accept") or "") or request.get("REQUEST_METHOD") != "GET":
        raise Forbidden(MESSAGES[step])
    site = guard._getPAS().aq_parent
    raise Redirect(f"{site.absolute_url()}/{ACCOUNT_PAGE if step == 'enrol' else PASSWORD_PAGE}")
