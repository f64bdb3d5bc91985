"""Time to close and to package a dossier of 10,000 documents (each with a
small PDF original), next to creating them; HDND_BENCH_DOCS changes the
number. The package is written to a temporary folder and verified (hdnd's
checks: files and SHA-256, BagIt, METS and EAD schemas, CSIP rules), then by
the E-ARK reference validator when its venv is there (make validators).
A second run does the packaging alone, in plain Python, without the site."""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.users import UnrestrictedUser
from datetime import date
from hdnd.content import archive
from hdnd.content.core import package
from plone import api
from plone.namedfile.file import NamedBlobFile

import os
import tempfile
import time
import transaction


DOCS = int(os.environ.get("HDND_BENCH_DOCS", "10000"))


def test_close_and_package_a_large_dossier(functional_portal):
    portal = functional_portal
    newSecurityManager(None, UnrestrictedUser("bench", "", ["Manager"], []).__of__(portal.acl_users))
    dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-lon", title="Hồ sơ lớn",
                                 dossier_code="99.BENCH", retention="10", start_date=date(2026, 1, 1))
    started = time.perf_counter()
    for n in range(1, DOCS + 1):
        api.content.create(container=dossier, type="OfficialDocument", id=f"vb-{n}", direction="incoming",
                           title=f"Văn bản số {n}", symbol=f"{n}-CV/TU", issue_date=date(2026, 1 + n % 12, 1 + n % 28),
                           issuing_body="Thành ủy", page_count=2,
                           file=NamedBlobFile(b"%PDF-1.4 " + str(n).encode(), filename=f"vb-{n}.pdf",
                                              contentType="application/pdf"))
        if n % 1000 == 0:
            transaction.commit()
    transaction.commit()
    created = time.perf_counter() - started
    for transition in ("start", "submit", "decide"):
        api.content.transition(dossier, transition)
    transaction.commit()

    started = time.perf_counter()
    api.content.transition(dossier, "close")
    transaction.commit()
    closed = time.perf_counter() - started

    started = time.perf_counter()
    contents = archive.table_of_contents(dossier)
    listed = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = archive.package_dossiers([dossier], folder, "bench", bag=True)
        packaged = time.perf_counter() - started
        started = time.perf_counter()
        problems = package.verify(path)
        verified = time.perf_counter() - started
        validated = validate(path)
    assert contents["documents"] == DOCS and problems == []
    print()
    print(f"a dossier of {DOCS} documents, this machine:")
    print(f"  created one by one (api)          {created:8.1f} s  ({DOCS / created:.0f} documents/s)")
    print(f"  closed (checks of open work)      {closed:8.2f} s")
    print(f"  table of contents                 {listed:8.2f} s")
    print(f"  transfer package with BagIt       {packaged:8.2f} s")
    print(f"  package verified                  {verified:8.2f} s")
    print(f"  E-ARK reference validator         {validated}")


def validate(path):
    """eark-validator's time on the package (its errors must be only SIP14), or why not."""
    python = package.validators_python()
    if python is None:
        return "     not run (make validators)"
    inner = next(p for p in (path / "data").iterdir() if p.is_dir()) if (path / "bagit.txt").exists() else path
    started = time.perf_counter()
    findings = package.eark(inner, python)
    took = time.perf_counter() - started
    assert {f["rule"] for f in findings if f["level"] == "ERROR"} <= set(package.VALIDATOR_DEFECTS), findings
    return f"{took:8.2f} s"


def test_package_and_validate_a_large_dossier_without_the_site():
    """The package of a dossier of DOCS documents (a PDF each, every tenth
    with a PDF copy of a .docx), written by core/package.py alone."""
    from datetime import datetime

    moment = datetime(2026, 11, 27, 9, 30)
    documents = []
    for n in range(1, DOCS + 1):
        files = [package.PackageFile(f"vb-{n}.pdf", b"%PDF-1.4 " + str(n).encode(), "application/pdf", moment)]
        copies = []
        if n % 10 == 0:
            files.append(package.PackageFile(f"vb-{n}.docx", b"PK docx " + str(n).encode(),
                                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                             moment))
            copies.append(package.PackageFile(f"vb-{n}.pdf", b"%PDF copy " + str(n).encode(), "application/pdf",
                                              moment, derived_from=f"vb-{n}.docx"))
        documents.append(package.Document(f"vb-{n}", f"Văn bản số {n}", symbol=f"{n}-CV/TU", date="2026-03-02",
                                          issuer="Thành ủy", pages=2, files=files, copies=copies))
    dossier = package.Dossier("hs-lon", "99.BENCH", "Hồ sơ lớn", "2026-01-01", "2026-12-31", "10 năm", documents)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = package.write(folder, "bench", "Đảng đoàn HĐND Thành phố", [dossier], bag=True)
        packaged = time.perf_counter() - started
        started = time.perf_counter()
        problems = package.verify(path)
        verified = time.perf_counter() - started
        validated = validate(path)
    assert problems == []
    print()
    print(f"the package of a dossier of {DOCS} documents (plain Python, no site), this machine:")
    print(f"  written with BagIt                {packaged:8.2f} s")
    print(f"  verified by hdnd                  {verified:8.2f} s")
    print(f"  E-ARK reference validator         {validated}")
