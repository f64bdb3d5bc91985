"""A catalog in PostgreSQL against ZCatalog on RelStorage, plain Plone 6.2 on
both, side by side in one run, growing toward 1,000,000 documents.

- **zcatalog**: Plone 6.2 on RelStorage (PostgreSQL, history kept, as
  profiles/relstorage configures it), Plone's own ZCatalog (BTrees in the ZODB).
- **pgcatalog**: Plone 6.2 on zodb-pgjsonb (objects as JSONB rows in
  PostgreSQL) with plone.pgcatalog's profile: ``portal_catalog`` becomes a
  catalog whose indexes are columns and SQL (tsvector full text, GIN/B-tree).

plone.pgcatalog and zodb-pgjsonb need Python >= 3.12; the project runs on
3.11. So this runs on a Python 3.13 built from Debian's source pool and a venv
of its own, outside the repository (docs/benchmarks.md, "PostgreSQL catalog")::

    sh scripts/build-python313.sh                   # /work/py313 and /work/venv313
    nice -n 10 /work/venv313/bin/python bench/bench_pgcatalog.py
    HDND_PGCAT_SIZES=10000,100000,250000,500000,1000000 HDND_PGCAT_OUT=/tmp/pgcat.txt \\
        nice -n 10 /work/venv313/bin/python bench/bench_pgcatalog.py

It starts a PostgreSQL cluster of its own (Debian's binaries, a data
directory under /tmp, 127.0.0.1 on a free port, fsync on), or uses the server
HDND_PGCAT_DSN names (a role that may CREATE DATABASE; databases
``bench_zcatalog`` and ``bench_pgcatalog`` are made there and dropped).

Each backend is a process of its own (``--worker zcatalog|pgcatalog``): Zope
configured by a zope.conf written for it, the standard site.zcml, a Plone
site made with plone.app.contenttypes (Plone's ``classic`` site, no example
content); the zcatalog process does not load plone.pgcatalog's ZCML.
Documents are plain Documents with a title (one of 40 place words and the
number), a description and a Subject (a number, unique, as a symbol is) in
folders of 10,000 (a flat folder's ordering is one list rewritten on every
add). The two processes grow at the same time, in transactions of
HDND_PGCAT_BATCH documents (1,000) through ``plone.api.content.create``
(in process, Documents not versioned while growing); then, at each size of
HDND_PGCAT_SIZES, the two processes measure in turn, one operation at a time
(which goes first alternates, so a change of the machine's load weighs on both):

- ``@search`` through Zope's WSGI publisher (plone.restapi, signed in as a
  Manager, 20 first): a title word; a symbol (``Subject``, exact); a word
  with facets: ``SearchableText`` + ``review_state`` + ``portal_type``
  sorted by ``modified``, plus the count of each review state for the word
  (three more queries, as a faceted page asks them);
- ``GET`` of a random document (plone.restapi's JSON);
- create: one Document + commit (indexing happens at commit), p50/p95;
  and the growth rate (documents/s over the last stretch of growing);
- the database size (``pg_database_size``) and the number of object rows.

HDND_PGCAT_SAMPLES timed calls per operation (50), after 5 untimed ones; the
same seeded picks on both. The table is printed after every size and
appended to HDND_PGCAT_OUT, so a run that is stopped keeps its figures.
HDND_PGCAT_HOURS (default 10) stops the growth before a size it cannot reach.
Figures, not assertions about time: it fails only when something does not
work (a search finds nothing it should, a GET answers other than 200).
"""

import base64
import glob
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


SIZES = sorted(int(s) for s in os.environ.get("HDND_PGCAT_SIZES", "10000,100000").split(",") if s.strip())
SAMPLES = int(os.environ.get("HDND_PGCAT_SAMPLES", "50"))
BATCH = int(os.environ.get("HDND_PGCAT_BATCH", "1000"))
CACHE = int(os.environ.get("HDND_PGCAT_CACHE", "30000"))  # ZODB connection cache, as the profiles set it
HOURS = float(os.environ.get("HDND_PGCAT_HOURS", "10"))
WARMUP = 5
PAGE = 20
FOLDER = 10000  # documents per folder
BACKENDS = ("zcatalog", "pgcatalog")
EXCLUDED = {"zcatalog": ("plone.pgcatalog", "hdnd."), "pgcatalog": ("hdnd.",), "hdnd": ("\0",)}
USER, PASSWORD = "bench", "bench-secret-1"
SITE = "Plone"
MARK = "@@pgcat "
# One of these words in every title (as bench/bench_scale.py).
TOPICS = ["đất", "rừng", "biển", "sông", "cầu", "đường", "trường", "chợ", "điện", "nước", "thuế", "phí",
          "lúa", "cá", "gạo", "muối", "than", "dầu", "khí", "mỏ", "cảng", "ga", "bến", "đê", "kè", "hồ",
          "núi", "đảo", "làng", "xã", "phường", "quận", "huyện", "tỉnh", "thôn", "ấp", "khu", "cụm",
          "vùng", "bãi"]
STATES = ("private", "published", "pending")


def title(n):
    return f"Về việc {TOPICS[n % len(TOPICS)]} số {n}"


def description(n):
    return f"Văn bản số {symbol(n)}: trích yếu văn bản số {n}, gửi các đơn vị liên đới biết và thực hiện."


def symbol(n):
    return f"{n}/UBND-VP"


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgreSQL:
    """A throwaway cluster as tests/server starts one: initdb, pg_ctl, on
    127.0.0.1 and a free port, as the postgres user when run as root."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql), or give HDND_PGCAT_DSN")
        self.bin = os.path.dirname(found[-1])
        self.root = tempfile.mkdtemp(prefix="hdnd-pgcat-")
        self.data = os.path.join(self.root, "pgdata")
        self.port = free_port()
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.root, "postgres", "postgres")
        self.run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB"
                   " -c max_connections=50 -c max_wal_size=4GB")
        self.run("pg_ctl", "-D", self.data, "-o", options, "-l", os.path.join(self.root, "pg.log"), "-w", "start")
        self.dsn = f"user=postgres host=127.0.0.1 port={self.port} dbname=postgres"

    def run(self, tool, *args):
        return subprocess.run([*self.prefix, os.path.join(self.bin, tool), *args], check=True, capture_output=True,
                              text=True, timeout=300)

    def stop(self):
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def sql(dsn, statement):
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as connection:
        rows = connection.execute(statement)
        return rows.fetchall() if rows.description else None


def with_db(dsn, name):
    return " ".join(p for p in dsn.split() if not p.startswith("dbname=")) + f" dbname={name}"


# The worker: one backend's Zope in this process ------------------------------------


ZCML = """<configure xmlns="http://namespaces.zope.org/zope"
    xmlns:meta="http://namespaces.zope.org/meta" xmlns:five="http://namespaces.zope.org/five">
  <include package="Products.Five" />
  <meta:redefinePermission from="zope2.Public" to="zope.Public" />
  <five:loadProducts file="meta.zcml"/>
  <five:loadProducts />
  <five:loadProductsOverrides />
  <securityPolicy component="AccessControl.security.SecurityPolicy" />
</configure>
"""


def zope_conf(backend, home, dsn):
    if backend != "zcatalog":  # pgcatalog, and hdnd on it
        storage = f"""%import zodb_pgjsonb
<zodb_db main>
  mount-point /
  cache-size {CACHE}
  <pgjsonb>
    dsn {dsn}
    blob-temp-dir {home}/blobtemp
  </pgjsonb>
</zodb_db>"""
    else:  # as profiles/relstorage/storage.conf.in
        storage = f"""%import relstorage
<zodb_db main>
  mount-point /
  cache-size {CACHE}
  <relstorage>
    keep-history true
    blob-dir {home}/blobcache
    shared-blob-dir false
    blob-cache-size 2GB
    <postgresql>
      dsn {dsn}
    </postgresql>
  </relstorage>
</zodb_db>"""
    return f"""%define INSTANCEHOME {home}
instancehome $INSTANCEHOME
%define CLIENTHOME {home}/var
clienthome $CLIENTHOME
debug-mode off
security-policy-implementation C
verbose-security off
default-zpublisher-encoding utf-8
{storage}
"""


def start_zope(backend, dsn):
    """Zope configured for `backend`; the application, signed in as USER."""
    import atexit

    home = tempfile.mkdtemp(prefix=f"hdnd-pgcat-{backend}-")
    atexit.register(shutil.rmtree, home, True)
    for folder in ("etc", "var", "blobtemp", "blobcache"):
        os.makedirs(os.path.join(home, folder))
    with open(os.path.join(home, "etc", "site.zcml"), "w") as f:
        f.write(ZCML)
    conf = os.path.join(home, "etc", "zope.conf")
    with open(conf, "w") as f:
        f.write(zope_conf(backend, home, dsn))
    # Packages in this venv that Plone would autoinclude (z3c.autoinclude entry
    # points, target plone) but that this backend must not load: plain Plone
    # on RelStorage loads neither plone.pgcatalog nor hdnd, plain Plone on
    # pgcatalog not hdnd (hdnd's subscribers would run on the plain Documents).
    leave_out = EXCLUDED[backend]
    import plone.autoinclude.loader as loader

    found = loader.load_packages

    def load_packages(target=""):
        return {k: v for k, v in found(target).items() if not k.startswith(leave_out)}

    loader.load_packages = load_packages
    from Zope2.Startup.run import configure_wsgi

    configure_wsgi(conf)
    # Testing/custom_zodb.py would replace the configured storage by a DemoStorage.
    import Zope2.App.startup

    Zope2.App.startup._load_custom_zodb = lambda location: None
    import Zope2

    app = Zope2.app()
    return app


class Worker:
    def __init__(self, backend, dsn):
        import transaction
        from AccessControl.SecurityManagement import newSecurityManager
        from Testing.makerequest import makerequest
        from zope.component.hooks import setSite
        from zope.globalrequest import setRequest

        self.backend = backend
        app = start_zope(backend, dsn)
        self.db = app._p_jar.db()
        app = makerequest(app, environ={"SERVER_NAME": "nohost", "SERVER_PORT": "80"})
        setRequest(app.REQUEST)
        app.acl_users.userFolderAddUser(USER, PASSWORD, ["Manager"], [])
        newSecurityManager(None, app.acl_users.getUserById(USER).__of__(app.acl_users))
        started = time.perf_counter()
        from Products.CMFPlone.factory import addPloneSite

        portal = addPloneSite(app, SITE, title="Bench", setup_content=False, default_language="vi",
                              extension_ids=["plone.app.contenttypes:default"])
        setSite(portal)
        transaction.commit()
        if backend == "pgcatalog":
            self.install_pgcatalog(portal)
        self.site_seconds = time.perf_counter() - started
        self.app, self.portal = app, portal
        self.catalog = portal.portal_catalog
        self.root = None
        self.made = 0
        self.versioning(False)
        transaction.commit()
        self.client = Client()

    def install_pgcatalog(self, portal):
        """As plone.pgcatalog's docs install it (example/scripts/create_site.py):
        its profile replaces portal_catalog; Plone's indexes are put back if
        the replacement did not keep them; the index registry is synced."""
        import transaction
        from Acquisition import aq_base
        from plone.pgcatalog.columns import get_registry

        setup = portal.portal_setup
        setup.runAllImportStepsFromProfile("profile-plone.pgcatalog:default")
        catalog = portal.portal_catalog
        if not list(catalog.indexes()):
            for profile_id in ["profile-Products.CMFPlone:plone", "profile-Products.CMFEditions:CMFEditions",
                               "profile-plone.app.contenttypes:default", "profile-plone.app.event:default"]:
                setup.runImportStepFromProfile(profile_id, "catalog", run_dependencies=False)
        get_registry().sync_from_catalog(catalog)
        transaction.commit()
        if type(aq_base(catalog)).__name__ != "PlonePGCatalogTool":
            raise AssertionError(f"portal_catalog is {type(catalog)} after plone.pgcatalog's profile")

    def versioning(self, on):
        """Plain Plone saves an initial version of each new Document
        (CMFEditions): off while growing, as bench_scale grows plain Plone."""
        repository = self.portal.portal_repository
        types = set(repository.getVersionableContentTypes())
        if on:
            types.add("Document")
        else:
            types.discard("Document")
        repository.setVersionableContentTypes(sorted(types))

    def folder_for(self, n):
        from plone import api

        name = f"b-{(n - 1) // FOLDER:04d}"
        if self.root is None:
            self.root = self.portal.get("documents") or api.content.create(
                container=self.portal, type="Folder", id="documents", title="Documents")
        if name not in self.root:
            api.content.create(container=self.root, type="Folder", id=name, title=f"Documents {name}")
        return self.root[name]

    def create(self, n):
        from plone import api

        obj = api.content.create(container=self.folder_for(n), type="Document", id=f"doc-{n}", title=title(n),
                                 description=description(n), subject=(symbol(n),))
        if n % 3 == 1:
            api.content.transition(obj=obj, transition="publish")
        elif n % 3 == 2:
            api.content.transition(obj=obj, transition="submit")
        return obj

    def path(self, n):
        return f"/{SITE}/documents/b-{(n - 1) // FOLDER:04d}/doc-{n}"

    # commands -------------------------------------------------------------------

    def do_grow(self, size):
        import transaction

        started, cpu_started = time.perf_counter(), time.process_time()
        first = self.made
        while self.made < size:
            for n in range(self.made + 1, min(self.made + BATCH, size) + 1):
                self.create(n)
            transaction.commit()
            self.made = min(self.made + BATCH, size)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        grown = self.made - first
        return {"grown": grown, "seconds": seconds, "rate": grown / seconds if seconds else 0,
                "cpu_ms": cpu * 1000 / grown if grown else 0}

    def do_measure(self, size, ops=("get", "search_word", "search_symbol", "search_facets", "create")):
        import transaction

        rng = random.Random(size)
        picks = [rng.randrange(1, self.made + 1) for _ in range(SAMPLES + WARMUP)]
        result = {}
        base = f"/{SITE}/@search"

        def get(n):
            data = self.client.get(self.path(n))
            if data.get("@id", "").rsplit("/", 1)[-1] != f"doc-{n}" or not data.get("title"):
                raise AssertionError(f"GET doc-{n}: {json.dumps(data)[:300]}")

        def search_word(n):
            word = TOPICS[n % len(TOPICS)]
            data = self.client.get(base, {"SearchableText": word, "b_size": PAGE, "metadata_fields": "_all"})
            expected = self.made // len(TOPICS)
            if data["items_total"] < expected * 0.9:
                raise AssertionError(f"@search {word}: {data['items_total']} of about {expected}")

        def search_symbol(n):
            data = self.client.get(base, {"Subject": symbol(n)})
            if data["items_total"] != 1 or not data["items"][0]["@id"].endswith(f"/doc-{n}"):
                raise AssertionError(f"@search Subject={symbol(n)}: {json.dumps(data)[:300]}")

        def search_facets(n):
            word = TOPICS[n % len(TOPICS)]
            data = self.client.get(base, {"SearchableText": word, "portal_type": "Document",
                                          "review_state": "published", "sort_on": "modified",
                                          "sort_order": "descending", "b_size": PAGE})
            if not data["items_total"]:
                raise AssertionError(f"@search facets {word}: nothing")
            counts = {state: self.client.get(base, {"SearchableText": word, "portal_type": "Document",
                                                    "review_state": state, "b_size": 1})["items_total"]
                      for state in STATES}
            if sum(counts.values()) < self.made // len(TOPICS) * 0.9:
                raise AssertionError(f"facets {word}: {counts}")

        for name, work in (("get", get), ("search_word", search_word), ("search_symbol", search_symbol),
                           ("search_facets", search_facets)):
            if name not in ops:
                continue
            for n in picks[:WARMUP]:
                work(n)
            times = []
            for n in picks[WARMUP:]:
                started = time.perf_counter()
                work(n)
                times.append(time.perf_counter() - started)
            transaction.abort()
            result[name] = percentiles(times)
        result["rss_mb"] = rss_mb()
        if "create" not in ops:
            return result
        # create: one Document (versioned, as plain Plone makes one) + commit
        self.versioning(True)
        transaction.commit()
        times = []
        for i in range(SAMPLES):
            self.made += 1
            started = time.perf_counter()
            self.create(self.made)
            transaction.commit()
            times.append(time.perf_counter() - started)
        self.versioning(False)
        transaction.commit()
        result["create"] = percentiles(times)
        return result


def percentiles(samples):
    ms = sorted(s * 1000 for s in samples)
    return {"p50": statistics.median(ms), "p95": statistics.quantiles(ms, n=100, method="inclusive")[94]}


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


class Client:
    """GET through Zope's WSGI publisher in process (no network), signed in as USER."""

    def __init__(self):
        from webtest import TestApp
        from ZPublisher.WSGIPublisher import publish_module

        self.app = TestApp(publish_module, lint=False, extra_environ={"HTTP_HOST": "nohost"})
        self.auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def get(self, path, params=None):
        from AccessControl.SecurityManagement import getSecurityManager
        from AccessControl.SecurityManagement import setSecurityManager
        from zope.component.hooks import getSite
        from zope.component.hooks import setSite
        from zope.globalrequest import getRequest
        from zope.globalrequest import setRequest

        manager, site, request = getSecurityManager(), getSite(), getRequest()
        try:
            response = self.app.get(path, params=params, expect_errors=True,
                                    headers={"Accept": "application/json", "Authorization": self.auth})
        finally:
            setSecurityManager(manager)
            setSite(site)
            setRequest(request)
        if response.status_int != 200:
            raise AssertionError(f"GET {path} {params or ''}: {response.status}\n{response.text[:2000]}")
        return response.json


def worker(backend, dsn):
    """Answer the driver's commands (one JSON line each on stdin) with one
    MARK line each on the real stdout; Zope's own output goes to stderr."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        w = Worker(backend, dsn)
        out.write(MARK + json.dumps({"ready": True, "site_seconds": w.site_seconds}) + "\n")
    except Exception as error:
        import traceback

        traceback.print_exc()
        out.write(MARK + json.dumps({"error": f"{type(error).__name__}: {error}"}) + "\n")
        return
    for line in sys.stdin:
        command = json.loads(line)
        try:
            answer = getattr(w, "do_" + command["do"])(command["size"], *command.get("args", ()))
        except Exception as error:
            import traceback

            traceback.print_exc()
            answer = {"error": f"{type(error).__name__}: {error}"}
        out.write(MARK + json.dumps(answer) + "\n")


# The driver ---------------------------------------------------------------------------


class Process:
    def __init__(self, backend, dsn, log):
        self.backend = backend
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", backend, dsn], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=log, text=True)

    idle = True

    def send(self, do, size, *args):
        self.idle = False
        self.proc.stdin.write(json.dumps({"do": do, "size": size, "args": args}) + "\n")
        self.proc.stdin.flush()

    def answer(self):
        for line in self.proc.stdout:
            if line.startswith(MARK):
                answer = json.loads(line[len(MARK):])
                self.idle = True
                if "error" in answer:
                    raise RuntimeError(f"{self.backend}: {answer['error']} (see the worker's log)")
                return answer
        raise RuntimeError(f"{self.backend}: the worker stopped (see the worker's log)")

    def close(self):
        if self.proc.poll() is None and not self.idle:
            self.proc.kill()  # stopped in the middle of a command
        self.proc.stdin.close()
        self.proc.wait(timeout=120)


LABELS = [("search_word", "@search a word (20 first)"), ("search_symbol", "@search a symbol (Subject, exact)"),
          ("search_facets", "@search word+state+type sorted, and 3 state counts"),
          ("get", "GET a document"), ("create", "create 1 Document + commit")]


def table(size, rows, grown):
    z, p = rows["zcatalog"], rows["pgcatalog"]
    lines = [f"\n{size:,} documents  (load average {os.getloadavg()[0]:.1f})",
             "| operation | ZCatalog on RelStorage p50 / p95 ms | plone.pgcatalog on zodb-pgjsonb p50 / p95 ms | "
             "ratio p50 |", "| --- | --- | --- | --- |"]
    for key, label in LABELS:
        lines.append(f"| {label} | {z[key]['p50']:.1f} / {z[key]['p95']:.1f} | {p[key]['p50']:.1f} / "
                     f"{p[key]['p95']:.1f} | {p[key]['p50'] / z[key]['p50']:.2f} |")
    lines.append(f"| growth, documents/s (transactions of {BATCH}) | {grown['zcatalog']['rate']:.0f} | "
                 f"{grown['pgcatalog']['rate']:.0f} | |")
    lines.append(f"| growth, CPU ms per document in the Zope process | {grown['zcatalog']['cpu_ms']:.1f} | "
                 f"{grown['pgcatalog']['cpu_ms']:.1f} | "
                 f"{grown['pgcatalog']['cpu_ms'] / grown['zcatalog']['cpu_ms']:.2f} |")
    lines.append(f"| database size, MB (object rows) | {z['db_mb']:,.0f} ({z['rows']:,}) | "
                 f"{p['db_mb']:,.0f} ({p['rows']:,}) | {p['db_mb'] / z['db_mb']:.2f} |")
    lines.append(f"| process RSS, MB | {z['rss_mb']:,.0f} | {p['rss_mb']:,.0f} | |")
    return "\n".join(lines)


def database_size(dsn, backend):
    rows = sql(dsn, "SELECT count(*) FROM object_state")[0][0]
    if backend == "zcatalog":  # history kept: every revision is a row of object_state
        rows = sql(dsn, "SELECT count(*) FROM current_object")[0][0]
    return rows, sql(dsn, "SELECT pg_database_size(current_database())")[0][0] / (1024 * 1024)


def driver():
    import signal

    def stop(signum, frame):  # kill <driver pid>: the figures so far stay, the cluster is stopped
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    started = time.time()
    cluster = None
    dsn = os.environ.get("HDND_PGCAT_DSN")
    if not dsn:
        cluster = PostgreSQL()
        dsn = cluster.dsn
    dsns = {}
    log_path = os.environ.get("HDND_PGCAT_LOG") or tempfile.mktemp(prefix="hdnd-pgcat-", suffix=".log")
    log = open(log_path, "a")
    out = open(os.environ["HDND_PGCAT_OUT"], "a") if os.environ.get("HDND_PGCAT_OUT") else None

    def say(text):
        print(text, flush=True)
        if out:
            out.write(text + "\n")
            out.flush()

    processes = {}
    try:
        for backend in BACKENDS:
            name = f"bench_{backend}"
            sql(dsn, f"DROP DATABASE IF EXISTS {name}")
            sql(dsn, f"CREATE DATABASE {name}")
            dsns[backend] = with_db(dsn, name)
        say(f"bench_pgcatalog: sizes {SIZES}, {SAMPLES} samples, transactions of {BATCH}, Python "
            f"{sys.version.split()[0]}, PostgreSQL {sql(dsn, 'SHOW server_version')[0][0]}; worker log {log_path}")
        for backend in BACKENDS:
            processes[backend] = Process(backend, dsns[backend], log)
        for backend in BACKENDS:
            ready = processes[backend].answer()
            say(f"  {backend}: site made in {ready['site_seconds']:.1f} s")
        grown_before = 0
        for size in SIZES:
            spent = time.time() - started
            if grown_before and spent / 3600 * size / grown_before > HOURS:
                say(f"stopped before {size:,}: at this pace it would pass HDND_PGCAT_HOURS={HOURS}")
                break
            for backend in BACKENDS:  # both grow at the same time, each in its process
                processes[backend].send("grow", size)
            grown = {backend: processes[backend].answer() for backend in BACKENDS}
            for backend in BACKENDS:
                say(f"  {backend}: grew to {size:,} ({grown[backend]['rate']:.0f} documents/s)")
            rows = {backend: {} for backend in BACKENDS}
            # One operation at a time, on one process and then the other, the
            # first in turn, so that a change in the machine's load during the
            # measuring weighs on both alike.
            for i, (op, _) in enumerate(LABELS):
                for backend in (BACKENDS if i % 2 == 0 else BACKENDS[::-1]):
                    processes[backend].send("measure", size, [op])
                    rows[backend].update(processes[backend].answer())
            for backend in BACKENDS:
                rows[backend]["rows"], rows[backend]["db_mb"] = database_size(dsns[backend], backend)
            say(table(size, rows, grown))
            grown_before = size
        say(f"total {(time.time() - started) / 60:.1f} minutes")
    finally:
        for process in processes.values():
            try:
                process.close()
            except BaseException:
                process.proc.kill()
        if cluster:
            cluster.stop()
        else:
            for backend in BACKENDS:
                sql(dsn, f"DROP DATABASE IF EXISTS bench_{backend}")


# hdnd on plone.pgcatalog: what works and what breaks ------------------------------------


def hdnd_probe():
    """``--hdnd``: an hdnd site (``hdnd setup``'s ensure_site) on zodb-pgjsonb,
    plone.pgcatalog's profile installed on it, then hdnd's own steps, each
    reported as it goes (ok, or the exception): documents by the registry
    desk's create and by the bulk path, register, @search by word and by
    symbol, @hdnd-search with facets, GET. Needs hdnd installed in the venv
    (pip install -e src/hdnd.content -e src/hdnd.policy)."""
    import traceback

    cluster = PostgreSQL()
    sql(cluster.dsn, "CREATE DATABASE bench_hdnd")
    failures = []

    def step(name, work):
        started = time.perf_counter()
        try:
            answer = work()
        except Exception as error:
            import transaction

            transaction.abort()
            failures.append(name)
            where = traceback.extract_tb(error.__traceback__)[-1]
            print(f"FAIL {name}: {type(error).__name__}: {str(error)[:300]} ({where.filename}:{where.lineno})",
                  flush=True)
            traceback.print_exc(file=sys.stderr)
            return None
        print(f"ok   {name} ({time.perf_counter() - started:.1f} s){': ' + str(answer)[:200] if answer is not None else ''}",
              flush=True)
        return answer

    try:
        import transaction
        from AccessControl.SecurityManagement import newSecurityManager
        from Testing.makerequest import makerequest
        from zope.component.hooks import setSite
        from zope.globalrequest import setRequest

        app = makerequest(start_zope("hdnd", with_db(cluster.dsn, "bench_hdnd")),
                          environ={"SERVER_NAME": "nohost", "SERVER_PORT": "80"})
        setRequest(app.REQUEST)
        app.acl_users.userFolderAddUser(USER, PASSWORD, ["Manager"], [])
        newSecurityManager(None, app.acl_users.getUserById(USER).__of__(app.acl_users))

        def make_site():
            from hdnd.policy.site import ensure_site

            site, _ = ensure_site(app, site_id=SITE)
            transaction.commit()
            return f"{len(site.portal_catalog(portal_type='Folder'))} folders catalogued by ZCatalog"

        step("hdnd site (hdnd.policy:default) on zodb-pgjsonb, ZCatalog", make_site)
        portal = app[SITE]
        setSite(portal)
        before = set(portal.portal_catalog.indexes())
        holder = {}
        worker = Worker.__new__(Worker)
        step("plone.pgcatalog's profile on the hdnd site", lambda: worker.install_pgcatalog(portal))
        catalog = portal.portal_catalog
        step("catalog after the profile: hdnd's folders found (in process, as a Manager)",
             lambda: f"{type(catalog.aq_base).__name__}, {len(catalog(portal_type='Folder'))} folders")

        def rebuild():
            catalog.clearFindAndRebuild()
            transaction.commit()
            return f"{len(catalog(portal_type='Folder'))} folders after clearFindAndRebuild"

        step("catalog rebuilt", rebuild)
        step("ZCatalog's indexes the pgcatalog tool lacks",
             lambda: sorted(before - set(catalog.indexes())) or "none")

        def registry():
            from plone.pgcatalog.columns import get_registry

            known = get_registry()
            return {name: name in known for name in ("symbol", "issuer", "record_year", "document_type")}

        step("hdnd's indexes in plone.pgcatalog's IndexRegistry", registry)

        def create():
            from datetime import date
            from plone import api

            made = []
            for n in range(1, 21):
                obj = api.content.create(container=portal["van-ban"], type="OfficialDocument", id=f"vb-{n}",
                                         direction="incoming", document_type="CV", symbol=f"{n}-CV/TU",
                                         issue_date=date(2026, 1 + n % 12, 1 + n % 28), issuing_body="Thành ủy",
                                         title=title(n), description=description(n), urgency="normal",
                                         channel="party", page_count=2)
                made.append(obj)
            transaction.commit()
            holder["made"] = made
            return f"{len(made)} OfficialDocuments"

        step("create 20 OfficialDocuments (registry desk) + commit", create)

        def register():
            from plone import api

            obj = holder["made"][0]
            api.content.transition(obj=obj, transition="register")
            transaction.commit()
            return f"arrival number {obj.arrival_number}, state {api.content.get_state(obj)}"

        step("register one (draws the arrival number)", register)

        def bulk():
            from datetime import date
            from hdnd.content import exchange

            items = [{"idempotency_key": f"probe-{n}", "symbol": symbol(n), "title": title(n),
                      "description": description(n), "issuing_body": "UBND Thành phố",
                      "issue_date": date(2026, 1 + n % 12, 1 + n % 28).isoformat(), "urgency": "normal"}
                     for n in range(100, 200)]
            results = exchange.receive_many(items, "ubnd-bench")
            transaction.commit()
            return f"{sum(1 for r in results if r['created'])} received"

        step("bulk path: exchange.receive_many of 100 + commit", bulk)
        step("in process: OfficialDocuments found by the catalog",
             lambda: len(catalog(portal_type="OfficialDocument")))

        def expect(what, found, expected):
            if found != expected:
                raise AssertionError(f"{what}: {found}, expected {expected}")
            return found

        step("in process: SearchableText a word (3 expected)",
             lambda: expect("found", len(catalog(SearchableText=TOPICS[2])), 3))
        # hdnd indexes a symbol in its canonical form (indexers.INDEXED: canonical_symbol)
        step("in process: symbol (hdnd's FieldIndex, canonical form, 1 expected)",
             lambda: expect("found", len(catalog(symbol=holder["made"][2].canonical_symbol)), 1))


        def stored_symbol():
            obj = holder["made"][2]
            rows = sql(with_db(cluster.dsn, "bench_hdnd"),
                       "SELECT idx->>'symbol' FROM object_state WHERE idx->>'symbol' IS NOT NULL LIMIT 3")
            return f"object: {obj.symbol!r} ({obj.canonical_symbol!r}); idx: {[r[0] for r in rows]}"

        step("the symbol as the object and as the idx column hold it", stored_symbol)
        step("in process: SearchableText the word without its accents (ZCatalog's lexicon folds them; 3)",
             lambda: expect("found", len(catalog(SearchableText="bien")), 3))

        def facets():
            from hdnd.content import search

            found = search.search({"SearchableText": TOPICS[2], "portal_type": "OfficialDocument"})
            if not any(found["facets"].values()):
                raise AssertionError(f"{found['items_total']} found, every facet empty: {found['facets']}")
            return f"{found['items_total']} found, facets {found['facets']}"

        # hdnd's REST asks a second factor of every signed-in account: its own
        # searches are called in process here.
        step("hdnd's records search with facets (search.search, what @hdnd-search answers)", facets)

        def get():
            import json as jsonlib

            from plone.restapi.interfaces import ISerializeToJson
            from zope.component import getMultiAdapter

            data = getMultiAdapter((holder["made"][1], portal.REQUEST), ISerializeToJson)()
            return jsonlib.dumps(data, default=str)[:80]

        step("GET's JSON of a document (plone.restapi's serializer)", get)
    finally:
        cluster.stop()
    print(f"{len(failures)} step(s) failed: {failures}" if failures else "every step passed", flush=True)
    return not failures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--hdnd":
        sys.exit(0 if hdnd_probe() else 1)
    else:
        driver()
