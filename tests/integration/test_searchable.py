"""Text from scans (issue 24) over a real WSGI server: a scanned PDF that an
agency sends over REST is queued in the transaction that files it, the real
worker process (hdnd.content.core.ocrworker, as ``hdnd serve`` starts it)
makes it a searchable PDF with Debian's ocrmypdf, and a word of its body is
found by the search, with and without its diacritics, within the time
docs/operations.md states (DEADLINE). The original is never altered."""

from hdnd.content import searchable
from hdnd.content.core import ocr
from hdnd.content.core import ocrworker
from hdnd.content.core import scans
from hdnd.content.core.pdf import text_pdf
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import base64
import hashlib
import pytest
import time
import transaction


PASSWORD = "Scan-pass-2026x"
JSON = {"Accept": "application/json"}
DEADLINE = 300  # seconds from filing to found, for a one-page scan (docs/operations.md)
SECRET = "worker-secret-for-the-test"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def office(functional_portal, request_factory, monkeypatch):
    monkeypatch.setenv(searchable.SECRET_VARIABLE, SECRET)  # as hdnd serve sets it for both processes
    for userid, group in {"ubnd-s": "agencies", "vanthu-s": "registry-clerks",
                          "thanhvien-s": "delegation-members"}.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD)
        api.group.add_user(groupname=group, username=userid)
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in ("ubnd-s", "vanthu-s", "thanhvien-s")}
    sessions["admin"] = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    for session in sessions.values():
        session.headers.update(JSON)
    return functional_portal.absolute_url(), sessions


def send(session, base, key, filename, data, content_type="application/pdf", title="Văn bản scan"):
    response = session.post(f"{base}/@hdnd-receive", json={
        "idempotency_key": key, "symbol": f"{abs(hash(key)) % 900 + 100}/TB-UBND", "title": title,
        "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20",
        "files": [{"filename": filename, "content_type": content_type,
                   "data": base64.b64encode(data).decode()}]})
    assert response.status_code == 201, response.text
    return response.json()["@id"]


def found(session, base, word):
    response = session.get(f"{base}/@search", params={"SearchableText": word, "portal_type": "OfficialDocument"})
    return [item["@id"] for item in response.json()["items"]]


def a_clean_scan():
    [sample] = scans.make_samples(1, seed=11)
    sample.noise, sample.angle, sample.dpi = 0.01, 1.2, 300
    scans.render([sample])
    return scans.spoil(sample)


def test_a_scan_received_over_rest_is_found_by_a_word_of_its_body(office, functional_portal):
    base, as_ = office
    sample = a_clean_scan()
    digest = hashlib.sha256(sample.scan).hexdigest()
    started = time.monotonic()
    url = send(as_["ubnd-s"], base, "scan-1", "cong-van.pdf", sample.scan)
    status = as_["vanthu-s"].get(f"{url}/@hdnd-ocr").json()
    assert status["state"] == "pending" and status["missing"] == [], status
    # Not yet searchable: no worker runs.
    assert url not in found(as_["vanthu-s"], base, "nghiêm")
    worker = ocrworker.start(base, idle=0.5)
    try:
        while time.monotonic() - started < DEADLINE:
            if url in found(as_["vanthu-s"], base, "nghiêm"):
                break
            time.sleep(2)
        seconds = time.monotonic() - started
        print(f"\nscan filed to found by a word of its body: {seconds:.1f} s")
        assert url in found(as_["vanthu-s"], base, "nghiêm"), as_["vanthu-s"].get(f"{url}/@hdnd-ocr").text
        assert url in found(as_["vanthu-s"], base, "nghiem")  # without diacritics
        assert url in found(as_["vanthu-s"], base, "triển khai")
        assert url in found(as_["vanthu-s"], base, "trien khai")
    finally:
        ocrworker.stop(worker)
    assert worker.returncode is not None
    status = as_["vanthu-s"].get(f"{url}/@hdnd-ocr").json()
    assert status["state"] == "done" and status["searchable"], status
    # Editing the document's fields keeps the work done (the file is the same).
    assert as_["admin"].patch(url, json={"description": "Đã đọc"}).status_code == 204
    assert as_["vanthu-s"].get(f"{url}/@hdnd-ocr").json()["state"] == "done"
    # The searchable PDF is kept beside the original; the original is untouched.
    transaction.begin()
    document = functional_portal.unrestrictedTraverse(url[len(base) + 1:])
    assert hashlib.sha256(document.file.data).hexdigest() == digest
    assert document.searchable_file.contentType == "application/pdf"
    assert "nghiêm" in ocr.pdf_text(document.searchable_file.data)
    assert not ocr.has_text(document.file.data)
    download = as_["vanthu-s"].get(status["searchable"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    # A member reading documents sees the state; the queue is not theirs.
    assert as_["thanhvien-s"].get(f"{url}/@hdnd-ocr").status_code == 200
    assert as_["thanhvien-s"].get(f"{base}/@hdnd-ocr-queue").status_code == 403


def test_only_the_worker_takes_jobs_and_a_file_with_words_is_not_queued(office):
    base, as_ = office
    url = send(as_["ubnd-s"], base, "born-digital", "thong-bao.pdf", text_pdf(["Thông báo", "Nội dung đã có chữ"] * 5))
    assert as_["vanthu-s"].get(f"{url}/@hdnd-ocr").json()["state"] == "none"
    # A scanned attachment of a document is queued; a template's image is no record.
    response = as_["admin"].post(url, json={"@type": "File", "title": "Phụ lục", "file": {
        "data": base64.b64encode(PNG).decode(), "encoding": "base64", "filename": "phu-luc.png",
        "content-type": "image/png"}})
    assert response.status_code == 201, response.text
    assert as_["vanthu-s"].get(f"{response.json()['@id']}/@hdnd-ocr").json()["state"] == "pending"
    response = as_["admin"].post(f"{base}/mau-van-ban", json={"@type": "File", "title": "Logo", "file": {
        "data": base64.b64encode(PNG).decode(), "encoding": "base64", "filename": "logo.png",
        "content-type": "image/png"}})
    assert response.status_code == 201, response.text
    assert as_["admin"].get(f"{response.json()['@id']}/@hdnd-ocr").json()["state"] == "none"
    assert as_["admin"].get(f"{base}/@hdnd-ocr-queue").json()["counts"]["pending"] == 1
    for headers in ({}, {"X-HDND-Worker": "wrong"}):
        response = as_["admin"].post(f"{base}/@hdnd-ocr-jobs", json={}, headers=headers)
        assert response.status_code == 403, response.text
        response = as_["admin"].post(f"{base}/@hdnd-ocr-result", json={"uid": "x", "key": "y", "error": "e"},
                                     headers=headers)
        assert response.status_code == 403, response.text
    # The real worker's header: the attachment is taken (whoever sends it), then it is
    # the worker's while it works on it: nothing more to take.
    worker = {"X-HDND-Worker": SECRET}
    response = as_["thanhvien-s"].post(f"{base}/@hdnd-ocr-jobs", json={}, headers=worker)
    assert response.status_code == 200 and response.json()["filename"] == "phu-luc.png", response.text
    assert as_["admin"].post(f"{base}/@hdnd-ocr-jobs", json={}, headers=worker).status_code == 204


def test_a_scan_that_cannot_be_read_fails_visibly_and_is_retried(office):
    base, as_ = office
    broken = b"%PDF-1.4\n% a scan cut short in transfer\n" + bytes(range(256)) * 8
    url = send(as_["ubnd-s"], base, "broken", "hong.pdf", broken)
    worker = ocrworker.Worker(base, SECRET, idle=0)
    for _attempt in range(searchable.ATTEMPTS):
        assert worker.once() is True
    assert worker.once() is False  # failed for good: no longer given
    status = as_["vanthu-s"].get(f"{url}/@hdnd-ocr").json()
    assert status["state"] == "failed" and status["attempts"] == searchable.ATTEMPTS
    assert "ocrmypdf" in status["error"] or "PDF" in status["error"], status
    queue = as_["admin"].get(f"{base}/@hdnd-ocr-queue").json()
    assert queue["counts"]["failed"] == 1 and [i["@id"] for i in queue["items"]] == [url]
    assert as_["vanthu-s"].get(f"{base}/@hdnd-ocr-queue").json()["counts"]["failed"] == 1
    # The administrator queues it again: pending, given to the worker again.
    assert as_["admin"].post(f"{url}/@hdnd-ocr", json={}).json()["state"] == "pending"
    assert as_["admin"].get(f"{base}/@hdnd-ocr-queue").json()["counts"] == {"pending": 1, "running": 0, "failed": 0}
    assert as_["thanhvien-s"].post(f"{url}/@hdnd-ocr", json={}).status_code in (401, 403)
