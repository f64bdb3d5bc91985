"""Demo exchange with other agencies: the office's electronic organ id, the
City Committee's office and the City People's Committee as agencies, notices
sent to the Committee's office with its status replies, a letter received as
an edXML envelope, and a sender's recall waiting for the office's answer."""

from datetime import date
from datetime import datetime
from hdnd.content import agencies
from hdnd.content import envelopes
from hdnd.content import exchange
from hdnd.content import outbox
from hdnd.content.core import edxml
from hdnd.content.core import officetime
from hdnd.content.core.pdf import text_pdf
from plone import api


OFFICE_ORGAN = "000.00.31.H29"
AGENCIES = [
    ("vp-thanhuy", "000.00.01.H29", "Văn phòng Thành ủy"),
    ("ubnd-thanhpho", "000.00.00.H29", "UBND Thành phố"),
]
# What the Committee's office answered about the notices it was sent.
REPLIES = {
    "tb-phien-hop-thang-1": [("01", "2026-01-30T15:02:00"), ("03", "2026-01-31T08:15:00"),
                             ("04", "2026-02-02T09:40:00"), ("06", "2026-02-10T16:20:00")],
    "tb-phien-hop-thang-9": [("01", "2026-09-25T16:45:00"), ("03", "2026-09-26T08:05:00")],
}


def ensure_agencies():
    """Before the demo documents: the notices are issued to the agencies."""
    if not api.portal.get_registry_record("hdnd.organisation.organ_id", default=""):
        api.portal.set_registry_record("hdnd.organisation.organ_id", OFFICE_ORGAN)
        api.portal.set_registry_record("hdnd.organisation.organ_address", "Số 1 Quảng trường Thành phố")
        api.portal.set_registry_record("hdnd.organisation.organ_email", "dangdoanhdnd@thanhpho.gov.vn")
        api.portal.set_registry_record("hdnd.organisation.organ_telephone", "024 3825 0000")
    for user_id, organ_id, name in AGENCIES:
        if agencies.agency(user_id) is None:
            agencies.register(user_id, organ_id, name)


def ensure_exchange():
    documents = api.portal.get()["van-ban"]
    for id, replies in REPLIES.items():
        if id in documents and not outbox.delivery(documents[id])[0]["status"]:
            document_id = envelopes.document_id_of(documents[id])
            for code, time in replies:
                outbox.report("vp-thanhuy", document_id, code,
                              timestamp=officetime.localize(datetime.fromisoformat(time)))
    agency = api.user.get(username="ubnd-thanhpho")
    with api.env.adopt_user(user=agency):
        exchange.receive_envelope(edxml.build(letter()), "ubnd-thanhpho")
        document, _created = exchange.receive({
            "idempotency_key": "000.00.00.H29,2026/11/19,611/UBND-TH", "symbol": "611/UBND-TH",
            "title": "Về việc cung cấp số liệu giải ngân vốn đầu tư công phục vụ giám sát",
            "issuing_body": "UBND Thành phố", "issue_date": "2026-11-19", "urgency": "khan",
        }, "ubnd-thanhpho")
        exchange.request_recall("ubnd-thanhpho", document.idempotency_key,
                                "Số liệu phụ lục chưa chính xác, sẽ gửi văn bản thay thế")


def letter_pdf():
    """The letter's page as a PDF: a real one, which the OCR worker makes
    searchable like any scan received (it was a PDF header and a comment,
    which ocrmypdf refused as no PDF, three times)."""
    return text_pdf(["ỦY BAN NHÂN DÂN THÀNH PHỐ", "Số: 598/UBND-KT", "", "V/v báo cáo kết quả thực hiện",
                     "các kiến nghị sau giám sát chuyên đề đầu tư công", "",
                     "Kính gửi: Đảng đoàn HĐND Thành phố", "",
                     "UBND Thành phố báo cáo kết quả thực hiện 12 kiến nghị của Đoàn giám sát.", "",
                     "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Quốc Hùng"])


def letter():
    """A letter of the City People's Committee, as its system sends it."""
    return edxml.Envelope(
        sender=edxml.Organ("000.00.00.H29", "UBND Thành phố", address="Số 79 Đinh Tiên Hoàng"),
        to=(edxml.Organ(OFFICE_ORGAN, "Đảng đoàn Hội đồng nhân dân Thành phố"),),
        document_id="000.00.00.H29,2026/11/18,598/UBND-KT", code_number="598", code_notation="UBND-KT",
        place="Thành phố", promulgation_date=date(2026, 11, 18), type_code="CV", type_name="Công văn",
        subject="Về việc báo cáo kết quả thực hiện các kiến nghị sau giám sát chuyên đề đầu tư công",
        content="UBND Thành phố báo cáo kết quả thực hiện 12 kiến nghị của Đoàn giám sát.",
        signer=edxml.Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Quốc Hùng"),
        due_date=date(2026, 12, 5), to_places=("Đảng đoàn HĐND Thành phố", "Lưu VT, KT"), priority=1,
        page_amount=6, traces=(edxml.Trace("000.00.00.H29", officetime.localize(datetime(2026, 11, 18, 16, 30))),),
        attachments=(edxml.Attachment("598-ubnd-kt.pdf", "application/pdf", letter_pdf()),),
    )
