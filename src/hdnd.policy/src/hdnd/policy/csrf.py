"""Cross-site request forgery: one rule for every request that changes
something, whatever publishes it — a page, a form, a REST service of hdnd or
of Plone, through ``++api++`` or ``Accept: application/json``.

A browser adds the session cookie (``__ac``) to requests another site makes
it send. plone.protect guards Plone's pages (its token in every form, its
check of writes), but plone.restapi's services are not held by it, and hdnd's
services read only JSON bodies — which left a service that reads no body
(``@hdnd-register``) open to a ``text/plain`` form post from another site
(found in review; SameSite=Lax does not stop another port or subdomain of
the same site).

So, after traversal, before anything runs: a request whose sign-in is the
session cookie and whose method may change state (anything but GET, HEAD,
OPTIONS) must carry plone.protect's token (``_authenticator`` in the form or
query, or the ``X-CSRF-TOKEN`` header, as Plone's own scripts send it) or be
``Content-Type: application/json``, which no other site can make a browser
send without asking this one first (CORS preflight, which this site does not
grant). Otherwise it is refused with a 403 and nothing runs.

Requests signed in by a header — a REST token (``Authorization: Bearer``) or
HTTP Basic — are not cookie requests: no other site can make a browser add
the header. Nor is a sign-in by the login form's password (an old, expired
cookie beside it): it is the password, not the cookie, that signs it in.
"""

from AccessControl.SecurityManagement import getSecurityManager
from hdnd.policy.signin import sessions
from plone.protect.authenticator import check as check_token
from zExceptions import Forbidden


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MESSAGE = ("A change sent with the browser's session cookie needs the form's token (_authenticator, "
           "or the X-CSRF-TOKEN header) or a JSON body (Content-Type: application/json).")


def is_json(request):
    media_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    return media_type == "application/json"


def signed_in_by_header(request):
    """A REST token or HTTP Basic: credentials no other site can make a browser send."""
    auth = getattr(request, "_auth", None)
    if not isinstance(auth, str):
        return False
    return sessions.bearer(request) is not None or auth.lower().startswith("basic ")


def cookie_request(request):
    """Is the request signed in by the session cookie (and nothing a browser would not add by itself)?"""
    user = getSecurityManager().getUser()
    if user is None or user.getId() is None:
        return False  # anonymous: nobody's rights to borrow
    return sessions.signed_in_by_ticket(request) and not signed_in_by_header(request)


def check(event):
    """IPubAfterTraversal: refuse a state-changing cookie request without the token or JSON."""
    request = event.request
    if (request.get("REQUEST_METHOD") or "GET").upper() in SAFE_METHODS:
        return
    if not cookie_request(request) or is_json(request):
        return
    try:
        check_token(request)
    except Forbidden:
        raise Forbidden(MESSAGE) from None
