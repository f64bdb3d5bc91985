"""How long a sign-in lasts: idle timeout, a longest session, and signing
out everywhere.

Browser sessions are plone.session's signed tickets (the ``__ac`` cookie).
The sign-in guard checks them in place of the session plugin (its
authentication is switched off, as for the password folders): a ticket
unused for ``idle_minutes``, older than ``session_hours`` since the password
was typed, or from before the person signed out everywhere, is no longer a
sign-in. A ticket in use is renewed about once a minute with its start time
carried along, so activity keeps it alive but never past the longest session.

REST tokens (``@login``'s JWT) are kept by plone.restapi's plugin in a
server-side list (``store_tokens``), so ``@logout`` and signing out
everywhere withdraw them; they last ``session_hours``, and ``@login-renew``
(account.Renew) never carries one past that from the password.

plone.session's own renewal (``acl_users/session/refresh``) is switched
off: it would re-sign any valid ticket, idle or signed out everywhere.
"""

from hdnd.policy import signin
from zope.globalrequest import getRequest

import time


SESSION_PLUGIN = "session"
JWT_PLUGIN = "jwt_auth"
RENEW_AFTER = 60  # seconds: how stale a ticket may be before it is renewed
TICKET_LIFETIME = 7 * 24 * 3600  # the session plugin's own limit, beyond any setting ours


def authenticate(guard, credentials):
    """The sign-in a plone.session ticket stands for, or None."""
    keeper = getattr(guard._getPAS(), SESSION_PLUGIN, None)
    if keeper is None:
        return None
    data = keeper._validateTicket(credentials["cookie"])
    if data is None:
        return None  # forged, or signed with a secret no longer kept
    _, userid, tokens, user_data, stamp = data
    now = time.time()
    started = started_at(user_data, stamp)
    if (stamp < now - signin.setting("idle_minutes") * 60
            or started < now - signin.setting("session_hours") * 3600
            or started < (guard.peek("signed_out", userid) or 0)):
        return None
    found = keeper.authenticateCredentials(credentials)
    request = getRequest()
    if found and request is not None and stamp < now - RENEW_AFTER:
        keeper._setupSession(userid, request.response, tokens, f"started={int(started)}")
    return found


def started_at(user_data, stamp):
    """When the password was typed: kept in renewed tickets, the ticket's own time in the first."""
    if user_data.startswith("started="):
        try:
            return int(user_data[len("started="):])
        except ValueError:
            pass
    return stamp


def bearer(request):
    """The REST token the request carries (``Authorization: Bearer …``), or
    None. ZPublisher moves the header to ``request._auth``, where plone.restapi
    reads it too."""
    auth = getattr(request, "_auth", None) or ""
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def claims(token, pas):
    """The verified claims of a REST token, or None (not ours, expired, forged)."""
    tokens = getattr(pas, JWT_PLUGIN, None)
    payload = tokens._decode_token(token) if tokens is not None and token else None
    return payload if isinstance(payload, dict) else None


def started(request, guard=None):
    """When the caller of this request typed their password, if a session
    ticket or a REST token says so (None for HTTP Basic: that is now)."""
    guard = guard or signin.guard()
    pas = guard._getPAS()
    token = bearer(request)
    if token:
        payload = claims(token, pas) or {}
        if "started" in payload:
            return payload["started"]
        issued = getattr(getattr(pas, JWT_PLUGIN, None), "_tokens", None) or {}
        return issued.get(payload.get("sub"), {}).get(token)
    keeper = getattr(pas, SESSION_PLUGIN, None)
    credentials = keeper.extractCredentials(request) if keeper is not None else {}
    data = keeper._validateTicket(credentials["cookie"]) if "cookie" in credentials else None
    return started_at(data[3], data[4]) if data else None


def renew_browser_session(userid, request, guard=None):
    """A new ticket for this browser (after signing out everywhere from it)."""
    keeper = getattr((guard or signin.guard())._getPAS(), SESSION_PLUGIN, None)
    if keeper is not None and keeper.extractCredentials(request).get("cookie"):
        keeper._setupSession(userid, request.response)


def sign_out_everywhere(userid, guard=None):
    """End every session and withdraw every REST token of ``userid``."""
    from hdnd.content import audit

    guard = guard or signin.guard()
    guard.store("signed_out")[userid] = int(time.time())
    audit.record("signed_out_everywhere", None, login=userid)
    tokens = getattr(getattr(guard._getPAS(), JWT_PLUGIN, None), "_tokens", None)
    if tokens is not None and userid in tokens:
        del tokens[userid]


def install(portal):
    """The guard checks session tickets; REST tokens are kept server-side
    and expire with the longest session."""
    from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin

    pas = portal.acl_users
    keeper = getattr(pas, SESSION_PLUGIN, None)
    if keeper is not None:
        keeper.timeout = TICKET_LIFETIME
        keeper.refresh_interval = -1
        if SESSION_PLUGIN in pas.plugins.listPluginIds(IAuthenticationPlugin):
            pas.plugins.deactivatePlugin(IAuthenticationPlugin, SESSION_PLUGIN)
    configure_tokens(portal)


def configure_tokens(portal=None, hours=None):
    from BTrees.OOBTree import OOBTree
    from plone import api

    portal = portal or api.portal.get()
    tokens = getattr(portal.acl_users, JWT_PLUGIN, None)
    if tokens is None:
        return
    tokens.store_tokens = True
    if getattr(tokens, "_tokens", None) is None:
        tokens._tokens = OOBTree()
    tokens.token_timeout = int((hours or signin.setting("session_hours")) * 3600)


def on_setting_changed(event):
    """The registry's session_hours also bounds the REST tokens made from now on."""
    record = getattr(event, "record", None)
    if record is not None and record.__name__ == "hdnd.signin.session_hours":
        configure_tokens(hours=event.newValue)
