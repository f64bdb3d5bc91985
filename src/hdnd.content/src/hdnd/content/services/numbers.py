"""REST services that give numbers: ``@hdnd-register`` (arrival number of an
incoming document) and ``@hdnd-issue`` (number and symbol of an outgoing or
internal document). Both are safe to retry: a document keeps the number it
was given, and registering again returns it."""

from datetime import date
from hdnd.content import numbers
from hdnd.content.core.numbering import NumberingError
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
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
        body = json_body(self.request) if self.request.get("BODY") else {}
        day = _day(self.date_field, body.get(self.date_field))
        try:
            self.give(day)
        except NumberingError as error:
            raise BadRequest(str(error))
        return self.result()


class Register(NumberService):
    """POST /van-ban/doc/@hdnd-register {"arrival_date": "2026-03-03"}"""

    __name__ = "@hdnd-register"
    directions = ("incoming",)
    date_field = "arrival_date"

    def give(self, day):
        numbers.take_arrival_number(self.context, day)

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

    def give(self, day):
        numbers.take_number(self.context, day)

    def result(self):
        return {
            "@id": self.context.absolute_url(),
            "symbol": self.context.symbol,
            "number": self.context.number,
            "issue_date": self.context.issue_date.isoformat(),
        }
