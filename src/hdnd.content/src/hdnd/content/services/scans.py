"""REST of the searchable-scan queue (hdnd.content.searchable).

For the worker process (with its secret in ``X-HDND-Worker``; any other
request is refused as forbidden):

- ``POST /@hdnd-ocr-jobs``: the next job ``{uid, key, filename,
  content_type, data}``, or 204 when there is none;
- ``POST /@hdnd-ocr-result`` ``{uid, key, pdf, text}`` or ``{uid, key, error}``.

For staff: ``GET <item>/@hdnd-ocr`` (the item's state, for whoever may see
it), ``POST <item>/@hdnd-ocr`` (queue it again: who may edit it),
``GET /@hdnd-ocr-queue`` (the queue: the registry clerks and administrators,
listing only the items they may see).
"""

from hdnd.content import bodies
from hdnd.content import searchable
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

import base64
import binascii


def _refuse(request, status, field, message):
    request.response.setStatus(status)
    kind = {400: "BadRequest", 403: "Forbidden"}[status]
    return {"type": kind, "message": message, "errors": [{"field": field, "message": message}] if field else []}


def _not_worker(request):
    return _refuse(request, 403, "", "only the OCR worker (with its secret in X-HDND-Worker) takes jobs")


class WorkerService(Service):
    """The worker is no Plone user: its secret is the check (plone.restapi's
    "Use REST API" permission would ask anonymous for a login)."""

    def check_permission(self):
        return None


class TakeJob(WorkerService):
    def reply(self):
        if not searchable.is_worker(self.request):
            return _not_worker(self.request)
        alsoProvides(self.request, IDisableCSRFProtection)
        found = searchable.take()
        if found is None:
            return self.reply_no_content()
        obj, state = found
        return {"uid": api.content.get_uuid(obj), "key": state["key"], "attempt": state["attempts"],
                "filename": obj.file.filename, "content_type": obj.file.contentType,
                "data": base64.b64encode(obj.file.data).decode("ascii")}


class JobResult(WorkerService):
    def reply(self):
        if not searchable.is_worker(self.request):
            return _not_worker(self.request)
        alsoProvides(self.request, IDisableCSRFProtection)
        data = bodies.read(self.request, limit=bodies.LIMIT)
        for name in ("uid", "key"):
            if not isinstance(data.get(name), str) or not data.get(name):
                return _refuse(self.request, 400, name, f"{name}: the job's {name} is required")
        pdf = None
        if not data.get("error"):
            try:
                pdf = base64.b64decode(data.get("pdf") or "", validate=True)
            except (binascii.Error, ValueError):
                return _refuse(self.request, 400, "pdf", "pdf: not base64")
            if not pdf.startswith(b"%PDF"):
                return _refuse(self.request, 400, "pdf", "pdf: the searchable PDF is required (or error)")
        kept = searchable.finish(data["uid"], data["key"], pdf=pdf, text=str(data.get("text") or ""),
                                 error=str(data.get("error") or ""))
        return {"kept": kept}


class ItemStatus(Service):
    def reply(self):
        return searchable.status_of(self.context)


class ItemRetry(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return _refuse(self.request, 403, "", "only who may edit the item queues it again")
        searchable.retry(self.context)
        return searchable.status_of(self.context)


class Queue(Service):
    def reply(self):
        portal = api.portal.get()
        section = portal.get("van-ban")
        allowed = api.user.has_permission("Manage portal", obj=portal) or (
            section is not None and api.user.has_permission("hdnd: Add OfficialDocument", obj=section)
            and "RegistryClerk" in api.user.get_roles(obj=section))
        if not allowed:
            return _refuse(self.request, 403, "", "the OCR queue is for the registry clerks and administrators")
        return searchable.overview(lambda obj: api.user.has_permission("View", obj=obj))
