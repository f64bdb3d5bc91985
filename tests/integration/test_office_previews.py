"""Previews of office files made by the preview worker, not in the request
(issue 20, hdnd.content.previews). Over HTTP on the test layer's real
server, with the real worker class driving Debian's LibreOffice:

- filing an office file queues it; the work page (a GET) says the preview
  is being prepared, with the download link, and commits nothing (the
  database's last transaction does not move, its size does not change);
- the worker converts it (real LibreOffice) and sends the PDF back; the
  page then shows its pages as PNG, still committing nothing;
- replacing the file asks for a new preview (the old one is never shown
  for it); editing other fields keeps it;
- a classified document's preview answers as a missing item to whoever
  may not see the document, and is there for the cleared reader;
- only the worker (its secret) takes and answers jobs; the upgrade queues
  the office files filed before."""

from hdnd.content import previews
from hdnd.content import searchable
from hdnd.content.clearance import set_clearance
from hdnd.content.core import preview as core
from hdnd.content import previewworker
from hdnd.policy.testing import DOCX
from hdnd.policy.testing import docx
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import pytest
import re
import time
import transaction


PASSWORD = "preview-pass-2026"
SECRET = "preview-worker-secret-for-the-test"
PNG = b"\x89PNG\r\n\x1a\n"
HTML = {"Accept": "text/html"}
PREPARING = "Đang chuẩn bị bản xem trước…"


@pytest.fixture
def office(functional_portal, request_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("HDND_PREVIEW_CACHE", str(tmp_path / "previews"))
    monkeypatch.setenv(searchable.SECRET_VARIABLE, SECRET)  # as hdnd serve sets it for every process
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    for user, group, clearance in (("vanthu-p", "registry-clerks", "none"), ("cv-p", "specialists", "none"),
                                   ("cleared-p", "specialists", "mat")):
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
        set_clearance(user, clearance)
    document = api.content.create(
        container=portal["van-ban"], type="OfficialDocument", id="to-trinh-7", direction="outgoing",
        title="Tờ trình về chương trình giám sát năm 2027", document_type="TTr",
        file=NamedBlobFile(docx("TỜ TRÌNH", "Về chương trình giám sát năm 2027", pages=2),
                           filename="to-trinh.docx", contentType=DOCX))
    api.content.create(container=document, type="File", id="phu-luc", title="Phụ lục",
                       file=NamedBlobFile(docx("PHỤ LỤC kèm theo Tờ trình"), filename="phu-luc.docx",
                                          contentType=DOCX))
    dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-mat", title="Hồ sơ nhân sự",
                                 classification="mat", need_to_know=["cleared-p"])
    api.content.create(container=dossier, type="OfficialDocument", id="vb-mat", direction="internal",
                       title="Dự kiến nhân sự", file=NamedBlobFile(docx("NHÂN SỰ"), filename="nhan-su.docx",
                                                                   contentType=DOCX))
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in ("vanthu-p", "cv-p", "cleared-p")}
    sessions["admin"] = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    worker = previewworker.Worker(portal.absolute_url(), SECRET, tmp_path / "worker", idle=0)
    yield portal, sessions, worker
    worker.close()  # its LibreOffice


def page(session, url, status=200):
    answer = session.get(url, headers=HTML)
    assert answer.status_code == status, (url, answer.status_code, answer.text[:500])
    return answer.text


def images(html):
    return [src.replace("&amp;", "&") for src in re.findall(r'<img[^>]+src="([^"]+hdnd-preview[^"]*)"', html)]


def database(portal):
    transaction.begin()
    db = portal._p_jar.db()
    return db.lastTransaction(), db.getSize()


def written(portal, since):
    """What was committed after ``since``: (transaction note, classes written), to say what wrote."""
    from ZODB.utils import p64, u64
    import pickle, io as _io
    storage = portal._p_jar.db().storage
    changes = getattr(storage, "changes", storage)
    found = []
    for txn in changes.iterator(p64(u64(since) + 1)):
        classes = []
        for record in txn:
            try:
                classes.append(str(pickle.Unpickler(_io.BytesIO(record.data)).load()))
            except Exception as error:
                classes.append(repr(error)[:60])
        found.append((txn.description, txn.user, classes[:12]))
    return found


def work_all(worker):
    """The worker takes and does every job queued; the seconds of each."""
    seconds = []
    while worker.once():
        seconds.append(worker.seconds)
    return seconds


def test_the_page_says_preparing_then_shows_the_pages_and_no_get_writes(office):
    portal, people, worker = office
    url = portal["van-ban"]["to-trinh-7"].absolute_url()
    clerk = people["vanthu-p"]
    # (Plone writes a person's dashboard portlets at their first request, whatever it asks: before.)
    page(clerk, portal.absolute_url())
    # Filed: queued, not converted. The page answers at once, with the download link.
    before = database(portal)
    started = time.monotonic()
    html = page(clerk, url)
    first_view = time.monotonic() - started
    files = html.split('id="hdnd-work-files"')[1].split("</section>")[0]
    assert files.count(PREPARING) == 2, files  # the document's file and its attachment
    assert f'href="{url}/@@download/file"' in files and "Tải tệp về để đọc ngay." in files
    assert images(html) == []
    assert clerk.get(f"{url}/@@hdnd-preview", params={"field": "file", "page": "1"}).status_code == 404
    page(clerk, url)
    assert database(portal) == before, ("a GET of the work page committed", written(portal, before[0]))
    # Nothing was converted in the request: no PDF made anywhere yet.
    assert not list(worker.folder.glob("**/*.pdf")) and not list((worker.folder.parent / "previews").glob("**/*.pdf"))

    # The worker converts both (real LibreOffice) and sends them back.
    seconds = work_all(worker)
    assert len(seconds) == 3 and worker.failed == 0  # the classified document's too
    before = database(portal)
    started = time.monotonic()
    html = page(clerk, url)
    ready_view = time.monotonic() - started
    assert PREPARING not in html
    shown = images(html)
    assert len(shown) == 3, shown  # two pages of the document, one of the attachment
    for src in shown:
        answer = clerk.get(src)
        assert answer.status_code == 200 and answer.content.startswith(PNG), (src, answer.status_code)
        assert "private" in answer.headers["Cache-Control"]
    assert "(2 <span>trang</span>)" in html.replace("\n", " ").replace("  ", " ") or "2" in html
    assert clerk.get(f"{url}/@@hdnd-preview", params={"field": "file", "page": "3"}).status_code == 404
    assert database(portal) == before, "a GET of the work page or of a preview's page committed"
    # The figures, on a warm server: the first view of another office file's page
    # now, and what the same view paid before (the conversion, in the request).
    transaction.begin()
    data = docx("TỜ TRÌNH", "Về kế hoạch năm 2027", pages=2)
    other = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="to-trinh-8",
                               direction="outgoing", title="Tờ trình về kế hoạch năm 2027", document_type="TTr",
                               file=NamedBlobFile(data, filename="ke-hoach.docx", contentType=DOCX))
    transaction.commit()
    started = time.monotonic()
    assert PREPARING in page(clerk, other.absolute_url())
    first_view = time.monotonic() - started
    started = time.monotonic()
    core.page_count(core.pdf_of(worker.folder / "before", "k", lambda: data, DOCX, "ke-hoach.docx"))
    converting = time.monotonic() - started
    print(f"\nfirst view of an office file's work page: {first_view * 1000:.0f} ms now (preview being prepared), "
          f"{(first_view + converting) * 1000:.0f} ms before (+{converting:.1f} s of LibreOffice in the request); "
          f"{ready_view * 1000:.0f} ms with the preview ready; conversions by the worker: "
          + ", ".join(f"{s:.1f} s" for s in seconds))
    work_all(worker)

    # Editing another field keeps the preview; replacing the file asks for a new one.
    transaction.begin()
    document = portal["van-ban"]["to-trinh-7"]
    document.description = "Đã sửa trích yếu"
    notify(ObjectModifiedEvent(document))
    transaction.commit()
    assert len(images(page(clerk, url))) == 3
    document.file = NamedBlobFile(docx("TỜ TRÌNH (sửa)"), filename="to-trinh.docx", contentType=DOCX)
    notify(ObjectModifiedEvent(document))
    transaction.commit()
    html = page(clerk, url)
    assert html.count(PREPARING) == 1 and len(images(html)) == 1  # the attachment's stays
    assert work_all(worker) and worker.failed == 0
    assert len(images(page(clerk, url))) == 2


def test_a_classified_preview_is_seen_only_with_clearance(office):
    portal, people, worker = office
    work_all(worker)
    url = portal["ho-so"]["hs-mat"]["vb-mat"].absolute_url()
    missing = portal["ho-so"]["hs-mat"].absolute_url() + "/khong-co"
    preview = "/@@hdnd-preview?field=file&page=1"
    answer = people["cleared-p"].get(url + preview)
    assert answer.status_code == 200 and answer.content.startswith(PNG)
    assert images(page(people["cleared-p"], url))
    for who in ("cv-p", "vanthu-p"):
        hidden = people[who].get(url + preview, headers=HTML)
        absent = people[who].get(missing + preview, headers=HTML)
        assert hidden.status_code == absent.status_code == 404, (who, hidden.status_code, absent.status_code)
        assert "NHÂN SỰ" not in hidden.text and "Dự kiến" not in hidden.text
        assert people[who].get(url, headers=HTML).status_code == 404


def test_only_the_worker_takes_jobs_and_a_broken_file_fails_visibly(office):
    portal, people, worker = office
    base = portal.absolute_url()
    admin = people["admin"]
    for headers in ({}, {"X-HDND-Worker": "wrong"}):
        assert admin.post(f"{base}/@hdnd-preview-jobs", json={}, headers=headers).status_code == 403
        assert admin.post(f"{base}/@hdnd-preview-result", json={"uid": "x", "field": "file", "version": "v",
                                                                "error": "e"}, headers=headers).status_code == 403
    own = {"X-HDND-Worker": SECRET, "Accept": "application/json"}
    job = people["cv-p"].post(f"{base}/@hdnd-preview-jobs", json={}, headers=own)
    assert job.status_code == 200 and job.json()["field"] == "file", job.text
    job = job.json()
    answer = admin.post(f"{base}/@hdnd-preview-result", headers=own,
                        json={"uid": job["uid"], "field": "file", "version": job["version"], "pdf": "bm90IGEgcGRm",
                              "pages": 1})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "pdf"
    answer = admin.post(f"{base}/@hdnd-preview-result", headers=own,
                        json={"uid": job["uid"], "field": "file", "version": job["version"]})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "pdf"
    # An answer for another version is not kept.
    answer = admin.post(f"{base}/@hdnd-preview-result", headers=own,
                        json={"uid": job["uid"], "field": "file", "version": "00-00", "error": "x"})
    assert answer.status_code == 200 and answer.json() == {"kept": False}
    # A file LibreOffice cannot read fails after ATTEMPTS tries, and the page offers the download.
    transaction.begin()
    broken = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="hong", direction="internal",
                                title="Tệp hỏng", file=NamedBlobFile(b"PK\x03\x04 not a zip at all" * 50,
                                                                      filename="hong.docx", contentType=DOCX))
    transaction.commit()
    for _round in range(previews.ATTEMPTS + 2):
        work_all(worker)
        transaction.begin()
        for state in (previews._states(broken) or {}).values():
            state["taken"] = 0.0  # the lease of the job taken above by hand has not run out in a test
        transaction.commit()
    html = page(people["vanthu-p"], broken.absolute_url())
    assert PREPARING not in html and "Không xem trước được tệp này" in html
    transaction.begin()
    assert previews._states(broken)["file"]["state"] == "failed"


def test_the_upgrade_queues_the_office_files_filed_before(office):
    portal, people, worker = office
    transaction.begin()
    document = portal["van-ban"]["to-trinh-7"]
    for item in (document, document["phu-luc"]):  # as filed before previews were made by a worker
        for name in (previews.STATE, previews.PDF):
            if name in item.__dict__:
                delattr(item, name)
    queue = getattr(portal, previews.QUEUE)
    for key in list(queue.keys()):
        del queue[key]
    transaction.commit()
    assert page(people["vanthu-p"], document.absolute_url()).count(PREPARING) == 2
    from hdnd.content.upgrades import to_1008

    to_1008(portal.portal_setup)
    transaction.commit()
    # Those two, and the classified document's, pending but lost from the queue here,
    # in the backlog: a file filed now goes first.
    backlog = getattr(portal, previews.BACKLOG)
    assert sorted(k.split("/")[1] for k in backlog.keys()) == ["file", "file", "file"] and not len(queue)
    transaction.begin()
    api.content.create(container=portal["van-ban"], type="OfficialDocument", id="moi", direction="internal",
                       title="Vừa nộp", file=NamedBlobFile(docx("MỚI"), filename="moi.docx", contentType=DOCX))
    transaction.commit()
    first = people["admin"].post(f"{portal.absolute_url()}/@hdnd-preview-jobs", json={},
                                 headers={"X-HDND-Worker": SECRET, "Accept": "application/json"})
    assert first.json()["filename"] == "moi.docx"
    transaction.begin()
    previews._states(portal["van-ban"]["moi"])["file"]["taken"] = 0.0  # given again at once, to the worker below
    transaction.commit()
    assert len(work_all(worker)) == 4
    transaction.begin()
    assert not len(backlog) and not len(queue)
    assert len(images(page(people["vanthu-p"], document.absolute_url()))) == 3
