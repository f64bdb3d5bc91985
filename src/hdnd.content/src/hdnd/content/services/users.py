"""``@users`` knows clearances: it shows a person's clearance to security
officers and to the person, and lets only security officers set it
(``PATCH @users/<id> {"clearance": "mat"}``).

Guarded roles: the security officer's role (and its group) and the roles
that open classified items are given only by a security officer — never by
an administrator to themselves — through ``@users`` and ``@groups``; the
cleared roles never site-wide at all. Every role change is audited.
"""

from hdnd.content import bodies
from hdnd.content.clearance import can_manage_clearances
from hdnd.content.clearance import get_clearance
from hdnd.content.clearance import set_clearance
from hdnd.content.interfaces import IHdndContentLayer
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.user import SerializeUserToJson
from plone.restapi.services.groups.update import GroupsPatch as BaseGroupsPatch
from plone.restapi.services.users.update import UsersPatch as BaseUsersPatch
from Products.CMFCore.interfaces import IMemberData
from zExceptions import Forbidden
from zope.component import adapter
from zope.interface import implementer

import json


@implementer(ISerializeToJson)
@adapter(IMemberData, IHdndContentLayer)
class SerializeUserWithClearance(SerializeUserToJson):
    def __call__(self):
        data = super().__call__()
        userid = self.context.getId()
        if can_manage_clearances() or api.user.get_current().getId() == userid:
            data["clearance"] = get_clearance(userid)
        return data


GUARDED_ROLES = ("SecurityOfficer",)
LOCAL_ONLY_ROLES = ("ClearedReader", "ClearedEditor", "ClearedContributor")
GUARDED_GROUPS = ("security-officers",)


def refused_roles(roles):
    """The reason to refuse granting ``roles`` (a dict or list), or None."""
    granted = [r for r, on in roles.items() if on] if isinstance(roles, dict) else list(roles or ())
    if set(granted) & set(LOCAL_ONLY_ROLES):
        return "roles: the cleared roles are given only on classified items, never site-wide"
    if set(granted) & set(GUARDED_ROLES) and not can_manage_clearances():
        return "roles: only a security officer gives the SecurityOfficer role"
    return None


def audit_role_change(what, principal, change):
    from hdnd.content import audit

    audit.record("role_change", None, principal=principal, change=what, value=json.dumps(change))


class UsersPatch(BaseUsersPatch):
    def reply(self):
        body = bodies.read(self.request, limit=bodies.LIMIT)  # a portrait comes in base64
        if "roles" in body:
            reason = refused_roles(body["roles"])
            if reason:
                return self._error(403, "Forbidden", reason)
            audit_role_change("roles", self._get_user_id, body["roles"])
        if "clearance" not in body:
            return super().reply()
        level = body.pop("clearance")
        if not can_manage_clearances():
            return self._error(403, "Forbidden", "clearance: only a security officer sets clearances")
        result = None
        if body:
            self.request["BODY"] = json.dumps(body).encode("utf-8")
            result = super().reply()
            if self.request.response.getStatus() >= 400:
                return result
        try:
            set_clearance(self._get_user_id, level)
        except ValueError as error:
            return self._error(400, "Bad Request", str(error))
        self.request.response.setStatus(204)
        return result


class GroupsPatch(BaseGroupsPatch):
    def reply(self):
        body = bodies.read(self.request)
        reason = refused_roles(body.get("roles") or ())
        adding = [u for u, on in (body.get("users") or {}).items() if on]
        if reason is None and adding and self._get_group_id in GUARDED_GROUPS and not can_manage_clearances():
            reason = "users: only a security officer adds people to the security officers"
        if reason:
            raise Forbidden(reason)
        if body.get("roles") or body.get("users"):
            audit_role_change("group", self._get_group_id, {k: body.get(k) for k in ("roles", "users")})
        return super().reply()
