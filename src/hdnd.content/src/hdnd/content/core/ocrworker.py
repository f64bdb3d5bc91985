"""The OCR worker process (issue 24): takes the queued scans from the site
over HTTP, makes each a searchable PDF with ocrmypdf, and sends it back.
``hdnd serve`` starts it beside the Zope server and stops it with it:

    python -m hdnd.content.core.ocrworker --url http://127.0.0.1:8080/hdnd

Its loop, its secret (``HDND_OCR_WORKER_SECRET``, set by ``hdnd serve``),
its start and stop are every worker's (hdnd.content.core.worker): stopping
it loses no job. Without the OCR packages it takes no job and says once
what is missing. No Zope import: it is a plain client.
"""

from __future__ import annotations

from hdnd.content.core import ocr
from hdnd.content.core import worker

import base64
import logging
import sys


stop = worker.stop


class Worker(worker.Worker):
    prog = "hdnd-ocr-worker"
    what = "OCR"
    jobs, result = "@hdnd-ocr-jobs", "@hdnd-ocr-result"
    names = ("uid", "key")
    lacking = "OCR packages missing (%s): scans wait in the queue"
    errors = (ocr.OCRError, ocr.OCRUnavailable, *worker.Worker.errors)
    logger = logging.getLogger("hdnd.ocrworker")

    def __init__(self, url, secret, idle=2.0, timeout=900):
        super().__init__(url, secret, idle=idle)
        self.timeout = timeout

    def missing(self):
        return ocr.missing(searchable=True)

    def work(self, job):
        data = base64.b64decode(job["data"])
        kind = ocr.kind_of(job.get("filename"), job.get("content_type")) or "pdf"
        pdf, text = ocr.searchable_pdf(data, kind=kind, timeout=self.timeout)
        return {"pdf": base64.b64encode(pdf).decode("ascii"), "text": text}


def start(site_url, idle=2.0):
    """Start the worker for ``hdnd serve`` (the first: it makes the run's secret)."""
    return worker.start("hdnd.content.core.ocrworker", site_url, idle=idle)


def main(argv=None):
    return Worker.main(argv, description=__doc__.split("\n\n")[0])


if __name__ == "__main__":
    sys.exit(main())
