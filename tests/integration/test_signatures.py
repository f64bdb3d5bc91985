"""Digital signatures in the procedure, over REST and on the document's page:
the leader's signature at *sign* and the body's at *issue* on the document's
PDF (or LibreOffice's PDF of its ODT); received PDFs checked on arrival, a
broken or modified one refused at registration with the reason, an untrusted
signer shown; any PDF checked on request; edXML envelopes signed when sent and
checked when received. The CA, the keys and the trust roots are the tests' own."""

from hdnd.content import agencies
from hdnd.content.core import edxml
from hdnd.content.core import signatures
from hdnd.content.core.certificates import Authority
from hdnd.content.core.pdf import text_pdf
from hdnd.policy.testing import pdf_text
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import base64
import datetime
import pytest
import transaction


PASSWORD = "signing-pass-1"
JSON = {"Accept": "application/json"}
PEOPLE = {"vanthu-s": "registry-clerks", "chanhvp-s": "office-heads", "lanhdao-s": "delegation-leaders",
          "chuyenvien-s": "specialists"}


@pytest.fixture(scope="module")
def ca():
    authority = Authority.create("hdnd Test CA")
    return {
        "authority": authority,
        "leader": authority.issue("Nguyễn Văn An", "an-pass", "Đảng đoàn HĐND Thành phố"),
        "body": authority.issue("Đảng đoàn HĐND Thành phố", "body-pass", "Đảng đoàn HĐND Thành phố"),
        "party": authority.issue("Thành ủy", "tu-pass", "Thành ủy"),
        "stranger": Authority.create("Unknown CA").issue("Ai đó", "x"),
    }


@pytest.fixture
def office(functional_portal, request_factory, ca, tmp_path):
    for name in ("leader", "body"):
        (tmp_path / f"{name}.p12").write_bytes(ca[name])
    for name, value in {"signer_key": str(tmp_path / "leader.p12"), "signer_passphrase": "an-pass",
                        "body_key": str(tmp_path / "body.p12"), "body_passphrase": "body-pass",
                        "trust_roots": ca["authority"].pem.decode()}.items():
        api.portal.set_registry_record(f"hdnd.signing.{name}", value)
    for user, group in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    agencies.register("thanh-uy", "000.00.01.H29", "Thành ủy", password=PASSWORD)
    api.portal.set_registry_record("hdnd.organisation.organ_id", "000.00.31.H29")
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in [*PEOPLE, "thanh-uy"]}
    sessions["admin"] = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    sessions["anonymous"] = request_factory(api=False)
    return functional_portal.absolute_url(), sessions


def signed_by(p12, passphrase, data, field="ChuKy"):
    return signatures.sign_pdf(data, signatures.load_signer(p12, passphrase), field=field, reason="Ký",
                               location="Thành phố", lines=["T/M BAN THƯỜNG VỤ", "BÍ THƯ"])


def b64(data):
    return base64.b64encode(data).decode()


def draft(base, sessions, filename="thong-bao.pdf", data=None):
    return sessions["chuyenvien-s"].post(f"{base}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "outgoing", "document_type": "TB",
        "title": "Thông báo kết luận phiên họp tháng 11/2026", "signer": "Nguyễn Văn An",
        "signer_position": "T/M ĐẢNG ĐOÀN, BÍ THƯ",
        "file": {"data": b64(data or text_pdf(["THÔNG BÁO KẾT LUẬN", "phiên họp định kỳ tháng 11/2026"])),
                 "encoding": "base64", "filename": filename, "content-type": "application/pdf"},
    }).json()["@id"]


def walk(sessions, url, *steps):
    for user, transition in steps:
        done = sessions[user].post(f"{url}/@workflow/{transition}", headers=JSON, json={})
        if done.status_code != 200:
            return done
    return done


def test_signed_at_sign_and_by_the_body_at_issue(office):
    base, sessions = office
    url = draft(base, sessions)
    walk(sessions, url, ("chuyenvien-s", "submit"), ("chanhvp-s", "approve"), ("vanthu-s", "format_ok"),
         ("lanhdao-s", "sign"))
    checks = sessions["vanthu-s"].get(f"{url}/@hdnd-signatures", headers=JSON).json()
    assert [(c["signer"], c["verdict"]) for c in checks["signed_file"]] == [("Nguyễn Văn An", "ok")]
    assert checks["file"] == []  # the draft's own PDF stays as it was
    assert walk(sessions, url, ("vanthu-s", "issue")).status_code == 200
    checks = sessions["vanthu-s"].get(f"{url}/@hdnd-signatures", headers=JSON).json()["signed_file"]
    assert [(c["signer"], c["verdict"]) for c in checks] == [
        ("Nguyễn Văn An", "ok"), ("Đảng đoàn HĐND Thành phố", "ok")]
    document = sessions["vanthu-s"].get(url, headers=JSON).json()
    assert document["signed_file"]["filename"].endswith("-da-ky.pdf")
    shown = pdf_text(sessions["vanthu-s"].get(f"{url}/@@download/signed_file").content)
    assert "Số: 01-TB/ĐĐHĐND" in shown and "Ký bởi: Nguyễn Văn An" in shown and "BÍ THƯ" in shown
    # The page shows them.
    page = sessions["vanthu-s"].get(url, headers={"Accept": "text/html"}).text
    assert "Chữ ký hợp lệ" in page and "Nguyễn Văn An" in page and "@@download/signed_file" in page


def test_checks_are_kept_per_stored_file_until_the_file_or_the_trust_roots_change(office, monkeypatch):
    base, sessions = office
    url = draft(base, sessions)
    walk(sessions, url, ("chuyenvien-s", "submit"), ("chanhvp-s", "approve"), ("vanthu-s", "format_ok"),
         ("lanhdao-s", "sign"))
    calls = []
    verify = signatures.verify_pdf
    monkeypatch.setattr(signatures, "verify_pdf", lambda data, roots: calls.append(1) or verify(data, roots))
    for _ in range(3):  # the page and REST, again and again: pyHanko runs once for the signed file
        page = sessions["vanthu-s"].get(url, headers={"Accept": "text/html"}).text
        assert "Chữ ký hợp lệ" in page
        checks = sessions["vanthu-s"].get(f"{url}/@hdnd-signatures", headers=JSON).json()["signed_file"]
        assert [c["verdict"] for c in checks] == ["ok"]
    assert len(calls) == 2  # the signed file once, the draft's own PDF once
    # Other trust roots: checked again, and no longer trusted.
    api.portal.set_registry_record("hdnd.signing.trust_roots", Authority.create("Khác").pem.decode())
    transaction.commit()
    checks = sessions["vanthu-s"].get(f"{url}/@hdnd-signatures", headers=JSON).json()["signed_file"]
    assert [c["verdict"] for c in checks] == ["untrusted"] and len(calls) == 4


def test_a_key_that_cannot_be_used_refuses_the_step_with_its_reason(office):
    base, sessions = office
    transaction.begin()
    api.portal.set_registry_record("hdnd.signing.signer_passphrase", "sai mật khẩu")
    transaction.commit()
    url = draft(base, sessions)
    refused = walk(sessions, url, ("chuyenvien-s", "submit"), ("chanhvp-s", "approve"), ("vanthu-s", "format_ok"),
                   ("lanhdao-s", "sign"))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith("sign: key: the PKCS#12 file cannot be opened")
    document = sessions["vanthu-s"].get(url, headers=JSON).json()
    assert document["review_state"] != "signed" and document["signed_file"] is None


def test_an_odt_is_signed_as_libreoffices_pdf(office, libreoffice):
    from hdnd.content.docgen import odt

    base, sessions = office
    url = draft(base, sessions, filename="thong-bao.odt", data=odt.build(odt.p("Kết luận về kỳ họp")))
    walk(sessions, url, ("chuyenvien-s", "submit"), ("chanhvp-s", "approve"), ("vanthu-s", "format_ok"),
         ("lanhdao-s", "sign"))
    signed = sessions["vanthu-s"].get(f"{url}/@@download/signed_file").content
    assert signed.startswith(b"%PDF") and "Kết luận về kỳ họp" in pdf_text(signed)
    [check] = signatures.verify_pdf(signed, signatures.trust_roots(api.portal.get_registry_record(
        "hdnd.signing.trust_roots")))
    assert check.verdict == "ok"


def test_received_pdfs_are_checked_and_a_broken_one_is_not_registered(office, ca):
    base, sessions = office
    original = text_pdf(["THÀNH ỦY", "THÔNG BÁO", "Số 145-TB/TU"])
    sound = signed_by(ca["party"], "tu-pass", original)
    broken = sound.replace(b"595 842", b"595 843", 1)
    untrusted = signed_by(ca["stranger"], "x", original)
    urls = {}
    for n, (name, data) in enumerate((("sound", sound), ("broken", broken), ("untrusted", untrusted))):
        answer = sessions["thanh-uy"].post(f"{base}/@hdnd-receive", headers=JSON, json={
            "idempotency_key": f"tu-{name}", "symbol": f"14{n}-TB/TU", "title": f"Thông báo {name}",
            "issuing_body": "Thành ủy", "issue_date": "2026-11-20",
            "files": [{"filename": f"{name}.pdf", "content_type": "application/pdf", "data": b64(data)}]})
        assert answer.status_code == 201, answer.text
        urls[name] = answer.json()["@id"]
    verdicts = {name: [c["verdict"] for c in sessions["vanthu-s"].get(
        f"{url}/@hdnd-signatures", headers=JSON).json()["on_arrival"]] for name, url in urls.items()}
    assert verdicts == {"sound": ["ok"], "broken": ["broken"], "untrusted": ["untrusted"]}
    assert walk(sessions, urls["sound"], ("vanthu-s", "register")).status_code == 200
    assert walk(sessions, urls["untrusted"], ("vanthu-s", "register")).status_code == 200  # shown, not blocking
    refused = walk(sessions, urls["broken"], ("vanthu-s", "register"))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith("register: Chữ ký không hợp lệ")
    assert sessions["vanthu-s"].get(urls["broken"], headers=JSON).json()["review_state"] == "received"
    page = sessions["vanthu-s"].get(urls["broken"], headers={"Accept": "text/html"}).text
    assert "Chữ ký không hợp lệ" in page and "alert-danger" in page
    # Any PDF, checked on request; not by strangers to the site.
    checked = sessions["vanthu-s"].post(f"{base}/@hdnd-verify-signature", headers=JSON, json={"data": b64(untrusted)})
    assert [c["verdict"] for c in checked.json()["signatures"]] == ["untrusted"]
    bad = sessions["vanthu-s"].post(f"{base}/@hdnd-verify-signature", headers=JSON, json={"data": "không phải"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "data"
    anonymous = sessions["anonymous"].post(f"{base}/@hdnd-verify-signature", headers=JSON, json={"data": b64(sound)})
    assert anonymous.status_code == 401


def test_envelopes_signed_when_sent_and_checked_when_received(office, ca):
    base, sessions = office
    envelope = edxml.build(edxml.Envelope(
        sender=edxml.Organ("000.00.01.H29", "Thành ủy"), to=(edxml.Organ("000.00.31.H29"),),
        document_id="000.00.01.H29,2026/11/20,146/TB-TU", code_number="146", code_notation="TB/TU", place="",
        promulgation_date=datetime.date(2026, 11, 20), type_code="TB", type_name="Thông báo", subject="Thông báo ký số",
        attachments=(edxml.Attachment("146.pdf", "application/pdf", text_pdf(["146-TB/TU"])),)))
    signed = signatures.sign_xml(envelope, ca["party"], "tu-pass")
    xml = {"Accept": "application/json", "Content-Type": "application/xml"}
    tampered = signed.replace("Thông báo ký số".encode(), "Thông báo đã sửa".encode())
    refused = sessions["thanh-uy"].post(f"{base}/@hdnd-edxml", headers=xml, data=tampered)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "Signature"
    stranger = signatures.sign_xml(envelope, ca["stranger"], "x")
    assert sessions["thanh-uy"].post(f"{base}/@hdnd-edxml", headers=xml, data=stranger).status_code == 400
    accepted = sessions["thanh-uy"].post(f"{base}/@hdnd-edxml", headers=xml, data=signed)
    assert accepted.status_code == 201, accepted.text
    transaction.begin()
    document = api.portal.get().unrestrictedTraverse(accepted.json()["@id"].replace(base, "").strip("/"))
    assert document.envelope_signed_by == "Thành ủy"

    # What the office sends is signed with the body's key.
    url = draft(base, sessions)
    assert sessions["chuyenvien-s"].patch(url, headers=JSON, json={"send_to": ["thanh-uy"]}).status_code == 204
    walk(sessions, url, ("chuyenvien-s", "submit"), ("chanhvp-s", "approve"), ("vanthu-s", "format_ok"),
         ("lanhdao-s", "sign"), ("vanthu-s", "issue"))
    [item] = sessions["thanh-uy"].get(f"{base}/@hdnd-outbox", headers=JSON).json()["items"]
    assert signatures.verify_xml(item["edxml"].encode(), ca["authority"].pem) == "Đảng đoàn HĐND Thành phố"
    assert edxml.parse(item["edxml"].encode()).subject == "Thông báo kết luận phiên họp tháng 11/2026"
    exported = sessions["vanthu-s"].get(f"{url}/@hdnd-edxml").content
    assert signatures.has_xml_signature(exported)


def test_the_signers_key_on_a_pkcs11_token(office, ca, softhsm):
    base, sessions = office
    reference = softhsm(ca["leader"], "an-pass", "bi-thu-token", "03")
    transaction.begin()
    api.portal.set_registry_record("hdnd.signing.signer_key", reference)
    api.portal.set_registry_record("hdnd.signing.signer_passphrase", "1234")  # the token's PIN
    transaction.commit()
    url = draft(base, sessions)
    done = walk(sessions, url, ("chuyenvien-s", "submit"), ("chanhvp-s", "approve"), ("vanthu-s", "format_ok"),
                ("lanhdao-s", "sign"))
    assert done.status_code == 200, done.text
    checks = sessions["vanthu-s"].get(f"{url}/@hdnd-signatures", headers=JSON).json()["signed_file"]
    assert [(c["signer"], c["verdict"]) for c in checks] == [("Nguyễn Văn An", "ok")]


def test_a_broken_signature_in_a_second_file_blocks_registration_too(office, ca):
    base, sessions = office
    signed = signed_by(ca["party"], "tu-pass", text_pdf(["Phụ lục kèm theo"]))
    answer = sessions["thanh-uy"].post(f"{base}/@hdnd-receive", headers=JSON, json={
        "idempotency_key": "tu-phu-luc", "symbol": "150-TB/TU", "title": "Thông báo kèm phụ lục",
        "issuing_body": "Thành ủy", "issue_date": "2026-11-20",
        "files": [{"filename": "cong-van.pdf", "content_type": "application/pdf", "data": b64(text_pdf(["Bìa"]))},
                  {"filename": "phu-luc.pdf", "content_type": "application/pdf",
                   "data": b64(signed.replace(b"595 842", b"595 843", 1))}]})
    assert answer.status_code == 201, answer.text
    refused = walk(sessions, answer.json()["@id"], ("vanthu-s", "register"))
    assert refused.status_code == 400 and refused.json()["error"]["message"].startswith("register: Chữ ký không hợp lệ")
    # A damaged PDF is not a 500 anywhere: it is received, shown unsigned.
    damaged = sessions["thanh-uy"].post(f"{base}/@hdnd-receive", headers=JSON, json={
        "idempotency_key": "tu-hong", "symbol": "151-TB/TU", "title": "Tệp hỏng", "issuing_body": "Thành ủy",
        "issue_date": "2026-11-20", "files": [{"filename": "hong.pdf", "content_type": "application/pdf",
                                               "data": b64(signed[:len(signed) // 2])}]})
    assert damaged.status_code == 201, damaged.text
    assert sessions["vanthu-s"].post(f"{base}/@hdnd-verify-signature", headers=JSON,
                                     json={"data": b64(signed[:len(signed) // 2])}).status_code in (200, 400)
