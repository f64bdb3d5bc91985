"""`hdnd instance`, `serve` and `zeo`: the instance's configuration, the
WSGI server with LibreOffice beside it, the ZEO server. No database is
opened here (Zope runs in the server's own process)."""

from hdnd.content.core import ocrworker
from hdnd.content import previewworker
from hdnd.content.docgen import libreoffice
from hdnd.policy.cli.instance import data_dir
from hdnd.policy.cli.instance import write_instance
from pathlib import Path

import os
import shutil
import signal
import subprocess
import sys


def cmd_instance(args):
    print(f"hdnd: wrote {write_instance(args)}")


def start_ocr_worker(args):
    """The worker that makes filed scans searchable (issue 24), on this
    server's site over loopback. Without the OCR packages it still runs:
    it says what is missing and leaves the scans waiting in the queue."""
    from hdnd.content.core import ocr
    from hdnd.policy.site import SITE_ID

    lacking = ocr.missing(searchable=True)
    if lacking:
        print(f"hdnd: OCR packages missing ({', '.join(lacking)}): scans are filed unread and wait "
              f"(apt-get install {' '.join(lacking)})", flush=True)
    site = getattr(args, "site", None) or SITE_ID
    process = ocrworker.start(f"http://127.0.0.1:{args.port}/{site}")
    print(f"hdnd: OCR worker started (pid {process.pid})", flush=True)
    return process


def start_preview_worker(args):
    """The worker that makes the PDF of filed office files, for the work
    page's preview (issue 20), on this server's site over loopback; after the
    OCR worker, whose secret it shares. Without LibreOffice it still runs:
    the page offers the download while the files wait."""
    from hdnd.policy.site import SITE_ID

    site = getattr(args, "site", None) or SITE_ID
    process = previewworker.start(f"http://127.0.0.1:{args.port}/{site}", data_dir(args) / "preview-worker")
    print(f"hdnd: preview worker started (pid {process.pid})", flush=True)
    return process


def start_libreoffice(args):
    if libreoffice.soffice() is None:
        print("hdnd: LibreOffice is not installed: documents generate as ODT only "
              "(apt-get install libreoffice-writer-nogui python3-uno)", flush=True)
        return None
    port = libreoffice.port()
    process = libreoffice.start(port, data_dir(args), wait=0)
    print(f"hdnd: LibreOffice {'started' if process else 'already running'} on 127.0.0.1:{port}", flush=True)
    return process


def cmd_serve(args):
    # Rewritten each time, so that --port, --host or a profile change apply.
    zope_ini = write_instance(args).with_name("zope.ini")
    runwsgi = shutil.which("runwsgi", path=str(Path(sys.executable).parent)) or "runwsgi"
    office = start_libreoffice(args)
    worker = start_ocr_worker(args)  # before the server: it sets the secret they all inherit
    previewer = start_preview_worker(args)
    print(f"hdnd: serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    # Its own session: Ctrl-C reaches this process, which passes it on once,
    # then stops LibreOffice and the workers when the server has stopped.
    server = subprocess.Popen([runwsgi, str(zope_ini)], start_new_session=True)

    def forward(signum, frame):
        server.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    try:
        code = server.wait()
    finally:
        ocrworker.stop(worker)
        previewworker.stop(previewer)
        libreoffice.stop(office)
    raise SystemExit(0 if code in (0, -signal.SIGINT, -signal.SIGTERM) else code)


def cmd_zeo(args):
    write_instance(args)
    zeo_conf = data_dir(args) / "etc" / "zeo.conf"
    if not zeo_conf.exists():
        raise SystemExit("hdnd: the zeo server belongs to the `zeo` profile (--profile zeo)")
    runzeo = shutil.which("runzeo", path=str(Path(sys.executable).parent)) or "runzeo"
    os.execv(runzeo, [runzeo, "-C", str(zeo_conf)])
