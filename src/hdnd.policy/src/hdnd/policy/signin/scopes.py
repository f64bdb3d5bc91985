"""Scoped tokens for other agencies' systems: a long-lived REST token that
opens the exchange endpoints and nothing else.

A service account has no phone for a second factor, and its password in a
configuration file would open whatever the account may see. Its token is a
plone.restapi JWT marked ``"scope": "exchange"``, kept server-side (so
signing the account out everywhere withdraws it) and refused with a 403 by
``check`` on any other URL.
"""

from Acquisition import aq_inner
from hdnd.content import audit
from hdnd.content.agencies import NO_EXCHANGE
from hdnd.content.installation import exchange_enabled
from hdnd.policy.publishing import is_service
from hdnd.policy.publishing import published_name
from hdnd.policy.signin import sessions
from hdnd.policy.signin.factors import SERVICE_GROUP
from plone import api
from Products.CMFCore.interfaces import ISiteRoot
from zExceptions import Forbidden

import time


SCOPE = "exchange"
# What an agency's system calls (hdnd.content.services; docs/rest.md, "Other agencies' systems").
EXCHANGE_SERVICES = frozenset({
    "@hdnd-receive", "@hdnd-receive-bulk", "@hdnd-edxml", "@hdnd-outbox", "@hdnd-delivery-status",
    "@hdnd-recall-request", "@hdnd-sent-status", "@changes", "@hdnd-openapi", "@logout",
})
DEFAULT_DAYS = 365


class ScopeError(ValueError):
    """No token for this account (the message says why)."""


def issue(userid, days=DEFAULT_DAYS, portal=None):
    """A new exchange token for an agency's service account; ``(token, expires)``."""
    if not exchange_enabled():
        raise ScopeError(NO_EXCHANGE)
    portal = portal or api.portal.get()
    user = portal.acl_users.getUserById(userid)
    if user is None:
        raise ScopeError(f"userid: no user {userid!r}")
    if SERVICE_GROUP not in (user.getGroups() or ()):
        raise ScopeError(f"userid: {userid} is not an agency's service account (group {SERVICE_GROUP})")
    if isinstance(days, bool) or not isinstance(days, (int, str)) or not str(days).isdigit() \
            or not 1 <= int(days) <= 3 * 365:
        raise ScopeError("days: a whole number of days, 1 to 1095")
    days = int(days)
    sessions.configure_tokens(portal)
    plugin = portal.acl_users[sessions.JWT_PLUGIN]
    token = plugin.create_token(userid, timeout=days * 86400, data={"scope": SCOPE})
    audit.record("agency_token_issued", None, login=userid, days=days)
    return token, time.time() + days * 86400


def scope_of(request):
    """The scope of the request's bearer token, if it has a valid one."""
    token = sessions.bearer(request)
    payload = sessions.claims(token, api.portal.get().acl_users) if token else None
    return (payload or {}).get("scope")


def check(event):
    """IPubAfterTraversal: an exchange token opens the exchange services only
    (decided on the service published, not on the URL's text: see publishing.py).
    The token is the one ``sessions.bearer`` reads, the only one that can sign
    in: a header of another shape is no credential (sessions.extract)."""
    request = event.request
    if not sessions.bearer(request):
        return
    try:
        scope = scope_of(request)
    except api.exc.CannotGetPortalError:
        return
    if scope is None:
        return  # a person's token: what the person may do
    if scope != SCOPE:  # a scope this site does not know opens nothing (fail closed)
        raise Forbidden("This token's scope opens nothing here.")
    published = request.get("PUBLISHED")
    on_site = ISiteRoot.providedBy(aq_inner(getattr(published, "context", None)))
    if not (on_site and is_service(request) and published_name(request) in EXCHANGE_SERVICES):
        raise Forbidden("This token opens only the exchange endpoints (@hdnd-receive, @hdnd-edxml, "
                        "@hdnd-outbox, @hdnd-delivery-status, @hdnd-recall-request, @changes).")
