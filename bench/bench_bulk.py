"""Bulk registration over REST beside Plone's own create, in one run
(issue 21): an agency's system sends BATCHES batches of BULK documents to
``POST /@hdnd-receive-bulk`` (validated, indexed, audited, in the change
feed, idempotent; the documents committed a part at a time), and PLAIN
documents are created one by one with plone.restapi's standard
``POST /<folder>`` of a Document, on the same server (a real WSGI server of
the test layers, in this process). Prints documents per second for both.

Figures, not assertions about time: it fails only when something does not
work (a batch refused, a document missing).
"""

from hdnd.policy.testing import HDND_API_TESTING
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from pytest_plone import fixtures_factory

import os
import time
import transaction


globals().update(fixtures_factory(((HDND_API_TESTING, "functional"),)))

BULK = int(os.environ.get("HDND_BENCH_BULK", "500"))
BATCHES = int(os.environ.get("HDND_BENCH_BULK_BATCHES", "1"))
PLAIN = int(os.environ.get("HDND_BENCH_PLAIN", "100"))  # Plone's create is slow: its rate from fewer
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def item(n):
    return {"idempotency_key": f"bulk-{n}", "symbol": f"{n + 1}/UBND-VP", "issuing_body": "UBND Thành phố",
            "title": f"Công văn số {n + 1} về việc báo cáo kết quả giám sát", "issue_date": "2026-11-20",
            "description": f"Trích yếu văn bản số {n + 1}, gửi các cơ quan liên quan.", "urgency": "normal"}


def test_bulk_over_rest_beside_plones_create(functional_portal, request_factory):
    api.user.create(email="ubnd@example.vn", username="ubnd-bench", password="bench-pass-12345")
    api.group.add_user(groupname="agencies", username="ubnd-bench")
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=functional_portal, type="Folder", id="plain", title="Plain")
    transaction.commit()
    base = functional_portal.absolute_url()
    agency = request_factory(basic_auth=("ubnd-bench", "bench-pass-12345"), api=False)
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)

    bulk_seconds, bulk_cpu = [], 0.0
    for batch in range(BATCHES):
        items = [item(batch * BULK + n) for n in range(BULK)]
        started, cpu = time.perf_counter(), time.process_time()
        answer = agency.post(f"{base}/@hdnd-receive-bulk", headers=JSON, json={"items": items}, timeout=3600)
        bulk_seconds.append(time.perf_counter() - started)
        bulk_cpu += time.process_time() - cpu  # the server is a thread of this process: its CPU, whatever the load
        assert answer.status_code == 200, answer.text[:2000]
        assert all(i["created"] for i in answer.json()["items"]) and len(answer.json()["items"]) == BULK

    count = BULK * BATCHES
    # The in-process path (hdnd agency import, exchange.receive_all): the
    # same receive_many, with no HTTP and no JSON, committed in the same parts.
    from hdnd.content import exchange

    inside = [item(count + n) for n in range(BULK)]
    transaction.begin()
    started, cpu = time.perf_counter(), time.process_time()
    with api.env.adopt_user(username="ubnd-bench"):
        done = exchange.receive_many(inside, "ubnd-bench", commit_every=exchange.PART)
        transaction.commit()
    inside_seconds, inside_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(done) == BULK and all(i["created"] for i in done)

    started, cpu = time.perf_counter(), time.process_time()
    for n in range(PLAIN):
        answer = admin.post(f"{base}/plain", headers=JSON, timeout=600, json={
            "@type": "Document", "title": f"Công văn số {n + 1} về việc báo cáo kết quả giám sát",
            "description": f"Trích yếu văn bản số {n + 1}, gửi các cơ quan liên quan."})
        assert answer.status_code == 201, answer.text[:2000]
    plain_seconds, plain_cpu = time.perf_counter() - started, time.process_time() - cpu

    found = admin.get(f"{base}/@search", headers=JSON, params={"portal_type": "OfficialDocument",
                                                               "SearchableText": "giám sát"}).json()
    assert found["items_total"] == count + BULK
    bulk_rate = count / sum(bulk_seconds)
    print(f"\nbulk over REST: {count} documents in {BATCHES} calls of {BULK} to @hdnd-receive-bulk, "
          f"{sum(bulk_seconds):.1f} s ({', '.join(f'{s:.1f}' for s in bulk_seconds)} s): {bulk_rate:.0f} documents/s "
          f"(CPU {bulk_cpu / count * 1000:.1f} ms a document); "
          f"in process (exchange.receive_many, as hdnd agency import): {BULK} in {inside_seconds:.1f} s: "
          f"{BULK / inside_seconds:.0f} documents/s (CPU {inside_cpu / BULK * 1000:.1f} ms a document); "
          f"Plone's own REST create, one by one (POST a Document): {PLAIN} in {plain_seconds:.1f} s: "
          f"{PLAIN / plain_seconds:.1f} documents/s (CPU {plain_cpu / PLAIN * 1000:.1f} ms a document); "
          f"bulk/plain {bulk_rate / (PLAIN / plain_seconds):.1f}x")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
