"""Two clerks register documents at the same moment: every number is given
once, with no gaps. Each thread has its own ZODB connection on the layer's
database; conflicts are retried, as Zope retries conflicting requests."""

from datetime import date
from hdnd.content import numbers
from hdnd.policy.testing import site_of_own
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import threading
import time
import transaction


PER_THREAD = 10


def worker(db, paths, barrier, taken, conflicts, what):
    with site_of_own(db) as site:
        for path in paths:
            barrier.wait(timeout=30)  # both threads take their next number together
            for attempt in transaction.manager.attempts(20):
                with attempt:
                    doc = site.unrestrictedTraverse(path)
                    if what == "arrival":
                        value = numbers.take_arrival_number(doc, date(2026, 5, 4))
                    else:
                        value = numbers.take_number(doc, date(2026, 5, 4))
                    # Hold the uncommitted number a moment, as a slow request
                    # would: the other thread takes the same one meanwhile.
                    time.sleep(0.02)
                    transaction.get().addAfterCommitHook(
                        lambda ok, path=path: None if ok else conflicts.append(path)
                    )
            taken.append(value)


def run_two_clerks(portal, what, fields):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    folder = portal["van-ban"]
    paths = []
    for i in range(2 * PER_THREAD):
        doc = api.content.create(
            container=folder, type="OfficialDocument", title=f"Văn bản {i}", **fields
        )
        paths.append("/".join(doc.getPhysicalPath()[2:]))
    transaction.commit()
    db = portal._p_jar.db()
    barrier = threading.Barrier(2)
    taken, conflicts = [], []
    threads = [
        threading.Thread(target=worker, args=(db, paths[i::2], barrier, taken, conflicts, what))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return taken, conflicts


def test_concurrent_arrival_numbers_are_distinct_and_gapless(functional_portal):
    taken, conflicts = run_two_clerks(functional_portal, "arrival", {"direction": "incoming"})
    assert sorted(taken) == list(range(1, 2 * PER_THREAD + 1))
    assert conflicts, "the threads never overlapped: the test proved nothing"
    print(f"\n{len(taken)} arrival numbers by two threads, {len(conflicts)} conflicts retried")


def test_concurrent_issue_gives_distinct_symbols(functional_portal):
    taken, conflicts = run_two_clerks(
        functional_portal, "issue", {"direction": "outgoing", "document_type": "TB"}
    )
    expected = [f"{n:02d}-TB/ĐĐHĐND" for n in range(1, 2 * PER_THREAD + 1)]
    assert sorted(taken) == expected
    assert conflicts, "the threads never overlapped: the test proved nothing"
    print(f"\n{len(taken)} outgoing numbers by two threads, {len(conflicts)} conflicts retried")
