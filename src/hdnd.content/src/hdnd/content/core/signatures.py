"""Digital signatures: PAdES signatures on PDFs (pyHanko) and XML signatures
on edXML envelopes (signxml). Plain Python: keys and trust roots are passed
in, nothing is read from a site.

- ``sign_pdf``: add a signature with a visible block (who, what for, when) in
  an incremental update, so that signatures already there stay valid;
- ``verify_pdf``: each signature's signer, time, integrity, coverage and
  chain against the trust roots, and one verdict a clerk can act on:
  ``ok``, ``untrusted`` (sound, but the signer's chain does not reach a
  trusted root), ``modified`` (the file changed after signing) or
  ``broken`` (the signed bytes or the signature itself do not check);
- ``sign_xml`` / ``verify_xml``: an enveloped XML-DSig over an envelope.

Time is shown in the office's time zone (core.officetime, +07:00).
"""

from contextlib import contextmanager
from dataclasses import asdict
from dataclasses import dataclass
from io import BytesIO
from hdnd.content.core import officetime
from hdnd.content.core import formats
from hdnd.content.core.officetime import OFFICE_TIME  # the one office zone
from pathlib import Path

import base64
import logging


# Vietnamese needs a font with its letters in the signature block.
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
VERDICTS = {
    "ok": "Chữ ký hợp lệ",
    "untrusted": "Chữ ký đúng nhưng chứng thư không thuộc tổ chức chứng thực được tin cậy",
    "modified": "Văn bản đã bị thay đổi sau khi ký",
    "broken": "Chữ ký không hợp lệ: nội dung đã ký bị sửa hoặc chữ ký hỏng",
}


class SignatureError(ValueError):
    """A key, certificate or file that cannot be used (the message says which)."""


@dataclass(frozen=True)
class Check:
    field: str
    signer: str
    organisation: str
    signed_at: str  # ISO 8601, +07:00, as the signer's software reported it
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature value checks against the certificate
    trusted: bool  # the certificate chains to a trust root
    whole_file: bool  # nothing was added after this signature (other than later signatures)
    verdict: str  # ok | untrusted | modified | broken

    @property
    def blocks(self):
        """A received document with this signature must not be registered."""
        return self.verdict in ("broken", "modified")

    def as_dict(self):
        return dict(asdict(self), summary=VERDICTS[self.verdict])


@contextmanager
def quiet(logger):
    """pyHanko and fontTools log what is, here, an ordinary finding (a font
    table not subset, a modified file): keep it out of the event log."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def is_pdf(data):
    return isinstance(data, (bytes, bytearray)) and data[:1024].lstrip().startswith(b"%PDF-")


def trust_roots(pem):
    """Certificates from PEM text (one or more), as pyHanko wants them."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    data = pem.encode("ascii", "replace") if isinstance(pem, str) else (pem or b"")
    try:
        return [asn1_x509.Certificate.load(der) for _kind, _headers, der in asn1_pem.unarmor(data, multiple=True)]
    except (ValueError, TypeError) as error:
        raise SignatureError(f"trust_roots: not PEM certificates ({error})") from None


def load_signer(pkcs12_data, passphrase):
    from pyhanko.sign import signers

    try:
        return signers.SimpleSigner.load_pkcs12_data(pkcs12_data, [], passphrase=(passphrase or "").encode("utf-8"))
    except (ValueError, TypeError) as error:
        raise SignatureError(f"key: the PKCS#12 file cannot be opened with this passphrase ({error})") from None


def parse_token(reference):
    """``pkcs11:module=/usr/lib/softhsm/libsofthsm2.so;token=hdnd;object=bi-thu``
    as a dict (module, token, object), or None if it is not a token reference."""
    if not isinstance(reference, str) or not reference.startswith("pkcs11:"):
        return None
    parts = dict(part.split("=", 1) for part in reference[len("pkcs11:"):].split(";") if "=" in part)
    missing = [name for name in ("module", "token", "object") if not parts.get(name)]
    if missing:
        raise SignatureError(f"key: the token reference lacks {', '.join(missing)} "
                             "(pkcs11:module=…;token=…;object=…)")
    return parts


@contextmanager
def token_signer(reference, pin):
    """A signer whose key never leaves a PKCS#11 token (an HSM, a USB token);
    the certificate is the token's object of the same label."""
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.sign import pkcs11

    found = parse_token(reference)
    try:
        session = pkcs11.open_pkcs11_session(
            found["module"], token_criteria=pkcs11.TokenCriteria(label=found["token"]), user_pin=pin or None)
    except (PKCS11Error, OSError, RuntimeError) as error:
        raise SignatureError(f"key: the token {found['token']} cannot be opened ({type(error).__name__} {error})") \
            from None
    try:
        yield pkcs11.PKCS11Signer(session, cert_label=found["object"], key_label=found["object"])
    finally:
        session.close()


def signer_name(signer):
    return signer.signing_cert.subject.native.get("common_name", "")


def _font():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    for path in FONTS:
        if Path(path).exists():
            return GlyphAccumulatorFactory(path)
    return None  # pyHanko's own font: the block loses its diacritics, the signature does not


def sign_pdf(data, signer, *, field, reason, location, lines, box=(330, 40, 565, 130), page=-1):
    """``data`` signed by ``signer``, with a visible block of ``lines`` (the
    signer and the time are added) in ``box`` on ``page``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields
    from pyhanko.sign import signers
    from pyhanko.stamp import TextStampStyle

    if not is_pdf(data):
        raise SignatureError("file: only a PDF is signed")
    moment = officetime.now()
    text = "\n".join([*lines, "Ký bởi: %(signer)s", f"Thời gian: {formats.day(moment)} {moment:%H:%M:%S} (GMT+7)"])
    font = _font()
    style = TextStampStyle(stamp_text=text, timestamp_format=formats.STAMP_FORMAT,
                           text_box_style=TextBoxStyle(font=font) if font else TextBoxStyle())
    meta = signers.PdfSignatureMetadata(field_name=field, reason=reason, location=location)

    class AtMoment(signers.PdfSigner):
        """Records the moment the block shows, in the office's time: pyHanko
        otherwise takes its own later time in the server's zone for the
        signature's /M and signing time (a block showing 01:54 was recorded
        as 18:55 the day before on a server in UTC)."""

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = moment
            return session

    pdf_signer = AtMoment(meta, signer=signer, stamp_style=style,
                          new_field_spec=fields.SigFieldSpec(sig_field_name=field, on_page=page, box=box))
    try:
        with quiet("fontTools"):
            return pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(data), strict=False)).getvalue()
    except (PdfError, ValueError) as error:
        raise SignatureError(f"file: cannot be signed ({error})") from None


def verify_pdf(data, roots):
    """One ``Check`` per signature of a PDF, in signing order ([] if unsigned)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not is_pdf(data):
        return []
    try:
        with quiet("pyhanko"):  # a modified file is a finding here, not a log error
            reader = PdfFileReader(BytesIO(data), strict=False)
            signatures = list(reader.embedded_signatures)
    except Exception as error:  # noqa: BLE001 -- a damaged file raises many kinds (zlib, asn1, …)
        raise SignatureError(f"file: not a readable PDF ({type(error).__name__})") from None
    with quiet("pyhanko"):
        return [_check(signature, roots) for signature in signatures]


def _check(signature, roots):
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # Offline: no fetching of revocation data (the office has no internet).
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as error:  # noqa: BLE001 -- damaged signed data: the signature does not check
        logging.getLogger(__name__).info("signature %s unreadable: %s", signature.field_name, error)
        return Check(signature.field_name or "", "", "", "", False, False, False, False, "broken")
    subject = status.signing_cert.subject.native if status.signing_cert else {}
    # Later signatures (form filling) keep an earlier one whole; anything else added does not.
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level is not None
        and status.modification_level.name in ("NONE", "LTA_UPDATES", "FORM_FILLING"))
    if not (status.intact and status.valid):
        verdict = "broken"
    elif not whole:
        verdict = "modified"
    elif not status.trusted:
        verdict = "untrusted"
    else:
        verdict = "ok"
    moment = status.signer_reported_dt
    return Check(
        field=signature.field_name or "", signer=subject.get("common_name", ""),
        organisation=subject.get("organization_name", ""),
        signed_at=moment.astimezone(OFFICE_TIME).isoformat() if moment else "",
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        whole_file=bool(whole), verdict=verdict)


# XML signatures of edXML envelopes -----------------------------------------------------


def _key_and_chain(pkcs12_data, passphrase):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, certificate, others = pkcs12.load_key_and_certificates(pkcs12_data, (passphrase or "").encode("utf-8"))
    except (ValueError, TypeError) as error:
        raise SignatureError(f"key: the PKCS#12 file cannot be opened with this passphrase ({error})") from None
    chain = [c.public_bytes(serialization.Encoding.PEM) for c in [certificate, *(others or [])]]
    return key, chain


def sign_xml(data, pkcs12_data, passphrase):
    """``data`` (an XML document) with an enveloped XML-DSig (RSA-SHA256)."""
    from lxml import etree
    from signxml import methods
    from signxml import XMLSigner

    key, chain = _key_and_chain(pkcs12_data, passphrase)
    root = etree.fromstring(data, _xml_parser())
    signer = XMLSigner(method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256")
    signer._parser = _xml_parser()  # attachments make text nodes over libxml2's 10 MB default
    try:
        signed = signer.sign(root, key=key, cert=[c.decode("ascii") for c in chain])
    except etree.LxmlError as error:
        raise SignatureError(f"Signature: the envelope cannot be signed ({error})") from None
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _xml_parser():
    from lxml import etree

    # No DOCTYPE reaches here (edxml refuses them before parsing), so a large
    # text node is the only limit to lift.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def has_xml_signature(data):
    return b"http://www.w3.org/2000/09/xmldsig#" in data and b"Signature" in data


def verify_xml(data, roots_pem):
    """The signer's common name if the enveloped signature checks and its
    certificate chains to one of the trust roots; SignatureError otherwise."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidInput
    from signxml.exceptions import InvalidSignature

    import tempfile

    if not roots_pem:
        raise SignatureError("Signature: no trust roots are configured to check it")
    from lxml import etree

    with tempfile.NamedTemporaryFile(suffix=".pem") as roots:
        roots.write(roots_pem if isinstance(roots_pem, bytes) else roots_pem.encode("ascii", "replace"))
        roots.flush()
        try:
            result = XMLVerifier().verify(data, ca_pem_file=roots.name, parser=_xml_parser())
        except (InvalidSignature, InvalidInput, ValueError, etree.LxmlError) as error:
            raise SignatureError(f"Signature: does not check ({error})") from None
    # The whole document must be what was signed (an enveloped signature over
    # the root), not an element of it: what is parsed is what was signed.
    root = etree.fromstring(data, _xml_parser())
    if result.signed_xml is None or result.signed_xml.tag != root.tag or len(result.signed_xml) < len(root) - 1:
        raise SignatureError("Signature: it does not cover the whole envelope")
    # The signing certificate is the first of the KeyInfo (signxml checked it).
    first = result.signature_xml.find(".//{http://www.w3.org/2000/09/xmldsig#}X509Certificate")
    if first is None or not (first.text or "").strip():
        return ""
    certificate = x509.load_der_x509_certificate(base64.b64decode("".join(first.text.split())))
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else ""
