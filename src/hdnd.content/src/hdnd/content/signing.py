"""Digital signatures in the procedure (the rules are in core/signatures.py).

- At *sign*, an outgoing document's PDF (its main file, or a PDF copy that
  LibreOffice makes of an ODT/DOCX) is signed with the signer's key and kept
  as ``signed_file``; at *issue*, the body's signature follows, with the
  number and date in its block. Keys are PKCS#12 files the administrator
  configures (``hdnd.signing.*``); with none, the office signs on paper.
- A received document's PDF is checked when it arrives or its file changes;
  the result is kept on the document (``signature_checks``) and shown. A
  broken signature, or a file changed after signing, blocks registration.
- The edXML envelopes the office sends are signed with the body's key;
  a signed envelope received is checked before anything is registered.
"""

from hdnd.content import audit
from hdnd.content.core import signatures
from hdnd.content.core import formats
from hdnd.content.interfaces import ISigningSettings
from contextlib import contextmanager
from pathlib import Path
from plone import api
from plone.app.contenttypes.interfaces import IFile
from plone.namedfile.file import NamedBlobFile

import hashlib


PREFIX = "hdnd.signing"
CHECKS = "signature_checks"  # on a received document: [Check.as_dict()]
CHECKED = "_signature_checked"  # the SHA-256 of the file they are about


def setting(name):
    # The field's default where the record is missing (a site from before it).
    value = api.portal.get_registry_record(f"{PREFIX}.{name}", default=None)
    return value or ISigningSettings[name].default or ""


def key(kind):
    """``(pkcs12 bytes, passphrase)`` of "signer" or "body", or None."""
    path = setting(f"{kind}_key").strip()
    if not path or signatures.parse_token(path):
        return None
    try:
        return Path(path).read_bytes(), setting(f"{kind}_passphrase")
    except OSError as error:
        raise signatures.SignatureError(f"{kind}_key: cannot read {path} ({error.strerror})") from None


@contextmanager
def signer(kind):
    """The signer of "signer" or "body": a PKCS#12 file, or a key on a
    PKCS#11 token (``pkcs11:module=…;token=…;object=…``, the passphrase is
    its PIN); None when none is configured."""
    reference = setting(f"{kind}_key").strip()
    if signatures.parse_token(reference):
        with signatures.token_signer(reference, setting(f"{kind}_passphrase")) as found:
            yield found
        return
    found = key(kind)
    yield signatures.load_signer(*found) if found else None


def roots():
    pem = setting("trust_roots").strip()
    return signatures.trust_roots(pem) if pem else []


def _pdf_of(document):
    """The document's PDF: its main file, or LibreOffice's copy of it."""
    from hdnd.content.archive import convert_to_pdf

    data = document.file.data if getattr(document, "file", None) else b""
    if not data:
        raise signatures.SignatureError("file: there is no document to sign (add its file first)")
    if signatures.is_pdf(data):
        return data
    return convert_to_pdf(data, document.file.filename or "document.odt")


def on_sign(document):
    """The signer's signature on the document's PDF (transition *sign*)."""
    if not getattr(document, "file", None):
        return None
    with signer("signer") as leader:
        if leader is None:
            return None
        signed = signatures.sign_pdf(
            _pdf_of(document), leader, field="ChuKyNguoiKy", reason="Ký văn bản",
            location=api.portal.get_registry_record("hdnd.organisation.place_name", default=""),
            lines=[line.strip() for line in (document.signer_position or "").split(",") if line.strip()]
            or ["Người ký"])
        name = signatures.signer_name(leader)
    document.signed_file = NamedBlobFile(data=signed, filename=f"{document.getId()}-da-ky.pdf",
                                         contentType="application/pdf")
    audit.record("signed_digitally", document, signer=name)
    return document.signed_file


def on_issue(document):
    """The body's signature, with the number and date (transition *issue*)."""
    source = getattr(document, "signed_file", None)
    if source is None:
        return None
    date = formats.day(document.issue_date)
    with signer("body") as body:
        if body is None:
            return None
        signed = signatures.sign_pdf(
            source.data, body, field="ChuKyCoQuan", reason="Ban hành văn bản",
            location=api.portal.get_registry_record("hdnd.organisation.place_name", default=""),
            lines=[f"Số: {document.symbol}", f"Ngày: {date}"], box=(40, 40, 265, 130))
        name = signatures.signer_name(body)
    document.signed_file = NamedBlobFile(data=signed, filename=source.filename, contentType="application/pdf")
    audit.record("signed_digitally", document, signer=name, body=True)
    return document.signed_file


def _pdfs_of(document):
    """Every file of a received document: its main file, then the files
    filed inside it (a second attachment is checked as much as the first)."""
    found = [("file", document.file)] if getattr(document, "file", None) else []
    found += [(item.getId(), item.file) for item in document.objectValues()
              if IFile.providedBy(item) and getattr(item, "file", None)]
    return found


def check_received(document, force=False):
    """Check the signatures of a received document's PDFs (again only when a
    file changed) and keep the result on the document."""
    files = [(name, blob.data) for name, blob in _pdfs_of(document)]
    digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _name, data in files)).hexdigest()
    if not force and getattr(document, CHECKED, None) == digest:
        return getattr(document, CHECKS, None) or []
    found = []
    for name, data in files:
        if not signatures.is_pdf(data):
            continue
        try:
            found += [dict(c.as_dict(), file=name) for c in signatures.verify_pdf(data, roots())]
        except signatures.SignatureError:
            # A file pyHanko cannot read (a damaged scan, not a PDF after all)
            # carries no signature to speak of: nothing to check, nothing to block.
            continue
    setattr(document, CHECKS, found)
    setattr(document, CHECKED, digest)
    if found:
        audit.record("signature_checked", document, verdicts=[c["verdict"] for c in found])
    return found


def blocking(document):
    """The first check that forbids registering the document, or None."""
    for check in check_received(document):
        if check["verdict"] in ("broken", "modified"):
            return check
    return None


def on_received_changed(document, event):
    from zope.container.interfaces import IContainerModifiedEvent
    from zope.lifecycleevent.interfaces import IObjectModifiedEvent

    # A file added inside, or a transition: not a change of the document's file.
    if getattr(document, "direction", None) != "incoming" or IContainerModifiedEvent.providedBy(event):
        return
    if IObjectModifiedEvent.providedBy(event) and event.descriptions and not any(
            "file" in getattr(d, "attributes", ()) for d in event.descriptions):
        return
    check_received(document)


def live(document):
    """Checks of the document's files with today's trust roots (REST, view)."""
    found = {}
    for name in ("file", "signed_file"):
        blob = getattr(document, name, None)
        if blob is not None and blob.size:
            found[name] = checks_of(blob)
    return found


_CHECKED = {}  # (blob oid, serial, trust roots) -> checks, this process
CHECKED_KEPT = 500


def checks_of(file):
    """The checks of a stored file's signatures with today's trust roots (dicts).
    A stored blob does not change under its oid and serial, so the answer is
    kept for them (pyHanko takes ~0.1 s a PDF; the viewlet asks on every
    view); new trust roots or a new file give a new answer."""
    pem = setting("trust_roots").strip()
    blob = getattr(file, "_blob", None)
    if blob is not None:
        blob._p_activate()  # a ghost's serial is not known until it is loaded
    serial = getattr(blob, "_p_serial", None)
    key = (getattr(blob, "_p_oid", None), serial, hashlib.sha256(pem.encode("utf-8")).hexdigest())
    if key[0] is None or serial in (None, b"\0" * 8):  # not committed yet: nothing to key it by
        return [c.as_dict() for c in signatures.verify_pdf(file.data, roots())]
    if key not in _CHECKED:
        if len(_CHECKED) >= CHECKED_KEPT:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = [c.as_dict() for c in signatures.verify_pdf(file.data, roots())]
    return [dict(check) for check in _CHECKED[key]]


# edXML envelopes ---------------------------------------------------------------------


def sign_envelope(data):
    """An envelope the office sends, signed with the body's key if there is one
    (a PKCS#12 file: signxml cannot use a key that stays on a token)."""
    found = key("body")
    return signatures.sign_xml(data, *found) if found else data


def check_envelope(data):
    """The signer of a signed envelope (SignatureError if it does not check),
    or None if it carries no signature, or no trust roots are configured to
    check one (it is then taken as unsigned envelopes are)."""
    roots_pem = setting("trust_roots").strip()
    if not signatures.has_xml_signature(data) or not roots_pem:
        return None
    return signatures.verify_xml(data, roots_pem)
