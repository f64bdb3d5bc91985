"""edXML over REST on one site: an issued document's envelope, imported back
with every field and file equal; envelopes refused with the field named
(not from the sender's organ, not to this office, broken XML, a classified
document); recall asked by the sender, accepted or refused by the office;
the outbox and delivery statuses kept per agency and never doubled."""

from hdnd.content import agencies
from hdnd.content import envelopes
from hdnd.content.core import edxml
from pathlib import Path
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile

import datetime
import pytest
import transaction


PASSWORD = "edxml-pass-1"
JSON = {"Accept": "application/json"}
XML = {"Accept": "application/json", "Content-Type": "application/xml"}
OFFICE = "000.00.31.H29"
PARTY = "000.00.01.H29"


def issued(portal, n=1, **extra):
    """An issued outgoing notice sent to the agency ``thanh-uy``, as the workflow makes one."""
    setRoles(portal, TEST_USER_ID, ["Manager", "Specialist", "OfficeHead", "RegistryClerk", "DelegationLeader"])
    document = api.content.create(
        container=portal["van-ban"], type="OfficialDocument", direction="outgoing", document_type="TB",
        title=f"Thông báo kết luận {n} về giám sát", description="Dòng một\r\nDòng hai  ",
        signer="Nguyễn Văn An", signer_position="T/M ĐẢNG ĐOÀN, BÍ THƯ", urgency="thuong_khan",
        recipients=["Thường trực Thành ủy", "Lưu VT"], page_count=3, due_date=datetime.date(2026, 12, 15),
        send_to=["thanh-uy"], **extra,
    )
    document.file = NamedBlobFile(data=b"%PDF-1.4 noi dung", filename="thong-bao.pdf", contentType="application/pdf")
    api.content.create(container=document, type="File", title="Phụ lục",
                       file=NamedBlobFile(data=bytes(range(256)), filename="phu-luc.xlsx",
                                          contentType="application/vnd.ms-excel"))
    for transition in ("submit", "approve", "format_ok", "sign", "issue"):
        # The workflow tool itself: plone.api would hide a guard's message.
        portal.portal_workflow.doActionFor(document, transition)
    return document


@pytest.fixture
def office(functional_portal, request_factory):
    portal = functional_portal
    api.portal.set_registry_record("hdnd.organisation.organ_id", OFFICE)
    agencies.register("thanh-uy", PARTY, "Văn phòng Thành ủy", password=PASSWORD)
    agencies.register("ubnd-tp", "000.00.02.H29", "UBND Thành phố", password=PASSWORD)
    for userid, group in {"vanthu-e": "registry-clerks", "chuyenvien-e": "specialists"}.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD)
        api.group.add_user(groupname=group, username=userid)
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False)
                for u in ("thanh-uy", "ubnd-tp", "vanthu-e", "chuyenvien-e")}
    sessions["admin"] = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    return portal, sessions


def incoming_count(portal):
    transaction.begin()
    return len(api.content.find(portal_type="OfficialDocument", direction="incoming", unrestricted=True))


def envelope_to_office(**change):
    """An envelope from the Party committee to the office (a realistic one)."""
    fields = dict(
        sender=edxml.Organ(PARTY, "Văn phòng Thành ủy"), to=(edxml.Organ(OFFICE, "Đảng đoàn HĐND Thành phố"),),
        document_id=f"{PARTY},2026/11/20,512/CV-VPTU", code_number="512", code_notation="CV-VPTU",
        place="Thành phố", promulgation_date=datetime.date(2026, 11, 20), type_code="CV", type_name="Công văn",
        subject="Về việc chuẩn bị nội dung kỳ họp cuối năm", priority=1,
        attachments=(edxml.Attachment("512-cv.pdf", "application/pdf", b"%PDF-1.4 cv"),))
    fields.update(change)
    return edxml.build(edxml.Envelope(**fields))


def test_an_exported_envelope_imports_back_with_every_field_and_file_equal(office, request_factory):
    portal, sessions = office
    document = issued(portal)
    transaction.commit()
    exported = sessions["vanthu-e"].get(f"{document.absolute_url()}/@hdnd-edxml")
    fields = ("symbol", "title", "description", "signer", "signer_position", "recipients", "urgency",
              "page_count", "issue_date", "due_date", "document_type")
    original = {name: getattr(document, name) for name in fields}
    assert exported.status_code == 200, exported.text
    assert exported.headers["Content-Type"].startswith("application/xml")
    envelope = edxml.parse(exported.content)
    assert envelope.document_id == f"{OFFICE},{document.issue_date:%Y/%m/%d},01/TB/ĐĐHĐND"
    assert (envelope.code_number, envelope.code_notation, envelope.priority) == ("01", "TB/ĐĐHĐND", 2)
    # As the gateway expects: the type's number (Thông báo is 7), copies and pages.
    assert (envelope.type_code, envelope.type_name) == ("7", "Thông báo")
    assert (envelope.promulgation_amount, envelope.page_amount) == (2, 3)
    assert b"<edXML:edXMLManifest" in exported.content and b"<edXML:Value>" not in exported.content
    assert [o.organ_id for o in envelope.to] == [PARTY]
    assert envelope.signer == edxml.Signer("T/M ĐẢNG ĐOÀN", "BÍ THƯ", "Nguyễn Văn An")

    # The same site plays the receiver: the office's organ becomes the
    # Party committee's, and the delegation an agency of it.
    # The original goes, so that its number is free for the copy.
    transaction.begin()  # see what the server committed (the export's audit entry)
    api.content.delete(obj=document, check_linkintegrity=False)
    api.portal.set_registry_record("hdnd.organisation.organ_id", PARTY)
    agencies.register("dd-hdnd", OFFICE, "Đảng đoàn HĐND Thành phố", password=PASSWORD)
    transaction.commit()
    received = request_factory(basic_auth=("dd-hdnd", PASSWORD), api=False)
    answer = received.post(f"{portal.absolute_url()}/@hdnd-edxml", headers=XML, data=exported.content)
    assert answer.status_code == 201, answer.text
    assert received.post(f"{portal.absolute_url()}/@hdnd-edxml", headers=XML, data=exported.content).status_code == 200
    transaction.begin()
    copy = api.content.get(path=answer.json()["@id"].replace(portal.absolute_url(), ""))
    assert {name: getattr(copy, name) for name in fields} == original
    assert copy.issuing_body == "Đảng đoàn Hội đồng nhân dân Thành phố" and copy.channel == "party"
    assert (copy.file.filename, copy.file.contentType, copy.file.data) == (
        "thong-bao.pdf", "application/pdf", b"%PDF-1.4 noi dung")
    [appendix] = [i for i in copy.objectValues() if i.portal_type == "File"]
    assert (appendix.file.filename, appendix.file.data) == ("phu-luc.xlsx", bytes(range(256)))
    assert copy.edxml_document_id == envelope.document_id
    # And its envelope, built again, holds the same document.
    again = envelopes.fields_of(edxml.parse(exported.content))
    assert again == envelopes.fields_of(envelope)


@pytest.mark.parametrize("change, field", [
    ({"sender": edxml.Organ("000.00.09.H29", "Ai đó")}, "From/OrganId"),
    ({"to": (edxml.Organ("000.00.77.H29"),)}, "To/OrganId"),
    ({"business_type": 2}, "Bussiness/BussinessDocType"),
    ({"code_notation": "QĐ UBND"}, "Code"),
])
def test_envelopes_refused_name_the_field_and_leave_nothing(office, change, field):
    portal, sessions = office
    answer = sessions["thanh-uy"].post(f"{portal.absolute_url()}/@hdnd-edxml", headers=XML,
                                       data=envelope_to_office(**change))
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["field"] == field, answer.json()
    assert incoming_count(portal) == 0


@pytest.mark.parametrize("body", [b"", b"not xml", b"<a/>", envelope_to_office()[:-40],
                                  b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'])
def test_broken_envelopes_are_a_400_never_a_500(office, body):
    portal, sessions = office
    answer = sessions["thanh-uy"].post(f"{portal.absolute_url()}/@hdnd-edxml", headers=XML, data=body)
    assert answer.status_code == 400, answer.text
    assert "root:" not in answer.text
    assert incoming_count(portal) == 0


def test_only_agencies_send_envelopes_and_each_reads_only_its_own_outbox(office):
    portal, sessions = office
    base = portal.absolute_url()
    assert sessions["vanthu-e"].post(f"{base}/@hdnd-edxml", headers=XML, data=envelope_to_office()).status_code in (401, 403)
    issued(portal)
    transaction.commit()
    mine = sessions["thanh-uy"].get(f"{base}/@hdnd-outbox", headers=JSON).json()
    assert [i["seq"] for i in mine["items"]] == [1] and mine["cursor"] == 1 and mine["more"] is False
    assert edxml.parse(mine["items"][0]["edxml"].encode()).subject == "Thông báo kết luận 1 về giám sát"
    assert sessions["ubnd-tp"].get(f"{base}/@hdnd-outbox", headers=JSON).json()["items"] == []
    assert sessions["vanthu-e"].get(f"{base}/@hdnd-outbox", headers=JSON).status_code in (401, 403)
    after = sessions["thanh-uy"].get(f"{base}/@hdnd-outbox", headers=JSON, params={"since": 1}).json()
    assert after == {"items": [], "cursor": 1, "more": False}
    bad = sessions["thanh-uy"].get(f"{base}/@hdnd-outbox", headers=JSON, params={"limit": "nhiều"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "limit"


def test_delivery_status_kept_once_per_agency_and_only_for_what_it_was_sent(office):
    portal, sessions = office
    document = issued(portal)
    transaction.commit()
    base, document_id = portal.absolute_url(), envelopes.document_id_of(document)
    status = edxml.build_status(edxml.Status(
        sender=edxml.Organ(PARTY), to=edxml.Organ(OFFICE),
        response_for=edxml.ResponseFor(OFFICE, "01/TB/ĐĐHĐND", document.issue_date, document_id),
        code="03", description="Đã vào sổ", timestamp=datetime.datetime.fromisoformat("2026-11-21T08:00:00+07:00")))
    for expected in (201, 200):
        answer = sessions["thanh-uy"].post(f"{base}/@hdnd-delivery-status", headers=XML, data=status)
        assert answer.status_code == expected, answer.text
    json_status = {"document_id": document_id, "code": "05", "timestamp": "2026-11-22T09:00:00+07:00"}
    assert sessions["thanh-uy"].post(f"{base}/@hdnd-delivery-status", headers=JSON, json=json_status).status_code == 201
    seen = sessions["vanthu-e"].get(f"{document.absolute_url()}/@hdnd-delivery", headers=JSON).json()["items"]
    assert [(s["code"], s["description"]) for s in seen[0]["status"]] == [("03", "Đã vào sổ"), ("05", "")]
    # Another agency was sent nothing under this id; a status from the wrong organ; a bad code or time.
    other = sessions["ubnd-tp"].post(f"{base}/@hdnd-delivery-status", headers=JSON, json=json_status)
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "document_id"
    forged = sessions["ubnd-tp"].post(f"{base}/@hdnd-delivery-status", headers=XML, data=status)
    assert forged.status_code == 400 and forged.json()["errors"][0]["field"] == "From/OrganId"
    for change, field in (({"code": "99"}, "code"), ({"timestamp": "hôm qua"}, "timestamp"),
                          ({"timestamp": "2026-11-22T09:00:00"}, "timestamp")):
        bad = sessions["thanh-uy"].post(f"{base}/@hdnd-delivery-status", headers=JSON, json=dict(json_status, **change))
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == field, bad.text


def test_a_classified_or_unaddressed_document_never_travels(office):
    portal, sessions = office
    from hdnd.content.clearance import set_clearance
    from Products.CMFCore.WorkflowCore import WorkflowException

    set_clearance(TEST_USER_ID, "mat")
    with pytest.raises(WorkflowException, match="classified document never travels"):
        issued(portal, classification="mat")
    transaction.abort()
    api.portal.set_registry_record("hdnd.organisation.organ_id", "")
    with pytest.raises(WorkflowException, match="organ id"):
        issued(portal)
    transaction.abort()
    draft = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="outgoing",
                               title="Dự thảo")
    transaction.commit()
    refused = sessions["vanthu-e"].get(f"{draft.absolute_url()}/@hdnd-edxml")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "review_state"


def test_recall_asked_by_the_sender_accepted_or_refused_by_the_office(office):
    portal, sessions = office
    base, party = portal.absolute_url(), sessions["thanh-uy"]
    urls = {}
    for n in (1, 2, 3, 4):
        answer = party.post(f"{base}/@hdnd-edxml", headers=XML, data=envelope_to_office(
            document_id=f"{PARTY},2026/11/20,51{n}/CV-VPTU", code_number=f"51{n}"))
        assert answer.status_code == 201, answer.text
        urls[n] = answer.json()["@id"]

    def recall(n, reason="Gửi nhầm phụ lục"):
        return party.post(f"{base}/@hdnd-edxml", headers=XML, data=envelope_to_office(
            document_id=f"{PARTY},2026/11/20,51{n}/CV-VPTU", code_number=f"51{n}", business_type=1,
            business_reason=reason))

    def codes(n):
        found = party.get(f"{base}/@hdnd-sent-status", headers=JSON,
                          params={"idempotency_key": f"{PARTY},2026/11/20,51{n}/CV-VPTU"}).json()
        return [s["code"] for s in found["status"]]

    # 1: asked (13), twice is once; the office accepts: withdrawn (15).
    assert recall(1).status_code == 200 and recall(1).status_code == 200
    assert codes(1) == ["01", "13"]
    accepted = sessions["vanthu-e"].post(f"{urls[1]}/@hdnd-recall", headers=JSON, json={"accept": True})
    assert accepted.status_code == 200 and accepted.json()["review_state"] == "withdrawn"
    assert codes(1) == ["01", "13", "15"]
    # 2: the office refuses, with its reason (16); a refusal without one is a 400.
    recall(2)
    no_reason = sessions["vanthu-e"].post(f"{urls[2]}/@hdnd-recall", headers=JSON, json={"accept": False})
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    refused = sessions["vanthu-e"].post(f"{urls[2]}/@hdnd-recall", headers=JSON,
                                        json={"accept": False, "reason": "Đã trình lãnh đạo"})
    assert refused.status_code == 200 and codes(2) == ["01", "13", "16"]
    # No recall waiting: nothing to decide; a specialist may not decide; the JSON way asks too.
    nothing = sessions["vanthu-e"].post(f"{urls[3]}/@hdnd-recall", headers=JSON, json={"accept": True})
    assert nothing.status_code == 400 and nothing.json()["errors"][0]["field"] == "accept"
    asked = party.post(f"{base}/@hdnd-recall-request", headers=JSON, json={
        "idempotency_key": f"{PARTY},2026/11/20,513/CV-VPTU", "reason": "Thay bằng văn bản khác"})
    assert asked.status_code == 200 and asked.json()["recall_requested"] is True
    assert sessions["chuyenvien-e"].post(f"{urls[3]}/@hdnd-recall", headers=JSON,
                                         json={"accept": True}).status_code in (401, 403)
    # A handled document (here returned to its sender) is refused at once.
    assert sessions["vanthu-e"].post(f"{urls[4]}/@workflow/return_to_sender", headers=JSON,
                                     json={"comment": "Không thuộc thẩm quyền"}).status_code == 200
    assert recall(4).status_code == 200 and codes(4) == ["01", "02", "13", "16"]
    blank = party.post(f"{base}/@hdnd-recall-request", headers=JSON, json={"idempotency_key": "x", "reason": ""})
    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "reason"


def test_a_recall_waiting_when_the_document_is_handled_is_refused_at_once(office):
    portal, sessions = office
    base, party = portal.absolute_url(), sessions["thanh-uy"]
    key = f"{PARTY},2026/11/20,521/CV-VPTU"
    url = party.post(f"{base}/@hdnd-edxml", headers=XML, data=envelope_to_office(
        document_id=key, code_number="521")).json()["@id"]
    assert party.post(f"{base}/@hdnd-recall-request", headers=JSON,
                      json={"idempotency_key": key, "reason": "Gửi nhầm"}).status_code == 200
    returned = sessions["vanthu-e"].post(f"{url}/@workflow/return_to_sender", headers=JSON,
                                         json={"comment": "Không thuộc thẩm quyền"})
    assert returned.status_code == 200
    status = party.get(f"{base}/@hdnd-sent-status", headers=JSON, params={"idempotency_key": key}).json()
    assert [s["code"] for s in status["status"]] == ["01", "13", "02", "16"] and not status["recall_requested"]


# --- the forms public implementations send (tests/resources/edxml, each traced
# in its opening comment to the implementation it follows) -------------------

SAMPLES = Path(__file__).parent.parent / "resources" / "edxml"
PDF_FILE = (SAMPLES / "cong-van.pdf").read_bytes()
DOCX_FILE = (SAMPLES / "phu-luc.docx").read_bytes()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("sample, expected, files", [
    ("vpcp-gateway-zipped.xml",
     {"symbol": "512/CV-VPTU", "title": "Về việc chuẩn bị nội dung kỳ họp cuối năm", "document_type": "CV",
      "issue_date": datetime.date(2026, 11, 27), "signer": "Trần Văn Bình", "page_count": 4,
      "urgency": "khan", "issuing_body": "Văn phòng Thành ủy"},
     [("cong-van.pdf", "application/pdf", PDF_FILE), ("phu-luc.docx", DOCX, DOCX_FILE)]),
    ("vpcp-gateway-plain.xml",
     {"symbol": "513/CV-VPTU", "title": "Về việc gửi phụ lục số liệu giám sát", "document_type": "CV",
      "issue_date": datetime.date(2026, 11, 27), "page_count": 1, "recipients": ["Như trên"]},
     [("phu-luc.docx", DOCX, DOCX_FILE)]),
    ("bkav-edoc.xml",
     {"symbol": "514/CV-VPTU", "title": "Về việc góp ý dự thảo quy chế làm việc", "document_type": "CV",
      "issue_date": datetime.date(2026, 11, 27), "due_date": datetime.date(2026, 12, 10),
      "signer": "Lê Thị Cúc", "signer_position": "TL., Chánh Văn phòng", "page_count": 2, "urgency": "thuong_khan"},
     [("cong-van.pdf", "application/pdf", PDF_FILE)]),
    ("lgsp-tinh.xml",
     {"symbol": "515/CV-VPTU", "title": "Về việc đề nghị báo cáo kết quả giám sát năm 2026", "document_type": "CV",
      "issue_date": datetime.date(2026, 11, 28), "due_date": datetime.date(2026, 11, 30),
      "signer": "Phạm Văn Dũng", "page_count": 3, "urgency": "normal", "recipients": ["Đảng đoàn HĐND Thành phố"]},
     [("cong-van.pdf", "application/pdf", PDF_FILE), ("phu-luc.docx", DOCX, DOCX_FILE)]),
    ("bkav-soap-mime.txt",
     {"symbol": "516/CV-VPTU", "title": "Về việc phối hợp tổ chức hội nghị tổng kết", "document_type": "CV",
      "issue_date": datetime.date(2026, 11, 29), "due_date": datetime.date(2026, 12, 5), "signer": "Lê Thị Cúc",
      "signer_position": "TL., Chánh Văn phòng", "page_count": 5, "urgency": "khan"},
     [("cong-van.pdf", "application/pdf", PDF_FILE), ("phu-luc.docx", DOCX, DOCX_FILE)]),
])
def test_each_public_form_is_received_once_with_its_fields_and_files(office, sample, expected, files):
    portal, sessions = office
    body, headers = (SAMPLES / sample).read_bytes(), XML
    if sample.endswith(".txt"):  # SOAP with attachments: its Content-Type line, a blank line, the body
        head, body = body.split(b"\n\n", 1)
        content_type = [line for line in head.split(b"\n") if not line.startswith(b"#")][0].split(b": ", 1)[1]
        headers = {"Accept": "application/json", "Content-Type": content_type.decode("ascii")}
    answer = sessions["thanh-uy"].post(f"{portal.absolute_url()}/@hdnd-edxml", headers=headers, data=body)
    assert answer.status_code == 201, answer.text
    again = sessions["thanh-uy"].post(f"{portal.absolute_url()}/@hdnd-edxml", headers=headers, data=body)
    assert again.status_code == 200 and again.json()["@id"] == answer.json()["@id"], again.text
    assert incoming_count(portal) == 1
    copy = portal.unrestrictedTraverse(answer.json()["@id"].replace(portal.absolute_url(), "").strip("/"))
    assert {name: getattr(copy, name) for name in expected} == expected
    received = [(copy.file.filename, copy.file.contentType, copy.file.data)]
    received += [(i.file.filename, i.file.contentType, i.file.data) for i in copy.objectValues() if i.portal_type == "File"]
    assert received == files  # byte for byte


def test_an_envelope_sent_as_text_xml_and_a_status_in_a_soap_envelope_are_read(office):
    """Zope's XML-RPC took every POST whose Content-Type contains text/xml
    (an ExpatError, a 500): an envelope sent as text/xml is received, and a
    status written as a provincial document system writes it (a SOAP
    envelope, Status in its Header with the edXML prefix bound to SOAP's
    namespace, no To, dates dd/MM/yyyy) is kept like any other."""
    portal, sessions = office
    text_xml = {"Accept": "application/json", "Content-Type": "text/xml; charset=utf-8"}
    answer = sessions["thanh-uy"].post(f"{portal.absolute_url()}/@hdnd-edxml", headers=text_xml,
                                       data=envelope_to_office())
    assert answer.status_code == 201, answer.text
    transaction.begin()  # see what the server committed
    document = issued(portal)
    transaction.commit()
    base, document_id = portal.absolute_url(), envelopes.document_id_of(document)
    soap = (
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header>'
        '<edXML:Status xmlns:edXML="http://schemas.xmlsoap.org/soap/envelope/"><edXML:ResponseFor>'
        f'<edXML:OrganId>{OFFICE}</edXML:OrganId><edXML:Code>01/TB-ĐĐHĐND</edXML:Code>'
        f'<edXML:PromulgationDate>{document.issue_date:%d/%m/%Y}</edXML:PromulgationDate>'
        f'<edXML:DocumentId>{document_id}</edXML:DocumentId></edXML:ResponseFor>'
        f'<edXML:From><edXML:OrganId>{PARTY}</edXML:OrganId><edXML:OrganName>Văn phòng Thành ủy</edXML:OrganName>'
        '<edXML:OrganizationInCharge /><edXML:OrganAdd /><edXML:Email /><edXML:Telephone /><edXML:Fax />'
        '<edXML:Website /></edXML:From><edXML:StatusCode>04</edXML:StatusCode><edXML:Description>Đã phân công'
        '</edXML:Description><edXML:Timestamp>21/11/2026 08:30:00</edXML:Timestamp><edXML:StaffInfo>'
        '<edXML:Department>Phòng Tổng hợp</edXML:Department><edXML:Staff>Lê Thị Cúc</edXML:Staff></edXML:StaffInfo>'
        '</edXML:Status></SOAP-ENV:Header><SOAP-ENV:Body /></SOAP-ENV:Envelope>').encode("utf-8")
    for expected in (201, 200):
        answer = sessions["thanh-uy"].post(f"{base}/@hdnd-delivery-status", headers=text_xml, data=soap)
        assert answer.status_code == expected, answer.text
    seen = sessions["vanthu-e"].get(f"{document.absolute_url()}/@hdnd-delivery", headers=JSON).json()["items"]
    assert [(s["code"], s["description"]) for s in seen[0]["status"]] == [("04", "Đã phân công")]
