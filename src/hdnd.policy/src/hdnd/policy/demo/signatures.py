"""Demo digital signatures: a demo certification authority and keys in
``var/keys`` (the leader Nguyễn Văn An and the body), configured as the
site's; the tờ trình awaiting signature gets its PDF, so that signing it
in the demo produces a signed PDF; the City Committee's notice arrives as a
PDF signed by the Committee (checked: valid). Demo only: a real office uses
the certificates of its certification service."""

from hdnd.content import signing
from hdnd.content.core.certificates import Authority
from hdnd.content.core.pdf import text_pdf
from hdnd.content.core.signatures import load_signer
from hdnd.content.core.signatures import sign_pdf
from pathlib import Path
from plone import api
from plone.namedfile.file import NamedBlobFile

import os


PASSPHRASES = {"bi-thu": "demo-bi-thu", "co-quan": "demo-co-quan", "thanh-uy": "demo-thanh-uy"}


def ensure_keys(folder):
    """The demo CA and its keys in ``folder`` (made once), set as the site's."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not (folder / "demo-ca.pem").exists():
        authority = Authority.create("hdnd Demo CA (không dùng thật)")
        for name, common_name, organisation in (
                ("bi-thu", "Nguyễn Văn An", "Đảng đoàn HĐND Thành phố"),
                ("co-quan", "Đảng đoàn HĐND Thành phố", "Đảng đoàn HĐND Thành phố"),
                ("thanh-uy", "Thành ủy", "Thành ủy")):
            path = folder / f"{name}.p12"
            path.write_bytes(authority.issue(common_name, PASSPHRASES[name], organisation))
            os.chmod(path, 0o600)
        (folder / "demo-ca.pem").write_bytes(authority.pem)
    if not api.portal.get_registry_record("hdnd.signing.signer_key", default=""):
        for name, value in {"signer_key": str(folder / "bi-thu.p12"), "signer_passphrase": PASSPHRASES["bi-thu"],
                            "body_key": str(folder / "co-quan.p12"), "body_passphrase": PASSPHRASES["co-quan"],
                            "trust_roots": (folder / "demo-ca.pem").read_text()}.items():
            api.portal.set_registry_record(f"hdnd.signing.{name}", value)
    ensure_documents(folder)


def ensure_documents(folder):
    documents = api.portal.get()["van-ban"]
    waiting = documents.get("ttr-ky-hop-8")
    if waiting is not None and not getattr(waiting, "file", None):
        waiting.file = NamedBlobFile(
            data=text_pdf(["ĐẢNG BỘ THÀNH PHỐ", "ĐẢNG ĐOÀN HĐND THÀNH PHỐ", "", "TỜ TRÌNH",
                           "về nội dung, chương trình Kỳ họp thứ 8 HĐND Thành phố", "",
                           "Đảng đoàn HĐND Thành phố kính trình Ban Thường vụ Thành ủy ..."]),
            filename="to-trinh-ky-hop-8.pdf", contentType="application/pdf")
    notice = documents.get("tb-145-tu")
    if notice is not None and not getattr(notice, "file", None):
        committee = load_signer((Path(folder) / "thanh-uy.p12").read_bytes(), PASSPHRASES["thanh-uy"])
        scan = text_pdf(["ĐẢNG BỘ THÀNH PHỐ", "THÀNH ỦY", "Số 145-TB/TU", "", "THÔNG BÁO KẾT LUẬN",
                         "của Ban Thường vụ Thành ủy về chuẩn bị Kỳ họp thứ 8 HĐND Thành phố"])
        notice.file = NamedBlobFile(
            data=sign_pdf(scan, committee, field="ChuKyCoQuan", reason="Ban hành văn bản", location="Thành phố",
                          lines=["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC"]),
            filename="145-tb-tu.pdf", contentType="application/pdf")
        signing.check_received(notice, force=True)
