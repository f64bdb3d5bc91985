"""Real servers for the server tests: a PostgreSQL cluster of its own (Debian's
binaries, a fresh data directory, 127.0.0.1 on a free port), ZEO servers and
hdnd instances (`hdnd setup`, then `runwsgi` on their own ports), each a
process that a test may stop, kill or restart."""

from hdnd.policy.testing import free_port
from pathlib import Path

import glob
import os
import pytest
import requests
import shutil
import signal
import subprocess
import sys
import tempfile
import time


BIN = Path(sys.executable).parent
# Figures the server tests measure (load, faults, setup times), printed at
# the end of the run, so that CI's log shows them for passing tests too.
FIGURES = []
HDND = str(BIN / "hdnd")
JSON = {"Accept": "application/json"}
ADMIN = ("admin", "admin")


def wait_for(check, what, timeout=120, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process stopped ({process.returncode})")
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what}: not ready within {timeout} s")


def add_users(session, base, users, password, domain="example.vn"):
    """Staff or agency accounts ``{user: group}`` made over REST by an administrator."""
    for user, group in users.items():
        made = session.post(f"{base}/@users", json={
            "username": user, "email": f"{user}@{domain}", "password": password})
        assert made.status_code == 201, made.text
        joined = session.patch(f"{base}/@groups/{group}", json={"users": {user: True}})
        assert joined.status_code == 204, joined.text


def transient_errors():
    """The names of the errors Zope retries (ZODB conflicts, RelStorage's
    lock and cache conflicts): the `type` of a 500 when its retries ran out."""
    from transaction.interfaces import TransientError

    import relstorage.adapters.interfaces  # noqa: F401
    import relstorage.cache.interfaces  # noqa: F401
    import relstorage.storage.interfaces  # noqa: F401
    import relstorage.storage.tpc.begin  # noqa: F401
    import ZODB.POSException  # noqa: F401

    def walk(cls):
        yield cls
        for sub in cls.__subclasses__():
            yield from walk(sub)

    return {cls.__name__ for cls in walk(TransientError)}


class PostgreSQL:
    """A throwaway cluster: initdb, pg_ctl start/stop/restart, a database per name."""

    def __init__(self, root):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = Path(found[-1]).parent
        self.root = Path(root)
        self.data = self.root / "pgdata"
        self.port = free_port()
        self.root.mkdir(parents=True, exist_ok=True)
        # PostgreSQL refuses to run as root: run it as the postgres user then.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.root, "postgres", "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def run(self, tool, *args, check=True):
        return subprocess.run([*self.prefix, str(self.bin / tool), *args], check=check, capture_output=True,
                              text=True, timeout=300)

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "pg.log"), "-w", "start")

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def sql(self, statement, database="postgres"):
        return self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                        "-v", "ON_ERROR_STOP=1", "-At", "-c", statement)

    def create_database(self, name):
        self.sql(f"CREATE DATABASE {name}")
        return f"dbname={name} user=postgres host=127.0.0.1 port={self.port}"


@pytest.fixture(scope="session")
def postgresql():
    # Not under pytest's temporary directory: that is private to root, and
    # the server runs as postgres.
    root = tempfile.mkdtemp(prefix="hdnd-pg-")
    cluster = PostgreSQL(root)
    cluster.start()
    yield cluster
    cluster.stop("immediate")
    shutil.rmtree(root, ignore_errors=True)


class Instance:
    """One hdnd data directory with its profile; ``serve()`` starts a Zope
    process on its own port (several may share a ZEO or PostgreSQL database)."""

    def __init__(self, var, profile="filestorage", **env):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HDND_")}
        self.env.update(HDND_VAR=str(var), HDND_PROFILE=profile, HDND_PORT=str(free_port()), **env)
        self.var = Path(var)
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.env['HDND_PORT']}/hdnd"

    def hdnd(self, *args, timeout=600):
        done = subprocess.run([HDND, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def serve(self, port=None):
        if port:
            self.env["HDND_PORT"] = str(port)
        self.hdnd("instance")  # the configuration for this port
        self.process = subprocess.Popen([str(BIN / "runwsgi"), str(self.var / "etc" / "zope.ini")], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: requests.get(self.url, timeout=30).status_code < 500, f"hdnd at {self.url}",
                 process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=60)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=60)

    def session(self, auth=ADMIN):
        session = requests.Session()
        session.auth = auth
        session.headers.update(JSON)
        return session


class ZEOServer:
    def __init__(self, instance):
        self.instance = instance
        self.process = None

    def start(self):
        self.instance.hdnd("instance")
        self.process = subprocess.Popen([HDND, "zeo"], env=self.instance.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        host, port = self.instance.env["HDND_ZEO_ADDRESS"].split(":")

        def listening():
            import socket

            with socket.create_connection((host, int(port)), timeout=1):
                return True

        wait_for(listening, "the ZEO server", process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("figures measured by the server tests")
        for line in FIGURES:
            terminalreporter.write_line(line.strip())
