"""The item's work page (issue 20): header, buttons from the workflow and
hdnd's own actions, steps that commit the office confirmed with a comment
kept in the history, previews rendered on the server (PDF, office files),
only the fields with a value, slips, tasks, related documents, timeline in
office time; "Trả lời" and "Chuyển xử lý" from an incoming document and
their REST twins. Over HTTP, on the test layer's real server."""

from datetime import date
from hdnd.content import searchable
from hdnd.content.clearance import set_clearance
from hdnd.content import previewworker
from hdnd.content.core.pdf import text_pdf
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile

import io
import pytest
import re
import transaction
import zipfile


PASSWORD = "work-pass-2026"
JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
PEOPLE = {"vanthu-w": ("Phan Thị Oanh", "registry-clerks"), "cv-w": ("Bùi Văn Minh", "specialists"),
          "chanh-w": ("Ngô Thị Lan", "office-heads"), "ld-w": ("Nguyễn Văn An", "delegation-leaders"),
          "tv-w": ("Trần Văn Bình", "delegation-members")}
PNG = b"\x89PNG\r\n\x1a\n"
SECRET = "preview-worker-secret"


def odt(text):
    """A minimal OpenDocument text file with one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>'))
        z.writestr("content.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f'<office:body><office:text><text:p>{text}</text:p></office:text></office:body>'
            '</office:document-content>'))
    return buffer.getvalue()


@pytest.fixture
def office(functional_portal, request_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("HDND_PREVIEW_CACHE", str(tmp_path / "previews"))
    monkeypatch.setenv(searchable.SECRET_VARIABLE, SECRET)  # the preview worker's, as hdnd serve sets it
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    for user, (fullname, group) in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD,
                        properties={"fullname": fullname})
        api.group.add_user(groupname=group, username=user)
    directive = api.content.create(
        container=portal["van-ban"], type="OfficialDocument", id="ct-36", direction="incoming",
        title="Chỉ thị về tăng cường công tác kiểm tra, giám sát", symbol="36-CT/TU",
        issuing_body="Thành ủy Hà Nội", issue_date=date(2026, 11, 20), urgency="khan",
        file=NamedBlobFile(text_pdf(["CHỈ THỊ", "trang một"]) , filename="chi-thi-36.pdf",
                           contentType="application/pdf"))
    api.content.create(container=directive, type="File", id="phu-luc", title="Phụ lục",
                       file=NamedBlobFile(odt("Phụ lục kèm theo Chỉ thị"), filename="phu-luc.odt",
                                          contentType="application/vnd.oasis.opendocument.text"))
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in PEOPLE}
    return portal, sessions


def page(session, url, status=200, **params):
    answer = session.get(url, params=params, headers=HTML)
    assert answer.status_code == status, (url, answer.status_code, answer.text[:500])
    return answer.text


def actions(html):
    return re.findall(r'data-action="([^"]+)"', html)


def token(session, url):
    """The token of the page's own forms (the buttons' or the confirmation's)."""
    html = page(session, url)
    html = html.split('id="hdnd-work-actions"')[-1] if "@@hdnd-step" not in url else html.split('id="hdnd-step-form"')[1]
    found = re.search(r'name="_authenticator" value="([^"]+)"', html)
    return found.group(1) if found else None


def test_the_work_page_of_an_incoming_document(office, tmp_path):
    portal, people = office
    url = portal["van-ban"]["ct-36"].absolute_url()
    html = page(people["vanthu-w"], url)
    header = html.split('id="hdnd-work-header"')[1].split("</header>")[0]
    assert "36-CT/TU" in header and "20/11/2026" in header and "Tiếp nhận" in header
    assert "Văn bản đến" in header and "Khẩn" in header
    # The clerk's next step is a button on the page; the member has none.
    assert actions(html)[:3] == ["forward", "reply", "register"] or "register" in actions(html)
    assert "register" not in actions(page(people["tv-w"], url))
    assert "edit" not in actions(page(people["tv-w"], url))
    # Only fields with a value, labelled in Vietnamese, grouped.
    fields = html.split('id="hdnd-work-fields"')[1].split("</section>")[0]
    assert "Cơ quan ban hành" in fields and "Thành ủy Hà Nội" in fields
    assert "Người ký" not in fields and "Nơi nhận" not in fields and "No file" not in html
    # The PDF is previewed at once; the ODT attachment once the preview worker has
    # had LibreOffice convert it (hdnd.content.previews), "being prepared" until then.
    images = re.findall(r'<img[^>]+src="([^"]+hdnd-preview[^"]*)"', html)
    assert len(images) == 1 and "Đang chuẩn bị bản xem trước…" in html, images
    worker = previewworker.Worker(portal.absolute_url(), SECRET, tmp_path / "worker", idle=0)
    try:
        assert worker.once() and worker.done == 1
    finally:
        worker.close()
    html = page(people["vanthu-w"], url)
    images = re.findall(r'<img[^>]+src="([^"]+hdnd-preview[^"]*)"', html)
    assert len(images) == 2 and "Đang chuẩn bị bản xem trước…" not in html, images
    for src in images:
        answer = people["vanthu-w"].get(src.replace("&amp;", "&"))
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "image/png"
        assert answer.content.startswith(PNG) and "private" in answer.headers["Cache-Control"]
    assert people["vanthu-w"].get(f"{url}/@@hdnd-preview", params={"page": "9"}).status_code == 404
    assert people["vanthu-w"].get(f"{url}/@@hdnd-preview", params={"page": "x"}).status_code == 400
    assert people["vanthu-w"].get(f"{url}/@@hdnd-preview", params={"field": "title"}).status_code == 404


def test_a_committing_step_is_confirmed_with_a_comment_in_the_history(office):
    portal, people = office
    draft = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="bc-1",
                               direction="outgoing", title="Báo cáo kết quả thực hiện Chỉ thị 36-CT/TU",
                               document_type="BC")
    api.user.grant_roles(username="cv-w", obj=draft, roles=["Owner"])
    transaction.commit()
    url = draft.absolute_url()
    cv, head = people["cv-w"], people["chanh-w"]
    # Submitting does not commit the office: one click, a POST from the page.
    assert "submit" in actions(page(cv, url))
    answer = cv.post(f"{url}/@@hdnd-step", data={"transition": "submit", "_authenticator": token(cv, url)})
    assert answer.status_code == 200, ([(r.status_code, r.url) for r in answer.history], answer.url, answer.text[-3000:])
    transaction.begin()
    assert api.content.get_state(draft) == "review"
    # Approving does: the button leads to a confirmation page, nothing changes yet.
    html = page(head, url)
    assert "approve" in actions(html) and "approve" not in actions(page(cv, url))
    confirming = f"{url}/@@hdnd-step?transition=approve"
    confirm = page(head, confirming)
    assert 'name="comment"' in confirm and "Duyệt" in confirm and 'name="confirmed"' in confirm
    transaction.begin()
    assert api.content.get_state(draft) == "review"
    # A POST without the page's token is refused; a step not offered to the person is not taken.
    assert head.post(f"{url}/@@hdnd-step", data={"transition": "approve", "confirmed": "1"}).status_code == 403
    own = token(cv, portal["van-ban"]["ct-36"].absolute_url())  # the specialist's token (the reply button's)
    refused = cv.post(f"{url}/@@hdnd-step", data={"transition": "approve", "confirmed": "1", "_authenticator": own},
                      headers=HTML, allow_redirects=False)
    assert refused.status_code == 302 and refused.headers["Location"] == url
    transaction.begin()
    assert api.content.get_state(draft) == "review"
    # A direct POST of a committing step without confirming shows the confirmation page.
    direct = head.post(f"{url}/@@hdnd-step", data={"transition": "approve", "_authenticator": token(head, confirming)})
    assert 'name="confirmed"' in direct.text
    transaction.begin()
    assert api.content.get_state(draft) == "review"
    answer = head.post(f"{url}/@@hdnd-step", data={
        "transition": "approve", "confirmed": "1", "comment": "Đồng ý, chuyển văn thư kiểm tra thể thức.",
        "_authenticator": token(head, confirming)})
    assert answer.status_code == 200, ([(r.status_code, r.url) for r in answer.history], answer.url, re.sub("<[^>]+>", " ", answer.text)[-1500:])
    transaction.begin()
    assert api.content.get_state(draft) == "format_check"
    history = page(head, url).split('id="hdnd-work-history"')[1].split("</section>")[0]
    latest = history.split("<li")[1]
    assert "Duyệt" in latest and "Ngô Thị Lan" in latest and "Đồng ý, chuyển văn thư" in latest
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", latest)
    # The workflow history keeps the comment, with the head as actor.
    entry = draft.workflow_history["hdnd_outgoing_workflow"][-1]
    assert (entry["action"], entry["actor"], entry["comments"]) == (
        "approve", "chanh-w", "Đồng ý, chuyển văn thư kiểm tra thể thức.")


def test_reply_from_an_incoming_document_links_both_ways(office):
    portal, people = office
    incoming = portal["van-ban"]["ct-36"]
    url = incoming.absolute_url()
    cv = people["cv-w"]
    assert "reply" in actions(page(cv, url))
    assert "reply" not in actions(page(people["tv-w"], url))  # a member drafts nothing
    answer = cv.post(f"{url}/@@hdnd-reply", data={"_authenticator": token(cv, url)}, headers=HTML)
    assert answer.status_code == 200 and answer.url != url
    draft_html = answer.text
    assert "V/v trả lời văn bản số 36-CT/TU ngày 20/11/2026 của Thành ủy Hà Nội" in draft_html
    assert "Dự thảo" in draft_html
    related = draft_html.split('id="hdnd-work-related"')[1].split("</section>")[0]
    assert url in related and "36-CT/TU" in related
    transaction.begin()
    replies = incoming.replies()
    assert len(replies) == 1 and replies[0].recipients == ["Thành ủy Hà Nội"]
    assert replies[0].direction == "outgoing" and api.content.get_state(replies[0]) == "draft"
    assert not replies[0].symbol  # a draft has no number
    related = page(cv, url).split('id="hdnd-work-related"')[1].split("</section>")[0]
    assert replies[0].absolute_url() in related

    # The REST twin: the same draft, 201.
    answer = cv.post(f"{url}/@hdnd-reply", headers=JSON)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["title"].startswith("V/v trả lời") and body["in_reply_to"] == url
    assert body["recipients"] == ["Thành ủy Hà Nội"] and body["review_state"] == "draft"
    assert people["tv-w"].post(f"{url}/@hdnd-reply", headers=JSON).status_code == 400
    outgoing = cv.get(body["@id"], headers=JSON).json()
    assert outgoing["in_reply_to"]["@id"] == url


def test_forward_opens_the_processing_slip_and_its_rest_twin(office):
    portal, people = office
    incoming = portal["van-ban"]["ct-36"]
    url = incoming.absolute_url()
    clerk = people["vanthu-w"]
    html = page(clerk, url)
    forward = re.search(r'href="([^"]+)"[^>]*data-action="forward"', html).group(1)
    assert forward == f"{url}/@@hdnd-forward"
    form = page(clerk, forward)
    assert 'value="Phiếu xử lý 36-CT/TU"' in form and "Phòng Tổng hợp" in form  # one page, prefilled
    # A slip without its lead unit is refused on the form, naming the field; nothing is written.
    own = re.search(r'name="_authenticator" value="([^"]+)"', form.split('id="hdnd-forward-form"')[1]).group(1)
    refused = clerk.post(forward, headers=HTML, data={"_authenticator": own, "title": "Phiếu", "lead_unit": ""})
    assert refused.status_code == 200 and "lead_unit" in refused.text and 'id="hdnd-forward-form"' in refused.text
    # REST: a bad field is named and nothing is created.
    for data, field in (({"lead_unit": "khong-co"}, "lead_unit"), ({}, "lead_unit"),
                        ({"lead_unit": "phong-tong-hop", "deadline": "30/11/2026"}, "deadline"),
                        ({"lead_unit": "phong-tong-hop", "colour": "do"}, "colour"),
                        ({"lead_unit": "phong-tong-hop", "cooperating_units": ["phong-tong-hop"]},
                         "cooperating_units")):
        answer = clerk.post(f"{url}/@hdnd-forward", headers=JSON, json=data)
        assert answer.status_code == 400 and field in answer.json()["message"], (data, answer.text)
    transaction.begin()
    assert not [o for o in incoming.objectValues() if o.portal_type == "ProcessingSlip"]
    answer = clerk.post(f"{url}/@hdnd-forward", headers=JSON, json={
        "lead_unit": "phong-tong-hop", "deadline": "2026-11-30", "assignees": ["cv-w"],
        "proposal": "Đề nghị Phòng Tổng hợp tham mưu."})
    assert answer.status_code == 201, answer.text
    assert answer.json()["lead_unit"] == "phong-tong-hop" and answer.json()["deadline"] == "2026-11-30"
    # The page lists the slip with its unit, people and deadline; the button now opens it.
    html = page(clerk, url)
    slips = html.split('id="hdnd-work-slips"')[1].split("</section>")[0]
    assert "Phòng Tổng hợp" in slips and "Bùi Văn Minh" in slips and "30/11/2026" in slips
    forward = re.search(r'href="([^"]+)"[^>]*data-action="forward"', html).group(1)
    assert forward == answer.json()["@id"]
    assert people["tv-w"].post(f"{url}/@hdnd-forward", headers=JSON,
                               json={"lead_unit": "phong-tong-hop"}).status_code == 400


def test_a_hidden_items_page_and_preview_answer_as_missing(office):
    portal, people = office
    set_clearance("cv-w", "none")
    secret = api.content.create(
        container=portal["van-ban"], type="OfficialDocument", id="mat-1", direction="incoming",
        title="Văn bản mật", classification="mat", need_to_know=["ld-w"],
        file=NamedBlobFile(text_pdf(["MẬT"]), filename="mat.pdf", contentType="application/pdf"))
    set_clearance("ld-w", "mat")
    transaction.commit()
    url, base = secret.absolute_url(), portal["van-ban"].absolute_url()
    for suffix in ("", "/view", "/@@hdnd-preview?page=1", "/@@hdnd-step?transition=register", "/@@hdnd-reply",
                   "/@@hdnd-forward"):
        there = people["cv-w"].get(url + suffix, headers=HTML, allow_redirects=False)
        missing = people["cv-w"].get(f"{base}/khong-co{suffix}", headers=HTML, allow_redirects=False)
        assert there.status_code == missing.status_code == 404, (suffix, there.status_code)
        assert "Văn bản mật" not in there.text
    assert people["ld-w"].get(url + "/@@hdnd-preview?page=1").status_code == 200


def test_a_tasks_page_and_its_documents_task_list(office):
    portal, people = office
    directive = portal["van-ban"]["ct-36"]
    task = api.content.create(container=directive, type="Task", id="nv-1", title="Báo cáo kết quả kiểm tra",
                              assignee="cv-w", lead_unit="phong-tong-hop", deadline=date(2026, 12, 15))
    transaction.commit()
    html = page(people["cv-w"], task.absolute_url())
    header = html.split('id="hdnd-work-header"')[1].split("</header>")[0]
    assert "Đã giao" in header and "15/12/2026" in header
    fields = html.split('id="hdnd-work-fields"')[1].split("</section>")[0]
    assert "Bùi Văn Minh" in fields and "Phòng Tổng hợp" in fields
    assert "start" in actions(html) and "start" not in actions(page(people["tv-w"], task.absolute_url()))
    tasks = page(people["cv-w"], directive.absolute_url()).split('id="hdnd-work-tasks"')[1].split("</section>")[0]
    assert "Báo cáo kết quả kiểm tra" in tasks and "Bùi Văn Minh" in tasks and "15/12/2026" in tasks
