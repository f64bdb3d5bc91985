"""hdnd next to plain Plone 6.2.2 as the sites grow: the same operations,
timed call by call, at 1,000 and 10,000 documents (HDND_BENCH_SIZES, e.g.
``1000,10000,100000``), in one run on this machine; see docs/benchmarks.md.

The hdnd site is the functional test layer of bench/conftest.py (in this
process). Plain Plone is a plone.app.testing site (plone.app.contenttypes,
Barceloneta, plone.restapi's ZCML, none of hdnd's) in a second process,
this module run as ``python bench/bench_scale.py --plain-worker``, which
the test drives step by step, in turn with the hdnd site (hdnd's ZCML
subscribers are global: they would run on a "plain" site in the same
process). Both sites grow from one size to the next, in transactions of a
few hundred documents; both keep their database in the test layers'
in-memory DemoStorage, with the ZODB cache of the project's storage
configurations (30,000 objects, HDND_BENCH_CACHE).

Per size and per operation, WARMUP untimed calls, then SAMPLES timed ones
(HDND_BENCH_SAMPLES): create (one document, committed: indexing happens at
commit; plain Plone once more with its Document's versioning off), read
(plone.restapi's serialization of a random document, as ``GET`` returns
it), search (a title word, the first 20 brains and their metadata),
listing (the container's first 20 by modified date), transition (plain:
publish; hdnd: register, which draws the arrival number; committed), then
500 documents in one transaction (plain: plone.api; hdnd:
``exchange.receive_many``), then the process's RSS and the database's size.

Figures, not assertions about time: the test fails only when something
does not work (a search finds nothing, a transition did not happen).
"""

from contextlib import contextmanager
from datetime import date

import json
import os
import random
import statistics
import subprocess
import sys
import time
import traceback


SIZES = sorted(int(s) for s in os.environ.get("HDND_BENCH_SIZES", "1000,10000").split(",") if s.strip())
SAMPLES = int(os.environ.get("HDND_BENCH_SAMPLES", "100"))
WARMUP = 10
BATCH = 250  # documents per transaction while a site grows
BULK = 500
# Objects in the ZODB connection cache, as profiles/*/storage.conf.in set it
# (the test layers' databases keep ZODB's default of 400).
CACHE = int(os.environ.get("HDND_BENCH_CACHE", "30000"))
PAGE = 20
# One of these words in every title (distinct once Plone's lexicon drops the accents).
TOPICS = ["đất", "rừng", "biển", "sông", "cầu", "đường", "trường", "chợ", "điện", "nước", "thuế", "phí",
          "lúa", "cá", "gạo", "muối", "than", "dầu", "khí", "mỏ", "cảng", "ga", "bến", "đê", "kè", "hồ",
          "núi", "đảo", "làng", "xã", "phường", "quận", "huyện", "tỉnh", "thôn", "ấp", "khu", "cụm",
          "vùng", "bãi"]
RESULT = "@@bench-scale-result "
FAILED = "@@bench-scale-failed "
OPERATIONS = [
    ("create", "create (1 doc + commit)"),
    ("create_unversioned", "create, plain without versioning"),
    ("read", "read (REST GET serialization)"),
    ("search", "search (word, first 20 brains)"),
    ("listing", "listing (first 20 by modified)"),
    ("transition", "transition (+ commit)"),
]


def title(n):
    return f"Về việc {TOPICS[n % len(TOPICS)]} số {n}"


def description(n):
    return f"Trích yếu văn bản số {n}, gửi các cơ quan liên quan để biết và thực hiện."


# The two sites: the same operations, each in its own terms -------------------------


class Site:
    """What the measurements need of a site; `made` lists the ids of the
    documents the benchmark created in `container`, in order."""

    portal_type = None
    state_after = None

    def __init__(self, portal):
        from plone.app.testing import setRoles
        from plone.app.testing import TEST_USER_ID
        from zope.globalrequest import getRequest
        from zope.globalrequest import setRequest

        self.portal = portal
        self.request = portal.REQUEST
        if getRequest() is None:
            setRequest(self.request)
        setRoles(portal, TEST_USER_ID, ["Manager"])
        self.catalog = portal.portal_catalog
        portal._p_jar.db().setCacheSize(CACHE)
        portal._p_jar._cache.cache_size = CACHE
        self.made = []
        self.next_number = 1
        self.transitioned = 0  # made[:transitioned] went through the transition
        self.built_before = 0  # len(made) when the last size was measured

    def take_numbers(self, count):
        first = self.next_number
        self.next_number += count
        return range(first, first + count)

    def read(self, obj):
        from plone.restapi.interfaces import ISerializeToJson
        from zope.component import getMultiAdapter

        return json.dumps(getMultiAdapter((obj, self.request), ISerializeToJson)())


class PlainSite(Site):
    portal_type = "Document"
    state_after = "published"

    def __init__(self, portal):
        super().__init__(portal)
        from plone import api

        self.container = api.content.create(container=portal, type="Folder", id="documents", title="Documents")

    def create(self, n):
        from plone import api

        obj = api.content.create(container=self.container, type="Document", id=f"doc-{n}", title=title(n),
                                 description=description(n))
        self.made.append(obj.getId())
        return obj

    def transition(self, obj):
        from plone import api

        api.content.transition(obj=obj, transition="publish")

    def bulk(self, numbers):
        for n in numbers:  # plone.api, as create
            self.create(n)
        return len(numbers)

    @contextmanager
    def unversioned(self):
        """Documents not versioned: plain Plone saves an initial version of
        every new Document (CMFEditions); hdnd's OfficialDocument has no
        versioning behavior."""
        repository = self.portal.portal_repository
        versioned = list(repository.getVersionableContentTypes())
        repository.setVersionableContentTypes([t for t in versioned if t != "Document"])
        try:
            yield
        finally:
            repository.setVersionableContentTypes(versioned)


class HdndSite(Site):
    portal_type = "OfficialDocument"
    state_after = "registered"

    def __init__(self, portal):
        super().__init__(portal)
        self.container = portal["van-ban"]
        self.arrival_numbers = set()

    def create(self, n):
        """An incoming document as the registry desk records it."""
        from plone import api

        obj = api.content.create(container=self.container, type="OfficialDocument", id=f"vb-{n}",
                                 direction="incoming", document_type="CV", symbol=f"{n}-CV/TU",
                                 issue_date=date(2026, 1 + n % 12, 1 + n % 28), issuing_body="Thành ủy",
                                 title=title(n), description=description(n), urgency="normal", channel="party",
                                 page_count=2)
        self.made.append(obj.getId())
        return obj

    def transition(self, obj):
        from plone import api

        api.content.transition(obj=obj, transition="register")
        number = obj.arrival_number
        if not number or number in self.arrival_numbers:
            raise AssertionError(f"{obj.getId()}: registered without a new arrival number ({number})")
        self.arrival_numbers.add(number)

    def bulk(self, numbers):
        from hdnd.content import exchange

        items = [{"idempotency_key": f"bench-{n}", "symbol": f"{n}/UBND-VP", "title": title(n),
                  "description": description(n), "issuing_body": "UBND Thành phố",
                  "issue_date": date(2026, 1 + n % 12, 1 + n % 28).isoformat(), "urgency": "normal"}
                 for n in numbers]
        results = exchange.receive_many(items, "ubnd-bench")
        if not all(r["created"] for r in results):
            raise AssertionError("receive_many returned a document it already had")
        self.made.extend(r["@id"].rsplit("/", 1)[-1] for r in results)
        return len(results)


# Measurements ----------------------------------------------------------------------


def percentiles(samples):
    ms = sorted(s * 1000 for s in samples)
    return {"p50": statistics.median(ms), "p95": statistics.quantiles(ms, n=100, method="inclusive")[94],
            "n": len(ms)}


def timed_calls(work, count):
    times = []
    for i in range(count):
        started = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - started)
    return times


def grow(site, size):
    """Add documents until the benchmark made `size` of them; seconds taken."""
    import transaction

    started = time.perf_counter()
    while len(site.made) < size:
        for n in site.take_numbers(min(BATCH, size - len(site.made))):
            site.create(n)
        transaction.commit()
    return time.perf_counter() - started


def measure_create(site):
    import transaction

    def work(_i):
        site.create(site.take_numbers(1)[0])
        transaction.commit()

    timed_calls(work, WARMUP)
    before = len(site.made)
    times = timed_calls(work, SAMPLES)
    last = site.container[site.made[-1]]
    if len(site.made) != before + SAMPLES or last.Title() != title(site.next_number - 1):
        raise AssertionError("create: the documents are not there")
    return times


def measure_read(site, rng, size):
    import transaction

    ids = site.made[:size]
    timed_calls(lambda i: site.read(site.container[rng.choice(ids)]), WARMUP)
    transaction.abort()
    picks = [rng.choice(ids) for _ in range(SAMPLES)]
    found = []

    def work(i):
        found.append(site.read(site.container[picks[i]]))

    times = timed_calls(work, SAMPLES)
    transaction.abort()
    for pick, text in zip(picks, found):
        data = json.loads(text)
        if data.get("@type") != site.portal_type or data.get("id") != pick or not data.get("title"):
            raise AssertionError(f"read: {pick} serialized as {text[:200]}")
    site.serialized = {"keys": len(data), "bytes": len(text.encode("utf-8"))}
    return times


def measure_search(site, rng):
    import transaction

    words = [rng.choice(TOPICS) for _ in range(WARMUP + SAMPLES)]
    seen = []

    def work(i):
        results = site.catalog.searchResults(SearchableText=words[i], portal_type=site.portal_type)
        page = [(b.Title, b.Description, b.review_state, b.modified, b.getURL(), b.UID) for b in results[:PAGE]]
        seen.append((words[i], len(results), page))

    timed_calls(work, WARMUP)
    times = timed_calls(lambda i: work(WARMUP + i), SAMPLES)
    transaction.abort()
    for word, total, page in seen:
        if total < PAGE or len(page) != PAGE or not all(word in row[0] for row in page):
            raise AssertionError(f"search for {word!r}: {total} found, first page {[row[0] for row in page]}")
    return times


def measure_listing(site):
    import transaction

    path = "/".join(site.container.getPhysicalPath())
    seen = []

    def work(_i):
        results = site.catalog.searchResults(path={"query": path, "depth": 1}, sort_on="modified",
                                             sort_order="descending", sort_limit=PAGE)
        page = [(b.getId, b.Title, b.portal_type, b.review_state, b.modified, b.getURL()) for b in results[:PAGE]]
        seen.append(page)

    timed_calls(work, WARMUP)
    times = timed_calls(work, SAMPLES)
    transaction.abort()
    if any(len(page) != PAGE or not all(row[0] in site.container for row in page) for page in seen):
        raise AssertionError(f"listing: expected {PAGE} items of the container, got {seen[-1]}")
    return times


def measure_transition(site):
    import transaction
    from plone import api

    def work(_i):
        obj = site.container[site.made[site.transitioned]]
        site.transitioned += 1
        site.transition(obj)
        transaction.commit()

    first = site.transitioned + WARMUP
    timed_calls(work, WARMUP)
    times = timed_calls(work, SAMPLES)
    for doc_id in site.made[first:site.transitioned]:
        state = api.content.get_state(site.container[doc_id])
        if state != site.state_after:
            raise AssertionError(f"transition: {doc_id} is {state}, not {site.state_after}")
    return times


def measure_bulk(site):
    import transaction

    numbers = site.take_numbers(BULK)
    before = len(site.made)
    started = time.perf_counter()
    created = site.bulk(numbers)
    transaction.commit()
    seconds = time.perf_counter() - started
    if created != BULK or len(site.made) != before + BULK or site.made[-1] not in site.container:
        raise AssertionError(f"bulk: {created} documents created of {BULK}")
    return seconds


def rss_mb():
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def zodb_size(db):
    """Distinct objects in the stack of DemoStorages and the size of their
    current records (what a packed storage would hold)."""
    from ZODB.DemoStorage import DemoStorage

    storage, layers = db.storage, []
    while isinstance(storage, DemoStorage):
        layers.append(storage.changes)
        storage = storage.base
    layers.append(storage)
    current = {}
    for layer in layers:  # top first: the newest record of an object wins
        for oid, records in getattr(layer, "_data", {}).items():
            if oid not in current:
                current[oid] = len(records[records.maxKey()]) if len(records) else 0
    return len(current), sum(current.values()) / (1024 * 1024)


STEPS = ["grow", "read", "search", "listing", "transition", "create", "bulk", "stats"]


def run_step(site, name, size):
    """One step of measuring `site` at `size` documents; a JSON-able dict.
    The two sites take the steps in turn, so that what else the machine
    does at the time weighs on both alike."""
    rng = random.Random(size * 100 + STEPS.index(name))  # the same picks on both sites
    if name == "grow":
        return {"build_s": grow(site, size), "built": size - site.built_before}
    if name == "read":
        return {"read": percentiles(measure_read(site, rng, size)), "serialized": site.serialized}
    if name == "search":
        return {"search": percentiles(measure_search(site, rng))}
    if name == "listing":
        return {"listing": percentiles(measure_listing(site))}
    if name == "transition":
        return {"transition": percentiles(measure_transition(site))}
    if name == "create":
        result = {"create": percentiles(measure_create(site))}
        if isinstance(site, PlainSite):
            from Acquisition import aq_base

            if getattr(aq_base(site.container[site.made[-1]]), "version_id", None) is None:
                raise AssertionError("create: plain Plone did not version the Document")
            with site.unversioned():
                result["create_unversioned"] = percentiles(measure_create(site))
            if getattr(aq_base(site.container[site.made[-1]]), "version_id", None) is not None:
                raise AssertionError("create: the Document was versioned")
        return result
    if name == "bulk":
        return {"bulk_s": measure_bulk(site)}
    if name == "stats":
        import gc

        site.built_before = len(site.made)
        gc.collect()
        result = {"documents": len(site.made), "indexes": len(site.catalog.indexes()),
                  "columns": len(site.catalog.schema())}
        result["rss_mb"], result["peak_rss_mb"] = rss_mb()
        result["zodb_objects"], result["zodb_mb"] = zodb_size(site.portal._p_jar.db())
        return result
    raise ValueError(name)


# Plain Plone, in its own process ---------------------------------------------------


def plain_layer():
    from plone.app.testing import FunctionalTesting
    from plone.app.testing import PLONE_FIXTURE
    from plone.app.testing import PloneSandboxLayer

    class PlainPlone(PloneSandboxLayer):
        """Plone 6.2.2 as plone.app.testing builds it, with plone.restapi's
        ZCML (a real Plone 6 instance loads it) and the default workflow of
        a new site: nothing of hdnd."""

        defaultBases = (PLONE_FIXTURE,)

        def setUpZope(self, app, configurationContext):
            import plone.restapi

            self.loadZCML(package=plone.restapi)

        def setUpPloneSite(self, portal):
            # plone.app.testing leaves the default chain empty; a site has this one.
            portal.portal_workflow.setDefaultChain("simple_publication_workflow")

    return FunctionalTesting(bases=(PlainPlone(),), name="PlainPlone:Functional")


def layers_in_order(layer, found=None):
    found = [] if found is None else found
    for base in layer.__bases__:
        layers_in_order(base, found)
    if layer not in found:
        found.append(layer)
    return found


def plain_worker():
    """Answer each ``STEP SIZE`` line on stdin with a RESULT line on stdout."""
    os.environ.setdefault("zope_i18n_compile_mo_files", "true")
    layers = layers_in_order(plain_layer())
    for layer in layers:
        layer.setUp()
    for layer in layers:
        layer.testSetUp()
    try:
        site = PlainSite(layers[-1]["portal"])
        import transaction

        transaction.commit()
        print(RESULT + json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            name, _, size = line.strip().partition(" ")
            if name not in STEPS:
                break
            try:
                result = run_step(site, name, int(size))
            except Exception:
                print(FAILED + json.dumps(traceback.format_exc()), flush=True)
                return 1
            print(RESULT + json.dumps(result), flush=True)
    finally:
        for layer in reversed(layers):
            layer.testTearDown()
        for layer in reversed(layers):
            layer.tearDown()
    return 0


class PlainWorker:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--plain-worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.answer()

    def answer(self):
        for line in self.process.stdout:
            if line.startswith(RESULT):
                return json.loads(line[len(RESULT):])
            if line.startswith(FAILED):
                raise AssertionError("plain Plone:\n" + json.loads(line[len(FAILED):]))
        raise AssertionError(f"the plain Plone process ended (exit code {self.process.wait()})")

    def run_step(self, name, size):
        self.process.stdin.write(f"{name} {size}\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()


# The table -------------------------------------------------------------------------


def table(pairs):
    """Markdown rows: operation × size; plain p50, p95, hdnd p50, p95, ratio."""
    rows = ["| operation | size | plain p50 | plain p95 | hdnd p50 | hdnd p95 | hdnd/plain (p50) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def size_label(n):
        return f"{n // 1000}k" if n % 1000 == 0 else str(n)

    for key, label in OPERATIONS:
        for plain, hdnd in pairs:
            p, h = plain[key], hdnd["create" if key == "create_unversioned" else key]
            rows.append(f"| {label} | {size_label(plain['size'])} | {p['p50']:.1f} ms | {p['p95']:.1f} ms "
                        f"| {h['p50']:.1f} ms | {h['p95']:.1f} ms | {h['p50'] / p['p50']:.2f} |")
    for plain, hdnd in pairs:
        size = size_label(plain["size"])
        p, h = plain["bulk_s"], hdnd["bulk_s"]
        rows.append(f"| {BULK} docs in one transaction | {size} | {p:.1f} s | {BULK / p:.0f} docs/s "
                    f"| {h:.1f} s | {BULK / h:.0f} docs/s | {h / p:.2f} |")
    for plain, hdnd in pairs:
        size = size_label(plain["size"])
        p, h = plain["build_s"], hdnd["build_s"]
        rows.append(f"| build to size (+{plain['built']} / +{hdnd['built']} docs) | {size} | {p:.0f} s "
                    f"| {plain['built'] / p:.0f} docs/s | {h:.0f} s | {hdnd['built'] / h:.0f} docs/s | {h / p:.2f} |")
    for plain, hdnd in pairs:
        size = size_label(plain["size"])
        rows.append(f"| process RSS after size (peak) | {size} | {plain['rss_mb']:.0f} MB "
                    f"| {plain['peak_rss_mb']:.0f} MB | {hdnd['rss_mb']:.0f} MB | {hdnd['peak_rss_mb']:.0f} MB "
                    f"| {hdnd['rss_mb'] / plain['rss_mb']:.2f} |")
    for plain, hdnd in pairs:
        size = size_label(plain["size"])
        rows.append(f"| ZODB objects (MB) after size | {size} | {plain['zodb_objects']} "
                    f"| {plain['zodb_mb']:.0f} MB | {hdnd['zodb_objects']} | {hdnd['zodb_mb']:.0f} MB "
                    f"| {hdnd['zodb_objects'] / plain['zodb_objects']:.2f} |")
    return rows


def test_scale_against_plain_plone(functional_portal):
    import transaction

    started = time.perf_counter()
    worker = PlainWorker()
    try:
        hdnd = HdndSite(functional_portal)
        transaction.commit()
        pairs, loads = [], []
        for size in SIZES:
            plain, measured = {"size": size}, {"size": size}
            for name in STEPS:
                plain.update(worker.run_step(name, size))
                measured.update(run_step(hdnd, name, size))
                loads.append((size, os.getloadavg()[0]))
            print(f"\n  {size} documents: plain Plone grew in {plain['build_s']:.0f} s, "
                  f"hdnd in {measured['build_s']:.0f} s; measured", file=sys.stderr)
            pairs.append((plain, measured))
    finally:
        worker.close()
    total = time.perf_counter() - started
    print()
    print(f"hdnd against plain Plone 6.2.2, same run, this machine ({SAMPLES} samples per operation and size "
          f"after {WARMUP} warm-up calls; ms per call; ZODB cache {CACHE} objects):")
    print()
    for row in table(pairs):
        print(row)
    last_plain, last_hdnd = pairs[-1]
    print()
    print(f"catalog: plain {last_plain['indexes']} indexes, {last_plain['columns']} metadata columns; "
          f"hdnd {last_hdnd['indexes']} indexes, {last_hdnd['columns']} metadata columns; "
          f"a document's REST GET: plain {last_plain['serialized']['keys']} keys, "
          f"{last_plain['serialized']['bytes']} bytes, hdnd {last_hdnd['serialized']['keys']} keys, "
          f"{last_hdnd['serialized']['bytes']} bytes. Whole benchmark: {total / 60:.1f} min.")
    for size in SIZES:
        during = [load for at, load in loads if at == size]
        print(f"1-minute load average while measuring {size}: {min(during):.1f} to {max(during):.1f} "
              f"({os.cpu_count()} CPUs; the benchmark itself keeps one busy)")


if __name__ == "__main__":
    if sys.argv[1:] == ["--plain-worker"]:
        sys.exit(plain_worker())
    sys.exit(f"usage: {sys.argv[0]} --plain-worker (started by the benchmark; run it with pytest)")
