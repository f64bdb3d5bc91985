"""REST for one's own sign-in security (the web page is browser/account.py).

- ``GET /@hdnd-two-factor``: is a second factor set up, is it required, how
  many recovery codes are left.
- ``POST /@hdnd-two-factor`` ``{"action": …, "code": …}``: ``begin`` (a new
  secret and its otpauth address), ``confirm`` (the first code; answers the
  recovery codes, shown once), ``recovery-codes`` (new ones, with a current
  code), ``turn-off`` (with a current code; not when it is required).
- ``POST /@hdnd-two-factor-reset`` ``{"userid": …}``: an administrator
  removes a person's factor (a lost phone); their sessions end.
- ``POST /@hdnd-sign-out-everywhere``: every session and token of the caller
  ends; an administrator may name ``{"userid": …}``.
- ``POST /@hdnd-agency-token`` ``{"userid": …, "days": 365}``: an
  administrator issues an exchange-only token for an agency's service
  account (scopes.py), shown once.
- ``POST /@logout``: plone.restapi's, which withdraws the token now that
  tokens are kept server-side; that is a write its own service does not
  declare safe, so plone.protect would roll it back.
"""

from hdnd.content import bodies
from hdnd.content.services.users import IUserPatchCheck
from hdnd.policy import signin
from hdnd.policy.interfaces import IHdndPolicyLayer
from hdnd.policy.signin import credentials
from hdnd.policy.signin import factors
from hdnd.policy.signin import scopes
from hdnd.policy.signin import sessions
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from plone.restapi.services.auth.logout import Logout as RestLogout
from zope.component import adapter
from zope.interface import alsoProvides
from zope.interface import implementer

import time


def bad_request(request, field, message):
    return bodies.bad_request(request, f"{field}: {message}", [{"field": field, "message": message}])


def body(request):
    """The JSON object sent, or None when it is not JSON. Only
    ``application/json`` is read: a form on another site can send text/plain
    (with the browser's cookies) but not JSON without the site's consent
    (CORS), so for JSON — and only JSON — plone.protect's form token is not
    needed. Malformed JSON is a 400 naming the problem (hdnd.content.bodies)."""
    if not bodies.is_json(request):
        return None
    alsoProvides(request, IDisableCSRFProtection)
    return bodies.read(request)


class TwoFactorStatus(Service):
    def reply(self):
        return factors.status(api.user.get_current())


class TwoFactor(Service):
    ACTIONS = ("begin", "confirm", "recovery-codes", "turn-off")

    def reply(self):
        data = body(self.request)
        if data is None or data.get("action") not in self.ACTIONS:
            return bad_request(self.request, "action", f"one of {', '.join(self.ACTIONS)}")
        user = api.user.get_current()
        code = data.get("code")
        if data["action"] != "begin" and not isinstance(code, str):
            return bad_request(self.request, "code", "the six-digit code your authenticator app shows now")
        try:
            if data["action"] == "begin":
                secret, uri = factors.begin(user)
                return {"secret": secret, "uri": uri, "qr_svg": credentials.qr_svg(uri)}
            if data["action"] == "confirm":
                return {"enrolled": True, "recovery_codes": factors.confirm(user, code)}
            if data["action"] == "recovery-codes":
                return {"recovery_codes": factors.new_recovery_codes(user, code)}
            factors.turn_off(user, code)
            return {"enrolled": False}
        except factors.FactorError as error:
            return bad_request(self.request, "code" if data["action"] != "begin" else "action", error.text(self.request))


class TwoFactorReset(Service):
    def reply(self):
        data = body(self.request)
        userid = data.get("userid") if data else None
        if not isinstance(userid, str) or api.user.get(userid=userid) is None:
            return bad_request(self.request, "userid", "the id of an existing user")
        return {"userid": userid, "was_enrolled": factors.reset(userid)}


class SignOutEverywhere(Service):
    def reply(self):
        data = body(self.request)
        if data is None:
            return bad_request(self.request, "body", "a JSON object (Content-Type: application/json), {} for oneself")
        me = api.user.get_current().getId()
        userid = data.get("userid") or me
        if userid != me and not api.user.has_permission("Manage portal"):
            self.request.response.setStatus(403)
            return {"type": "Forbidden", "message": "userid: only administrators sign others out"}
        if api.user.get(userid=userid) is None:
            return bad_request(self.request, "userid", "the id of an existing user")
        sessions.sign_out_everywhere(userid)
        return {"userid": userid, "signed_out": True}


class AgencyToken(Service):
    def reply(self):
        data = body(self.request) or {}
        try:
            token, expires = scopes.issue(str(data.get("userid") or ""), data.get("days", scopes.DEFAULT_DAYS))
        except scopes.ScopeError as error:
            field, _, message = str(error).partition(": ")
            return bad_request(self.request, field, message)
        return {"userid": data["userid"], "token": token, "scope": scopes.SCOPE,
                "expires": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires))}


class Renew(Service):
    """``POST /@login-renew``: a new token, but never past ``session_hours``
    from the password (plone.restapi's would give a full term every time,
    also to a browser session, which has an idle limit a token has not).
    The new token keeps what the one it replaces said — its scope, when the
    password was typed, its end — so no renewal widens or lengthens a token
    (sessions.renewal)."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # the caller's token, in a header
        user = api.user.get_current()
        tokens = getattr(api.portal.get().acl_users, sessions.JWT_PLUGIN, None)
        if api.user.is_anonymous() or tokens is None:
            self.request.response.setStatus(401)
            return {"type": "Unauthorized", "message": "Sign in first."}
        data, ends = sessions.renewal(self.request)
        left = int(ends - time.time())
        if left < 60:
            self.request.response.setStatus(401)
            return {"type": "Unauthorized", "message": "The session is over: sign in again."}
        token = tokens.create_token(user.getId(), timeout=left,
                                    data={**data, "fullname": user.getProperty("fullname")})
        old = sessions.bearer(self.request)
        if old:
            tokens.delete_token(old)
        return {"token": token}


@implementer(IUserPatchCheck)
@adapter(IHdndPolicyLayer)
class PasswordRules:
    """``PATCH @users/<id>`` with a ``password``: plone.restapi sets it
    without asking the password rules (its POST and reset-password do ask);
    hdnd.content's one PATCH service asks them here, for the user the URL
    names, before anything is changed."""

    def __init__(self, request):
        self.request = request

    def __call__(self, userid, body):
        password = body.get("password")
        if password is None:
            return None
        problems = signin.password_problems_for(str(password), userid)
        return bad_request(self.request, "password", " ".join(problems)) if problems else None


class Logout(RestLogout):
    def reply(self):
        # The token comes in a header no other site can make a browser send: no CSRF.
        alsoProvides(self.request, IDisableCSRFProtection)
        if getattr(self.request, "_auth", None) and sessions.bearer(self.request) is None:
            # plone.restapi would withdraw the last word of any "Bearer …" header: only
            # a well-formed one names a token (sessions.bearer), as for signing in.
            self.request.response.setStatus(400)
            return {"error": {"type": "Logout failed", "message": "Unknown token"}}
        return super().reply()
