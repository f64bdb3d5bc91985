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

from hdnd.content import searchable
from hdnd.content.services import workers
from hdnd.content.services.workers import refuse
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


class TakeJob(workers.TakeJob):
    worker = "the OCR worker"
    take = staticmethod(searchable.take)

    def job(self, obj, state):
        return {"uid": api.content.get_uuid(obj), "key": state["key"], "attempt": state["attempts"],
                "filename": obj.file.filename, "content_type": obj.file.contentType,
                "data": workers.encoded(obj.file)}


class JobResult(workers.JobResult):
    worker = "the OCR worker"
    names = ("uid", "key")
    pdf = "the searchable PDF"

    def finish(self, data, pdf):
        return searchable.finish(data["uid"], data["key"], pdf=pdf, text=str(data.get("text") or ""),
                                 error=str(data.get("error") or ""))


class ItemStatus(Service):
    def reply(self):
        return searchable.status_of(self.context)


class ItemRetry(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return refuse(self.request, 403, "", "only who may edit the item queues it again")
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
            return refuse(self.request, 403, "", "the OCR queue is for the registry clerks and administrators")
        return searchable.overview(lambda obj: api.user.has_permission("View", obj=obj))
