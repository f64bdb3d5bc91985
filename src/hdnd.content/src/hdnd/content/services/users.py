"""``@users`` knows clearances: it shows a person's clearance to security
officers and to the person, and lets only security officers set it
(``PATCH @users/<id> {"clearance": "mat"}``).

Guarded roles: the security officer's role (and its group) are given only by
a security officer — never by an administrator, to themselves or anyone —
and the roles that open classified items never site-wide at all. The rule
is kept by the grants gate (hdnd.content.grants), where roles and
memberships are stored; ``POST``/``PATCH @users`` and ``@groups`` turn its
refusal into a 403 naming the field. Every role change is audited there.
"""

from hdnd.content import bodies
from hdnd.content import grants
from hdnd.content.clearance import can_manage_clearances
from hdnd.content.clearance import get_clearance
from hdnd.content.clearance import set_clearance
from hdnd.content.interfaces import IHdndContentLayer
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.user import SerializeUserToJson
from plone.restapi.services.groups.add import GroupsPost as BaseGroupsPost
from plone.restapi.services.groups.update import GroupsPatch as BaseGroupsPatch
from plone.restapi.services.users.add import UsersPost as BaseUsersPost
from plone.restapi.services.users.update import UsersPatch as BaseUsersPatch
from Products.CMFCore.interfaces import IMemberData
from zope.component import adapter
from zope.component import subscribers
from zope.interface import implementer
from zope.interface import Interface

import json
import transaction


@implementer(ISerializeToJson)
@adapter(IMemberData, IHdndContentLayer)
class SerializeUserWithClearance(SerializeUserToJson):
    def __call__(self):
        data = super().__call__()
        userid = self.context.getId()
        if can_manage_clearances() or api.user.get_current().getId() == userid:
            data["clearance"] = get_clearance(userid)
        return data


# The gate itself is in hdnd.content.grants, where roles and memberships are
# stored (so POST and PATCH, the control panels and the ZMI all pass it);
# these names stay here for whoever imported them.
GUARDED_ROLES = grants.GUARDED_ROLES
LOCAL_ONLY_ROLES = grants.LOCAL_ONLY_ROLES
GUARDED_GROUPS = grants.GUARDED_GROUPS


def through_gate(service, reply):
    """``reply()``, or a 403 naming the field when the grants gate refuses a
    grant it makes; nothing the request changed is kept."""
    try:
        return reply()
    except grants.GrantRefused as error:
        transaction.doom()
        service.request.response.setStatus(403)
        return {"error": {"type": "Forbidden", "message": str(error), "field": error.field}}


class IUserPatchCheck(Interface):
    """A rule the body of ``PATCH @users/<id>`` must meet, kept by another
    package (hdnd.policy: the password rules): a subscription adapter of the
    request. The one ``@users`` PATCH service asks each before it changes
    anything."""

    def __call__(userid, body):
        """A 400 body refusing ``body`` for ``userid``, or None."""


class UsersPatch(BaseUsersPatch):
    def reply(self):
        body = bodies.read(self.request, limit=bodies.LIMIT)  # a portrait comes in base64
        userid = self.params[0] if self.params else None
        for check in subscribers((self.request,), IUserPatchCheck):
            refused = check(userid, body)
            if refused is not None:
                return refused
        if "clearance" not in body:
            return through_gate(self, super().reply)
        level = body.pop("clearance")
        if not can_manage_clearances():
            return self._error(403, "Forbidden", "clearance: only a security officer sets clearances")
        result = None
        if body:
            self.request["BODY"] = json.dumps(body).encode("utf-8")
            result = through_gate(self, super().reply)
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
        bodies.read(self.request)  # a malformed body is a 400, not plone.restapi's 500
        return through_gate(self, super().reply)


class UsersPost(BaseUsersPost):
    def reply(self):
        def create():
            # The gate's rule, asked before Plone's own check (a site
            # administrator may only give roles they hold: a 401 that would
            # not name the field).
            for entry in _new_users(self.request):
                grants.check_roles(entry.get("username"), (), entry["roles"])
            return BaseUsersPost.reply(self)

        return through_gate(self, create)


def _new_users(request):
    """The users a JSON ``POST @users`` creates with roles (one or a list);
    none for a CSV upload or a body that is not JSON, which plone.restapi
    answers (their roles still pass the gate where they are stored)."""
    if request.form:
        return []
    try:
        data = json.loads(request.get("BODY") or b"{}")
    except ValueError:
        return []
    data = data if isinstance(data, list) else [data]
    return [d for d in data if isinstance(d, dict) and isinstance(d.get("roles"), list)]


class GroupsPost(BaseGroupsPost):
    def reply(self):
        return through_gate(self, super().reply)
