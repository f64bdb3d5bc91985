"""REST for other agencies' systems (service accounts in the ``agencies``
group, with the Agency role): send documents, read their status replies.

- ``POST /@hdnd-receive`` ``{"idempotency_key": "…", "symbol": "…", "title": "…",
  "issuing_body": "…", "issue_date": "2026-11-20", "files": [{"filename", "content_type",
  "data": <base64>}]}``: 201 with the new document, or 200 with the same one on a retry;
- ``POST /@hdnd-receive-bulk`` ``{"items": [ … ]}``: all or nothing, 400 with each
  refused item's errors;
- ``GET /@hdnd-sent-status?idempotency_key=…``: the status replies (01 … 06, 13/15/16);
- ``POST /@hdnd-recall-request`` ``{"idempotency_key", "reason"}``: ask for a document back;
- ``POST /@hdnd-edxml`` (an edXML envelope as the body): a new document or a recall;
- ``GET /@hdnd-outbox?since=&limit=``: what the office sent the agency, as envelopes;
- ``POST /@hdnd-delivery-status``: the agency's status of a document it was sent
  (an edXML status message, or JSON ``{"document_id", "code", "description", "timestamp"}``).

For the office's staff, on an outgoing document: ``GET @hdnd-edxml`` (its
envelope), ``GET @hdnd-delivery`` (each agency's statuses); on a received one:
``POST @hdnd-recall`` ``{"accept": true|false, "reason"}``.
"""

from datetime import datetime
from hdnd.content import bodies
from hdnd.content import exchange
from hdnd.content import outbox
from hdnd.content.downloads import attachment
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides
from zope.interface import implementer

from Products.CMFCore.WorkflowCore import WorkflowException

import json
import transaction


def refuse(request, errors, message):
    return bodies.bad_request(request, message, errors)


def body_of(request):
    """The JSON object sent (hdnd.content.bodies: anything else is a 400
    naming the problem); the exchange then names what is missing in it.
    Documents come with their files in base64: the larger limit."""
    return bodies.read(request, limit=bodies.LIMIT)


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
            return {"items": exchange.receive_many(items, api.user.get_current().getId(), commit_every=exchange.PART)}
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


def created_or_same(request, document, created):
    request.response.setStatus(201 if created else 200)
    return {"@id": document.absolute_url(), "created": created,
            "idempotency_key": document.idempotency_key, "status": exchange.status_of(document)}


def agency_id():
    return api.user.get_current().getId()


@implementer(bodies.IReadsOwnBody)
class ReceiveEnvelope(Service):
    """``POST /@hdnd-edxml``: the body is the envelope (application/xml), or
    SOAP with attachments (multipart/related, Bkav eDoc's form)."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        body = self.request.get("BODY") or b""
        try:
            document, created = exchange.receive_envelope(body, agency_id(), self.request.getHeader("Content-Type"))
        except exchange.ExchangeError as error:
            transaction.doom()
            return refuse(self.request, error.errors, str(error))
        return created_or_same(self.request, document, created)


class RecallRequest(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body_of(self.request)
        data = data if isinstance(data, dict) else {}
        try:
            document, _changed = exchange.request_recall(agency_id(), data.get("idempotency_key"), data.get("reason"))
        except exchange.ExchangeError as error:
            transaction.doom()
            return refuse(self.request, error.errors, str(error))
        return exchange.sent_status(agency_id(), document.idempotency_key)


class Outbox(Service):
    def reply(self):
        values, errors = whole_numbers(self.request.form, (("since", 0, 0, None), ("limit", outbox.PAGE, 1, 100)))
        if errors:
            return refuse(self.request, errors, errors[0]["message"])
        from hdnd.content.core.signatures import SignatureError

        try:
            return outbox.messages(agency_id(), values["since"], values["limit"])
        except SignatureError as error:  # the body's key unusable: the office must mend it
            self.request.response.setStatus(503)
            return {"type": "ServiceUnavailable", "message": f"the office cannot sign its envelopes now: {error}"}


@implementer(bodies.IReadsOwnBody)  # edXML, or JSON read with bodies.read
class DeliveryStatus(Service):
    """An agency's status of a document the office sent it."""

    def reply(self):
        from hdnd.content import agencies
        from hdnd.content.core import edxml

        alsoProvides(self.request, IDisableCSRFProtection)
        body = self.request.get("BODY") or b""
        try:
            if body.lstrip()[:1] == b"<":
                status = edxml.parse_status(body)
                own = agencies.agency(agency_id()) or {}
                if status.sender.organ_id != own.get("organ_id"):
                    raise outbox.OutboxError("From/OrganId", f"{status.sender.organ_id} is not your organ")
                found = dict(document_id=status.response_for.document_id, code=status.code,
                             description=status.description, timestamp=status.timestamp)
            else:
                data = body_of(self.request)
                data = data if isinstance(data, dict) else {}
                found = dict(document_id=data.get("document_id"), code=data.get("code"),
                             description=str(data.get("description") or ""), timestamp=timestamp_of(data))
            document, created = outbox.report(agency_id(), **found)
        except edxml.EdxmlError as error:
            return refuse(self.request, [{"field": error.field, "message": str(error)}], str(error))
        except outbox.OutboxError as error:
            transaction.doom()
            return refuse(self.request, error.errors, str(error))
        self.request.response.setStatus(201 if created else 200)
        return {"document_id": found["document_id"], "created": created}


def timestamp_of(data):
    # Required: the time names the status, so that a retry is the same status.
    value = data.get("timestamp")
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise outbox.OutboxError("timestamp", "an ISO 8601 time with its offset, e.g. 2026-11-20T09:30:00+07:00")
    return moment


class ExportEnvelope(Service):
    """``GET <document>/@hdnd-edxml``: the envelope of an issued document."""

    def render(self):
        from hdnd.content import audit
        from hdnd.content import envelopes
        from hdnd.content import signing
        from hdnd.content.core import edxml
        from hdnd.content.core.signatures import SignatureError
        from hdnd.content.security import effective_classification

        self.check_permission()  # "Use REST API", as Service.render would
        document = self.context
        problem = None
        if effective_classification(document) != "none":
            problem = {"field": "classification", "message": "classification: a classified document is never exported"}
        elif api.content.get_state(obj=document) not in ("issued", "recalled", "superseded"):
            problem = {"field": "review_state", "message": "review_state: only an issued document is exported"}
        if problem is None:
            try:
                data = signing.sign_envelope(edxml.build(envelopes.envelope_of(document, to=None)))
            except (envelopes.EnvelopeError, edxml.EdxmlError) as error:
                problem = {"field": error.field, "message": str(error)}
            except SignatureError as error:
                problem = {"field": "body_key", "message": str(error)}
        if problem:
            self.request.response.setStatus(400)
            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps({"type": "BadRequest", "message": problem["message"], "errors": [problem]})
        audit.record("exported_edxml", document)
        return attachment(self.request.response, data, f"{document.getId()}.edxml.xml", "application/xml")


class Delivery(Service):
    def reply(self):
        return {"items": outbox.delivery(self.context)}


class RecallDecision(Service):
    """``POST <document>/@hdnd-recall``: the office accepts or refuses a recall."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body_of(self.request)
        data = data if isinstance(data, dict) else {}
        workflow = api.portal.get_tool("portal_workflow")
        if getattr(self.context, exchange.RECALL, None) and "withdraw" not in {t["id"] for t in workflow.getTransitionsFor(self.context)}:
            self.request.response.setStatus(403)
            return {"type": "Forbidden", "message": "only who may withdraw the document answers its recall"}
        try:
            exchange.decide_recall(self.context, data.get("accept"), data.get("reason") or "")
        except exchange.ExchangeError as error:
            transaction.doom()
            return refuse(self.request, error.errors, str(error))
        except WorkflowException as error:
            transaction.doom()
            return refuse(self.request, [{"field": "accept", "message": str(error)}], str(error))
        return {"review_state": api.content.get_state(obj=self.context), "status": exchange.status_of(self.context)}


def whole_numbers(form, specs):
    """Read whole-number parameters ``(name, default, low, high)``: values
    and the errors naming each bad one."""
    values, errors = {}, []
    for name, default, low, high in specs:
        try:
            value = int(form.get(name, default))
        except (TypeError, ValueError):
            value = low - 1
        if value < low or (high and value > high):
            errors.append({"field": name, "message": f"{name}: expected a whole number from {low}"
                           + (f" to {high}" if high else "")})
        values[name] = value
    return values, errors


class Changes(Service):
    """``GET /@changes?since=<cursor>&limit=100``: the change feed (hdnd.content.changes)."""

    def reply(self):
        from hdnd.content import changes

        values, errors = whole_numbers(self.request.form, (("limit", changes.PAGE, 1, 1000),))
        if errors:
            return refuse(self.request, errors, errors[0]["message"])
        try:  # an opaque cursor (see hdnd.content.changes), not a number
            return changes.feed(self.request.form.get("since"), values["limit"])
        except changes.BadCursor as error:
            return refuse(self.request, [{"field": "since", "message": str(error)}], str(error))


class OpenAPI(Service):
    """``GET /@hdnd-openapi``: the OpenAPI description of hdnd's endpoints."""

    def reply(self):
        from hdnd.content.openapi import description

        return description(self.context.absolute_url())
