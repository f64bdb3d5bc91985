"""A reply travels naming what it answers (issue 20 with issue 22's edXML):
an outgoing document drafted with "Trả lời" from an incoming one, once
issued and sent as an edXML envelope, carries MessageHeader/ResponseFor with
the answered document's organ id, number and symbol, date and DocumentId —
the DocumentId its envelope came with, or the standard's one made from what
was registered (a REST delivery, a paper copy of an agency of the exchange);
a document from outside the exchange gives no ResponseFor, and the envelope
is still whole. A reply to what came from an agency of the exchange goes
back to it (send_to prefilled); a classified one, or with the exchange off,
does not."""

from hdnd.content import agencies
from hdnd.content import exchange
from hdnd.content import outbox
from hdnd.content import replies
from hdnd.content.core import edxml
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile

import datetime
import lxml.etree
import pytest


OFFICE = "000.00.31.H29"
PARTY = "000.00.01.H29"
CITY = "000.00.02.H29"
E = f"{{{edxml.NS}}}"


@pytest.fixture
def office(portal):
    setRoles(portal, TEST_USER_ID, ["Manager", "Specialist", "OfficeHead", "RegistryClerk", "DelegationLeader"])
    api.portal.set_registry_record("hdnd.organisation.organ_id", OFFICE)
    agencies.register("thanh-uy", PARTY, "Văn phòng Thành ủy", password="edxml-pass-1")
    agencies.register("ubnd-tp", CITY, "UBND Thành phố", password="edxml-pass-1")
    return portal


def received_by_envelope():
    data = edxml.build(edxml.Envelope(
        sender=edxml.Organ(PARTY, "Văn phòng Thành ủy"), to=(edxml.Organ(OFFICE, "Đảng đoàn HĐND Thành phố"),),
        document_id=f"{PARTY},2026/11/20,512/CV-VPTU", code_number="512", code_notation="CV-VPTU",
        place="Thành phố", promulgation_date=datetime.date(2026, 11, 20), type_code="CV", type_name="Công văn",
        subject="Về việc chuẩn bị nội dung kỳ họp cuối năm", priority=1,
        attachments=(edxml.Attachment("512-cv.pdf", "application/pdf", b"%PDF-1.4 cv"),)))
    document, created = exchange.receive_envelope(data, "thanh-uy")
    assert created
    return document


def registered_on_paper(portal, body, symbol="125/UBND-VP"):
    return api.content.create(
        container=portal["van-ban"], type="OfficialDocument", direction="incoming", symbol=symbol,
        issuing_body=body, issue_date=datetime.date(2026, 11, 18), title="Về việc báo cáo giám sát")


def reply_sent(incoming, to="thanh-uy", prefilled=True):
    """The reply drafted from ``incoming``, issued and sent to ``to``: the envelope the agency reads.
    ``prefilled``: the draft goes back to ``to`` without being told (the agency it came from)."""
    reply = replies.draft_reply(incoming)
    assert list(reply.send_to or ()) == ([to] if prefilled else []), reply.send_to
    reply.send_to = [to]
    reply.signer, reply.signer_position = "Nguyễn Văn An", "T/M ĐẢNG ĐOÀN, BÍ THƯ"
    reply.file = NamedBlobFile(data=b"%PDF-1.4 tra loi", filename="tra-loi.pdf", contentType="application/pdf")
    for transition in ("submit", "approve", "format_ok", "sign", "issue"):
        api.portal.get_tool("portal_workflow").doActionFor(reply, transition)
    [message] = outbox.messages(to)["items"]
    data = message["edxml"].encode("utf-8")
    return reply, data, edxml.parse(data)


def response_for_xml(data):
    root = lxml.etree.fromstring(data)
    header = next(root.iter(E + "MessageHeader"))
    return [{child.tag[len(E):]: child.text for child in node} for node in header.findall(E + "ResponseFor")]


def test_a_reply_to_an_envelope_names_it_in_response_for(office):
    incoming = received_by_envelope()
    reply, data, envelope = reply_sent(incoming)
    assert reply.in_reply_to.to_object == incoming and api.content.get_state(reply) == "issued"
    assert envelope.response_for == (edxml.ResponseFor(
        organ_id=PARTY, code=incoming.symbol, promulgation_date=datetime.date(2026, 11, 20),
        document_id=f"{PARTY},2026/11/20,512/CV-VPTU"),)
    assert incoming.symbol == "512/CV-VPTU"
    # As the gateway's clients read it: in MessageHeader, dates YYYY/MM/DD.
    assert response_for_xml(data) == [{"OrganId": PARTY, "Code": "512/CV-VPTU", "PromulgationDate": "2026/11/20",
                                       "DocumentId": f"{PARTY},2026/11/20,512/CV-VPTU"}]
    assert edxml.parse(edxml.build(envelope)) == envelope  # the envelope is whole: it reads back the same


@pytest.mark.parametrize("body, organ_id", [("UBND Thành phố", CITY), ("ubnd thành phố ", CITY)])
def test_a_reply_to_a_paper_copy_of_an_agency_names_it_by_the_standards_document_id(office, body, organ_id):
    incoming = registered_on_paper(office, body)
    _reply, data, envelope = reply_sent(incoming, to="ubnd-tp")
    assert envelope.response_for == (edxml.ResponseFor(
        organ_id=organ_id, code="125/UBND-VP", promulgation_date=datetime.date(2026, 11, 18),
        document_id=f"{organ_id},2026/11/18,125/UBND-VP"),)
    assert edxml.split_document_id(envelope.response_for[0].document_id) == (
        organ_id, datetime.date(2026, 11, 18), "125/UBND-VP")


def test_a_reply_to_a_document_from_outside_the_exchange_has_no_response_for(office):
    incoming = registered_on_paper(office, "Sở Tư pháp tỉnh khác")
    _reply, data, envelope = reply_sent(incoming, prefilled=False)
    assert envelope.response_for == () and response_for_xml(data) == []
    assert envelope.subject.startswith("V/v trả lời văn bản số 125/UBND-VP")


def test_a_reply_to_a_rest_delivery_names_the_sending_agencys_organ(office):
    incoming, created = exchange.receive({
        "symbol": "88/UBND-VX", "title": "Về việc phối hợp giám sát", "issuing_body": "Ủy ban nhân dân",
        "issue_date": "2026-11-19", "idempotency_key": "ubnd-88"}, "ubnd-tp")
    assert created
    _reply, data, envelope = reply_sent(incoming, to="ubnd-tp")
    assert envelope.response_for == (edxml.ResponseFor(
        organ_id=CITY, code="88/UBND-VX", promulgation_date=datetime.date(2026, 11, 19),
        document_id=f"{CITY},2026/11/19,88/UBND-VX"),)


def test_a_reply_goes_back_to_the_agency_only_when_it_may_travel(office):
    incoming = received_by_envelope()
    assert replies.agency_to_answer(incoming) == "thanh-uy"
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", False)
    assert replies.agency_to_answer(incoming) is None
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    incoming.classification = "mat"
    assert replies.agency_to_answer(incoming) is None
