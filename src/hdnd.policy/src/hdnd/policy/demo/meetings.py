"""Demo meetings of 2026: twelve periodic meetings in the last week of each
month, five thematic meetings, their agendas, ballots and a written
consultation; the past ones held: attendance, minutes, votes counted, and
two of them linked to their issued conclusion notices."""

from datetime import date
from datetime import datetime
from hdnd.content.core.calendar import last_weekday
from hdnd.content import voting
from hdnd.content.meetings import ATTENDANCE_KEY
from hdnd.content.core import officetime
from hdnd.content.meetings import record_attendance
from hdnd.content.types.agenda_item import IAgendaItem
from hdnd.content.types.ballot import IBallot
from hdnd.content.types.meeting import IMeeting
from hdnd.policy.demo.helpers import ensure
from hdnd.policy.demo.helpers import relation
from hdnd.policy.demo.helpers import walk
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.lifecycleevent import modified


YEAR = 2026
TODAY = date(YEAR, 11, 22)
MEMBERS = ["bithu", "phobithu", "thanhvien1", "thanhvien2", "thanhvien3", "thanhvien4", "thanhvien5"]

PERIODIC_AGENDA = {
    1: ["Triển khai Chương trình công tác năm 2026", "Cho ý kiến về công tác cán bộ"],
    2: ["Kế hoạch thực hiện Chỉ thị 35-CT/TU", "Chuẩn bị Kỳ họp chuyên đề HĐND"],
    3: ["Kết quả giám sát quý I", "Cho ý kiến dự thảo Nghị quyết về đầu tư công"],
    4: ["Chuẩn bị Kỳ họp thứ 6", "Công tác tiếp công dân"],
    5: ["Kết quả Kỳ họp thứ 6", "Chương trình giám sát 6 tháng cuối năm"],
    6: ["Sơ kết công tác 6 tháng đầu năm", "Cho ý kiến về nhân sự"],
    7: ["Chuẩn bị Kỳ họp thứ 7", "Kết quả thực hiện Chỉ thị 35-CT/TU"],
    8: ["Kết quả Kỳ họp thứ 7", "Giám sát chuyên đề đầu tư công"],
    9: ["Nội dung Kỳ họp thứ 8", "Kế hoạch tổng kết năm"],
    10: ["Báo cáo đầu tư công 10 tháng", "Cho ý kiến dự thảo Nghị quyết về ngân sách"],
    11: ["Tờ trình nội dung, chương trình Kỳ họp thứ 8", "Công tác cán bộ quý IV"],
    12: ["Tổng kết công tác năm 2026", "Chương trình công tác năm 2027"],
}

THEMATIC = [
    ("chuyen-de-dau-tu-cong", "Phiên họp chuyên đề về đầu tư công trung hạn", date(YEAR, 3, 12)),
    ("chuyen-de-nhan-su", "Phiên họp chuyên đề về công tác cán bộ", date(YEAR, 5, 14)),
    ("chuyen-de-ngan-sach", "Phiên họp chuyên đề về dự toán ngân sách", date(YEAR, 8, 6)),
    ("chuyen-de-chuyen-doi-so", "Phiên họp chuyên đề về chuyển đổi số trong hoạt động HĐND", date(YEAR, 9, 17)),
    ("chuyen-de-ky-hop-8", "Phiên họp chuyên đề chuẩn bị Kỳ họp thứ 8", date(YEAR, 11, 12)),
]


def at(day, hour=8):
    """Office hours in the office's time zone (stored with their offset)."""
    return officetime.localize(datetime(day.year, day.month, day.day, hour, 0))


def ensure_meetings():
    portal = api.portal.get()
    folder = portal["phien-hop"]
    dossiers = portal["ho-so"]
    for month in range(1, 13):
        day = last_weekday(YEAR, month)
        meeting, created = ensure(
            folder, f"dinh-ky-{YEAR}-{month:02d}", "Meeting",
            title=f"Phiên họp định kỳ tháng {month}/{YEAR}", meeting_kind="periodic",
            start=at(day), end=at(day, 11), location="Phòng họp Đảng đoàn, tầng 3",
            chair="bithu", secretary="chanhvanphong", members=MEMBERS,
        )
        if created:
            if day < TODAY:
                walk(meeting, "open", "close", "publish")
            for number, title in enumerate(PERIODIC_AGENDA[month], 1):
                item = api.content.create(
                    container=meeting, type="AgendaItem", id=f"noi-dung-{number}", title=title,
                    presenter="Chánh Văn phòng", duration_minutes=60,
                    dossiers=[relation(dossiers["05-ctct-2026"])] if number == 1 else [],
                )
                if "nhân sự" in title or "cán bộ" in title:
                    api.content.create(
                        container=item, type="Ballot", id="bieu-quyet", title=f"Biểu quyết: {title}",
                        question="Tán thành phương án nhân sự do Văn phòng trình?", ballot_kind="secret",
                        opens=at(day, 10), closes=at(day, 11),
                    )
    for id, title, day in THEMATIC:
        meeting, created = ensure(
            folder, id, "Meeting", title=title, meeting_kind="thematic",
            start=at(day, 14), end=at(day, 17), location="Phòng họp Đảng đoàn, tầng 3",
            chair="bithu", secretary="chanhvanphong", members=MEMBERS,
        )
        if created:
            if day < TODAY:
                walk(meeting, "open", "close", "publish")
            item = api.content.create(
                container=meeting, type="AgendaItem", id="noi-dung-1",
                title=title.replace("Phiên họp chuyên đề về", "Thảo luận và cho ý kiến về"),
                presenter="Chánh Văn phòng", duration_minutes=120,
            )
            api.content.create(
                container=item, type="Ballot", id="bieu-quyet", title="Biểu quyết thông qua kết luận",
                question="Tán thành dự thảo Thông báo kết luận phiên họp?", ballot_kind="open",
                opens=at(day, 16), closes=at(day, 17),
            )
    for meeting in folder.objectValues():
        if IMeeting.providedBy(meeting) and meeting.start.date() < TODAY:
            ensure_proceedings(meeting)
    for month, notice in NOTICES.items():
        meeting = folder[f"dinh-ky-{YEAR}-{month:02d}"]
        if meeting.conclusion_notice is None:
            meeting.conclusion_notice = relation(portal["van-ban"][notice])
            modified(meeting)
    request, created = ensure(
        folder, "xin-y-kien-ke-hoach-giam-sat", "OpinionRequest",
        title="Xin ý kiến các đồng chí Thành viên Đảng đoàn về Kế hoạch giám sát năm 2027",
        question="Đề nghị các đồng chí cho ý kiến về dự thảo Kế hoạch giám sát năm 2027 (gửi kèm).",
        reply_deadline=at(date(YEAR, 11, 28), 17), recipients=MEMBERS,
        dossier=relation(dossiers["03-gs-dau-tu-cong"]),
    )
    if created:
        api.content.create(
            container=request, type="Ballot", id="phieu-bieu-quyet", title="Phiếu biểu quyết",
            question="Đồng ý thông qua Kế hoạch giám sát năm 2027?", ballot_kind="open",
        )


# Periodic meetings whose conclusion notice the demo records issue.
NOTICES = {1: "tb-phien-hop-thang-1", 9: "tb-phien-hop-thang-9"}


def ensure_proceedings(meeting):
    """A held meeting: one member excused in turn, the minutes, and its
    ballots voted by the members present and closed."""
    month = meeting.start.month
    absent = MEMBERS[2 + month % 5]
    present = [m for m in MEMBERS if m != absent]
    if ATTENDANCE_KEY not in IAnnotations(meeting):
        record_attendance(meeting, present)
    if not meeting.minutes:
        items = [i.title for i in meeting.objectValues() if IAgendaItem.providedBy(i)]
        meeting.minutes = "\n".join([
            f"Đồng chí Bí thư Đảng đoàn chủ trì phiên họp; có mặt {len(present)}/{len(MEMBERS)} "
            f"đồng chí Thành viên Đảng đoàn, đồng chí {api.user.get(absent).getProperty('fullname')} vắng có lý do.",
            *[f"Nội dung {n}: {title}. Đảng đoàn thảo luận và thống nhất." for n, title in enumerate(items, 1)],
            "Đồng chí Bí thư kết luận phiên họp; giao Văn phòng dự thảo Thông báo kết luận.",
        ])
    for item in meeting.objectValues():
        for ballot in item.objectValues():
            if IBallot.providedBy(ballot) and api.content.get_state(ballot) == "prepared":
                walk(ballot, "open")
                for n, member in enumerate(present):
                    if n == len(present) - 1 and ballot.ballot_kind == "open":
                        voting.cast(ballot, member, "other", "Đề nghị bổ sung thời hạn thực hiện")
                    else:
                        voting.cast(ballot, member, "against" if n == 3 and ballot.ballot_kind == "secret" else "for")
                walk(ballot, "close", "publish")
