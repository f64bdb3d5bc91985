"""The registry form filled from the page (issue 24): ``POST
<section>/@hdnd-recognize`` over a real WSGI server, with Debian's tesseract:
its contract (what it answers, who may ask, 400 naming the field, 503 naming
the packages missing). Its accuracy on scans: test_ocr_corpus.py."""

from hdnd.content.core import ocr
from hdnd.content.core import scans
from hdnd.content.core.pdf import text_pdf
from plone import api

import base64
import os
import pytest
import shutil
import time
import transaction


PASSWORD = "Ocr-pass-2026x"
JSON = {"Accept": "application/json"}


@pytest.fixture
def office(functional_portal, request_factory):
    for user, group in (("vanthu-o", "registry-clerks"), ("thanhvien-o", "delegation-members")):
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    transaction.commit()
    clerk = request_factory(basic_auth=("vanthu-o", PASSWORD), api=False)
    member = request_factory(basic_auth=("thanhvien-o", PASSWORD), api=False)
    for session in (clerk, member):
        session.headers.update(JSON)
    return functional_portal.absolute_url(), clerk, member


def upload(data, filename, content_type):
    return {"file": {"filename": filename, "content_type": content_type, "data": base64.b64encode(data).decode()}}


BORN_DIGITAL = [
    "HĐND THÀNH PHỐ HÀ NỘI                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "THƯỜNG TRỰC HĐND                        Độc lập - Tự do - Hạnh phúc",
    "Số: 12/TB-HĐND                          Hà Nội, ngày 20 tháng 11 năm 2026",
    "",
    "THÔNG BÁO",
    "Về việc tổ chức phiên họp chuyên đề tháng mười hai",
    "-----",
    "Thường trực HĐND Thành phố thông báo lịch phiên họp như sau.",
    "",
    "Nơi nhận:                                T/M THƯỜNG TRỰC",
    "- Các Ban của HĐND,                      CHỦ TỊCH",
    "- Lưu VP.",
    "                                         Nguyễn Ngọc Tuấn",
]


def test_a_pdf_with_words_is_read_from_its_text_layer(office):
    base, clerk, _member = office
    started = time.monotonic()
    response = clerk.post(f"{base}/van-ban/@hdnd-recognize",
                          json=upload(text_pdf(BORN_DIGITAL), "thong-bao.pdf", "application/pdf"))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["source"] == "text-layer"
    assert "phiên họp chuyên đề" in answer["text"]
    fields = answer["fields"]
    assert fields["symbol"] == "12/TB-HĐND"
    assert fields["issue_date"] == "2026-11-20"
    assert fields["doc_type"] == "TB"
    assert fields["title"] == "Về việc tổ chức phiên họp chuyên đề tháng mười hai"
    assert fields["signer"] == "Nguyễn Ngọc Tuấn"
    assert set(answer["confidence"]) == set(fields)
    assert all(0 <= v <= 1 for v in answer["confidence"].values())
    assert answer["uncertain"] == sorted(k for k, v in answer["confidence"].items() if v < answer["threshold"])
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("body, field", [
    ({}, "file"),
    ({"file": "abc"}, "file"),
    ({"file": {"filename": "a.pdf"}}, "file.data"),
    ({"file": {"filename": "a.pdf", "data": "not base64!"}}, "file.data"),
    ({"file": {"filename": "a.txt", "content_type": "text/plain", "data": "aGVsbG8="}}, "file.content_type"),
    ({"file": {"filename": "a.pdf", "content_type": "application/pdf", "data": "aGVsbG8="}}, "file.data"),
    ({"file": {"filename": "a.png", "content_type": "image/png", "data": "aGVsbG8="}}, "file.data"),
    ({"file": {"filename": "a.pdf", "data": "aGVsbG8="}, "symbol": "x"}, "symbol"),
])
def test_bad_input_is_a_400_naming_the_field(office, body, field):
    base, clerk, _member = office
    response = clerk.post(f"{base}/van-ban/@hdnd-recognize", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == field, response.text
    assert field in response.json()["message"]


def test_only_who_may_file_a_document_may_ask(office, request_factory):
    base, _clerk, member = office
    body = upload(text_pdf(BORN_DIGITAL), "thong-bao.pdf", "application/pdf")
    assert member.post(f"{base}/van-ban/@hdnd-recognize", json=body).status_code in (401, 403)
    anonymous = request_factory(api=False)
    assert anonymous.post(f"{base}/van-ban/@hdnd-recognize", json=body, headers=JSON).status_code == 401


def test_without_the_ocr_packages_a_503_says_what_is_missing(office, tmp_path, monkeypatch):
    """A server without tesseract: the programs hdnd finds on PATH are only
    poppler's (the real situation of a deployment without the packages)."""
    base, clerk, _member = office
    [sample] = scans.corpus(1, seed=3)
    for program in ("pdftotext", "pdftoppm", "pdfinfo"):
        os.symlink(shutil.which(program), tmp_path / program)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ocr.missing() == ["tesseract-ocr"]
    response = clerk.post(f"{base}/van-ban/@hdnd-recognize", json=upload(sample.png, "scan.png", "image/png"))
    assert response.status_code == 503, response.text
    assert "tesseract-ocr" in response.json()["message"] and response.json()["missing"] == ["tesseract-ocr"]
    # A PDF that has its words needs no OCR: still read.
    response = clerk.post(f"{base}/van-ban/@hdnd-recognize",
                          json=upload(text_pdf(BORN_DIGITAL), "thong-bao.pdf", "application/pdf"))
    assert response.status_code == 200 and response.json()["fields"]["symbol"] == "12/TB-HĐND"
