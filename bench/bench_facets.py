"""The records search with facet counts (``hdnd.content.search.find``,
what ``@hdnd-search`` and the search page run) at 20,000 and 100,000
catalog entries (HDND_BENCH_FACET_SIZES), in process, timed next to:

- ``per hit``: the counting as it was before issue 21 (every hit's brain
  made, and its entry read from each facet's index), kept here as the
  reference;
- ``catalog only``: the catalog query plain Plone's ``@search`` runs for
  the same filters (secured, sorted by modified, a page of 50, the total),
  with no counts: what the facets cost above it.

The catalog is filled directly (``catalogObject`` of small stand-ins with
the indexed attributes, 1,000 per transaction), not by creating documents:
minutes instead of hours, and only the catalog's work is timed here (the
REST serialization is the same for both). Words hit 2.5 % of the entries
(one of 40 place words per title), the filter ``review_state`` about a
third of those; a tenth of the entries are classified (their
``allowedRolesAndUsers`` name only a clearance holder), so that the counts
differ by user. Asked as the test user (Manager, with clearance), as
bench_scale asks, and as a user without: the new counts are checked
against the reference on every call. Wall-clock and this thread's CPU
milliseconds (what a loaded machine inflates least). Figures, no
assertion about time.

    HDND_BENCH_FACET_SIZES=20000,100000 nice -n 10 .venv/bin/python -m pytest \
      bench/bench_facets.py -o python_files='bench_*.py' -s -q -p no:warnings
"""

from DateTime import DateTime
from hdnd.content import search
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import os
import random
import statistics
import time
import transaction


SIZES = sorted(int(s) for s in os.environ.get("HDND_BENCH_FACET_SIZES", "20000,100000").split(",") if s.strip())
SAMPLES = int(os.environ.get("HDND_BENCH_SAMPLES", "50"))
CACHE = int(os.environ.get("HDND_BENCH_CACHE", "30000"))  # ZODB cache in objects, as profiles/*/storage.conf.in
PLACES = ["dat", "rung", "bien", "song", "cau", "duong", "truong", "cho", "dien", "nuoc", "thue", "phi", "lua",
          "ca", "gao", "muoi", "than", "dau", "khi", "mo", "cang", "ga", "ben", "de", "ke", "ho", "nui", "dao",
          "lang", "xa", "phuong", "quan", "huyen", "tinh", "thon", "ap", "khu", "cum", "vung", "bai"]
STATES = ["received", "registered", "assigned", "filed", "draft", "issued"]
TYPES = ["OfficialDocument"] * 8 + ["Directive", "Task"]
ISSUERS = ["TU", "HĐND", "UBND", "TW", "BTC", "BDV", "UBKT", "VP"] + [f"S{n}" for n in range(12)]
DOCUMENT_TYPES = ["NQ", "QĐ", "KH", "BC", "TB", "CV", "TTr", "CT", "KL", "HD"]
INDEXES = ["SearchableText", "portal_type", "review_state", "record_year", "issuer", "document_type",
           "modified", "allowedRolesAndUsers", "effectiveRange"]


class Entry:
    """The indexed attributes of a record, as its indexers give them."""

    def __init__(self, n, rng):
        self.SearchableText = f"van ban so {n} ve {PLACES[n % len(PLACES)]} nam {2016 + n % 11}"
        self.Title = f"Văn bản {n}"
        self.portal_type = rng.choice(TYPES)
        self.review_state = rng.choice(STATES)
        self.record_year = 2016 + rng.randrange(11)
        self.issuer = rng.choice(ISSUERS) if rng.random() < 0.9 else None  # some have none
        self.document_type = rng.choice(DOCUMENT_TYPES) if self.portal_type == "OfficialDocument" else None
        self.modified = DateTime(2016, 1, 1) + n / 50.0
        self.effective = DateTime(2000, 1, 1)
        self.expires = DateTime(2499, 12, 31)
        classified = n % 10 == 7
        self.allowedRolesAndUsers = (["Manager", "user:" + TEST_USER_ID] if classified else
                                     ["Manager", "Site Administrator", "Reader", "Editor", "Authenticated"])


def per_hit(params):
    """The counting before issue 21 (the reference): every hit's brain,
    each facet's index entry read for it."""
    query = search.query_of(params)
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(sort_on="modified", sort_order="descending", **query)
    len(brains)
    facets = {name: {} for name in search.FACETS}
    indexes = {name: catalog._catalog.getIndex(name) for name in search.FACETS}
    for brain in brains:
        rid = brain.getRID()
        for name, index in indexes.items():
            value = index.getEntryForObject(rid, default=None)
            if value not in (None, ""):
                key = str(value)
                facets[name][key] = facets[name].get(key, 0) + 1
    return {"brains": brains[:50], "total": len(brains), "facets": facets}


def catalog_only(params):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(sort_on="modified", sort_order="descending", b_start=0, b_size=50, **search.query_of(params))
    return {"brains": brains[:50], "total": brains.actual_result_count}


def fill(portal, upto, rng):
    catalog = portal.portal_catalog._catalog
    have = len([p for p in catalog.uids if p.startswith("/bench-facets/")])
    base = "/".join(portal.getPhysicalPath()) + "/bench-facets/"
    started = time.perf_counter()
    for n in range(have, upto):
        catalog.catalogObject(Entry(n, rng), f"{base}e{n}", idxs=INDEXES)
        if n % 1000 == 999:
            transaction.commit()
    transaction.commit()
    return time.perf_counter() - started


def p50_p95(times):
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def test_facet_counts_at_size(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.user.create(email="no-clearance@example.vn", username="bench-reader", password="bench-reader-1")
    api.group.add_user(groupname="specialists", username="bench-reader")
    transaction.commit()
    portal._p_jar.db().setCacheSize(CACHE)  # the test layer's database keeps ZODB's default of 400
    rng = random.Random(21)
    print()
    for size in SIZES:
        took = fill(portal, size, rng)
        picks = random.Random(size)
        asks = [{"SearchableText": picks.choice(PLACES), "review_state": picks.choice(STATES), "b_size": 50}
                for _ in range(SAMPLES)] + [{"SearchableText": picks.choice(PLACES), "b_size": 50}
                                             for _ in range(SAMPLES)]
        print(f"{size} entries (filled in {took:.0f} s; load {os.getloadavg()[0]:.2f}); "
              f"{SAMPLES} word + state, then {SAMPLES} word alone; ms:")
        for who in ("test user (Manager)", "bench-reader (no clearance)"):
            timings = {"per hit (before)": [], "find (now)": [], "catalog only": []}
            cpu = {name: [] for name in timings}
            hits = []
            run = lambda: None  # noqa: E731
            for i, params in enumerate(asks[:5] + asks):  # five untimed warm-up calls
                def run(params=params):
                    got = {}
                    for name, work in (("per hit (before)", per_hit), ("find (now)", search.find),
                                       ("catalog only", catalog_only)):
                        begun, begun_cpu = time.perf_counter(), time.thread_time()
                        got[name] = work(params)
                        if i >= 5:
                            timings[name].append(time.perf_counter() - begun)
                            cpu[name].append(time.thread_time() - begun_cpu)
                    return got
                if who.startswith("bench"):
                    with api.env.adopt_user(username="bench-reader"):
                        got = run()
                else:
                    got = run()
                old, new, plain = got["per hit (before)"], got["find (now)"], got["catalog only"]
                assert new["facets"] == old["facets"], (params, new["facets"], old["facets"])
                assert new["total"] == old["total"] == plain["total"]
                # The same page, newest first (records of the same minute in either order).
                when = api.portal.get_tool("portal_catalog")._catalog.getIndex("modified")._unindex.get
                assert [when(b.getRID()) for b in new["brains"][:50]] == [when(b.getRID()) for b in plain["brains"]]
                hits.append(old["total"])
            print(f"  as {who}: {min(hits)}-{max(hits)} found")
            for clock, table in (("wall", timings), ("CPU", cpu)):
                for name, times in table.items():
                    word_state, word = p50_p95(times[:SAMPLES]), p50_p95(times[SAMPLES:])
                    print(f"    {clock:<4} {name:<18} word + state p50 {word_state[0]:6.1f} p95 {word_state[1]:6.1f}"
                          f"   word alone p50 {word[0]:6.1f} p95 {word[1]:6.1f}")
