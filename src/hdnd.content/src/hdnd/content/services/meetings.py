"""REST of meetings: ``POST <folder>/@hdnd-schedule {"year": 2027}``,
``POST <meeting>/@hdnd-invite``, ``GET|POST <meeting>/@hdnd-attendance
{"present": [...]}``; of written consultations: ``POST <request>/@hdnd-remind``,
``GET <request>/@hdnd-summary``."""

from hdnd.content import bodies
from hdnd.content import consultation
from hdnd.content import meetings
from hdnd.content.core.voting import VotingError
from hdnd.content.mail import MailError
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides


class Schedule(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        year = bodies.read(self.request).get("year")
        if not isinstance(year, int) or not 1945 <= year <= 2100:
            raise BadRequest(f"year: expected a year such as 2027, got {year!r}")
        if "Meeting" not in {t.getId() for t in self.context.allowedContentTypes()}:
            raise BadRequest("folder: meetings are not kept here; schedule them in the meetings' folder")
        created = meetings.schedule(self.context, year)
        return {"created": [m.absolute_url() for m in created]}


def mail_unavailable(request, error):
    """503: the mail server, not the request, is at fault."""
    request.response.setStatus(503)
    return {"error": {"type": "ServiceUnavailable", "message": str(error)}}


class Invite(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            return {"sent": meetings.invite(self.context)}
        except MailError as error:
            return mail_unavailable(self.request, error)


class Attendance(Service):
    def reply(self):
        if self.request.method == "POST":
            alsoProvides(self.request, IDisableCSRFProtection)
            present = bodies.read(self.request).get("present")
            if not isinstance(present, list):
                raise BadRequest("present: expected a list of member ids")
            try:
                return meetings.record_attendance(self.context, present)
            except VotingError as error:
                raise BadRequest(str(error))
        return meetings.attendance(self.context)


class Remind(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            return {"reminded": consultation.remind(self.context)}
        except MailError as error:
            return mail_unavailable(self.request, error)


class Summary(Service):
    def reply(self):
        found = consultation.results(self.context)
        return {"summary": consultation.summary(self.context, found), "ballots": found,
                "final": all(b["final"] for b in found),
                "not_answered": consultation.not_answered(self.context)}


class Conclusion(Service):
    """POST <meeting>/@hdnd-conclusion {"text": "…"}: draft the notice."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        text = bodies.read(self.request).get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequest("text: the conclusions to notify are missing")
        notice = meetings.draft_conclusion(self.context, text.strip())
        return {"@id": notice.absolute_url(), "review_state": api.content.get_state(notice)}
