"""REST of the preview queue (hdnd.content.previews), for the preview
worker only (its secret in ``X-HDND-Worker``, the same as the OCR worker's;
any other request is refused as forbidden):

- ``POST /@hdnd-preview-jobs``: the next office file to convert ``{uid,
  field, version, filename, content_type, data}``, or 204 when none waits;
- ``POST /@hdnd-preview-result`` ``{uid, field, version, pdf, pages}`` or
  ``{uid, field, version, error}``.

Staff never call these: they see the preview (or "being prepared") on the
item's work page.
"""

from hdnd.content import bodies
from hdnd.content import previews
from hdnd.content import searchable
from hdnd.content.services.scans import _refuse
from hdnd.content.services.scans import WorkerService
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from zope.interface import alsoProvides

import base64
import binascii


def _not_worker(request):
    return _refuse(request, 403, "", "only the preview worker (with its secret in X-HDND-Worker) takes jobs")


class TakeJob(WorkerService):
    def reply(self):
        if not searchable.is_worker(self.request):
            return _not_worker(self.request)
        alsoProvides(self.request, IDisableCSRFProtection)
        found = previews.take()
        if found is None:
            return self.reply_no_content()
        obj, name, state = found
        namedfile = getattr(obj, name)
        return {"uid": api.content.get_uuid(obj), "field": name, "version": state["version"],
                "attempt": state["attempts"], "filename": namedfile.filename,
                "content_type": namedfile.contentType, "data": base64.b64encode(namedfile.data).decode("ascii")}


class JobResult(WorkerService):
    def reply(self):
        if not searchable.is_worker(self.request):
            return _not_worker(self.request)
        alsoProvides(self.request, IDisableCSRFProtection)
        data = bodies.read(self.request, limit=bodies.LIMIT)
        for name in ("uid", "field", "version"):
            if not isinstance(data.get(name), str) or not data.get(name):
                return _refuse(self.request, 400, name, f"{name}: the job's {name} is required")
        pdf, pages = None, 0
        if not data.get("error"):
            try:
                pdf = base64.b64decode(data.get("pdf") or "", validate=True)
            except (binascii.Error, ValueError):
                return _refuse(self.request, 400, "pdf", "pdf: not base64")
            if not pdf.startswith(b"%PDF"):
                return _refuse(self.request, 400, "pdf", "pdf: the PDF is required (or error)")
            pages = data.get("pages")
            if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
                return _refuse(self.request, 400, "pages", "pages: the PDF's number of pages (1 or more)")
        kept = previews.finish(data["uid"], data["field"], data["version"], pdf=pdf, pages=pages,
                               error=str(data.get("error") or ""))
        return {"kept": kept}
