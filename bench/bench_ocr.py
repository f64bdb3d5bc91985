"""OCR on this machine (issue 24): seconds per page to read a scan's fields
(tesseract, Vietnamese) and to make it a searchable PDF (ocrmypdf, vie+eng),
by resolution; then the queue's throughput: HDND_BENCH_OCR_JOBS scanned
documents filed at once, the real worker process (as ``hdnd serve`` starts
it) working through them over HTTP, from the first filing to the last
searchable PDF. Pages are made by hdnd.content.core.scans (LibreOffice,
rasterised, askew, speckled, sealed). Figures, no assertion about time."""

from hdnd.content import searchable
from hdnd.content.core import ocr
from hdnd.content.core import ocrworker
from hdnd.content.core import scans
from hdnd.policy.testing import HDND_API_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile
from pytest_plone import fixtures_factory

import os
import statistics
import time
import transaction


# This module's "functional" layer has the WSGI server the worker talks to.
globals().update(fixtures_factory(((HDND_API_TESTING, "functional"),)))
PAGES = int(os.environ.get("HDND_BENCH_OCR_PAGES", "6"))
JOBS = int(os.environ.get("HDND_BENCH_OCR_JOBS", "6"))


def spread(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def test_ocr_seconds_per_page():
    samples = scans.corpus(PAGES, seed=42)
    read, searchable_times = {}, {}
    for sample in samples:
        started = time.perf_counter()
        ocr.recognize(sample.scan, "scan.pdf", "application/pdf", max_pages=1)
        read.setdefault(sample.dpi, []).append(time.perf_counter() - started)
        started = time.perf_counter()
        ocr.searchable_pdf(sample.scan)
        searchable_times.setdefault(sample.dpi, []).append(time.perf_counter() - started)
    print()
    print(f"OCR of one A4 page, {PAGES} pages, {os.cpu_count()} cores (load average {os.getloadavg()[0]:.2f}):"
          "   p50      p95")
    for dpi in sorted(read):
        p50, p95 = spread(read[dpi])
        print(f"  fields read (@hdnd-recognize), {dpi} dpi, {len(read[dpi])} pages   {p50:6.1f} s {p95:6.1f} s")
    for dpi in sorted(searchable_times):
        p50, p95 = spread(searchable_times[dpi])
        print(f"  searchable PDF (ocrmypdf),     {dpi} dpi, {len(searchable_times[dpi])} pages   {p50:6.1f} s {p95:6.1f} s")


def test_queue_throughput(functional_portal, monkeypatch):
    portal = functional_portal
    monkeypatch.setenv(searchable.SECRET_VARIABLE, "bench-secret")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    samples = scans.corpus(JOBS, seed=43)
    started = time.perf_counter()
    filing = []
    for n, sample in enumerate(samples):
        began = time.perf_counter()
        api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="incoming",
                           title=f"Bản quét {n}", file=NamedBlobFile(data=sample.scan, filename=f"scan-{n}.pdf",
                                                                    contentType="application/pdf"))
        transaction.commit()
        filing.append(time.perf_counter() - began)
    worker = ocrworker.start(portal.absolute_url(), idle=0.2)
    try:
        while True:
            transaction.begin()
            queue = getattr(portal, searchable.QUEUE, None)
            if queue is not None and not len(queue):
                break
            time.sleep(1)
    finally:
        ocrworker.stop(worker)
    total = time.perf_counter() - started
    transaction.begin()
    states = [getattr(d, searchable.STATE)["state"] for d in portal["van-ban"].objectValues()
              if getattr(d, searchable.STATE, None)]
    print()
    print(f"OCR queue: {JOBS} one-page scans filed at once, one worker process, {os.cpu_count()} cores "
          f"(load average {os.getloadavg()[0]:.2f})")
    print(f"  filing (queued in the same transaction)  p50 {spread(filing)[0] * 1000:7.1f} ms per document")
    print(f"  first filing to last searchable PDF      {total:7.1f} s: {JOBS / total * 60:5.2f} pages a minute, "
          f"{total / JOBS:5.1f} s a page; {states.count('done')} done, {states.count('failed')} failed")
