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

A token is read from one place, ``bearer``, and only from a header of exactly
one scheme and one token of a JWT's shape (``Authorization: Bearer <jwt>``).
plone.restapi's plugin takes the last word of any ``Bearer …`` header, so
``Bearer x <token>`` signed in while the scope check, reading the whole rest,
found no token and no scope (found in review). Its extraction is therefore
switched off and the guard extracts in its place (``extract``): what is not
one well-formed token is no credential at all.

plone.session's own renewal (``acl_users/session/refresh``) is switched
off: it would re-sign any valid ticket, idle or signed out everywhere.
"""

from BTrees.OOBTree import OOBTree
from hdnd.content import audit
from hdnd.policy.signin.base import guard as guard_of_site
from hdnd.policy.signin.base import PLUGIN_ID
from hdnd.policy.signin.base import setting
from plone import api
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from Products.PluggableAuthService.interfaces.plugins import IExtractionPlugin
from zope.globalrequest import getRequest

import re
import time


SESSION_PLUGIN = "session"
JWT_PLUGIN = "jwt_auth"
RENEW_AFTER = 60  # seconds: how stale a ticket may be before it is renewed
TICKET_LIFETIME = 7 * 24 * 3600  # the session plugin's own limit, beyond any setting ours
SIGNED_IN_BY_TICKET = "hdnd.signed_in_by_ticket"  # request.environ: a valid ticket signed the request in

# Private methods of other packages' plugins, called here because neither
# offers a public way to do it (plone.session 4.x, plone.restapi 9.x):
# - plone.session's SessionPlugin._validateTicket: the only reader of a
#   ticket's data (its time and user data, where the sign-in's start is
#   kept); extractCredentials/authenticateCredentials give only the user;
# - SessionPlugin._setupSession: the only way to write a ticket carrying
#   user data (updateCredentials writes one without it, and would reset
#   the start of the session);
# - the JWT plugin's _decode_token: the only reader of a token's claims
#   (authenticateCredentials returns the user only);
# - the JWT plugin's _tokens: its server-side list of tokens by user, which
#   delete_token empties only one token at a time, and only a token one holds.


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
    if (stamp < now - setting("idle_minutes") * 60
            or started < now - setting("session_hours") * 3600
            or started < (guard.peek("signed_out", userid) or 0)):
        return None
    found = keeper.authenticateCredentials(credentials)
    request = getRequest()
    if found and request is not None:
        request.environ[SIGNED_IN_BY_TICKET] = True  # what csrf.py asks
        if stamp < now - RENEW_AFTER:
            keeper._setupSession(userid, request.response, tokens, f"started={int(started)}")
    return found


def signed_in_by_ticket(request):
    """Did a valid session ticket (the browser's cookie) sign this request in?"""
    return bool(getattr(request, "environ", {}).get(SIGNED_IN_BY_TICKET))


def started_at(user_data, stamp):
    """When the password was typed: kept in renewed tickets, the ticket's own time in the first."""
    if user_data.startswith("started="):
        try:
            return int(user_data[len("started="):])
        except ValueError:
            pass
    return stamp


# RFC 6750 2.1: "Bearer" 1*SP token (the scheme in any case, RFC 9110 11.1); the
# token a JWT: three base64url parts (header, claims, signature). Nothing before,
# after or between.
BEARER = re.compile(r"bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)", re.IGNORECASE)


def bearer(request):
    """The REST token the request carries (``Authorization: Bearer <jwt>``),
    or None — also for any other shape of the header (``Bearer x <jwt>``, two
    tokens, another scheme). ZPublisher moves the header to ``request._auth``."""
    auth = getattr(request, "_auth", None)
    match = BEARER.fullmatch(auth) if isinstance(auth, str) else None
    return match.group(1) if match else None


def extract(guard, request):
    """IExtractionPlugin, in place of plone.restapi's: a login and password
    in a JSON body (``@login``) as it reads them, a token only from ``bearer``."""
    tokens = getattr(guard._getPAS(), JWT_PLUGIN, None)
    if tokens is None:
        return None
    found = tokens.extractCredentials(request) or {}
    if "token" in found:
        token = bearer(request)
        return {"token": token} if token else None
    return found or None


def authenticate_token(guard, credentials):
    """A REST token the guard extracted, checked by plone.restapi's plugin
    (signature, expiry, the server-side list)."""
    tokens = getattr(guard._getPAS(), JWT_PLUGIN, None)
    if tokens is None or not BEARER.fullmatch(f"Bearer {credentials.get('token')}"):
        return None
    return tokens.authenticateCredentials({**credentials, "extractor": tokens.getId()})


def claims(token, pas):
    """The verified claims of a REST token, or None (not ours, expired, forged)."""
    tokens = getattr(pas, JWT_PLUGIN, None)
    payload = tokens._decode_token(token) if tokens is not None and token else None
    return payload if isinstance(payload, dict) else None


def started(request, guard=None):
    """When the caller of this request typed their password, if a session
    ticket or a REST token says so (None for HTTP Basic: that is now)."""
    guard = guard or guard_of_site()
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


def renewal(request, guard=None):
    """What a token renewing this request's credentials says, and when it
    ends: ``(claims, end)``. It keeps every claim of the token it renews
    (its ``scope`` above all: an exchange token never becomes one of full
    power) and ``started``; it ends when that token would have, and a
    person's token (no scope) at ``session_hours`` from the password."""
    guard = guard or guard_of_site()
    now = time.time()
    token = bearer(request)
    kept = dict(claims(token, guard._getPAS()) or {}) if token else {}
    end = kept.pop("exp", None)
    for name in ("sub", "iat", "nbf"):
        kept.pop(name, None)
    since = started(request, guard) or now
    kept["started"] = int(kept.get("started", since))
    ends = [end] if isinstance(end, (int, float)) else []
    if not kept.get("scope") or not ends:
        ends.append(kept["started"] + setting("session_hours") * 3600)
    return kept, min(ends)


def renew_browser_session(userid, request, guard=None):
    """A new ticket for this browser (after signing out everywhere from it)."""
    keeper = getattr((guard or guard_of_site())._getPAS(), SESSION_PLUGIN, None)
    if keeper is not None and keeper.extractCredentials(request).get("cookie"):
        keeper._setupSession(userid, request.response)


def sign_out_everywhere(userid, guard=None):
    """End every session and withdraw every REST token of ``userid``."""
    guard = guard or guard_of_site()
    guard.store("signed_out")[userid] = int(time.time())
    audit.record("signed_out_everywhere", None, login=userid)
    tokens = getattr(getattr(guard._getPAS(), JWT_PLUGIN, None), "_tokens", None)
    if tokens is not None and userid in tokens:
        del tokens[userid]


def install(portal):
    """The guard checks session tickets and extracts REST tokens; REST tokens
    are kept server-side and expire with the longest session."""
    pas = portal.acl_users
    keeper = getattr(pas, SESSION_PLUGIN, None)
    if keeper is not None:
        keeper.timeout = TICKET_LIFETIME
        keeper.refresh_interval = -1
        if SESSION_PLUGIN in pas.plugins.listPluginIds(IAuthenticationPlugin):
            pas.plugins.deactivatePlugin(IAuthenticationPlugin, SESSION_PLUGIN)
    # The guard extracts tokens where plone.restapi's plugin did (same place in
    # the order); the plugin stays the authenticator @login and @logout look for.
    extractors = list(pas.plugins.listPluginIds(IExtractionPlugin))
    if PLUGIN_ID not in extractors:
        pas.plugins.activatePlugin(IExtractionPlugin, PLUGIN_ID)
        if JWT_PLUGIN in extractors:
            for _ in range(len(extractors) - extractors.index(JWT_PLUGIN)):
                pas.plugins.movePluginsUp(IExtractionPlugin, [PLUGIN_ID])
    if JWT_PLUGIN in pas.plugins.listPluginIds(IExtractionPlugin):
        pas.plugins.deactivatePlugin(IExtractionPlugin, JWT_PLUGIN)
    configure_tokens(portal)


def configure_tokens(portal=None, hours=None):
    portal = portal or api.portal.get()
    tokens = getattr(portal.acl_users, JWT_PLUGIN, None)
    if tokens is None:
        return
    tokens.store_tokens = True
    if getattr(tokens, "_tokens", None) is None:
        tokens._tokens = OOBTree()
    tokens.token_timeout = int((hours or setting("session_hours")) * 3600)


def on_setting_changed(event):
    """The registry's session_hours also bounds the REST tokens made from now on."""
    record = getattr(event, "record", None)
    if record is not None and record.__name__ == "hdnd.signin.session_hours":
        configure_tokens(hours=event.newValue)
