"""Time to generate the office's documents (ODT, PDF, DOCX) with the real
LibreOffice, next to rendering plain Plone's page view of the same item."""

from datetime import date
from hdnd.content.docgen import generation
from hdnd.content.docgen.libreoffice import stop
from hdnd.policy.testing import start_libreoffice
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import statistics
import time


RUNS = 5


def median_time(work):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_document_generation_times(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    office = start_libreoffice()
    try:
        doc = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="outgoing",
                                 document_type="TB", title="Thông báo kết luận phiên họp định kỳ tháng 11/2026",
                                 description="\n".join(f"Kết luận {i}." for i in range(1, 21)),
                                 symbol="09-TB/ĐĐHĐND", issue_date=date(2026, 11, 27), signer="Nguyễn Văn An")
        generation.generate(doc, "thong-bao-ket-luan", "pdf")  # LibreOffice's first document warms it up
        view = api.content.get_view("view", doc, portal.REQUEST)
        print()
        print(f"median of {RUNS}, this machine:")
        print(f"  plain Plone view of the item   {median_time(view) * 1000:7.1f} ms")
        for fmt in ("odt", "pdf", "docx"):
            seconds = median_time(lambda: generation.generate(doc, "thong-bao-ket-luan", fmt))
            print(f"  conclusion notice as {fmt:<4}      {seconds * 1000:7.1f} ms")
    finally:
        stop(office)
