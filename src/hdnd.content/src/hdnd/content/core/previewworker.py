"""The preview worker process (issue 20): takes the queued office files from
the site over HTTP, has LibreOffice make a PDF of each, and sends it back
with its page count, so that the work page shows a file's pages without
converting anything in the person's request. ``hdnd serve`` starts it
beside the Zope server and the OCR worker, and stops it with them:

    python -m hdnd.content.core.previewworker --url http://127.0.0.1:8080/hdnd --folder var/preview-worker

It shows the site the same secret as the OCR worker (``HDND_OCR_WORKER_SECRET``,
set by ``hdnd serve`` for every process). The queue is the site's: the
worker keeps nothing but LibreOffice's profile and its scratch files in
``--folder``, so stopping it at any moment loses no job (one taken is given
again after the lease). Without LibreOffice it takes no job and says once
what is missing. No Zope import: it is a plain client, like the OCR worker,
whose loop it shares.
"""

from __future__ import annotations

from hdnd.content.core import ocrworker
from hdnd.content.core import preview
from pathlib import Path

import argparse
import base64
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


logger = logging.getLogger("hdnd.previewworker")


def missing():
    """What the worker lacks on this machine (Debian packages)."""
    lacking = []
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        lacking.append("libreoffice-writer-nogui")
    if not shutil.which("pdfinfo"):
        lacking.append("poppler-utils")
    return lacking


def convert(data, filename, folder):
    """An office file's bytes -> (PDF bytes, pages), by LibreOffice."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(filename or "file").suffix.lower()
    pdf = preview.office_to_pdf(data, suffix if suffix in preview.OFFICE_SUFFIXES else ".docx", folder)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        path = Path(work) / "file.pdf"
        path.write_bytes(pdf)
        pages = preview.page_count(path)
    return pdf, pages


class Worker(ocrworker.Worker):
    """The OCR worker's loop (take, do, answer; wait when idle) with the
    preview's job."""

    def __init__(self, url, secret, folder, idle=2.0):
        super().__init__(url, secret, idle=idle)
        self.folder = Path(folder)

    def once(self):
        """Take and do one job; False when there was none (or none can be done)."""
        lacking = missing()
        if lacking:
            if not self._said_missing:
                logger.warning("LibreOffice missing (%s): office files wait for their preview", ", ".join(lacking))
                self._said_missing = True
            return False
        status, job = self._post("@hdnd-preview-jobs")
        if status == 204 or not job:
            return False
        answer = {"uid": job["uid"], "field": job["field"], "version": job["version"]}
        started = time.monotonic()
        try:
            pdf, pages = convert(base64.b64decode(job["data"]), job.get("filename"), self.folder)
            answer.update(pdf=base64.b64encode(pdf).decode("ascii"), pages=pages)
            self.done += 1
        except (preview.PreviewError, subprocess.TimeoutExpired, OSError, ValueError) as error:
            answer["error"] = str(error) or error.__class__.__name__
            self.failed += 1
        self.seconds = time.monotonic() - started
        self._post("@hdnd-preview-result", answer)
        logger.info("preview of %s (%s): %s in %.1f s", job.get("filename"), job["uid"],
                    "failed" if "error" in answer else f"{answer['pages']} pages", self.seconds)
        return True


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hdnd-preview-worker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the site's URL, e.g. http://127.0.0.1:8080/hdnd")
    parser.add_argument("--folder", required=True, help="LibreOffice's profile and scratch files")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds between looks at an empty queue")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s hdnd-preview-worker %(levelname)s %(message)s")
    secret = os.environ.get(ocrworker.SECRET_VARIABLE, "")
    if not secret:
        raise SystemExit(f"hdnd-preview-worker: {ocrworker.SECRET_VARIABLE} is not set (hdnd serve sets it)")
    worker = Worker(args.url, secret, args.folder, idle=args.idle)

    def stop(signum, frame):  # finish the file at hand, then leave
        worker.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0


def start(site_url, folder, idle=2.0):
    """Start the worker for ``hdnd serve`` (after the OCR worker, whose
    secret it shares), in its own session."""
    import secrets

    os.environ[ocrworker.SECRET_VARIABLE] = os.environ.get(ocrworker.SECRET_VARIABLE) or secrets.token_urlsafe(32)
    return subprocess.Popen([sys.executable, "-m", "hdnd.content.core.previewworker", "--url", site_url,
                             "--folder", str(folder), "--idle", str(idle)], start_new_session=True)


stop = ocrworker.stop


if __name__ == "__main__":
    sys.exit(main())
