"""``POST /@hdnd-unlock`` ``{"login": "…"}``: an administrator lifts the lock
the sign-in guard put on a login name (hdnd.policy.signin); audited there."""

from hdnd.policy import signin
from hdnd.policy.account import bad_request
from hdnd.policy.account import body
from plone.restapi.services import Service


class Unlock(Service):
    def reply(self):
        data = body(self.request)
        login = data.get("login") if data else None
        if not isinstance(login, str) or not login.strip():
            return bad_request(self.request, "login", "the login name to unlock")
        guard = signin.guard()
        locked = bool(guard is not None and guard.locked_until(login))
        if guard is not None:
            guard.unlock(login)
        return {"login": login, "was_locked": locked}
