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
import os
import shutil
import socket
import subprocess
import time


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
