"""The staff's desk pages over HTTP against the real server: the registry
desk (record and register in one POST, duplicate warning, CSRF), the
classification and urgency marks, the printable registers and the dossier
page, which show a classified document only to those cleared for it."""

from datetime import date
from datetime import timedelta
from hdnd.content.clearance import set_clearance
from plone import api
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

import pytest
import re
import transaction


PASSWORD = "Desk-pass-2026x"
PEOPLE = {"vanthu-d": ("registry-clerks", "none"), "chuyenvien-d": ("specialists", "none"),
          "mat-d": ("specialists", "mat")}
HTML = {"Accept": "text/html"}
SECRET = "BIMATDESK kế hoạch nhân sự"


@pytest.fixture
def office(functional_portal, request_factory):
    for user, (group, clearance) in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
        set_clearance(user, clearance)
    transaction.commit()
    sessions = {}
    for user in PEOPLE:
        sessions[user] = request_factory(basic_auth=(user, PASSWORD), api=False)
        sessions[user].headers.update(HTML)
    return functional_portal, sessions


def token_of(text):
    field = re.search(r'<input[^>]*name="_authenticator"[^>]*>', text).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


FORM = {"symbol": "15-HD/BTCTW", "issuing_body": "Ban Tổ chức Trung ương", "issue_date": "2026-11-20",
        "title": "Hướng dẫn thực hiện quy định về công tác cán bộ", "document_type": "HD",
        "urgency": "khan", "classification": "none", "channel": "party", "page_count": "4",
        "due_date": "", "arrival_date": ""}


def post_desk(session, base, data, with_token=True, file=True):
    page = session.get(f"{base}/@@hdnd-registry-desk")
    assert page.status_code == 200, page.text
    if with_token:
        data = {**data, "_authenticator": token_of(page.text)}
    files = {"file": ("huong-dan.pdf", b"%PDF-1.4 test", "application/pdf")} if file else None
    return session.post(f"{base}/@@hdnd-registry-desk", data=data, files=files)


def incoming(portal):
    transaction.begin()
    return [d for d in portal["van-ban"].objectValues() if d.portal_type == "OfficialDocument"]


def test_the_desk_registers_a_document_with_its_file_in_one_post(office):
    portal, as_ = office
    base = portal.absolute_url()
    page = as_["vanthu-d"].get(f"{base}/@@hdnd-registry-desk").text
    # Every field has its label.
    for name in ("symbol", "issuing_body", "issue_date", "title", "document_type", "urgency",
                 "classification", "channel", "page_count", "due_date", "file"):
        assert f'for="desk-{name}"' in page and f'id="desk-{name}"' in page, name
    response = post_desk(as_["vanthu-d"], base, FORM)
    assert response.status_code == 200
    assert re.search(r'id="hdnd-arrival-number">01<', response.text), response.text
    assert "Số đến" in response.text
    [doc] = incoming(portal)
    assert doc.arrival_number == 1 and doc.arrival_date == date.today()
    assert api.content.get_state(doc) == "registered"
    assert doc.file.filename == "huong-dan.pdf" and doc.file.data == b"%PDF-1.4 test"
    assert doc.issuing_body == "Ban Tổ chức Trung ương" and doc.page_count == 4 and doc.urgency == "khan"
    assert doc.family == "party" and doc.channel == "party"
    # Listed below the form, with its urgency mark.
    listed = response.text.split('id="hdnd-registered-today"')[1]
    assert doc.title in listed and "hdnd-mark-khan" in listed


def test_a_second_registration_is_refused_with_the_first_shown(office):
    portal, as_ = office
    base = portal.absolute_url()
    post_desk(as_["vanthu-d"], base, FORM)
    [first] = incoming(portal)
    response = post_desk(as_["vanthu-d"], base, {**FORM, "title": "Bản sao gửi lại"})
    assert response.status_code == 200
    assert 'id="hdnd-duplicate"' in response.text and first.absolute_url() in response.text
    assert 'id="desk-symbol-error"' in response.text
    assert "hdnd-registry-desk\"" in response.text  # the cancel link
    assert [d.title for d in incoming(portal)] == [first.title]


def test_errors_are_shown_next_to_the_field_and_nothing_is_created(office):
    portal, as_ = office
    base = portal.absolute_url()
    response = post_desk(as_["vanthu-d"], base, {**FORM, "symbol": "15-XYZ/BTCTW", "page_count": "bốn"})
    assert 'id="desk-symbol-error"' in response.text and "XYZ" in response.text
    assert 'id="desk-page_count-error"' in response.text
    # An uncleared clerk cannot record a classified document.
    response = post_desk(as_["vanthu-d"], base, {**FORM, "classification": "mat"})
    assert 'id="desk-classification-error"' in response.text
    assert incoming(portal) == []


def test_a_post_without_its_token_creates_nothing(office):
    portal, as_ = office
    response = post_desk(as_["vanthu-d"], portal.absolute_url(), FORM, with_token=False)
    assert response.status_code == 403
    assert incoming(portal) == []


def test_only_registry_clerks_use_the_desk(office):
    portal, as_ = office
    response = as_["chuyenvien-d"].get(f"{portal.absolute_url()}/@@hdnd-registry-desk", allow_redirects=False)
    assert response.status_code in (302, 401, 403)


@pytest.fixture
def records(office):
    """A classified incoming document (Mật, Hỏa tốc) named for mat-d, and a dossier
    with a document, a slip, tasks (one overdue) that lists the secret one by reference."""
    portal, as_ = office
    today = date.today()
    set_clearance(api.user.get_current().getId(), "tuyet_mat")  # the test user creates it
    with api.env.adopt_roles(["Manager"]):
        secret = api.content.create(
            container=portal["van-ban"], type="OfficialDocument", id="secret", title=SECRET,
            direction="incoming", classification="mat", urgency="hoa_toc", need_to_know=["mat-d"],
            symbol="07-CV/TU", issue_date=today,
        )
        secret.arrival_date = today
        secret.arrival_number = 3
        secret.reindexObject()
        public = api.content.create(
            container=portal["van-ban"], type="OfficialDocument", id="public", title="Công văn CONGKHAI",
            direction="incoming", urgency="thuong_khan", symbol="08-CV/TU", issue_date=today,
        )
        public.arrival_date = today
        public.arrival_number = 4
        public.reindexObject()
        intids = getUtility(IIntIds)
        dossier = api.content.create(
            container=portal["ho-so"], type="Dossier", id="ho-so-1", title="Hồ sơ kỳ họp",
            documents=[RelationValue(intids.getId(secret)), RelationValue(intids.getId(public))],
        )
        inside = api.content.create(container=dossier, type="OfficialDocument", id="to-trinh",
                                    title="Tờ trình BÊNTRONG", direction="internal")
        api.content.create(container=dossier, type="ProcessingSlip", id="phieu", title="Phiếu xử lý PHIEU1",
                           lead_unit="phong-tong-hop", deadline=today + timedelta(days=5))
        api.content.create(container=dossier, type="Task", id="tre", title="Nhiệm vụ QUAHAN",
                           deadline=today - timedelta(days=3))
        api.content.create(container=dossier, type="Task", id="dung-han", title="Nhiệm vụ DANGLAM",
                           deadline=today + timedelta(days=30))
        meeting = api.content.create(container=portal["phien-hop"], type="Meeting", id="hop",
                                     title="Phiên họp HOPTHANG", start=__import__("datetime").datetime.now())
        api.content.create(container=meeting, type="AgendaItem", id="muc", title="Nội dung MUCHOP",
                           dossiers=[RelationValue(intids.getId(dossier))])
    transaction.commit()
    return portal, as_, secret, dossier, inside


def test_marks_of_a_classified_document_for_a_cleared_user(records):
    portal, as_, secret, _dossier, _inside = records
    page = as_["mat-d"].get(secret.absolute_url())
    assert page.status_code == 200
    assert SECRET in page.text
    assert 'hdnd-mark-mat' in page.text and "Mật" in page.text
    assert 'hdnd-mark-hoa_toc' in page.text and "Hỏa tốc" in page.text
    assert "++resource++hdnd-desk.css" in page.text


def test_the_register_shows_a_classified_document_only_to_the_cleared(records):
    portal, as_, secret, _dossier, _inside = records
    url = f"{portal.absolute_url()}/van-ban/@@hdnd-register-print?register=incoming&year={date.today().year}"
    cleared = as_["mat-d"].get(url).text
    assert SECRET in cleared and "Công văn CONGKHAI" in cleared
    assert cleared.index("07-CV/TU") < cleared.index("08-CV/TU")  # by number
    assert "hdnd-mark-mat" in cleared
    plain = as_["chuyenvien-d"].get(url)
    assert plain.status_code == 200
    assert "Công văn CONGKHAI" in plain.text and "hdnd-mark-thuong_khan" in plain.text
    assert "BIMATDESK" not in plain.text and "07-CV/TU" not in plain.text
    outgoing = as_["chuyenvien-d"].get(url.replace("incoming", "outgoing")).text
    assert 'id="hdnd-register-outgoing"' in outgoing or "hdnd-register-incoming" not in outgoing


def test_the_dossier_page_lists_its_work(records):
    portal, as_, secret, dossier, inside = records
    cleared = as_["mat-d"].get(dossier.absolute_url()).text  # the default view
    for text in ("Tờ trình BÊNTRONG", "Công văn CONGKHAI", SECRET, "Phiếu xử lý PHIEU1", "Nhiệm vụ QUAHAN",
                 "Nhiệm vụ DANGLAM", "Phiên họp HOPTHANG", "Nội dung MUCHOP"):
        assert text in cleared, text
    documents = cleared.split('id="hdnd-dossier-documents"')[1].split("</section>")[0].split("<tr")
    assert "hdnd-mark-mat" in [row for row in documents if "BIMATDESK" in row][0]
    assert "Tiếp nhận" in [row for row in documents if "CONGKHAI" in row][0]  # its state, by its own workflow
    filed_by_reference = [row for row in documents if "hdnd-by-reference" in row]
    assert len(filed_by_reference) == 2 and not any("BÊNTRONG" in row for row in filed_by_reference)
    tasks = cleared.split('id="hdnd-dossier-tasks"')[1].split("</section>")[0]
    overdue_row = [row for row in tasks.split("<tr") if "QUAHAN" in row][0]
    assert "hdnd-overdue" in overdue_row
    assert "hdnd-overdue" not in [row for row in tasks.split("<tr") if "DANGLAM" in row][0]
    assert 'id="hdnd-dossier-timeline"' in cleared
    plain = as_["chuyenvien-d"].get(dossier.absolute_url())
    assert plain.status_code == 200
    assert "Công văn CONGKHAI" in plain.text and "Nhiệm vụ QUAHAN" in plain.text
    assert "BIMATDESK" not in plain.text and "07-CV/TU" not in plain.text


def test_upgrade_1004_makes_the_dossier_page_the_default_view(portal):
    setup = api.portal.get_tool("portal_setup")
    fti = api.portal.get_tool("portal_types")["Dossier"]
    fti.default_view, fti.view_methods = "view", ("view",)
    setup.setLastVersionForProfile("hdnd.content:default", "1003")
    setup.upgradeProfile("hdnd.content:default", "1004")
    assert setup.getLastVersionForProfile("hdnd.content:default") == ("1004",)
    assert fti.default_view == "hdnd-dossier-view" and "hdnd-dossier-view" in fti.view_methods


def test_each_desk_is_in_the_menu_of_those_who_use_it(functional_portal, request_factory):
    """The site's tabs: the registry desk for clerks, the records desk for
    records managers, directives for everyone signed in."""
    password = "Mat-khau-dung-2026"
    for user, group in (("vanthu-n", "registry-clerks"), ("luutru-n", "records-managers"),
                        ("chuyenvien-n", "specialists")):
        api.user.create(email=f"{user}@example.vn", username=user, password=password)
        api.group.add_user(groupname=group, username=user)
    transaction.commit()
    base = functional_portal.absolute_url()

    def page_of(user):
        browser = request_factory(api=False)
        browser.post(f"{base}/login", data={"__ac_name": user, "__ac_password": password,
                                            "buttons.login": "Đăng nhập", "came_from": ""})
        page = browser.get(f"{base}/ho-so", headers={"Accept": "text/html"})
        assert page.status_code == 200
        return page.text

    def tabs(user):
        text = page_of(user)
        return {tab for tab in ("@@hdnd-registry-desk", "@@hdnd-directives", "@@hdnd-records") if tab in text}

    assert tabs("vanthu-n") == {"@@hdnd-registry-desk", "@@hdnd-directives"}
    assert "Bàn văn thư" in page_of("vanthu-n")  # the tab in Vietnamese
    assert tabs("luutru-n") == {"@@hdnd-records", "@@hdnd-directives"}
    assert tabs("chuyenvien-n") == {"@@hdnd-directives"}


def test_plone_folder_listings_show_the_marks_and_hide_what_is_classified(functional_portal, request_factory):
    password = "Mat-khau-dung-2026"
    for user, clearance in (("vanthu-l", "mat"), ("chuyenvien-l", None)):
        api.user.create(email=f"{user}@example.vn", username=user, password=password)
        api.group.add_user(groupname="registry-clerks" if clearance else "specialists", username=user)
        if clearance:
            set_clearance(user, clearance)
    transaction.commit()
    base = functional_portal.absolute_url()
    clerk = request_factory(basic_auth=("vanthu-l", password), api=False)
    for title, extra in (("Điện hỏa tốc về phòng chống bão", {"urgency": "hoa_toc", "symbol": "01-CĐ/TU"}),
                         ("Công văn mật về nhân sự", {"classification": "mat", "symbol": "12-CV/TU"})):
        made = clerk.post(f"{base}/van-ban", headers={"Accept": "application/json"}, json={
            "@type": "OfficialDocument", "direction": "incoming", "title": title, "issue_date": "2026-11-20",
            "channel": "party", **extra})
        assert made.status_code == 201, made.text
    listing = clerk.get(f"{base}/van-ban", headers={"Accept": "text/html"}).text
    row = listing.split("Điện hỏa tốc về phòng chống bão")[1].split("</article>")[0]
    assert "hdnd-mark-hoa_toc" in row and "Hỏa tốc" in row
    row = listing.split("Công văn mật về nhân sự")[1].split("</article>")[0]
    assert "hdnd-mark-mat" in row
    specialist = request_factory(basic_auth=("chuyenvien-l", password), api=False)
    listing = specialist.get(f"{base}/van-ban", headers={"Accept": "text/html"}).text
    assert "Điện hỏa tốc về phòng chống bão" in listing and "Công văn mật về nhân sự" not in listing


# --- No existence oracle (issue 18, item 4) ----------------------------------


def test_registered_answers_alike_for_a_hidden_and_a_missing_uid(records):
    """``?registered=<uid>`` of a document the clerk may not see answers
    exactly as a uid that does not exist: no redirect to the login form."""
    from uuid import uuid4

    portal, as_, secret, _dossier, _inside = records
    base = f"{portal.absolute_url()}/@@hdnd-registry-desk"
    answers = {}
    for name, uid in (("hidden", secret.UID()), ("missing", uuid4().hex)):
        answer = as_["vanthu-d"].get(base, params={"registered": uid}, allow_redirects=False)
        # The same page but for the form's tokens (plone.protect's, per request).
        page = re.sub(r'(value|data-token)="[^"]*"', "", answer.text.replace(uid, "UID"))
        answers[name] = (answer.status_code, page)
    assert answers["hidden"][0] == answers["missing"][0] == 200
    assert answers["hidden"] == answers["missing"]
    assert "BIMATDESK" not in answers["hidden"][1] and 'id="hdnd-registered"' not in answers["hidden"][1]


def test_the_printed_incoming_register_has_no_gap_for_a_secret_arrival(office):
    """Registered in turn: ordinary, secret, ordinary. The ordinary register
    an uncleared specialist prints runs 01, 02; the secret document is 01 of
    the register for secret documents, shown to the one named for it."""
    from hdnd.content import numbers

    portal, as_ = office
    set_clearance(api.user.get_current().getId(), "tuyet_mat")  # the test user creates it
    with api.env.adopt_roles(["Manager"]):
        made = []
        for n, (title, level) in enumerate((("Công văn MOTDESK", "none"), (SECRET, "mat"), ("Công văn HAIDESK", "none"))):
            doc = api.content.create(container=portal["van-ban"], type="OfficialDocument", id=f"den-{n}", title=title,
                                     direction="incoming", classification=level,
                                     need_to_know=["mat-d"] if level != "none" else [])
            numbers.take_arrival_number(doc, date.today())
            made.append(doc)
    transaction.commit()
    assert [d.arrival_number for d in made] == [1, 1, 2]
    url = f"{portal.absolute_url()}/van-ban/@@hdnd-register-print"
    year = date.today().year
    plain = as_["chuyenvien-d"].get(url, params={"register": "incoming", "year": year}).text
    numbers_shown = re.findall(r"<tr>\s*<td>(\d+)</td>", plain)
    assert numbers_shown == ["01", "02"] and "BIMATDESK" not in plain
    assert as_["mat-d"].get(url, params={"register": "incoming", "year": year}).text.count("BIMATDESK") == 0
    secret_register = as_["mat-d"].get(url, params={"register": "incoming-secret", "year": year}).text
    assert "BIMATDESK" in secret_register and re.findall(r"<tr>\s*<td>(\d+)</td>", secret_register) == ["01"]
    nothing = as_["chuyenvien-d"].get(url, params={"register": "incoming-secret", "year": year})
    assert nothing.status_code == 200 and "BIMATDESK" not in nothing.text
    # The desk's list of today tells the two series apart.
    desk = as_["vanthu-d"].get(f"{portal.absolute_url()}/@@hdnd-registry-desk").text
    assert "BIMATDESK" not in desk and "hdnd-secret-register" not in desk.split('id="hdnd-registered-today"')[1]
