"""REST services that give numbers: ``@hdnd-register`` (arrival number of an
incoming document) and ``@hdnd-issue`` (number and symbol of an outgoing or
internal document). They take the workflow's "register" and "issue"
transitions — with their guards: a draft is never numbered — and accept the
date. Both are safe to retry: a document keeps the number it was given, and
asking again returns it."""

from hdnd.content import bodies
from datetime import date
from hdnd.content.core.numbering import NumberingError
from hdnd.content.transitions import documents as steps
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from Products.CMFCore.WorkflowCore import WorkflowException
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides


def _day(name, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name}: expected a date as YYYY-MM-DD, got {value!r}")


class NumberService(Service):
    directions = ()
    date_field = None

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if self.context.direction not in self.directions:
            raise BadRequest(
                f"direction: this document is {self.context.direction}; "
                f"{self.__name__} is for {' or '.join(self.directions)} documents"
            )
        body = bodies.read(self.request)
        day = _day(self.date_field, body.get(self.date_field))
        if not self.already_given():
            transitions = [t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(self.context)]
            if self.transition not in transitions:
                raise BadRequest(
                    f"{self.transition}: not possible from state "
                    f"{api.content.get_state(self.context)}"
                )
            try:
                self.give(day)
            except (WorkflowException, NumberingError) as error:
                fields = getattr(error, "fields", ())  # metadata the step needs first
                if fields:
                    return bodies.bad_request(self.request, str(error),
                                              [{"field": name, "message": str(error)} for name in fields])
                raise BadRequest(str(error))
        return self.result()


class Register(NumberService):
    """POST /van-ban/doc/@hdnd-register {"arrival_date": "2026-03-03"}"""

    __name__ = "@hdnd-register"
    directions = ("incoming",)
    date_field = "arrival_date"

    transition = "register"

    def already_given(self):
        return bool(self.context.arrival_number)

    def give(self, day):
        steps.register(self.context, day)

    def result(self):
        return {
            "@id": self.context.absolute_url(),
            "arrival_number": self.context.arrival_number,
            "arrival_date": self.context.arrival_date.isoformat(),
        }


class Issue(NumberService):
    """POST /van-ban/doc/@hdnd-issue {"issue_date": "2026-03-03"}"""

    __name__ = "@hdnd-issue"
    directions = ("outgoing", "internal")
    date_field = "issue_date"

    transition = "issue"

    def already_given(self):
        return api.content.get_state(self.context) == "issued"

    def give(self, day):
        steps.issue(self.context, day)

    def result(self):
        return {
            "@id": self.context.absolute_url(),
            "symbol": self.context.symbol,
            "number": self.context.number,
            "issue_date": self.context.issue_date.isoformat(),
        }
