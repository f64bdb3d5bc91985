"""REST twins of the incoming document's one-action buttons (hdnd.content.replies):

- ``POST <incoming>/@hdnd-reply`` (no body): the draft reply, prefilled and
  linked; 201 with its ``@id``, ``title``, ``recipients``, ``in_reply_to``
  and ``review_state``.
- ``POST <incoming>/@hdnd-forward {"lead_unit": "TH", "cooperating_units": [],
  "deadline": "2026-11-30", "proposal": "…", "instruction": "…",
  "assignees": ["cv-a"], "title": "…"}``: the processing slip; 201 with its
  ``@id``. A bad field is a 400 naming it; nothing is created then.
"""

from hdnd.content import bodies
from hdnd.content import replies
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides


def refuse(error):
    raise BadRequest(str(error))


class Reply(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        bodies.read(self.request)  # none is expected; a malformed one is still refused
        try:
            draft = replies.draft_reply(self.context)
        except replies.ReplyError as error:
            refuse(error)
        self.request.response.setStatus(201)
        return {"@id": draft.absolute_url(), "title": draft.title, "recipients": list(draft.recipients or ()),
                "in_reply_to": self.context.absolute_url(), "review_state": api.content.get_state(draft)}


FORWARD_FIELDS = ("lead_unit", "cooperating_units", "deadline", "proposal", "instruction", "assignees", "title")


class Forward(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = bodies.read(self.request)
        unknown = sorted(set(data) - set(FORWARD_FIELDS))
        if unknown:
            raise BadRequest(f"{unknown[0]}: not a field of the processing slip ({', '.join(FORWARD_FIELDS)})")
        if "lead_unit" not in data:
            raise BadRequest("lead_unit: the lead unit (đơn vị chủ trì) is required")
        try:
            slip = replies.forward(self.context, **data)
        except replies.ReplyError as error:
            refuse(error)
        self.request.response.setStatus(201)
        return {"@id": slip.absolute_url(), "title": slip.title, "lead_unit": slip.lead_unit,
                "deadline": slip.deadline.isoformat() if slip.deadline else None}
