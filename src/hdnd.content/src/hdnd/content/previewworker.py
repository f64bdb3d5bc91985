"""The preview worker process (issue 20): takes the queued office files from
the site over HTTP, has LibreOffice (its own, kept running) make a PDF of each, and sends it back
with its page count, so that the work page shows a file's pages without
converting anything in the person's request. ``hdnd serve`` starts it
beside the Zope server and the OCR worker, and stops it with them:

    python -m hdnd.content.previewworker --url http://127.0.0.1:8080/hdnd --folder var/preview-worker

Its loop, its secret (the OCR worker's, set by ``hdnd serve`` for every
process), its start and stop are every worker's (hdnd.content.core.worker):
it keeps nothing but its LibreOffice's profile and scratch files in
``--folder``, so stopping it at any moment loses no job. Without LibreOffice
it takes no job and says once what is missing. No Zope import: it is a
plain client.
"""

from __future__ import annotations

from hdnd.content.core import preview
from hdnd.content.core import worker
from pathlib import Path

import base64
import logging
import shutil
import sys
import tempfile


logger = logging.getLogger("hdnd.previewworker")


def missing():
    """What the worker lacks on this machine (Debian packages)."""
    lacking = []
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        lacking.append("libreoffice-writer-nogui")
    if not shutil.which("pdfinfo"):
        lacking.append("poppler-utils")
    return lacking


def _suffix(filename):
    suffix = Path(filename or "file").suffix.lower()
    return suffix if suffix in preview.OFFICE_SUFFIXES else ".docx"


def _pages(pdf, folder):
    with tempfile.TemporaryDirectory(dir=folder) as work:
        path = Path(work) / "file.pdf"
        path.write_bytes(pdf)
        return preview.page_count(path)


def convert(data, filename, folder):
    """An office file's bytes -> (PDF bytes, pages), by a LibreOffice started
    for this one file (``soffice --convert-to pdf``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pdf = preview.office_to_pdf(data, _suffix(filename), folder)
    return pdf, _pages(pdf, folder)


class Worker(worker.Worker):
    """Every worker's loop (hdnd.content.core.worker: take, do, answer; wait
    when idle) with the preview's job.

    LibreOffice is kept running for the worker's life (its own, on a free
    port of 127.0.0.1, its profile in ``folder``; not the one that generates
    documents for requests), with the converter that stays connected
    (hdnd.content.docgen.libreoffice): a small file in a fraction of a second
    where a LibreOffice started per file takes seconds. Should that fail (no
    python3-uno, LibreOffice stuck), the file is converted by a LibreOffice
    of its own, as ``convert`` does. ``close()`` stops it."""

    prog = "hdnd-preview-worker"
    what = "preview"
    jobs, result = "@hdnd-preview-jobs", "@hdnd-preview-result"
    names = ("uid", "field", "version")
    lacking = "LibreOffice missing (%s): office files wait for their preview"
    errors = (preview.PreviewError, *worker.Worker.errors)
    logger = logger

    def __init__(self, url, secret, folder, idle=2.0):
        super().__init__(url, secret, idle=idle)
        self.folder = Path(folder)
        self.office = None
        self.port = None
        self.python = None

    def _kept(self, data, filename):
        from hdnd.content.docgen import libreoffice

        if self.office is None or self.office.poll() is not None:
            self.close()
            self.port = _free_port()
            self.office = libreoffice.start(self.port, self.folder, wait=90)
            self.python = libreoffice.uno_python(self.folder / "uno")
        with tempfile.TemporaryDirectory(dir=self.folder) as work:
            source, result = Path(work) / f"file{_suffix(filename)}", Path(work) / "file.pdf"
            source.write_bytes(data)
            libreoffice.convert(str(source), str(result), python=self.python, port=self.port)
            return result.read_bytes()

    def convert(self, data, filename):
        from hdnd.content.docgen import libreoffice

        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            pdf = self._kept(data, filename)
        except (libreoffice.ConversionFailed, RuntimeError, OSError) as error:
            logger.info("the kept LibreOffice did not convert %s (%s): once more with its own", filename, error)
            return convert(data, filename, self.folder)
        if not pdf.startswith(b"%PDF"):
            raise preview.PreviewError("LibreOffice made no PDF of the file")
        return pdf, _pages(pdf, self.folder)

    def close(self):
        from hdnd.content.docgen import libreoffice

        office, self.office = self.office, None
        libreoffice.stop(office)
        if office is not None:  # its profile was for that port: none left behind
            shutil.rmtree(self.folder / f"lo-profile-{self.port}", ignore_errors=True)

    def missing(self):
        return missing()

    def work(self, job):
        pdf, pages = self.convert(base64.b64decode(job["data"]), job.get("filename"))
        return {"pdf": base64.b64encode(pdf).decode("ascii"), "pages": pages}

    def told(self, job, answer):
        return f"{answer['pages']} pages"

    @classmethod
    def arguments(cls, parser):
        parser.add_argument("--folder", required=True, help="LibreOffice's profile and scratch files")

    @classmethod
    def made(cls, args, secret):
        return cls(args.url, secret, args.folder, idle=args.idle)


def main(argv=None):
    return Worker.main(argv, description=__doc__.split("\n\n")[0])


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(site_url, folder, idle=2.0):
    """Start the worker for ``hdnd serve`` (after the OCR worker, whose
    secret it shares), in its own session."""
    return worker.start("hdnd.content.previewworker", site_url, "--folder", str(folder), idle=idle)


stop = worker.stop


if __name__ == "__main__":
    sys.exit(main())
