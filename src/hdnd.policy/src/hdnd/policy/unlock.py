"""``POST /@hdnd-unlock`` ``{"login": "…"}``: an administrator lifts the lock
the sign-in guard put on a login name (hdnd.policy.signin); audited there."""

from hdnd.policy import signin
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides


class Unlock(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except DeserializationError:
            data = None
        login = data.get("login") if isinstance(data, dict) else None
        if not isinstance(login, str) or not login.strip():
            self.request.response.setStatus(400)
            message = "login: the login name to unlock"
            return {"type": "BadRequest", "message": message, "errors": [{"field": "login", "message": message}]}
        guard = signin.guard()
        locked = bool(guard is not None and guard.locked_until(login))
        if guard is not None:
            guard.unlock(login)
        return {"login": login, "was_locked": locked}
