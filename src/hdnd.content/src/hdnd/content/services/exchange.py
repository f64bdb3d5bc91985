"""REST for other agencies' systems (service accounts in the ``agencies``
group, with the Agency role): send documents, read their status replies.

- ``POST /@hdnd-receive`` ``{"idempotency_key": "…", "symbol": "…", "title": "…",
  "issuing_body": "…", "issue_date": "2026-11-20", "files": [{"filename", "content_type",
  "data": <base64>}]}``: 201 with the new document, or 200 with the same one on a retry;
- ``POST /@hdnd-receive-bulk`` ``{"items": [ … ]}``: all or nothing, 400 with each
  refused item's errors;
- ``GET /@hdnd-sent-status?idempotency_key=…``: the status replies (01 … 06).
"""

from hdnd.content import exchange
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import transaction


def refuse(request, errors, message):
    request.response.setStatus(400)
    return {"type": "BadRequest", "message": message, "errors": errors}


def body_of(request):
    """The JSON object sent, or None (not JSON, or not an object): the
    exchange then answers with its own 400 naming what is missing."""
    try:
        return json_body(request)
    except DeserializationError:
        return None


class Receive(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body_of(self.request)
        try:
            document, created = exchange.receive(data, api.user.get_current().getId())
        except exchange.ExchangeError as error:
            transaction.doom()  # nothing of a refused document is kept
            return refuse(self.request, error.errors, str(error))
        self.request.response.setStatus(201 if created else 200)
        return {"@id": document.absolute_url(), "created": created,
                "idempotency_key": document.idempotency_key, "status": exchange.status_of(document)}


class ReceiveBulk(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body_of(self.request)
        items = data.get("items") if isinstance(data, dict) else None
        try:
            return {"items": exchange.receive_many(items, api.user.get_current().getId())}
        except exchange.BulkError as error:
            transaction.doom()
            self.request.response.setStatus(400)
            return {"type": "BadRequest", "message": str(error), "failures": error.failures}
        except exchange.ExchangeError as error:
            transaction.doom()
            return refuse(self.request, error.errors, str(error))


class SentStatus(Service):
    def reply(self):
        try:
            return exchange.sent_status(api.user.get_current().getId(), self.request.form.get("idempotency_key"))
        except exchange.ExchangeError as error:
            return refuse(self.request, error.errors, str(error))


class Changes(Service):
    """``GET /@changes?since=0&limit=100``: the change feed (hdnd.content.changes)."""

    def reply(self):
        from hdnd.content import changes

        form = self.request.form
        errors = []
        values = {}
        for name, default, top in (("since", 0, None), ("limit", changes.PAGE, 1000)):
            try:
                value = int(form.get(name, default))
            except (TypeError, ValueError):
                value = -1
            if value < (1 if name == "limit" else 0) or (top and value > top):
                errors.append({"field": name, "message": f"{name}: expected a whole number"
                               + (f" from 1 to {top}" if top else " from 0")})
            values[name] = value
        if errors:
            return refuse(self.request, errors, errors[0]["message"])
        return changes.feed(values["since"], values["limit"])


class OpenAPI(Service):
    """``GET /@hdnd-openapi``: the OpenAPI description of hdnd's endpoints."""

    def reply(self):
        from hdnd.content.openapi import description

        return description(self.context.absolute_url())
