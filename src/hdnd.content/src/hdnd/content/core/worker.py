"""The loop of a worker process beside the site (the OCR of scans,
hdnd.content.core.ocrworker; the previews of office files,
hdnd.content.previewworker): take a job from the site over HTTP, do it, send
the answer back; wait when there is none. ``hdnd serve`` starts each worker
beside the Zope server and stops it with it.

The site's queue is the only state (in its database): a worker keeps
nothing, so stopping it at any moment loses no job — one it had taken is
given again after the queue's lease. Without what its work needs (packages
of this machine) a worker takes no job and says once what is missing: the
jobs wait. The site knows a worker by one secret (``SECRET_VARIABLE``), the
same for every worker of a run, set by ``hdnd serve`` in the environment of
each process. No Zope import: a worker is a plain client.
"""

from __future__ import annotations

import argparse
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


SECRET_VARIABLE = "HDND_OCR_WORKER_SECRET"  # named for the first worker; every worker shows it


def secret():
    """The workers' secret of this run ("" when none is set: no request is a worker's)."""
    return os.environ.get(SECRET_VARIABLE, "")


class Worker:
    """Take, do, answer; wait when idle. A worker says what it lacks
    (``missing``), which fields name its job in the answer (``names``) and
    does a job (``work``: the answer's fields, or one of ``errors`` for a job
    that failed, answered with its error)."""

    prog = "hdnd-worker"  # its name in the log and on the command line
    what = "the job"      # of a file, in the log
    jobs = result = ""    # the site's services: take a job, answer it
    names = ("uid",)      # the job's fields the answer repeats
    lacking = "packages missing (%s): the jobs wait in the queue"  # said once
    errors = (subprocess.TimeoutExpired, OSError, ValueError)
    logger = logging.getLogger("hdnd.worker")

    def __init__(self, url, secret, idle=2.0):
        self.url = url.rstrip("/")
        self.secret = secret
        self.idle = idle
        self.stopping = threading.Event()
        self.done = 0
        self.failed = 0
        self.seconds = 0.0  # the last job's
        self._said_missing = False

    def missing(self):
        """The Debian packages this worker lacks on this machine."""
        return []

    def work(self, job):
        """The answer's fields for a job done."""
        raise NotImplementedError

    def told(self, job, answer):
        """How the log tells a job done."""
        return "done"

    def close(self):
        """Release what the worker keeps for its life (nothing by default)."""

    def _post(self, name, payload=None):
        data = json.dumps(payload or {}).encode()
        request = urllib.request.Request(f"{self.url}/{name}", data=data, method="POST", headers={
            "Accept": "application/json", "Content-Type": "application/json", "X-HDND-Worker": self.secret})
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            return response.status, (json.loads(body) if body else None)

    def once(self):
        """Take and do one job; False when there was none (or none can be done)."""
        lacking = self.missing()
        if lacking:
            if not self._said_missing:
                self.logger.warning(self.lacking, ", ".join(lacking))
                self._said_missing = True
            return False
        status, job = self._post(self.jobs)
        if status == 204 or not job:
            return False
        answer = {name: job[name] for name in self.names}
        started = time.monotonic()
        try:
            answer.update(self.work(job))
            self.done += 1
        except self.errors as error:
            answer["error"] = str(error) or error.__class__.__name__
            self.failed += 1
        self.seconds = time.monotonic() - started
        self._post(self.result, answer)
        self.logger.info("%s of %s (%s): %s in %.1f s", self.what, job.get("filename"), job["uid"],
                         "failed" if "error" in answer else self.told(job, answer), self.seconds)
        return True

    def run(self):
        unreachable = False
        while not self.stopping.is_set():
            try:
                worked = self.once()
                unreachable = False
            except (urllib.error.URLError, OSError, ValueError) as error:
                if not unreachable:  # once, not at every look while the server starts
                    self.logger.info("the site does not answer (yet): %s", error)
                unreachable = True
                worked = False
            if not worked:
                self.stopping.wait(self.idle)

    @classmethod
    def arguments(cls, parser):
        """Add the worker's own command line arguments."""

    @classmethod
    def made(cls, args, secret):
        return cls(args.url, secret, idle=args.idle)

    @classmethod
    def main(cls, argv=None, description=""):
        parser = argparse.ArgumentParser(prog=cls.prog, description=description)
        parser.add_argument("--url", required=True, help="the site's URL, e.g. http://127.0.0.1:8080/hdnd")
        cls.arguments(parser)
        parser.add_argument("--idle", type=float, default=2.0, help="seconds between looks at an empty queue")
        args = parser.parse_args(argv)
        logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {cls.prog} %(levelname)s %(message)s")
        if not secret():
            raise SystemExit(f"{cls.prog}: {SECRET_VARIABLE} is not set (hdnd serve sets it)")
        worker = cls.made(args, secret())

        def stop(signum, frame):  # finish the job at hand, then leave
            worker.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            worker.run()
        finally:
            worker.close()
        return 0


def start(module, site_url, *arguments, idle=2.0):
    """Start the worker ``python -m module`` for ``hdnd serve``: the secret of
    this run (made by the first worker started, shared by the next) put in
    the environment that the Zope server started next inherits, and the
    worker process in its own session (Ctrl-C is passed on by serve)."""
    import secrets

    os.environ[SECRET_VARIABLE] = secret() or secrets.token_urlsafe(32)
    return subprocess.Popen([sys.executable, "-m", module, "--url", site_url, *arguments, "--idle", str(idle)],
                            start_new_session=True)


def stop(process, timeout=60):
    """Stop a worker: it finishes the job at hand (SIGTERM), or is killed."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
