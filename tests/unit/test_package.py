"""Archive packages: written, then checked by hdnd's verifier and,
independently, by the METS schema (lxml) and the BagIt library."""

from datetime import datetime
from hdnd.content.core import package

import bagit
import lxml.etree
import pytest


def dossiers():
    moment = datetime(2026, 11, 22, 9, 30)
    first = package.Document(
        "vb-1", "Nghị quyết về Đề án phát triển đô thị", symbol="12-NQ/TU", date="2026-03-02", issuer="Thành ủy",
        pages=4,
        files=[package.PackageFile("nq 12.docx", b"PK docx bytes", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", moment)],
        copies=[package.PackageFile("nq 12.pdf", b"%PDF-1.7 bytes", "application/pdf", moment, derived_from="nq 12.docx")],
    )
    second = package.Document("vb-2", "Báo cáo tổng kết", symbol="05-BC/ĐĐHĐND", date="2026-12-01",
                              files=[package.PackageFile("bc.pdf", b"%PDF report", "application/pdf", moment)])
    return [package.Dossier("hs-1", "01.TCCB", "Hồ sơ công tác cán bộ năm 2026", "2026-01-05", "2026-12-20",
                            "Vĩnh viễn", [first, second])]


def test_a_package_is_sound_by_its_own_check_and_the_mets_schema(tmp_path, mets_schema):
    root = package.write(tmp_path, "hdnd-2026-001", "Đảng đoàn HĐND Thành phố", dossiers())
    assert package.verify(root) == []
    mets = lxml.etree.parse(str(root / "METS.xml"))
    assert mets_schema.validate(mets), mets_schema.error_log
    files = mets.findall(".//{http://www.loc.gov/METS/}file")
    assert len(files) == 3 and all(f.get("CHECKSUMTYPE") == "SHA-256" for f in files)
    assert mets.getroot().find("{http://www.loc.gov/METS/}metsHdr").get("CREATEDATE").endswith("+07:00")
    assert (root / "representations/rep1/data/01.TCCB/vb-1/nq_12.docx").read_bytes() == b"PK docx bytes"
    ead = lxml.etree.parse(str(root / "metadata/descriptive/ead.xml"))
    assert ead.find(".//{urn:isbn:1-931666-22-9}c01/{urn:isbn:1-931666-22-9}did/{urn:isbn:1-931666-22-9}unitid").text == "01.TCCB"
    premis = (root / "metadata/preservation/premis.xml").read_text(encoding="utf-8")
    assert "<eventType>migration</eventType>" in premis and "Bản PDF của nq 12.docx" in premis


def test_tampering_is_found(tmp_path):
    root = package.write(tmp_path, "p", "Đảng đoàn", dossiers())
    (root / "representations/rep1/data/01.TCCB/vb-2/bc.pdf").write_bytes(b"%PDF changed")
    (root / "representations/rep1/data/01.TCCB/vb-2/extra.txt").write_bytes(b"slipped in")
    (root / "metadata/descriptive/ead.xml").unlink()
    problems = package.verify(root)
    assert "representations/rep1/data/01.TCCB/vb-2/bc.pdf: SHA-256 does not match METS.xml" in problems
    assert "representations/rep1/data/01.TCCB/vb-2/extra.txt: in the package but not listed in METS.xml" in problems
    assert "metadata/descriptive/ead.xml: listed in METS.xml but missing" in problems


def test_a_bagged_package_validates_with_the_bagit_library(tmp_path):
    top = package.write(tmp_path, "hdnd-2026-002", "Đảng đoàn HĐND Thành phố", dossiers(), bag=True)
    bag = bagit.Bag(str(top))
    bag.validate()  # raises on any fault
    assert bag.info["Source-Organization"] == "Đảng đoàn HĐND Thành phố"
    assert package.verify(top) == []
    (top / "data/hdnd-2026-002/METS.xml").write_text("<broken", encoding="utf-8")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(top)).validate()
    assert any("METS.xml" in p for p in package.verify(top))


def test_a_package_is_never_overwritten(tmp_path):
    package.write(tmp_path, "p", "Đảng đoàn", dossiers())
    with pytest.raises(package.PackageError, match="never overwritten"):
        package.write(tmp_path, "p", "Đảng đoàn", dossiers())
