"""Writers queue on the arrival counter only between their draw and their
commit (issue 21), not for their whole transaction.

ZODB reads every object as of the transaction's start: with a plain
counter, a long transaction that registers a document at its end conflicted
with every registration committed since it began, however late it drew
its number, and was redone whole (over REST: five tries, then a 409).
Here a long transaction — a bulk of documents received in one transaction,
then a document registered at its end — runs while a clerk registers
single documents, each committing during the bulk's work. The long one
commits with no conflict on the counter (at most once redone, for a catalog
bucket both changed), and the arrival
numbers run 1..N with no gap and no double. Each thread has its own ZODB
connection on the layer's database, as a server's threads do."""

from datetime import date
from hdnd.content import exchange
from hdnd.content import numbers
from hdnd.content.transitions.documents import register
from hdnd.policy.testing import site_of_own
from plone import api
from ZODB.POSException import ConflictError

import pytest
import threading
import transaction


SENDER = "ubnd-hang"
CLERK = "vanthu-hang"
BULK = 60  # documents received in the long transaction
SINGLES = 4  # documents the clerk registers one by one meanwhile
DAY = date(2026, 11, 23)


def item(key, number):
    return {"idempotency_key": key, "symbol": f"{number}/UBND-VP", "issuing_body": "UBND Thành phố",
            "title": f"Công văn số {number} về việc báo cáo kết quả giám sát", "issue_date": "2026-11-20"}


def received(site, attempt):
    """A bulk of documents received from an agency in one transaction."""
    with api.env.adopt_user(username=SENDER):
        exchange.receive_many([item(f"lo-{attempt}-{n}", 1000 + n) for n in range(BULK)], SENDER)


def drafted(site, attempt):
    """A bulk of drafts written in one transaction (an import of a predecessor system's drafts)."""
    with api.env.adopt_roles(["Manager"]):
        for n in range(BULK):
            api.content.create(container=site["van-ban"], type="OfficialDocument", id=f"du-thao-{attempt}-{n}",
                               title=f"Dự thảo {n}", direction="outgoing", document_type="TB")


def sender_and_clerk():
    """The agency that sends (exchange switched on) and the clerk who registers."""
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    api.user.create(email="hang@example.vn", username=SENDER, password="hang-pass-12345")
    api.group.add_user(groupname="agencies", username=SENDER)
    api.user.create(email="vanthu-hang@example.vn", username=CLERK, password="hang-pass-12345")
    api.group.add_user(groupname="registry-clerks", username=CLERK)


@pytest.mark.parametrize("work", [received, drafted], ids=["bulk-received", "bulk-drafted"])
def test_a_long_transaction_drawing_at_its_end_commits_while_a_clerk_registers(functional_portal, work):
    portal = functional_portal
    sender_and_clerk()
    # A site as any in use: more records than one bucket of the catalog's
    # metadata tree holds. A site of a few dozen items keeps them in a single
    # bucket stored inside the tree itself, so the long transaction's first
    # split would rewrite the very object the clerk's registrations change
    # (a conflict of the test site's size, not of the counter's).
    with api.env.adopt_roles(["Manager"]):
        for n in range(80):
            api.content.create(container=portal["van-ban"], type="OfficialDocument", id=f"cu-{n}",
                               title=f"Văn bản cũ {n}", direction="outgoing", document_type="TB")
    transaction.commit()
    with api.env.adopt_user(username=SENDER):
        waiting = [exchange.receive(item(f"don-{n}", 100 + n), SENDER)[0] for n in range(SINGLES + 2)]
    # The year's series begun: its first number makes it, and two
    # transactions making the same series at once conflict (once a year).
    with api.env.adopt_user(username=CLERK):
        register(waiting.pop(0), DAY)
    transaction.commit()
    paths = ["/".join(d.getPhysicalPath()[2:]) for d in waiting]
    db = portal._p_jar.db()

    long_began, clerk_done = threading.Event(), threading.Event()
    long_attempts, long_conflicts, clerk_conflicts, clerk_committed, failures, taken = [], [], [], [], [], []

    def long_one():
        with site_of_own(db) as site:
            for attempt in range(3):
                transaction.begin()  # its snapshot: what is committed now
                long_attempts.append(attempt)
                long_began.set()
                try:
                    # The long work: while it runs, the clerk's registrations commit.
                    work(site, attempt)
                    clerk_done.wait(timeout=120)  # all of them committed before the draw
                    # Its last step: an arrival number, as the register step's guard draws it.
                    number = numbers.take_arrival_number(site.unrestrictedTraverse(paths[-1]), DAY)
                    transaction.commit()
                    taken.append(number)
                    return
                except ConflictError as error:
                    transaction.abort()
                    long_conflicts.append(str(error))
                except Exception as error:  # noqa: BLE001 (reported below)
                    transaction.abort()
                    failures.append(("long", repr(error)))
                    return

    def clerk():
        long_began.wait(timeout=60)
        with site_of_own(db) as site:
            try:
                for path in paths[:-1]:
                    for _attempt in transaction.manager.attempts(5):
                        with _attempt:
                            try:
                                with api.env.adopt_user(username=CLERK):
                                    register(site.unrestrictedTraverse(path), DAY)
                            except ConflictError as error:
                                clerk_conflicts.append(str(error))
                                raise
                    clerk_committed.append(path)
            except Exception as error:  # noqa: BLE001 (reported below)
                failures.append(("clerk", repr(error)))
            finally:
                clerk_done.set()

    threads = [threading.Thread(target=long_one), threading.Thread(target=clerk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    print(f"\nlong transaction: {len(long_attempts)} attempt(s), conflicts {long_conflicts}; "
          f"clerk: {len(clerk_committed)} registered, conflicts {clerk_conflicts}")
    assert failures == []
    assert len(clerk_committed) == SINGLES
    # Never a conflict on the counter (the clerk's numbers were all committed before the long one drew).
    assert [c for c in long_conflicts if "numbers.series.Counter" in c or "OOBTree.OOBTree" in c] == []
    # What the long one may still meet is the catalog: a bucket its new
    # records split while the clerk's registration changed a record in it
    # (BTrees merge changes to different keys of a bucket, not a split; the
    # catalog's metadata tree has buckets of 60 for reads, see
    # catalogwrites.MetadataTree). Seen in about one run in three for the
    # drafts; redone once, never on the counter.
    assert len(long_attempts) <= 2, long_conflicts
    assert all("Bucket" in c or "TreeSet" in c or "MetadataTree" in c for c in long_conflicts), long_conflicts
    # (A bulk received in one transaction adds to the catalog's set of
    # received documents, from which each registration removes one: BTrees
    # refuse some of those merges, by where the keys fall, and the long one
    # is then redone once; over REST a bulk commits in parts for that.)
    assert taken == [SINGLES + 2]

    transaction.begin()
    portal._p_jar.sync()
    registered = [portal.unrestrictedTraverse(p) for p in paths]
    given = sorted(d.arrival_number for d in registered)
    assert given == list(range(2, SINGLES + 3))  # after the first: gapless, no double
    assert registered[-1].arrival_number == SINGLES + 2  # drawn last, numbered last
    assert len([d for d in portal["van-ban"].objectIds() if d]) >= BULK + SINGLES + 1


def test_the_register_step_draws_its_number_last(functional_portal):
    """The register step's guard only checks; the number is drawn after the
    step's work: by register() for an answer that carries it, else right
    before the commit (the workflow's own @workflow/register, the state
    menu). A registration rolled back to a savepoint takes no number."""
    from hdnd.content.transitions import take

    portal = functional_portal
    sender_and_clerk()
    with api.env.adopt_user(username=SENDER):
        first, second, third, fourth = [exchange.receive(item(f"cuoi-{n}", 200 + n), SENDER)[0] for n in range(4)]
    transaction.commit()
    with api.env.adopt_user(username=CLERK):
        assert register(first, DAY) == 1  # the answer carries it
        take(second, "register")  # the workflow's own step: drawn at commit
        assert api.content.get_state(second) == "registered" and second.arrival_number is None
        savepoint = transaction.savepoint()
        take(third, "register")
        savepoint.rollback()  # this one undone: it takes no number
        take(fourth, "register")
    transaction.commit()
    assert (first.arrival_number, second.arrival_number, third.arrival_number, fourth.arrival_number) == (1, 2, None, 3)
    assert api.content.get_state(third) == "received"
    catalog = api.portal.get_tool("portal_catalog")
    assert [b.getPath() for b in catalog.unrestrictedSearchResults(arrival_number=3)] == ["/".join(fourth.getPhysicalPath())]
