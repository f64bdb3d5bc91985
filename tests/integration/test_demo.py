from datetime import date
"""The demo data makes a living office, and loading it twice changes nothing."""

from plone import api

import collections


def load_demo(portal):
    setup = api.portal.get_tool("portal_setup")
    setup.runAllImportStepsFromProfile("profile-hdnd.policy:demo")


def counts():
    catalog = api.portal.get_tool("portal_catalog")
    everything = catalog.unrestrictedSearchResults(path="/".join(api.portal.get().getPhysicalPath()))
    return collections.Counter(b.portal_type for b in everything)


def test_demo_office(portal):
    load_demo(portal)
    found = counts()
    assert found["Meeting"] == 17, found  # 12 periodic + 5 thematic
    assert found["OfficialDocument"] == 18  # with a letter received by edXML and one by REST
    assert found["Dossier"] == 7  # and one destroyed, of which a tombstone is left
    assert found["FilePlanHeading"] == 7
    assert found["ProgrammeItem"] == 24
    catalog = api.portal.get_tool("portal_catalog")
    periodic = catalog.unrestrictedSearchResults(portal_type="Meeting", meeting_kind="periodic")
    assert len(periodic) == 12
    # Every periodic meeting is in the last week of its month.
    for brain in periodic:
        start = brain._unrestrictedGetObject().start
        assert start.day >= 22
    issued = catalog.unrestrictedSearchResults(portal_type="OfficialDocument", direction="outgoing", sort_on="issue_date")
    assert [b.symbol for b in issued][:2] == ["01-CTr/ĐĐHĐND", "01-TB/ĐĐHĐND"]
    directive = portal["van-ban"]["ct-35-tu"]
    statuses = {t.getId(): t.status for t in directive.objectValues() if t.portal_type == "Task"}
    assert statuses["xay-dung-ke-hoach"] == "done_on_time"
    assert statuses["kiem-tra-quy-1"] == "done_late"
    # Records: an approved file plan, a dossier due at the archive, a tombstone.
    from hdnd.content.archive import tombstones
    from hdnd.content.archive import transfer_status

    assert api.content.get_state(portal["luu-tru"]["danh-muc-2026"]) == "approved"
    assert [t["dossier_code"] for t in tombstones()] == ["06.TĐKT"]
    assert transfer_status(portal["ho-so"]["dh-2025"], date(2026, 11, 22))["warning"] == "soon"
    # Extensions: one approved (the deadline moved), one waiting.
    from hdnd.content.extensions import requests_of

    assert directive["giam-sat-dau-tu-cong"].deadline == date(2027, 1, 15)
    assert [r["state"] for r in requests_of(directive["so-ket-chi-thi"])] == ["pending"]
    assert portal["van-ban"]["qd-3003-tu"].replacing_documents() == [portal["van-ban"]["qd-5858-tu"]]
    assert len(api.user.get_users(groupname="delegation-members")) == 7
    # The procedure has run: documents are in their states.
    state = api.content.get_state
    assert state(directive) == "in_progress"
    assert state(portal["van-ban"]["kl-46-tw"]) == "filed"
    assert state(portal["van-ban"]["tb-phien-hop-thang-1"]) == "issued"
    assert state(portal["van-ban"]["ttr-ky-hop-8"]) == "awaiting_signature"
    assert portal["van-ban"]["ttr-ky-hop-8"].symbol is None
    assert state(portal["phien-hop"]["dinh-ky-2026-01"]) == "published"
    assert state(portal["phien-hop"]["dinh-ky-2026-12"]) == "prepared"
    # Past meetings were held: attendance, minutes, votes counted, notices linked.
    from hdnd.content.meetings import attendance
    from hdnd.content.voting import tally

    june = portal["phien-hop"]["dinh-ky-2026-06"]
    assert attendance(june)["quorum_met"] and len(attendance(june)["present"]) == 6
    assert "Đồng chí Bí thư kết luận phiên họp" in june.minutes
    result = tally(june["noi-dung-2"]["bieu-quyet"])  # "Cho ý kiến về nhân sự": secret
    assert (result["for"], result["against"], result["passed"]) == (5, 1, True)
    assert state(june["noi-dung-2"]["bieu-quyet"]) == "published"
    assert not attendance(portal["phien-hop"]["dinh-ky-2026-12"])["present"]  # still ahead
    january = portal["phien-hop"]["dinh-ky-2026-01"]
    assert january.conclusion_notice.to_object == portal["van-ban"]["tb-phien-hop-thang-1"]
    # The classified dossier is for the cleared people it names only.
    secret = portal["ho-so"]["hs-2026-0117"]
    for username, sees in [("thanhvien1", True), ("chanhvanphong", True), ("chuyenvien", False),
                           ("luutru", False), ("baomat", False)]:
        with api.env.adopt_user(username=username):
            assert api.user.has_permission("View", obj=secret) is sees, username
            assert api.user.has_permission("View", obj=secret["vb-2026-0118"]) is sees, username


def test_demo_exchange(portal):
    from hdnd.content import exchange
    from hdnd.content import outbox

    load_demo(portal)
    documents = portal["van-ban"]
    assert api.portal.get_registry_record("hdnd.organisation.organ_id") == "000.00.31.H29"
    sent = outbox.delivery(documents["tb-phien-hop-thang-1"])
    assert sent[0]["name"] == "Văn phòng Thành ủy"
    assert [s["code"] for s in sent[0]["status"]] == ["01", "03", "04", "06"]
    # Every status in the office's time, +07:00 (a pytz zone put in with
    # replace gave +07:07, so one status was stored twice).
    times = [s["time"] for s in sent[0]["status"]]
    assert times and all(str(t).endswith("+07:00") for t in times), times
    assert [m["business"] for m in outbox.messages("vp-thanhuy")["items"]] == ["new", "new"]
    letter = [d for d in documents.objectValues() if getattr(d, "edxml_document_id", None)]
    assert [d.symbol for d in letter] == ["598/UBND-KT"] and letter[0].file.filename == "598-ubnd-kt.pdf"
    recalled = exchange.sent_status("ubnd-thanhpho", "000.00.00.H29,2026/11/19,611/UBND-TH")
    assert recalled["recall_requested"] and [s["code"] for s in recalled["status"]] == ["01", "13"]


def test_demo_signatures(portal, tmp_path):
    from hdnd.content import signing
    from hdnd.policy.demo.signatures import ensure_keys

    load_demo(portal)
    ensure_keys(tmp_path / "keys")
    ensure_keys(tmp_path / "keys")  # again: nothing new
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [
        "bi-thu.p12", "co-quan.p12", "demo-ca.pem", "thanh-uy.p12"]
    documents = portal["van-ban"]
    [check] = getattr(documents["tb-145-tu"], signing.CHECKS)
    assert (check["signer"], check["verdict"]) == ("Thành ủy", "ok")
    # The tờ trình awaiting signature is signed by the leader's demo key when signed.
    waiting = documents["ttr-ky-hop-8"]
    with api.env.adopt_user(username="bithu"):
        api.portal.get_tool("portal_workflow").doActionFor(waiting, "sign")
    assert [c["signer"] for c in signing.live(waiting)["signed_file"]] == ["Nguyễn Văn An"]


def test_demo_twice_changes_nothing(portal):
    load_demo(portal)
    first = counts()
    load_demo(portal)
    assert counts() == first


def test_every_demo_pdf_is_a_pdf_the_ocr_reads(portal):
    """Every PDF the demo files is a real one, so the searchable copy the OCR
    worker makes of it succeeds. The letter received by edXML carried the
    bytes "%PDF-1.4 / % 598/UBND-KT" and nothing else: ocrmypdf refused it
    (InputFileError) three times and the queue showed it failed."""
    import subprocess

    from hdnd.content.core import ocr

    load_demo(portal)
    catalog = api.portal.get_tool("portal_catalog")
    pdfs = {}
    for brain in catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath())):
        obj = brain._unrestrictedGetObject()
        blob = getattr(obj, "file", None)
        if blob is not None and getattr(blob, "contentType", "") == "application/pdf":
            pdfs[blob.filename] = blob.data
    assert "598-ubnd-kt.pdf" in pdfs, sorted(pdfs)
    for name, data in pdfs.items():
        read = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True)
        assert read.returncode == 0, (name, read.stderr[-300:])
    searchable, text = ocr.searchable_pdf(pdfs["598-ubnd-kt.pdf"])
    assert searchable.startswith(b"%PDF") and "598/UBND-KT" in text, text[:500]
