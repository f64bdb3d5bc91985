"""``@users`` knows clearances: it shows a person's clearance to security
officers and to the person, and lets only security officers set it
(``PATCH @users/<id> {"clearance": "mat"}``)."""

from hdnd.content.clearance import can_manage_clearances
from hdnd.content.clearance import get_clearance
from hdnd.content.clearance import set_clearance
from hdnd.content.interfaces import IHdndContentLayer
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.user import SerializeUserToJson
from plone.restapi.services.users.update import UsersPatch as BaseUsersPatch
from Products.CMFCore.interfaces import IMemberData
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


class UsersPatch(BaseUsersPatch):
    def reply(self):
        body = json.loads(self.request.get("BODY") or "{}")
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
