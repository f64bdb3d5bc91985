"""Digital signatures without a site: a test CA of its own signs PDFs and
envelopes; the checks tell a sound signature from an untrusted signer, a
file changed after signing and broken signed bytes; a later signature keeps
an earlier one whole."""

from hdnd.content.core import signatures
from hdnd.content.core.certificates import Authority
from hdnd.content.core.pdf import text_pdf
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import io
import pytest
import subprocess


@pytest.fixture(scope="module")
def ca():
    authority = Authority.create("hdnd Test CA")
    return {
        "authority": authority,
        "roots": signatures.trust_roots(authority.pem),
        "leader": signatures.load_signer(authority.issue("Nguyễn Văn An", "an", "Đảng đoàn HĐND Thành phố"), "an"),
        "body": authority.issue("Đảng đoàn HĐND Thành phố", "body", "Đảng đoàn HĐND Thành phố"),
        "stranger": signatures.load_signer(Authority.create("Other CA").issue("Kẻ lạ", "x"), "x"),
    }


@pytest.fixture(scope="module")
def notice():
    return text_pdf(["ĐẢNG ĐOÀN HĐND THÀNH PHỐ", "THÔNG BÁO KẾT LUẬN", "phiên họp định kỳ tháng 11/2026"])


def sign(data, signer, field="ChuKyNguoiKy", **extra):
    return signatures.sign_pdf(data, signer, field=field, reason="Ký văn bản", location="Thành phố",
                               lines=["T/M ĐẢNG ĐOÀN", "BÍ THƯ"], **extra)


def text_of(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_signed_by_the_leader_then_the_body_both_sound(ca, notice):
    signed = sign(notice, ca["leader"])
    body = signatures.load_signer(ca["body"], "body")
    issued = sign(signed, body, field="ChuKyCoQuan", box=(40, 40, 265, 130))
    leader, office = signatures.verify_pdf(issued, ca["roots"])
    assert (leader.signer, leader.organisation, leader.verdict) == ("Nguyễn Văn An", "Đảng đoàn HĐND Thành phố", "ok")
    assert leader.whole_file and leader.intact and leader.valid and leader.trusted
    assert (office.field, office.signer, office.verdict) == ("ChuKyCoQuan", "Đảng đoàn HĐND Thành phố", "ok")
    assert leader.signed_at.endswith("+07:00")
    # The visible blocks, with Vietnamese letters intact.
    shown = text_of(issued)
    assert "T/M ĐẢNG ĐOÀN" in shown and "Ký bởi: Nguyễn Văn An" in shown and "(GMT+7)" in shown
    assert signatures.verify_pdf(notice, ca["roots"]) == []  # unsigned


def test_the_signing_time_is_recorded_as_shown_in_the_office_time(ca, notice):
    """The signature's /M and signing time are the moment the block shows,
    with +07:00 (they were pyHanko's own later time, in the server's zone)."""
    import re
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = sign(notice, ca["leader"])
    shown = re.search(r"Thời gian: (\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d):(\d\d)", text_of(signed)).groups()
    day, month, year, hour, minute, second = shown
    recorded = str(PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_object["/M"])
    assert recorded == f"D:{year}{month}{day}{hour}{minute}{second}+07'00'", recorded
    check = signatures.verify_pdf(signed, ca["roots"])[0]
    assert check.signed_at == f"{year}-{month}-{day}T{hour}:{minute}:{second}+07:00"


def test_untrusted_modified_and_broken_are_told_apart(ca, notice):
    signed = sign(notice, ca["leader"])
    assert [c.verdict for c in signatures.verify_pdf(signed, [])] == ["untrusted"]
    assert [c.verdict for c in signatures.verify_pdf(sign(notice, ca["stranger"]), ca["roots"])] == ["untrusted"]
    # Something added after the signature (not a signature): modified.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/HdndNote"] = generic.TextStringObject("sửa sau khi ký")
    writer.update_root()
    later = io.BytesIO()
    writer.write(later)
    [check] = signatures.verify_pdf(later.getvalue(), ca["roots"])
    assert (check.verdict, check.intact, check.whole_file) == ("modified", True, False) and check.blocks
    # A byte of the signed content changed: broken.
    tampered = signed.replace(b"595 842", b"595 843", 1)  # the page size, inside the signed bytes
    assert tampered != signed
    [check] = signatures.verify_pdf(tampered, ca["roots"])
    assert (check.verdict, check.intact) == ("broken", False) and check.blocks
    assert check.as_dict()["summary"].startswith("Chữ ký không hợp lệ")


def test_bad_keys_and_files_are_errors_naming_what(ca, notice):
    with pytest.raises(signatures.SignatureError, match="^key: .*passphrase"):
        signatures.load_signer(ca["body"], "sai")
    with pytest.raises(signatures.SignatureError, match="^file: only a PDF"):
        sign(b"PK\x03\x04 a docx", ca["leader"])
    with pytest.raises(signatures.SignatureError, match="^trust_roots: "):
        signatures.trust_roots("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
    assert signatures.verify_pdf(b"not a pdf", ca["roots"]) == []
    with pytest.raises(signatures.SignatureError, match="^file: not a readable PDF"):
        signatures.verify_pdf(b"%PDF-1.7\n garbage", ca["roots"])


def test_xml_signature_of_an_envelope(ca):
    envelope = '<?xml version="1.0" encoding="UTF-8"?><e xmlns="urn:x"><s>Thông báo 01-TB</s></e>'.encode()
    signed = signatures.sign_xml(envelope, ca["body"], "body")
    assert signatures.has_xml_signature(signed) and not signatures.has_xml_signature(envelope)
    assert signatures.verify_xml(signed, ca["authority"].pem) == "Đảng đoàn HĐND Thành phố"
    with pytest.raises(signatures.SignatureError, match="^Signature: does not check"):
        signatures.verify_xml(signed.replace("01-TB".encode(), b"02-TB"), ca["authority"].pem)
    with pytest.raises(signatures.SignatureError, match="^Signature: does not check"):
        signatures.verify_xml(signed, Authority.create("Other CA").pem)
    with pytest.raises(signatures.SignatureError, match="no trust roots"):
        signatures.verify_xml(signed, "")


def test_a_key_on_a_pkcs11_token_signs_without_leaving_it(ca, notice, softhsm):
    reference = softhsm(ca["authority"].issue("Trần Thị Bình", "binh", "Đảng đoàn HĐND Thành phố"), "binh",
                        "pho-bi-thu", "02")
    with signatures.token_signer(reference, "1234") as signer:
        signed = sign(notice, signer)
    [check] = signatures.verify_pdf(signed, ca["roots"])
    assert (check.signer, check.verdict) == ("Trần Thị Bình", "ok")
    with pytest.raises(signatures.SignatureError, match="^key: the token hdnd cannot be opened"):
        with signatures.token_signer(reference, "0000"):
            pass
    with pytest.raises(signatures.SignatureError, match="lacks object"):
        signatures.parse_token("pkcs11:module=/x.so;token=hdnd")
    assert signatures.parse_token("/srv/keys/a.p12") is None
