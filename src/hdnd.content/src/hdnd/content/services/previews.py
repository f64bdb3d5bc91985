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

from hdnd.content import previews
from hdnd.content.services import workers
from plone import api


class TakeJob(workers.TakeJob):
    worker = "the preview worker"
    take = staticmethod(previews.take)

    def job(self, obj, name, state):
        namedfile = getattr(obj, name)
        return {"uid": api.content.get_uuid(obj), "field": name, "version": state["version"],
                "attempt": state["attempts"], "filename": namedfile.filename,
                "content_type": namedfile.contentType, "data": workers.encoded(namedfile)}


class JobResult(workers.JobResult):
    worker = "the preview worker"
    names = ("uid", "field", "version")

    def checked(self, data):
        pages = data.get("pages")
        if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
            return "pages", "pages: the PDF's number of pages (1 or more)"
        return None

    def finish(self, data, pdf):
        return previews.finish(data["uid"], data["field"], data["version"], pdf=pdf,
                               pages=data.get("pages") if pdf is not None else 0,
                               error=str(data.get("error") or ""))
