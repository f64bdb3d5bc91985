"""Demo dossiers and documents: directives from the Central and City
Committees, the delegation's own issued documents with their numbers,
processing slips, and tasks with progress reports."""

from datetime import date
from hdnd.policy.demo.helpers import ensure
from hdnd.policy.demo.helpers import relation
from hdnd.policy.demo.helpers import walk
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent


DOSSIERS = [
    ("01-th-ky-hop", "Hồ sơ chuẩn bị Kỳ họp thứ 8 HĐND Thành phố", "01.TH", "permanent", date(2026, 9, 1)),
    ("02-tccb-nhan-su", "Hồ sơ cho ý kiến về công tác cán bộ năm 2026", "02.TCCB", "70", date(2026, 1, 5)),
    ("03-gs-dau-tu-cong", "Hồ sơ lãnh đạo giám sát chuyên đề đầu tư công", "03.GS", "20", date(2026, 3, 2)),
    ("04-ct-kiem-tra", "Hồ sơ thực hiện Chỉ thị 35-CT/TU về công tác kiểm tra", "04.CĐ", "20", date(2026, 2, 10)),
    ("05-ctct-2026", "Hồ sơ Chương trình công tác năm 2026", "05.CTCT", "permanent", date(2026, 1, 2)),
]

# (id, symbol, issuing body, issue date, arrival date, subject, urgency, channel, dossier id)
INCOMING = [
    ("kl-46-tw", "46-KL/TW", "Ban Chấp hành Trung ương", date(2026, 1, 9), date(2026, 1, 13),
     "Kết luận của Bộ Chính trị về tiếp tục đổi mới nội dung, phương thức lãnh đạo của Đảng đối với HĐND",
     "normal", "party", "04-ct-kiem-tra"),
    ("hd-12-btctw", "12-HD/BTCTW", "Ban Tổ chức Trung ương", date(2026, 1, 20), date(2026, 1, 22),
     "Hướng dẫn thực hiện quy định về công tác cán bộ của đảng đoàn, ban cán sự đảng",
     "normal", "party", "02-tccb-nhan-su"),
    ("qd-3003-tu", "3003-QĐ/TU", "Thành ủy", date(2021, 4, 5), date(2021, 4, 7),
     "Quyết định ban hành Quy chế làm việc của Đảng đoàn HĐND Thành phố (nhiệm kỳ trước)",
     "normal", "paper", None),
    ("qd-5858-tu", "5858-QĐ/TU", "Thành ủy", date(2026, 2, 3), date(2026, 2, 4),
     "Quyết định ban hành Quy chế làm việc của Đảng đoàn HĐND Thành phố nhiệm kỳ 2025-2030",
     "khan", "party", None),
    ("ct-35-tu", "35-CT/TU", "Thành ủy", date(2026, 2, 6), date(2026, 2, 9),
     "Chỉ thị về tăng cường công tác kiểm tra, giám sát và kỷ luật của Đảng",
     "khan", "party", "04-ct-kiem-tra"),
    ("ctr-01-hdnd", "01/CTr-HĐND", "HĐND Thành phố", date(2026, 1, 6), date(2026, 1, 6),
     "Chương trình giám sát năm 2026 của HĐND Thành phố",
     "normal", "state", "03-gs-dau-tu-cong"),
    ("nq-23-2024", "23/2024/NQ-HĐND", "HĐND Thành phố", date(2024, 12, 10), date(2024, 12, 12),
     "Nghị quyết quy định một số chính sách đặc thù trong đầu tư công",
     "normal", "state", "03-gs-dau-tu-cong"),
    ("ubnd-vx-412", "412/UBND-VX", "UBND Thành phố", date(2026, 10, 28), date(2026, 10, 29),
     "Báo cáo tình hình thực hiện kế hoạch đầu tư công 10 tháng năm 2026",
     "thuong_khan", "state", "03-gs-dau-tu-cong"),
    ("tb-145-tu", "145-TB/TU", "Thành ủy", date(2026, 11, 16), date(2026, 11, 17),
     "Thông báo kết luận của Ban Thường vụ Thành ủy về chuẩn bị Kỳ họp thứ 8 HĐND Thành phố",
     "hoa_toc", "party", "01-th-ky-hop"),
]

TODAY = date(2026, 11, 22)

# (id, document type, issue date, subject, signer, dossier id)
OUTGOING = [
    ("tb-phien-hop-thang-1", "TB", date(2026, 1, 30), "Thông báo kết luận phiên họp định kỳ tháng 1/2026", "bithu", "05-ctct-2026"),
    ("ctr-cong-tac-2026", "CTr", date(2026, 1, 12), "Chương trình công tác năm 2026 của Đảng đoàn HĐND Thành phố", "bithu", "05-ctct-2026"),
    ("kh-thuc-hien-ct-35", "KH", date(2026, 2, 20), "Kế hoạch thực hiện Chỉ thị 35-CT/TU của Ban Thường vụ Thành ủy", "phobithu", "04-ct-kiem-tra"),
    ("bc-so-ket-6-thang", "BC", date(2026, 7, 10), "Báo cáo sơ kết công tác 6 tháng đầu năm 2026", "bithu", "05-ctct-2026"),
    ("tb-phien-hop-thang-9", "TB", date(2026, 9, 25), "Thông báo kết luận phiên họp định kỳ tháng 9/2026", "bithu", "01-th-ky-hop"),
    ("ttr-ky-hop-8", "TTr", date(2026, 11, 25), "Tờ trình về nội dung, chương trình Kỳ họp thứ 8 HĐND Thành phố", "bithu", "01-th-ky-hop"),
]

# Tasks of directive 35-CT/TU: (id, title, lead, co-operating, deadline, completed on, reports)
TASKS = [
    ("xay-dung-ke-hoach", "Xây dựng kế hoạch thực hiện Chỉ thị", "phong-tong-hop", ["ban-phap-che"],
     date(2026, 2, 28), date(2026, 2, 20), ["Đã ban hành Kế hoạch thực hiện"]),
    ("kiem-tra-quy-1", "Kiểm tra việc thực hiện quy chế làm việc quý I", "ban-phap-che", ["van-phong"],
     date(2026, 3, 31), date(2026, 4, 8), ["Đã kiểm tra 4 đơn vị", "Hoàn thành báo cáo kiểm tra"]),
    ("giam-sat-dau-tu-cong", "Giám sát chuyên đề việc thực hiện đầu tư công", "ban-kt-ns", ["ban-do-thi", "ubnd-tp"],
     date(2026, 12, 15), None, ["Đã làm việc với 3 sở, ngành"]),
    ("so-ket-chi-thi", "Sơ kết 1 năm thực hiện Chỉ thị", "phong-tong-hop", ["ban-phap-che", "ban-vh-xh"],
     date(2026, 11, 15), None, []),
]


def ensure_records():
    portal = api.portal.get()
    dossiers = {}
    for id, title, code, retention, start in DOSSIERS:
        dossiers[id], _ = ensure(
            portal["ho-so"], id, "Dossier", title=title, dossier_code=code,
            retention=retention, start_date=start, responsible="chuyenvien",
        )
    documents = portal["van-ban"]
    # Registered in order of arrival, as the registry would have.
    for id, symbol, body, issued, arrived, subject, urgency, channel, dossier in sorted(
        INCOMING, key=lambda row: row[4]
    ):
        doc, created = ensure(
            documents, id, "OfficialDocument", title=subject, direction="incoming", symbol=symbol,
            issuing_body=body, issue_date=issued, urgency=urgency, channel=channel,
            page_count=4, paper_original="Văn thư, tủ 1" if channel == "paper" else None,
        )
        if created:
            doc.arrival_date = arrived
            walk(doc, "register")
            if dossier:
                file_in(dossiers[dossier], doc)
    old, new = documents["qd-3003-tu"], documents["qd-5858-tu"]
    if not new.replaces:
        new.replaces = [relation(old)]
        notify(ObjectModifiedEvent(new))
    for id, doc_type, issued, subject, signer, dossier in OUTGOING:
        doc, created = ensure(
            documents, id, "OfficialDocument", title=subject, direction="outgoing",
            document_type=doc_type, family="party", signer=api.user.get(signer).getProperty("fullname"),
            signer_position="T/M ĐẢNG ĐOÀN, BÍ THƯ" if signer == "bithu" else "T/M ĐẢNG ĐOÀN, PHÓ BÍ THƯ",
            recipients=["Thường trực Thành ủy", "Các đồng chí Thành viên Đảng đoàn", "Lưu Văn phòng"],
            # Notices also go to the City Committee's office over the exchange.
            send_to=["vp-thanhuy"] if doc_type == "TB" else [],
        )
        if created:
            walk(doc, "submit", "approve", "format_ok")
            if issued < TODAY:  # the latest one still waits for its signature
                walk(doc, "sign")
                walk(doc, "issue", issue_date=issued)
            file_in(dossiers[dossier], doc)
    ensure_directive(documents["ct-35-tu"])
    ensure_extensions(documents["ct-35-tu"])
    ensure_handled(documents["kl-46-tw"])
    for id, transitions in DOSSIER_STATES.items():
        if api.content.get_state(dossiers[id]) == "open":
            walk(dossiers[id], *transitions)
    ensure_classified(portal)


def file_in(dossier, document):
    """File a document in a dossier without copying it."""
    dossier.documents = list(dossier.documents or []) + [relation(document)]
    notify(ObjectModifiedEvent(dossier))


def ensure_directive(directive):
    _slip, created = ensure(
        directive, "phieu-xu-ly", "ProcessingSlip", title="Phiếu xử lý công việc",
        lead_unit="phong-tong-hop", cooperating_units=["ban-phap-che"], deadline=date(2026, 2, 28),
        proposal="Đề nghị giao Phòng Tổng hợp chủ trì tham mưu kế hoạch thực hiện.",
        instruction="Đồng ý. Phòng Tổng hợp chủ trì, phối hợp Ban Pháp chế; hoàn thành trước 28/02/2026.",
        director="bithu", assignees=["chuyenvien"],
    )
    if created:
        walk(directive, "assign", "start")
    for id, title, lead, cooperating, deadline, completed, reports in TASKS:
        task, created = ensure(
            directive, id, "Task", title=title, lead_unit=lead, cooperating_units=cooperating,
            deadline=deadline, completed_on=completed, assignee="chuyenvien",
        )
        if created:
            for number, text in enumerate(reports, 1):
                api.content.create(
                    container=task, type="ProgressReport", id=f"bao-cao-{number}", title=text,
                    percent_done=100 if completed and number == len(reports) else 50,
                )
            if reports:
                walk(task, "start")
            if completed:
                walk(task, "report", "accept")


def ensure_extensions(directive):
    """Deadline extensions asked by the assignee: one approved by the
    Secretary, one waiting for a decision."""
    from hdnd.content import extensions

    asked = [
        ("giam-sat-dau-tu-cong", date(2027, 1, 15), "Chờ báo cáo quyết toán vốn đầu tư công năm 2026 của UBND Thành phố", True),
        ("so-ket-chi-thi", date(2026, 12, 10), "Đề nghị lùi thời hạn để tổng hợp thêm ý kiến các Ban HĐND", None),
    ]
    for id, deadline, reason, approve in asked:
        task = directive[id]
        if extensions.requests_of(task):
            continue
        with api.env.adopt_user(username="chuyenvien"):
            entry = extensions.request(task, deadline, reason)
        if approve is not None:
            with api.env.adopt_user(username="bithu"):
                extensions.decide(task, entry["id"], approve, "Đồng ý gia hạn")


def ensure_handled(document):
    """A directive handled from slip to file."""
    _slip, created = ensure(
        document, "phieu-xu-ly", "ProcessingSlip", title="Phiếu xử lý công việc",
        lead_unit="van-phong", proposal="Đề nghị sao gửi các đồng chí Thành viên Đảng đoàn.",
        instruction="Đồng ý. Văn phòng sao gửi và theo dõi.", director="phobithu",
    )
    if created:
        walk(document, "assign", "start", "complete", "file")


# What each demo dossier has been through.
DOSSIER_STATES = {
    "01-th-ky-hop": ("start",),
    "02-tccb-nhan-su": ("start", "submit"),
    "03-gs-dau-tu-cong": ("start",),
    "04-ct-kiem-tra": ("start",),
    "05-ctct-2026": ("start",),
}


def ensure_classified(portal):
    """A Mật dossier of personnel opinions, open only to the leaders, the
    members and the office head (all cleared), created by the office head."""
    dossiers = portal["ho-so"]
    # A neutral id, as hdnd gives classified items: the title stays out of the URL.
    if "hs-2026-0117" in dossiers.objectIds():
        return
    named = ["bithu", "phobithu", "thanhvien1", "thanhvien2", "thanhvien3", "thanhvien4",
             "thanhvien5", "chanhvanphong"]
    with api.env.adopt_user(username="chanhvanphong"):
        dossier = api.content.create(
            container=dossiers, type="Dossier", id="hs-2026-0117",
            title="Hồ sơ cho ý kiến về nhân sự lãnh đạo các ban HĐND (MẬT)",
            dossier_code="02.TCCB", retention="70", start_date=date(2026, 10, 5),
            classification="mat", need_to_know=named, responsible="chanhvanphong",
        )
        api.content.create(
            container=dossier, type="OfficialDocument", id="vb-2026-0118",
            title="Tờ trình về phương án nhân sự Trưởng Ban Pháp chế HĐND Thành phố",
            direction="internal", document_type="TTr", signer="Ngô Thị Lan",
        )
