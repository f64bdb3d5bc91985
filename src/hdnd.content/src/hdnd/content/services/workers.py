"""The services a worker process calls (hdnd.content.core.worker): take a
job (``TakeJob``: the next one, or 204 when none waits) and answer it
(``JobResult``: the PDF made, or the error). A worker's services
(services/scans.py, services/previews.py) say which queue they serve and
what a job holds; the checks are here, once.

The worker is no Plone user: the secret it shows in ``X-HDND-Worker`` is
the check (plone.restapi's "Use REST API" permission would ask anonymous
for a login); any other request is refused as forbidden.
"""

from hdnd.content import bodies
from hdnd.content.core import worker
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

import base64
import binascii
import hmac


def refuse(request, status, field, message):
    request.response.setStatus(status)
    kind = {400: "BadRequest", 403: "Forbidden"}[status]
    return {"type": kind, "message": message, "errors": [{"field": field, "message": message}] if field else []}


def is_worker(request):
    """Whether the request carries the workers' secret (set by ``hdnd serve``
    in every process's environment; without one no request is a worker's)."""
    secret = worker.secret()
    given = request.getHeader("X-HDND-Worker") or ""
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def encoded(namedfile):
    return base64.b64encode(namedfile.data).decode("ascii")


class WorkerService(Service):
    worker = "the worker"  # who may call, as the refusal names it

    def check_permission(self):
        return None

    def reply(self):
        if not is_worker(self.request):
            return refuse(self.request, 403, "", f"only {self.worker} (with its secret in X-HDND-Worker) takes jobs")
        alsoProvides(self.request, IDisableCSRFProtection)
        return self.answer()

    def answer(self):
        raise NotImplementedError


class TakeJob(WorkerService):
    """``take()`` the next job of the queue; ``job(found)`` what the worker is given of it."""

    def answer(self):
        found = self.take()
        if found is None:
            return self.reply_no_content()
        return self.job(*found)


class JobResult(WorkerService):
    """The worker's answer ``{<names>…, pdf, …}`` or ``{<names>…, error}``:
    the job's ``names`` are required, the PDF is checked (``checked`` checks
    what else the answer holds), then ``finish(data, pdf)`` keeps it."""

    names = ("uid",)
    pdf = "the PDF"  # what the worker makes, as a refusal names it

    def answer(self):
        data = bodies.read(self.request, limit=bodies.LIMIT)
        for name in self.names:
            if not isinstance(data.get(name), str) or not data.get(name):
                return refuse(self.request, 400, name, f"{name}: the job's {name} is required")
        pdf = None
        if not data.get("error"):
            try:
                pdf = base64.b64decode(data.get("pdf") or "", validate=True)
            except (binascii.Error, ValueError):
                return refuse(self.request, 400, "pdf", "pdf: not base64")
            if not pdf.startswith(b"%PDF"):
                return refuse(self.request, 400, "pdf", f"pdf: {self.pdf} is required (or error)")
            wrong = self.checked(data)
            if wrong:
                return refuse(self.request, 400, *wrong)
        return {"kept": self.finish(data, pdf)}

    def checked(self, data):
        """``(field, message)`` of what else is wrong in a job done, or None."""
        return None
