"""Where a bulk-received document's CPU time goes (issue 21): 500 documents
(HDND_BENCH_BULK) received in process by ``exchange.receive_many``,
committed in the REST call's parts, after a warm-up of 50; prints the
process's CPU time a document and inside each phase — checking
(``_check``: plone.restapi's deserializer, the invariants, the type's
factory), adding (``_add``: the added-event subscribers, the workflow's
initial state, the name, audit and status), ZCatalog indexing at commit
(``IndexQueue.process``) and ZODB's commit (pickling and storing) — and the
number of Python function calls, which the load of other processes does not
change (cProfile: the timings under it are not the run's; the profile is
written to HDND_BENCH_PROFILE when set).

    nice -n 10 .venv/bin/python -m pytest bench/bench_bulk_phases.py -o python_files='bench_*.py' -s -q

Figures, not assertions about time.
"""

from hdnd.policy.testing import HDND_FUNCTIONAL_TESTING
from plone import api
from pytest_plone import fixtures_factory

import cProfile
import collections
import os
import pstats
import time
import transaction


globals().update(fixtures_factory(((HDND_FUNCTIONAL_TESTING, "functional"),)))

BULK = int(os.environ.get("HDND_BENCH_BULK", "500"))
SENDER = "ubnd-phases"


def item(n):
    return {"idempotency_key": f"pha-{n}", "symbol": f"{n + 1}/UBND-VP", "issuing_body": "UBND Thành phố",
            "title": f"Công văn số {n + 1} về việc báo cáo kết quả giám sát", "issue_date": "2026-11-20",
            "description": f"Trích yếu văn bản số {n + 1}, gửi các cơ quan liên quan.", "urgency": "normal"}


def receive(items):
    from hdnd.content import exchange

    with api.env.adopt_user(username=SENDER):
        done = exchange.receive_many(items, SENDER, commit_every=exchange.PART)
        transaction.commit()
    assert len(done) == len(items) and all(i["created"] for i in done)


def test_where_a_bulk_documents_cpu_goes(functional_portal):
    from hdnd.content import exchange
    from Products.CMFCore.indexing import IndexQueue
    from ZODB.Connection import Connection

    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    api.user.create(email="phases@example.vn", username=SENDER, password="phases-pass-12345")
    api.group.add_user(groupname="agencies", username=SENDER)
    transaction.commit()
    receive([item(100000 + n) for n in range(50)])  # warm-up: caches, the first part's checks

    phases, replaced = collections.Counter(), []

    def timed(owner, name, label):
        original = getattr(owner, name)

        def timer(*args, **kw):
            started = time.process_time()
            try:
                return original(*args, **kw)
            finally:
                phases[label] += time.process_time() - started

        setattr(owner, name, timer)
        replaced.append((owner, name, original))

    timed(exchange, "_check", "checking (_check)")
    timed(exchange, "_add", "adding (_add)")
    timed(IndexQueue, "process", "ZCatalog indexing at commit")
    timed(Connection, "commit", "ZODB commit")
    try:
        started = time.process_time()
        receive([item(n) for n in range(BULK)])
        total = time.process_time() - started
    finally:
        for owner, name, original in replaced:
            setattr(owner, name, original)

    profile = cProfile.Profile()
    profile.enable()
    receive([item(BULK + n) for n in range(BULK)])
    profile.disable()
    calls = pstats.Stats(profile).total_calls
    if os.environ.get("HDND_BENCH_PROFILE"):
        profile.dump_stats(os.environ["HDND_BENCH_PROFILE"])

    print(f"\n{BULK} documents received in process (exchange.receive_many, parts from {exchange.PART}): "
          f"CPU {total / BULK * 1000:.2f} ms a document ({BULK / total:.0f} a CPU second); "
          f"{calls / 1e6:.1f} M function calls ({calls / BULK:.0f} a document)")
    for label, spent in phases.items():
        print(f"  {label}: {spent / BULK * 1000:.2f} ms a document")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
