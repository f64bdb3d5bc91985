"""Time to generate the office's documents (ODT, PDF, DOCX) with the real
LibreOffice, next to rendering plain Plone's page view of the same item:
p50 and p95 of HDND_BENCH_RUNS (20) generations each, after one that warms
LibreOffice up. Figures, no assertion about time."""

from datetime import date
from datetime import datetime
from hdnd.content.docgen import generation
from hdnd.content.docgen.libreoffice import stop
from hdnd.policy.testing import start_libreoffice
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import os
import statistics
import time


RUNS = int(os.environ.get("HDND_BENCH_RUNS", "20"))


def times_of(work):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def p50_p95(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def test_document_generation_times(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    office = start_libreoffice()
    try:
        doc = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="outgoing",
                                 document_type="TB", title="Thông báo kết luận phiên họp định kỳ tháng 11/2026",
                                 description="\n".join(f"Kết luận {i}." for i in range(1, 21)),
                                 symbol="09-TB/ĐĐHĐND", issue_date=date(2026, 11, 27), signer="Nguyễn Văn An")
        meeting = api.content.create(container=portal["phien-hop"], type="Meeting", title="Phiên họp định kỳ tháng 11/2026",
                                     start=datetime(2026, 11, 26, 8, 0), location="Phòng họp số 1",
                                     minutes="\n".join(f"Ý kiến thảo luận {i}." for i in range(1, 31)))
        generation.generate(doc, "thong-bao-ket-luan", "pdf")  # LibreOffice's first document warms it up
        view = api.content.get_view("view", doc, portal.REQUEST)
        print()
        print(f"{RUNS} runs each, this machine (load average {os.getloadavg()[0]:.2f}):      p50       p95")
        p50, p95 = p50_p95(times_of(view))
        print(f"  plain Plone view of the item         {p50 * 1000:7.1f} ms {p95 * 1000:7.1f} ms")
        for fmt in ("odt", "pdf", "docx"):
            p50, p95 = p50_p95(times_of(lambda: generation.generate(doc, "thong-bao-ket-luan", fmt)))
            print(f"  conclusion notice as {fmt:<4}            {p50 * 1000:7.1f} ms {p95 * 1000:7.1f} ms")
        for fmt in ("pdf",):
            p50, p95 = p50_p95(times_of(lambda: generation.generate(meeting, "bien-ban", fmt)))
            print(f"  meeting minutes as {fmt:<4}              {p50 * 1000:7.1f} ms {p95 * 1000:7.1f} ms")
    finally:
        stop(office)
