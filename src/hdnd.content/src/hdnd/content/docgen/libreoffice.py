"""LibreOffice in server mode on 127.0.0.1, for PDF and DOCX.

appy.pod renders ODT itself and asks LibreOffice, over UNO, to convert. The
Python that has UNO is Debian's (python3-uno); it runs appy's converter, so
it must import appy, and as little else of hdnd's environment as it can
(whose compiled packages were built for another interpreter). ``uno_python(folder)`` writes
a wrapper that gives it appy alone; collective.documentgenerator calls it as
its "uno path".

``hdnd serve`` and the tests start one LibreOffice with ``start()`` and stop
it with ``stop()``; ``HDND_OO_PORT`` chooses the port (2002 by default).
"""

from pathlib import Path

import appy
import json
import os
import re
import select
import shutil
import socket
import subprocess
import threading
import time
import zipfile


HOST = "127.0.0.1"
DEFAULT_PORT = 2002
DEBIAN_PYTHON = "/usr/bin/python3"


def CONVERTER_PACKAGES():
    """What appy's converter imports: appy, and persistent (for two type
    names) with zope.interface under it."""
    import persistent
    import zope.interface

    return [
        ("appy", Path(appy.__file__).parent),
        ("persistent", Path(persistent.__file__).parent),
        ("zope", Path(zope.interface.__file__).parent.parent),
    ]


def soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def port():
    return int(os.environ.get("HDND_OO_PORT", DEFAULT_PORT))


def uno_python(folder):
    """Write (or refresh) ``folder/python-uno`` and return its path."""
    folder = Path(folder)
    path = folder / "path"
    path.mkdir(parents=True, exist_ok=True)
    for name, target in CONVERTER_PACKAGES():
        link = path / name
        if link.is_symlink() and Path(os.readlink(link)) != target:
            link.unlink()
        if not link.exists():
            link.symlink_to(target)
    wrapper = folder / "python-uno"
    wrapper.write_text(
        "#!/bin/sh\n"
        "# appy's converter under Debian's Python, which has UNO; it is given appy and what appy imports.\n"
        f'PYTHONPATH="{path}" exec {DEBIAN_PYTHON} "$@"\n'
    )
    wrapper.chmod(0o755)
    return str(wrapper)


def listening(port, host=HOST, timeout=0.5):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def start(port, folder, wait=60):
    """Start LibreOffice headless on 127.0.0.1:``port`` with its own profile in
    ``folder``; return the process once it accepts connections (at once with
    ``wait=0``), or None when one already listens there (it is then not ours
    to stop)."""
    if listening(port):
        return None
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui python3-uno")
    profile = Path(folder, f"lo-profile-{port}").resolve()
    process = subprocess.Popen(
        [
            program, "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
            "--nolockcheck", f"-env:UserInstallation=file://{profile}",
            f"--accept=socket,host={HOST},port={port};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    if not wait:
        return process
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if listening(port):
            return process
        if process.poll() is not None:
            raise RuntimeError(f"LibreOffice exited with code {process.returncode} before listening on {port}")
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"LibreOffice did not listen on {HOST}:{port} within {wait} s")


def stop(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# Converting: one converter that stays -----------------------------------------
#
# appy.pod converts by starting a new interpreter for every document
# (appy/bin/convert.py under the UNO Python), which imports appy and UNO and
# opens a new UNO connection: a third of a PDF's time on a quiet machine, and
# most of it on a busy one. hdnd keeps one converter process per LibreOffice
# (uno_worker.py, under the same UNO Python), connected once; a Zope thread
# sends it a file and waits for its answer (LibreOffice does one document at a
# time anyway). The process ends with Zope (its stdin closes).

WORKER = Path(__file__).with_name("uno_worker.py")
WORKER_TIMEOUT = 120  # seconds for one document; a LibreOffice stuck longer is given up


class ConversionFailed(RuntimeError):
    pass


class Worker:
    def __init__(self, python):
        self.python = python
        self.process = None
        self.lock = threading.Lock()

    def _start(self):
        self.process = subprocess.Popen(
            [self.python or DEBIAN_PYTHON, str(WORKER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", close_fds=True,
        )

    def _stop(self):
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def _ask(self, request):
        if self.process is None or self.process.poll() is not None:
            self._start()
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], WORKER_TIMEOUT)
        if not ready:
            self._stop()
            raise ConversionFailed(f"LibreOffice did not answer within {WORKER_TIMEOUT} s")
        line = self.process.stdout.readline()
        if not line:
            raise BrokenPipeError("the converter ended")
        return json.loads(line)

    def convert(self, source, result, options):
        request = {"source": str(source), "result": str(result), "options": options}
        with self.lock:
            try:
                answer = self._ask(request)
            except (BrokenPipeError, OSError, ValueError):
                # The converter ended (killed, or its Python failed): once more
                # with a new one.
                self._stop()
                try:
                    answer = self._ask(request)
                except (BrokenPipeError, OSError, ValueError) as error:
                    self._stop()
                    raise ConversionFailed(f"the converter ({self.python or DEBIAN_PYTHON}) did not start "
                                           f"or stopped: {error}") from error
        if not answer.get("ok"):
            raise ConversionFailed(answer.get("error") or "the conversion failed")


_workers = {}
_workers_lock = threading.Lock()


def worker(python, server, port):
    """The converter for the LibreOffice on ``server:port`` (one each)."""
    key = (python, server, int(port))
    with _workers_lock:
        if key not in _workers:
            _workers[key] = Worker(python)
        return _workers[key]


def convert(source, result, python=None, server=HOST, port=DEFAULT_PORT, **options):
    """Convert the file ``source`` into ``result`` (its extension gives the
    format) with the LibreOffice on ``server:port``; appy's Converter's other
    options by keyword. Raises ConversionFailed with LibreOffice's reason."""
    options = dict(options, server=server, port=int(port))
    worker(python, server, port).convert(source, result, options)


# What LibreOffice must update in an ODT before it is handed out: indexes,
# linked sections (appy's merged documents), tables whose columns appy asks
# it to fit. hdnd's own templates have none, so their ODT is appy's as it is.
NEEDS_UPDATE = re.compile(
    rb"<text:(table-of-content|alphabetical-index|illustration-index|object-index|user-index|bibliography)\b"
    rb"|<text:section-source\b|table:name=\"(OCW|DC)_"
)


def needs_update(odf_path):
    try:
        with zipfile.ZipFile(odf_path) as odf:
            return bool(NEEDS_UPDATE.search(odf.read("content.xml")))
    except (OSError, KeyError, zipfile.BadZipFile):
        return True


class KeptPool:
    """What appy.pod's Renderer calls to have LibreOffice convert its result
    (its ``loPool``): the same call as appy's LoPool, through the converter
    that stays."""

    def __init__(self, python, server, ports):
        self.python, self.server = python, server or HOST
        self.ports = [int(p) for p in (ports if isinstance(ports, (list, tuple)) else str(ports).split())] or [DEFAULT_PORT]

    def port(self):
        """The first LibreOffice whose converter is free, else the first."""
        for candidate in self.ports:
            if not worker(self.python, self.server, candidate).lock.locked():
                return candidate
        return self.ports[0]

    def __call__(self, renderer, resultName, format=None, outputName=None):
        result = outputName or os.path.splitext(resultName)[0] + "." + format
        kind = os.path.splitext(result)[1][1:]
        asked = renderer.stylesTemplate or renderer.script or renderer.resolveFields or renderer.pageStart != 1
        if kind in renderer.templateTypes and not asked and not needs_update(resultName):
            return ""  # the renderer hands out its own ODT (LibreOffice would change nothing)
        options = {
            "templatePath": renderer.stylesTemplate, "optimalColumnWidths": renderer.optimalColumnWidths,
            "distributeColumns": renderer.distributeColumns, "script": renderer.script,
            "resolveFields": renderer.resolveFields, "pdfOptions": renderer.pdfOptions,
            "ppp": renderer.ppp, "stream": renderer.stream, "pageStart": renderer.pageStart,
        }
        if kind == "csv":
            options["csvOptions"] = (renderer.csvOptions or renderer.CsvOptions.default).asString()
        try:
            convert(resultName, result, self.python, self.server, self.port(), **options)
        except ConversionFailed as error:
            return str(error)  # the renderer raises it as a PodError when no result was made
        return ""
