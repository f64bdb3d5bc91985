"""The OCR worker process (issue 24): takes the queued scans from the site
over HTTP, makes each a searchable PDF with ocrmypdf, and sends it back.
``hdnd serve`` starts it beside the Zope server and stops it with it:

    python -m hdnd.content.core.ocrworker --url http://127.0.0.1:8080/hdnd

The secret it shows the site comes from the environment
(``HDND_OCR_WORKER_SECRET``, set by ``hdnd serve`` for both processes).
The queue is the site's (in its database): the worker keeps nothing, so
stopping it at any moment loses no job — one it had taken is given again
after the lease. Without the OCR packages it takes no job and says once
what is missing: the jobs wait. No Zope import: it is a plain client.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from hdnd.content.core import ocr

logger = logging.getLogger("hdnd.ocrworker")
SECRET_VARIABLE = "HDND_OCR_WORKER_SECRET"


class Worker:
    def __init__(self, url, secret, idle=2.0, timeout=900):
        self.url = url.rstrip("/")
        self.secret = secret
        self.idle = idle
        self.timeout = timeout
        self.stopping = threading.Event()
        self.done = 0
        self.failed = 0
        self._said_missing = False

    def _post(self, name, payload=None):
        data = json.dumps(payload or {}).encode()
        request = urllib.request.Request(f"{self.url}/{name}", data=data, method="POST", headers={
            "Accept": "application/json", "Content-Type": "application/json", "X-HDND-Worker": self.secret})
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            return response.status, (json.loads(body) if body else None)

    def once(self):
        """Take and do one job; False when there was none (or none can be done)."""
        lacking = ocr.missing(searchable=True)
        if lacking:
            if not self._said_missing:
                logger.warning("OCR packages missing (%s): scans wait in the queue", ", ".join(lacking))
                self._said_missing = True
            return False
        status, job = self._post("@hdnd-ocr-jobs")
        if status == 204 or not job:
            return False
        answer = {"uid": job["uid"], "key": job["key"]}
        started = time.monotonic()
        try:
            data = base64.b64decode(job["data"])
            kind = ocr.kind_of(job.get("filename"), job.get("content_type")) or "pdf"
            pdf, text = ocr.searchable_pdf(data, kind=kind, timeout=self.timeout)
            answer.update(pdf=base64.b64encode(pdf).decode("ascii"), text=text)
            self.done += 1
        except (ocr.OCRError, ocr.OCRUnavailable, subprocess.TimeoutExpired, OSError, ValueError) as error:
            answer["error"] = str(error) or error.__class__.__name__
            self.failed += 1
        self._post("@hdnd-ocr-result", answer)
        logger.info("OCR of %s (%s): %s in %.1f s", job.get("filename"), job["uid"],
                    "failed" if "error" in answer else "done", time.monotonic() - started)
        return True

    def run(self):
        unreachable = False
        while not self.stopping.is_set():
            try:
                worked = self.once()
                unreachable = False
            except (urllib.error.URLError, OSError, ValueError) as error:
                if not unreachable:  # once, not at every look while the server starts
                    logger.info("the site does not answer (yet): %s", error)
                unreachable = True
                worked = False
            if not worked:
                self.stopping.wait(self.idle)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hdnd-ocr-worker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the site's URL, e.g. http://127.0.0.1:8080/hdnd")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds between looks at an empty queue")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s hdnd-ocr-worker %(levelname)s %(message)s")
    secret = os.environ.get(SECRET_VARIABLE, "")
    if not secret:
        raise SystemExit(f"hdnd-ocr-worker: {SECRET_VARIABLE} is not set (hdnd serve sets it)")
    worker = Worker(args.url, secret, idle=args.idle)

    def stop(signum, frame):  # finish the page at hand, then leave
        worker.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0



def start(site_url, idle=2.0):
    """Start the worker for ``hdnd serve``: a secret for this run, put in
    the environment that the Zope server started next inherits, and the
    worker process in its own session (Ctrl-C is passed on by serve)."""
    import secrets

    os.environ[SECRET_VARIABLE] = os.environ.get(SECRET_VARIABLE) or secrets.token_urlsafe(32)
    return subprocess.Popen([sys.executable, "-m", "hdnd.content.core.ocrworker", "--url", site_url,
                             "--idle", str(idle)], start_new_session=True)


def stop(process, timeout=60):
    """Stop the worker: it finishes the page at hand (SIGTERM), or is killed."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
    sys.exit(main())
