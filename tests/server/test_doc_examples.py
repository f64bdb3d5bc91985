"""The documentation's shell examples run as written (issue 19: the README's
examples used variables before defining them, an agency account that did not
exist, a second factor with -u, searches that were not URL-encoded...).

Which examples: every fenced block whose info string is ``sh runnable``
(```` ```sh runnable ````) in README.md and docs/*.md, wherever it moves; a
block of an example that cannot run as it stands (a placeholder such as
``<ballot>``, a command for a stopped server) is plain ``sh``.

How: a fresh `make run` site (`hdnd setup --demo`, then `hdnd serve` with its
LibreOffice), and for each document one bash session (``set -euo
pipefail``: a variable used before it is defined, or a failing command,
stops it) that runs its runnable blocks in order, from a folder of its own
where ``.venv`` is this checkout's. The examples name the default address
(http://127.0.0.1:8080); the test's server listens on a free port, so that
address is replaced in the text before it runs. Every request curl makes
reports its status through a curl configuration (``write-out`` to stderr),
and every one must be a 2xx: the examples show what succeeds.
"""

from conftest import FIGURES
from hdnd.policy.testing import free_port
from pathlib import Path
from test_run import Server
from test_run import setup as setup_site

import os
import pytest
import re
import subprocess
import time


pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUNNABLE = re.compile(r"^```sh runnable[^\n]*\n(.*?)^```", re.S | re.M)
DEFAULT_ADDRESS = "http://127.0.0.1:8080"
STATUS = re.compile(r"^@@status (\d{3}) (\S+) (\S+)$", re.M)
TOTP_STEP = 30  # seconds: a demo account's second-factor code works once per step


def runnable(path):
    return RUNNABLE.findall(path.read_text(encoding="utf-8"))


WITH_EXAMPLES = [path for path in DOCS if runnable(path)]


def test_the_guides_mark_their_examples():
    """The REST reference and the staff guide hold runnable examples (a
    marker lost in an edit would otherwise silently test nothing)."""
    names = {path.name for path in WITH_EXAMPLES}
    assert {"rest.md", "staff.md"} <= names, names


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDND_")}
    env.update(HDND_VAR=str(var), HDND_PORT=str(free_port()), HDND_OO_PORT=str(free_port()))
    setup_site(env)
    server = Server(env)
    yield server
    server.stop()


def wait_for_a_new_code(since):
    """Until the second-factor step after ``since`` (a code works once)."""
    while int(time.time()) // TOTP_STEP <= since:
        time.sleep(0.5)


_last_step = [0]


@pytest.mark.parametrize("path", WITH_EXAMPLES, ids=lambda p: p.name)
def test_the_examples_run_as_written(site, path, tmp_path):
    address = site.url.rsplit("/", 1)[0]  # http://127.0.0.1:<port>
    script = "\n".join(runnable(path)).replace(DEFAULT_ADDRESS, address)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / ".curlrc").write_text('write-out = "%{stderr}@@status %{http_code} %{method} %{url_effective}\\n"\n')
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "CURL_HOME": str(tmp_path), "LANG": "C.UTF-8"}
    if "login" in script:
        wait_for_a_new_code(_last_step[0])
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", "set -euo pipefail\n" + script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    _last_step[0] = int(time.time()) // TOTP_STEP
    requests = STATUS.findall(done.stderr)
    errors = STATUS.sub("", done.stderr).strip()
    FIGURES.append(f"{path.relative_to(ROOT)}: {len(requests)} requests of its examples in "
                   f"{time.monotonic() - started:.1f} s")
    assert done.returncode == 0, f"{path.name}: the examples stopped ({done.returncode}): {errors[-3000:]}"
    assert requests, f"{path.name}: its examples made no request"
    failed = [f"{status} {method} {url}" for status, method, url in requests if not status.startswith("2")]
    assert not failed, f"{path.name}: requests that did not succeed:\n" + "\n".join(failed) + \
        f"\n{done.stdout[-3000:]}"
