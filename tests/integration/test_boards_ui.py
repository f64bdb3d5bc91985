"""The staff's boards over HTTP (Classic UI): a meeting's page (agenda,
attendance, each member's ballot panel, results with a secret ballot's
voters hidden), the directive tracking board with its filters, a
programme's progress and the records manager's desk; their numbers match
the REST figures and tallies, classified items are absent for who may not
see them, and the records desk is refused to a specialist."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from hdnd.content import meetings
from hdnd.content import voting
from hdnd.content.clearance import set_clearance
from hdnd.policy.testing import as_system
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile

import html
import pytest
import pytz
import re
import transaction


PASSWORD = "boards-pass-12"
JSON = {"Accept": "application/json"}
MEMBERS = {"tv-1": "Thành viên Một", "tv-2": "Thành viên Hai", "tv-3": "Thành viên Ba", "tv-4": "Thành viên Bốn"}
STAFF = {"chanh-b": "office-heads", "cv-b": "specialists", "cv-mat": "specialists", "lt-b": "records-managers"}
TODAY = date.today()
YEAR = TODAY.year


def walk(portal, obj, *transitions):
    with as_system(portal):
        for transition in transitions:
            api.content.transition(obj, transition)


def text(page):
    """The page's text with entities resolved (titles are compared as typed)."""
    return html.unescape(page.text)


@pytest.fixture
def office(functional_portal, request_factory):
    portal = functional_portal
    for userid, name in MEMBERS.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD,
                        properties={"fullname": name})
        api.group.add_user(groupname="delegation-members", username=userid)
    for userid, group in STAFF.items():
        api.user.create(email=f"{userid}@example.vn", username=userid, password=PASSWORD,
                        properties={"fullname": userid})
        api.group.add_user(groupname=group, username=userid)
    set_clearance("cv-mat", "mat")
    set_clearance("lt-b", "mat")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    secret = {"classification": "mat", "need_to_know": ["cv-mat", "lt-b", TEST_USER_ID]}

    # Dossiers: one with a paper, for the agenda; one classified.
    dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-ct", title="Hồ sơ Chương trình",
                                 dossier_code="05.CTCT", retention="permanent", start_date=date(YEAR, 1, 5))
    paper = api.content.create(container=dossier, type="OfficialDocument", id="du-thao", direction="internal",
                               title="Dự thảo Chương trình công tác", urgency="khan")
    api.content.create(container=paper, type="File", id="phu-luc", title="Phụ lục kèm theo",
                       file=NamedBlobFile(b"%PDF-1.4 x", filename="phu-luc.pdf", contentType="application/pdf"))

    # A meeting: an agenda item with its dossier, an open and a secret ballot, voted and closed.
    start = pytz.timezone("Asia/Ho_Chi_Minh").localize(datetime(YEAR, 3, 26, 8))
    meeting = api.content.create(container=portal["phien-hop"], type="Meeting", id="dinh-ky", title="Phiên họp thử",
                                 start=start, location="Phòng họp tầng 3", chair="tv-1",
                                 minutes="Có mặt 3/4 đồng chí. BIENBANPHIENHOP.")
    item = api.content.create(container=meeting, type="AgendaItem", id="noi-dung-1", title="Cho ý kiến Chương trình",
                              presenter="Chánh Văn phòng", duration_minutes=45)
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    item.dossiers = [RelationValue(getUtility(IIntIds).getId(dossier))]
    api.content.create(container=meeting, type="AgendaItem", id="noi-dung-mat", title="BIMATNOIDUNG nhân sự", **secret)
    open_ballot = api.content.create(container=item, type="Ballot", id="bq-cong-khai", title="Biểu quyết công khai",
                                     question="Tán thành Chương trình?", ballot_kind="open")
    secret_ballot = api.content.create(container=item, type="Ballot", id="bq-kin", title="Biểu quyết kín",
                                       question="Tán thành nhân sự?", ballot_kind="secret")
    pending = api.content.create(container=meeting, type="Ballot", id="bq-mo", title="Biểu quyết đang mở",
                                 question="Tán thành kết luận?", ballot_kind="open")
    walk(portal, open_ballot, "open")
    walk(portal, secret_ballot, "open")
    walk(portal, pending, "open")
    for member, choice in (("tv-1", "for"), ("tv-2", "for"), ("tv-3", "against")):
        voting.cast(open_ballot, member, choice)
    for member, choice in (("tv-1", "for"), ("tv-2", "against"), ("tv-3", "against")):
        voting.cast(secret_ballot, member, choice)
    voting.cast(pending, "tv-2", "for")
    walk(portal, open_ballot, "close")
    walk(portal, secret_ballot, "close")
    meetings.record_attendance(meeting, ["tv-1", "tv-2", "tv-3"])

    # Directives: one open to the office, one classified.
    directive = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="ct-35",
                                   direction="incoming", symbol="35-CT/TU", title="Chỉ thị về công tác kiểm tra",
                                   urgency="thuong_khan", issue_date=date(YEAR, 1, 10), issuing_body="Thành ủy")
    late = api.content.create(container=directive, type="Task", id="nv-qua-han", title="Nhiệm vụ quá hạn",
                              lead_unit="ban-phap-che", deadline=TODAY - timedelta(days=5))
    running = api.content.create(container=directive, type="Task", id="nv-dang-lam", title="Nhiệm vụ đang làm",
                                 lead_unit="van-phong", deadline=TODAY + timedelta(days=30))
    api.content.create(container=running, type="ProgressReport", id="bc-1", title="Báo cáo 1",
                       report_date=TODAY - timedelta(days=10), percent_done=20)
    api.content.create(container=running, type="ProgressReport", id="bc-2", title="Báo cáo 2",
                       report_date=TODAY - timedelta(days=2), percent_done=65)
    api.content.create(container=directive, type="Task", id="nv-xong", title="Nhiệm vụ đã xong",
                       lead_unit="van-phong", deadline=TODAY - timedelta(days=20), completed_on=TODAY - timedelta(days=25))
    classified = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="ct-mat",
                                    direction="incoming", title="BIMATCHITHI nhân sự", **secret)
    api.content.create(container=classified, type="Task", id="nv", title="BIMATNHIEMVU thực hiện",
                       lead_unit="van-phong", deadline=TODAY + timedelta(days=3))
    late.reindexObject()

    # A work programme: items by month, one done, one classified, one task that arose.
    programme = api.content.create(container=portal["chuong-trinh-cong-tac"], type="WorkProgramme", id="ct-nam",
                                   title=f"Chương trình công tác năm {YEAR}", year=YEAR)
    api.content.create(container=programme, type="ProgrammeItem", id="nd-1", title="Nội dung tháng một",
                       planned_month=1, lead_unit="van-phong", completed_on=date(YEAR, 1, 20))
    api.content.create(container=programme, type="ProgrammeItem", id="nd-2", title="Nội dung tháng một (2)",
                       planned_month=1, lead_unit="ban-phap-che")
    api.content.create(container=programme, type="ProgrammeItem", id="nd-3", title="Nội dung tháng mười hai",
                       planned_month=12, lead_unit="van-phong")
    api.content.create(container=programme, type="ProgrammeItem", id="nd-mat", title="BIMATNOIDUNGCT tháng sáu",
                       planned_month=6, lead_unit="van-phong", **secret)
    api.content.create(container=programme, type="Task", id="phat-sinh", title="Nhiệm vụ phát sinh",
                       lead_unit="van-phong", deadline=date(YEAR, 12, 31))

    # Records: a file plan, a closed dossier due at the archive, a classified one, a transfer, a destruction list.
    plan = api.content.create(container=portal["luu-tru"], type="FilePlan", id="danh-muc", title=f"Danh mục hồ sơ {YEAR}",
                              year=YEAR)
    api.content.create(container=plan, type="FilePlanHeading", title="Hồ sơ Chương trình", dossier_code="05.CTCT",
                       heading="I. Tổng hợp", retention="permanent")
    api.content.create(container=plan, type="FilePlanHeading", title="Hồ sơ thi đua", dossier_code="06.TĐKT",
                       heading="V. Thi đua", retention="10")
    due = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-cu", title="Hồ sơ năm trước",
                             dossier_code="01.TH", retention="20", start_date=date(YEAR - 1, 1, 5))
    hidden = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-mat", title="BIMATHOSO nhân sự",
                                dossier_code="02.TCCB", retention="70", start_date=date(YEAR - 1, 1, 5), **secret)
    for each in (due, hidden):
        walk(portal, each, "start", "submit", "decide", "close")
        each.end_date = date(YEAR - 1, 12, 20)
        each.reindexObject()
    waiting = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-cho", title="Hồ sơ chờ kết thúc",
                                 dossier_code="07.VP", retention="10", start_date=date(YEAR - 1, 2, 1))
    transfer = api.content.create(container=portal["luu-tru"], type="TransferBatch", id="nop-luu",
                                  title="Đợt nộp lưu thử", dossiers=[RelationValue(getUtility(IIntIds).getId(due))])
    api.content.create(container=portal["luu-tru"], type="DestructionList", id="huy", title="Danh mục hủy thử",
                       decision="Quyết định số 9/QĐ-VP")
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in [*MEMBERS, *STAFF]}
    return {"portal": portal, "meeting": meeting, "ballots": (open_ballot, secret_ballot, pending),
            "directive": directive, "programme": programme, "transfer": transfer, "waiting": waiting,
            "sessions": sessions}


def section(page_text, element_id):
    """The HTML of the element with ``element_id`` up to the next element id of its kind."""
    start = page_text.index(f'id="{element_id}"')
    ends = [m.start() for m in re.finditer(r'id="hdnd-(?:ballot-\d+|attendance|minutes)"', page_text[start + 1:])]
    return page_text[start: start + 1 + ends[0]] if ends else page_text[start:]


def test_meeting_page(office):
    sessions, meeting = office["sessions"], office["meeting"]
    open_ballot, secret_ballot, pending = office["ballots"]
    url = meeting.absolute_url()
    page = sessions["tv-2"].get(f"{url}/view")
    assert page.status_code == 200, page.text[:500]
    body = text(page)
    assert 'id="hdnd-agenda"' in text(sessions["tv-2"].get(f"{url}/@@hdnd-meeting"))  # the default view is the board
    # Agenda: the item, presenter, duration, its dossier with its paper and file, with the urgency mark.
    for expected in ("Cho ý kiến Chương trình", "Chánh Văn phòng", "45", "05.CTCT", "Dự thảo Chương trình công tác",
                     "Phụ lục kèm theo", "Phòng họp tầng 3", "Thành viên Một", "BIENBANPHIENHOP"):
        assert expected in body, expected
    assert 'hdnd-mark-urgency hdnd-mark-khan' in body
    assert "BIMATNOIDUNG" not in body  # a classified agenda item: absent
    # Attendance and quorum, as @hdnd-attendance gives them.
    rest = sessions["chanh-b"].get(f"{url}/@hdnd-attendance", headers=JSON).json()
    assert (rest["incumbent"], len(rest["present"]), rest["quorum_met"]) == (4, 3, True)
    attendance = section(body, "hdnd-attendance")
    assert "3/4" in attendance and 'id="hdnd-quorum-met"' in attendance
    assert "Thành viên Bốn" in attendance  # absent
    # Results of the closed ballots are the tallies; the secret one names nobody.
    ballots = re.findall(r'id="(hdnd-ballot-\d+)"', body)
    assert len(ballots) == 3
    blocks = {b: section(body, b) for b in ballots}
    open_block = next(v for v in blocks.values() if "Biểu quyết công khai" in v)
    secret_block = next(v for v in blocks.values() if "Biểu quyết kín" in v)
    pending_block = next(v for v in blocks.values() if "Biểu quyết đang mở" in v)
    for ballot, block in ((open_ballot, open_block), (secret_ballot, secret_block)):
        tally = sessions["chanh-b"].get(f"{ballot.absolute_url()}/@hdnd-tally", headers=JSON).json()
        counts = [int(re.search(rf'class="hdnd-{c}">(\d+)<', block).group(1)) for c in ("for", "against", "other")]
        assert counts == [tally["for"], tally["against"], tally["other"]]
    assert "Thành viên Ba" in open_block and "hdnd-votes" in open_block  # an open ballot: who voted what
    assert not [name for name in MEMBERS.values() if name in secret_block]
    assert "hdnd-votes" not in secret_block
    # The member's own panel: voted on the open ballot still open, with their choice; a link to vote.
    assert "hdnd-my-vote-state" in pending_block and "hdnd-tally" not in pending_block
    assert f'{pending.absolute_url()}/view' in pending_block
    other = text(sessions["tv-3"].get(f"{url}/view"))
    assert "hdnd-tally" in other
    # Who is not a member sees no panel.
    assert "hdnd-my-vote-state" not in text(sessions["chanh-b"].get(f"{url}/view"))


def test_directive_board(office):
    sessions, portal, directive = office["sessions"], office["portal"], office["directive"]
    board = f"{portal.absolute_url()}/@@hdnd-directives"
    page = sessions["chanh-b"].get(board)
    assert page.status_code == 200, page.text[:500]
    body = text(page)
    for expected in ("35-CT/TU", "Nhiệm vụ quá hạn", "Nhiệm vụ đang làm", "Nhiệm vụ đã xong", "65 %"):
        assert expected in body, expected
    assert "20 %" not in body  # the last report's percent, not an earlier one
    assert 'class="hdnd-status-overdue"' in body and "table-danger" in body
    assert "hdnd-mark-urgency hdnd-mark-thuong_khan" in body
    figures = sessions["chanh-b"].get(f"{directive.absolute_url()}/@hdnd-figures", headers=JSON).json()["planned"]
    block = body[body.index("35-CT/TU"):]
    shown = [int(re.search(rf'class="hdnd-{k}[^"]*">(\d+)<', block).group(1)) for k in ("total", "done", "overdue")]
    assert shown == [figures["total"], figures["done"], figures["overdue"]] == [3, 1, 1]
    assert "BIMATCHITHI" not in body and "BIMATNHIEMVU" not in body
    cleared = text(sessions["cv-mat"].get(board))
    assert "BIMATCHITHI" in cleared and "hdnd-mark-classification hdnd-mark-mat" in cleared
    # Filters by status and unit (plain GET parameters).
    overdue = text(sessions["chanh-b"].get(board, params={"status": "overdue"}))
    assert "Nhiệm vụ quá hạn" in overdue and "Nhiệm vụ đang làm" not in overdue
    unit = text(sessions["chanh-b"].get(board, params={"unit": "van-phong"}))
    assert "Nhiệm vụ đang làm" in unit and "Nhiệm vụ quá hạn" not in unit
    assert '<label class="form-label" for="hdnd-filter-unit"' in unit


def test_programme_progress(office):
    sessions, programme = office["sessions"], office["programme"]
    url = programme.absolute_url()
    page = sessions["cv-b"].get(f"{url}/view")
    assert page.status_code == 200, page.text[:500]
    body = text(page)
    assert 'id="hdnd-programme-figures"' in text(sessions["cv-b"].get(f"{url}/@@hdnd-programme"))
    figures = sessions["cv-b"].get(f"{url}/@hdnd-figures", headers=JSON).json()
    assert figures["sentence"] in body
    assert "<svg" in body and "<title" in body and 'id="hdnd-programme-figures"' in body
    # The chart has axes: the twelve months below, counts on the left; its table beside it (issue 20).
    chart = body[body.index('id="hdnd-programme-chart"'):]
    svg = chart[chart.index("<svg"):chart.index("</svg>")]
    assert [f"T{m}" for m in range(1, 13)] == re.findall(r">(T\d+)</text>", svg), svg[:1500]
    assert re.findall(r'text-anchor="end"[^>]*>(\d+)</text>', svg) == ["0", "2", "3"]  # 0, half, top (3 planned)
    chart_and_table = body[body.index('class="hdnd-chart-and-table"'):]
    assert chart_and_table.index("<svg") < chart_and_table.index('id="hdnd-programme-figures"')
    for month, data in figures["by_month"].items():
        row = body[body.index(f'id="hdnd-month-{month}"'):]
        assert int(re.search(r'class="hdnd-planned">(\d+)<', row).group(1)) == data["total"]
        assert int(re.search(r'class="hdnd-done">(\d+)<', row).group(1)) == data["done"]
    assert re.search(r'id="hdnd-planned-total">(\d+)<', body).group(1) == str(figures["planned"]["total"]) == "3"
    for expected in ("Nội dung tháng một", "Nội dung tháng mười hai", "Nhiệm vụ phát sinh"):
        assert expected in body
    assert "BIMATNOIDUNGCT" not in body
    assert "BIMATNOIDUNGCT" in text(sessions["cv-mat"].get(f"{url}/view"))


def test_records_desk(office):
    sessions, portal = office["sessions"], office["portal"]
    desk = f"{portal.absolute_url()}/@@hdnd-records"
    refused = sessions["cv-b"].get(desk, allow_redirects=False)
    assert refused.status_code in (302, 401, 403)
    assert "Hồ sơ năm trước" not in refused.text
    assert sessions["chanh-b"].get(desk, allow_redirects=False).status_code in (302, 401, 403)
    page = sessions["lt-b"].get(desk)
    assert page.status_code == 200, page.text[:500]
    body = text(page)
    plans = section(body, "hdnd-file-plans")
    assert "05.CTCT" in plans and "06.TĐKT" in plans and "Vĩnh viễn" in plans
    closing = body[body.index('id="hdnd-to-close"'):body.index('id="hdnd-to-transfer"')]
    assert "Hồ sơ chờ kết thúc" in closing
    transfer = body[body.index('id="hdnd-to-transfer"'):body.index('id="hdnd-transfer-batches"')]
    contents = sessions["lt-b"].get(f"{portal['ho-so']['hs-cu'].absolute_url()}/@hdnd-contents", headers=JSON).json()
    due = date.fromisoformat(contents["transfer"]["due"])
    assert "Hồ sơ năm trước" in transfer and f"{due:%d/%m/%Y}" in transfer
    assert "Đợt nộp lưu thử" in body and "Danh mục hủy thử" in body and "Quyết định số 9/QĐ-VP" in body
    assert "BIMATHOSO" in body and "hdnd-mark-classification" in body  # cleared and named
    other = sessions["lt-b"]
    set_clearance("lt-b", "none")
    transaction.commit()
    assert "BIMATHOSO" not in text(other.get(desk))


def test_the_demo_year_fills_the_boards(functional_portal, request_factory):
    """The demo office as its people see it: a held meeting with its results,
    the directive 35-CT/TU, the 2026 programme, the records desk."""
    setup = api.portal.get_tool("portal_setup")
    setup.runAllImportStepsFromProfile("profile-hdnd.policy:demo")
    transaction.commit()
    base = functional_portal.absolute_url()

    def get(user, path):
        page = request_factory(basic_auth=(user, "hdnd-demo-2026"), api=False).get(f"{base}/{path}")
        assert page.status_code == 200, (user, path, page.text[:300])
        return text(page)

    held = get("chuyenvien", "phien-hop/chuyen-de-dau-tu-cong/view")
    assert "hdnd-agenda-item" in held and "hdnd-tally" in held and 'id="hdnd-quorum-met"' in held
    board = get("chuyenvien", "@@hdnd-directives")
    assert "35-CT/TU" in board and "hdnd-status-overdue" in board
    progress = get("chuyenvien", "chuong-trinh-cong-tac/chuong-trinh-2026/view")
    assert "<svg" in progress and progress.count("hdnd-month-") == 12
    desk = get("luutru", "@@hdnd-records")
    for expected in ("Danh mục hồ sơ năm 2026", "dh-2025", "Đợt nộp lưu hồ sơ năm 2025", "Hồ sơ thi đua, khen thưởng năm 2014"):
        assert expected in desk, expected
    assert "hs-2026-0117" not in desk  # the Mật dossier: luutru is not cleared
