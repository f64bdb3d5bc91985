"""``POST <ballot>/@hdnd-vote {"choice": "for|against|other", "comment": "…",
"receipt": "…"}`` (a member casts or changes their own vote) and
``GET <ballot>/@hdnd-tally`` (the counts, provisional while the ballot is
open; the result and each member's vote on an open ballot once it has
closed; ``me``: whether the caller is a voter and has voted)."""

from hdnd.content import bodies
from hdnd.content import voting
from hdnd.content.core.voting import VotingError
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides


class Vote(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        body = bodies.read(self.request)
        userid = api.user.get_current().getId()
        try:
            receipt = voting.cast(
                self.context, userid, body.get("choice"), body.get("comment", ""), body.get("receipt")
            )
        except VotingError as error:
            raise BadRequest(str(error))
        result = {"@id": self.context.absolute_url(), "voted": True}
        if receipt:
            result["receipt"] = receipt
        return result


class Tally(Service):
    def reply(self):
        result = voting.tally(self.context, userid=api.user.get_current().getId())
        if result is None:
            raise BadRequest("ballot: not opened yet")
        return result
