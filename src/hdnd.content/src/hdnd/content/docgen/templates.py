"""The office's paper forms, in the Party layout, as appy.pod templates.

Each ``Template`` is installed as a collective.documentgenerator
ConfigurablePODTemplate in the site's templates folder (``install.py``);
administrators may download it, change it in LibreOffice and upload it
back. Expressions read through the helper (``view``, see helper.py).
"""

from dataclasses import dataclass
from hdnd.content.core.layout import PARTY_NAME
from hdnd.content.docgen.odt import build
from hdnd.content.docgen.odt import expr
from hdnd.content.docgen.odt import p
from hdnd.content.docgen.odt import span
from hdnd.content.docgen.odt import table


FORMATS = ("odt", "pdf", "docx")


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    description: str
    portal_types: tuple
    body: str
    condition: str = ""
    landscape: bool = False

    def odt(self):
        return build(self.body, self.title, self.landscape)


def header(doc_type=None, numbered=True, day="view.place_date()"):
    """Issuer block (left) and "ĐẢNG CỘNG SẢN VIỆT NAM" with place and date
    (right): the item's issue date, else today; ``day`` says otherwise (a
    meeting's minutes and agenda are dated the meeting's day)."""
    number = f"view.number_line({doc_type!r})" if doc_type else "view.number_line()"
    left = [
        p(expr("view.parent_body()"), style="Head"),
        p(expr("view.body_name()"), style="HeadBold"),
        p("*", style="Head"),
    ]
    if numbered:
        left.append(p(expr(number), style="Center"))
    left.append(p(expr("mark"), style="CenterBold", do="do text for mark in view.marks()"))
    right = [
        p(span("BU", PARTY_NAME), style="Center"),
        p(style="Center"),
        p(expr(day), style="CenterItalic"),
    ]
    return table([[left, right]], [8.0, 8.5])


def signature(recipients=True, left_title="Nơi nhận:"):
    """The recipients (left) and the signature block (right), on one page;
    put a ``Keep`` paragraph (or ``SpaceKeep``) or a ``keep="next"`` table
    before it so that it does not fall alone onto a page."""
    left = []
    if recipients:
        left = [
            p(span("BU", left_title), style="SmallBold"),
            p("- ", expr("recipient"), ",", style="Small", do="do text for recipient in view.recipients()"),
        ]
    right = [
        p(expr("line"), style="CenterBold", do="do text for line in view.signature_lines()"),
        p(style="Space"), p(style="Space"), p(style="Space"),
        p(expr("view.signer()"), style="CenterBold"),
    ]
    return table([[left or [p(style="Small")], right]], [8.5, 8.0], keep="whole")


def bullet(item_expr, loop):
    return p("- ", expr(item_expr), style="Body", do=loop)


INVITATION = Template(
    "giay-moi", "Giấy mời phiên họp",
    "Giấy mời các đồng chí Thành viên Đảng đoàn dự phiên họp.",
    ("Meeting",),
    header("GM")
    + p(style="Space")
    + p("GIẤY MỜI", style="Title")
    + p("Kính gửi: Các đồng chí Thành viên Đảng đoàn", style="CenterBold")
    + p(style="Space")
    + p(expr("view.settings().body_name"), " trân trọng kính mời đồng chí dự ", expr("view.value('title')"), ".")
    + p(span("B", "Thời gian: "), expr("view.meeting_time()"), ".")
    + p(span("B", "Địa điểm: "), expr("view.value('location', '...')"), ".")
    + p(span("B", "Nội dung:"))
    + p(expr("item['n']"), ". ", expr("item['title']"), style="Body",
        do="do text for item in view.agenda()")
    + p("Đề nghị các đồng chí nghiên cứu tài liệu trước phiên họp và dự họp đầy đủ, đúng giờ.", style="Keep")
    + signature(),
)

AGENDA = Template(
    "chuong-trinh-phien-hop", "Chương trình phiên họp",
    "Chương trình làm việc của phiên họp, theo các nội dung đưa ra phiên họp.",
    ("Meeting",),
    header(numbered=False, day="view.place_date(view.meeting_date())")
    + p(style="Space")
    + p("CHƯƠNG TRÌNH", style="Title")
    + p(expr("view.value('title')"), style="CenterBold")
    + p("(", expr("view.meeting_time()"), "; ", expr("view.value('location')"), ")", style="CenterItalic")
    + p(style="Space")
    + table(
        [
            ["TT", "Nội dung", "Trình bày", "Thời gian (phút)"],
            [p(expr("item['n']"), style="CellCenter"), p(expr("item['title']"), style="Cell"),
             p(expr("item['presenter']"), style="Cell"), p(expr("item['minutes']"), style="CellCenter")],
        ],
        [1.2, 9.3, 3.5, 2.5], grid=True, do_rows={1: "do row for item in view.agenda()"}, keep="next",
    )
    + p(style="SpaceKeep")
    + signature(recipients=False),
)

MINUTES = Template(
    "bien-ban", "Biên bản phiên họp",
    "Biên bản phiên họp: thành phần, nội dung, kết quả biểu quyết, kết luận.",
    ("Meeting",),
    header("BB", day="view.place_date(view.meeting_date())")
    + p(style="Space")
    + p("BIÊN BẢN", style="Title")
    + p(expr("view.value('title')"), style="CenterBold")
    + p(style="Space")
    + p(span("B", "Thời gian, địa điểm: "), expr("view.meeting_time()"), "; ", expr("view.value('location')"), ".")
    + p(span("B", "Chủ trì: "), "đồng chí ", expr("view.signer('')"), ".")
    + p(span("B", "Thư ký: "), "đồng chí ", expr("view.secretary()"), ".", do="do text if view.secretary()")
    + p(span("B", "Thành phần: "), expr("view.attendance()['line']"))
    + p("- Có mặt: ", expr("', '.join(view.attendance()['present'])"), ".")
    + p("- Vắng mặt: ", expr("', '.join(view.attendance()['absent']) or 'không'"), ".")
    + p(span("B", "Nội dung:"))
    + p(expr("item['n']"), ". ", expr("item['title']"), do="do text for item in view.agenda()")
    + p(span("B", "Diễn biến và kết luận:"))
    + p(expr("line"), do="do text for line in view.lines('minutes')")
    + p(span("B", "Kết quả biểu quyết:"))
    + table(
        [
            ["Nội dung biểu quyết", "Tán thành", "Không tán thành", "Ý kiến khác", "Kết quả"],
            [p(expr("row['title']"), style="Cell"), p(expr("row['for']"), style="CellCenter"),
             p(expr("row['against']"), style="CellCenter"), p(expr("row['other']"), style="CellCenter"),
             p(expr("row['result']"), style="CellCenter")],
        ],
        [6.5, 2.2, 2.6, 2.2, 3.0], grid=True, do_rows={1: "do row for row in view.ballots()"},
    )
    + p(expr("view.closing_line()"), style="Keep")
    + p(style="SpaceKeep")
    + table(
        [[[p("THƯ KÝ", style="CenterBold"), p(style="Space"), p(style="Space"),
           p(expr("view.secretary()"), style="CenterBold")],
          [p("CHỦ TRÌ", style="CenterBold"), p(style="Space"), p(style="Space"),
           p(expr("view.signer('')"), style="CenterBold")]]],
        [8.25, 8.25], keep="whole",
    ),
)

CONCLUSION = Template(
    "thong-bao-ket-luan", "Thông báo kết luận",
    "Thông báo kết luận của Đảng đoàn (văn bản đi loại TB), với số khi đã ban hành.",
    ("OfficialDocument",),
    header()
    + p(style="Space")
    + p(expr("view.type_title()"), style="Title")
    + p(expr("view.summary()"), style="CenterBold")
    + p("-----", style="Center")
    + p("Ngày ", expr("view.meeting_day()"), ", ", expr("view.settings().body_name"),
        " họp ", expr("view.meeting() and view.meeting().title[0].lower() + view.meeting().title[1:] or ''"),
        ". Sau khi thảo luận, ", expr("view.settings().body_name"), " kết luận như sau:",
        do="do text if view.meeting()")
    + p(expr("line"), do="do text for line in view.lines('description')[:-1]")
    + p(expr("line"), style="Keep", do="do text for line in view.lines('description')[-1:]")
    + p(style="SpaceKeep")
    + signature(),
    condition="python: context.document_type == 'TB' and context.direction != 'incoming'",
)

SLIP = Template(
    "phieu-xu-ly", "Phiếu xử lý văn bản đến",
    "Phiếu đề xuất, chỉ đạo và giao xử lý văn bản đến.",
    ("ProcessingSlip",),
    header(numbered=False)
    + p(style="Space")
    + p("PHIẾU XỬ LÝ VĂN BẢN ĐẾN", style="Title")
    + p(style="Space")
    + table(
        [[p(expr("row[0]"), style="Cell"), p(expr("row[1]"), style="Cell")]],
        [4.5, 12.0], grid=True, do_rows={0: "do row for row in view.document_rows()"},
    )
    + p(style="Space")
    + p(span("B", "Ý kiến đề xuất của Văn phòng:"))
    + p(expr("line"), do="do text for line in view.lines('proposal')")
    + p(span("B", "Ý kiến chỉ đạo của đồng chí "), span("B", expr("view.director()")), span("B", ":"))
    + p(expr("line"), do="do text for line in view.lines('instruction')")
    + p(span("B", "Giao xử lý:"))
    + bullet("name", "do text for name in view.assignees()"),
)

OPINION_REQUEST = Template(
    "phieu-xin-y-kien", "Phiếu xin ý kiến",
    "Phiếu xin ý kiến Thành viên Đảng đoàn bằng văn bản, với hạn trả lời.",
    ("OpinionRequest",),
    header("PXYK", numbered=False)
    + p(style="Space")
    + p("PHIẾU XIN Ý KIẾN", style="Title")
    + p(expr("view.value('title')"), style="CenterBold")
    + p(style="Space")
    + p("Kính gửi: đồng chí ....................................................., Thành viên Đảng đoàn.")
    + p(expr("line"), do="do text for line in view.lines('question')")
    + p("Đề nghị đồng chí cho ý kiến vào từng nội dung dưới đây và gửi lại Văn phòng trước ",
        span("B", expr("view.deadline()")), ".")
    + table(
        [
            ["TT", "Nội dung xin ý kiến", "Tán thành", "Không tán thành", "Ý kiến khác"],
            [p(expr("q['n']"), style="CellCenter"), p(expr("q['question'] or q['title']"), style="Cell"),
             p("☐", style="CellCenter"), p("☐", style="CellCenter"), p("☐", style="CellCenter")],
        ],
        [1.0, 8.5, 2.2, 2.6, 2.2], grid=True, do_rows={1: "do row for q in view.questions()"},
    )
    + p("Ý kiến khác (nếu có): ........................................................................................")
    + p(style="Space")
    + table([[[p(style="Small")], [p("NGƯỜI CHO Ý KIẾN", style="CenterBold"),
                                   p("(ký, ghi rõ họ tên)", style="CenterItalic")]]], [8.5, 8.0]),
)

BALLOT = Template(
    "phieu-bieu-quyet", "Phiếu biểu quyết",
    "Phiếu biểu quyết một nội dung (công khai hoặc kín).",
    ("Ballot",),
    header(numbered=False)
    + p(style="Space")
    + p("PHIẾU BIỂU QUYẾT", style="Title")
    + p(expr("view.ballot_kind()"), style="CenterItalic")
    + p(style="Space")
    + p(span("B", "Nội dung: "), expr("view.value('title')"))
    + p(expr("line"), do="do text for line in view.lines('question')")
    + p("(Đánh dấu vào một ô)", style="CenterItalic")
    + p("☐  ", expr("choice"), style="Plain", do="do text for choice in view.choices()")
    + p("Ý kiến khác (nếu có): ........................................................................................")
    + p("Hạn biểu quyết: ", expr("view.deadline() or 'tại phiên họp'"), ".", style="Plain"),
)


def register(direction, title, columns, widths, cells):
    return Template(
        f"so-van-ban-{'den' if direction == 'incoming' else 'di'}", title,
        f"{title}: các văn bản của năm (tham số year) mà người tạo sổ được xem.",
        ("Folder",),
        table([[[p(expr("view.body_name()"), style="CellBold")],
                [p(title.upper(), style="Title"), p("Năm ", expr("view.year()"), style="CenterBold")]]], [8, 17.2])
        + p(style="Space")
        + table([list(columns), [p(expr(c), style="Cell") for c in cells]], widths, grid=True,
                do_rows={1: f"do row for row in view.register({direction!r})"}),
        condition="python: context.getId() == 'van-ban'",
        landscape=True,
    )


INCOMING_REGISTER = register(
    "incoming", "Sổ đăng ký văn bản đến",
    ("Số đến", "Ngày đến", "Số, ký hiệu", "Ngày văn bản", "Cơ quan ban hành", "Trích yếu", "Độ mật, khẩn"),
    [1.6, 2.3, 3.5, 2.3, 4.0, 9.0, 2.5],
    ("row['number']", "row['day']", "row['symbol']", "row['issue_date']", "row['issuer']", "row['title']", "row['marks']"),
)

OUTGOING_REGISTER = register(
    "outgoing", "Sổ đăng ký văn bản đi",
    ("Số", "Ngày", "Số, ký hiệu", "Trích yếu", "Người ký", "Nơi nhận", "Độ mật, khẩn"),
    [1.4, 2.3, 3.5, 8.0, 3.5, 4.0, 2.5],
    ("row['number']", "row['day']", "row['symbol']", "row['title']", "row['signer']", "row['recipients']", "row['marks']"),
)

YEARLY_REPORT = Template(
    "bao-cao-nam", "Báo cáo kết quả công tác năm",
    "Báo cáo năm tính từ hồ sơ: phiên họp, văn bản, chỉ thị, chương trình công tác.",
    ("WorkProgramme",),
    header("BC")
    + p(style="Space")
    + p("BÁO CÁO", style="Title")
    + p("kết quả công tác năm ", expr("view.year()"), style="CenterBold")
    + p("-----", style="Center")
    + p(span("B", "I. HOẠT ĐỘNG CỦA ĐẢNG ĐOÀN"))
    + p("Trong năm, Đảng đoàn đã tổ chức ", expr("view.yearly()['meetings_total']"), " phiên họp:")
    + p("- ", expr("m['kind']"), ": ", expr("m['count']"), " phiên.", do="do text for m in view.yearly()['meetings']")
    + p(span("B", "II. CÔNG TÁC VĂN BẢN"))
    + p("Tiếp nhận, đăng ký ", expr("view.yearly()['incoming']"), " văn bản đến; ban hành ",
        expr("view.yearly()['issued_total']"), " văn bản:")
    + p("- ", expr("d['type']"), ": ", expr("d['count']"), " văn bản.", do="do text for d in view.yearly()['issued']")
    + p(span("B", "III. THEO DÕI THỰC HIỆN CHỈ THỊ, KẾT LUẬN"))
    + p(expr("view.yearly()['tasks_line']"))
    + p(span("B", "IV. THỰC HIỆN CHƯƠNG TRÌNH CÔNG TÁC"))
    + p(expr("view.programme_figures()['sentence']"))
    + table(
        [
            ["Đơn vị chủ trì", "Số nội dung", "Hoàn thành", "Tỷ lệ (%)"],
            [p(expr("u['unit']"), style="Cell"), p(expr("u['total']"), style="CellCenter"),
             p(expr("u['done']"), style="CellCenter"), p(expr("u['percent']"), style="CellCenter")],
        ],
        [8.0, 2.8, 2.8, 2.9], grid=True, do_rows={1: "do row for u in view.unit_rows()"}, keep="next",
    )
    + p(style="SpaceKeep")
    + signature(),
)

CONTENTS = Template(
    "muc-luc-van-ban", "Mục lục văn bản",
    "Mục lục văn bản của hồ sơ, với tổng số trang, khi kết thúc hồ sơ.",
    ("Dossier",),
    header(numbered=False)
    + p(style="Space")
    + p("MỤC LỤC VĂN BẢN", style="Title")
    + p("Hồ sơ số: ", expr("view.value('dossier_code')"), " - ", expr("view.value('title')"), style="CenterBold")
    + p(style="Space")
    + table(
        [
            ["TT", "Số, ký hiệu", "Ngày", "Tác giả", "Trích yếu", "Số trang"],
            [p(expr("r['n']"), style="CellCenter"), p(expr("r['symbol']"), style="Cell"),
             p(expr("r['date']"), style="Cell"), p(expr("r['issuer']"), style="Cell"),
             p(expr("r['title']"), style="Cell"), p(expr("r['pages']"), style="CellCenter")],
        ],
        [1.0, 2.8, 2.2, 3.0, 5.9, 1.6], grid=True, do_rows={1: "do row for r in view.toc()['rows']"},
    )
    + p("Hồ sơ gồm ", expr("view.toc()['documents']"), " văn bản, ", expr("view.toc()['pages']"), " trang.")
    + p(expr("line"), do="do text for line in view.lines('closing_note')"),
)

FILE_PLAN = Template(
    "danh-muc-ho-so", "Danh mục hồ sơ",
    "Danh mục hồ sơ của năm: mã, tên hồ sơ, thời hạn bảo quản, người lập.",
    ("FilePlan",),
    header(numbered=False)
    + p(style="Space")
    + p("DANH MỤC HỒ SƠ", style="Title")
    + p("Năm ", expr("view.value('year')"), style="CenterBold")
    + p(style="Space")
    + table(
        [
            ["Số, ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản", "Người lập hồ sơ"],
            [p(expr("r['code']"), style="Cell"), p(expr("r['group'] and r['group'] + ': ' + r['title'] or r['title']"), style="Cell"),
             p(expr("r['retention']"), style="CellCenter"), p(expr("r['responsible']"), style="Cell")],
        ],
        [3.0, 8.0, 2.5, 3.0], grid=True, do_rows={1: "do row for r in view.file_plan_rows()"}, keep="next",
    )
    + p(style="SpaceKeep")
    + signature(recipients=False),
)



def transfer_rows(keep=None):
    return table(
        [
            ["TT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Thời gian", "Số văn bản", "Số trang", "Thời hạn bảo quản"],
            [p(expr("r['n']"), style="CellCenter"), p(expr("r['code']"), style="Cell"), p(expr("r['title']"), style="Cell"),
             p(expr("r['dates']"), style="Cell"), p(expr("r['documents']"), style="CellCenter"),
             p(expr("r['pages']"), style="CellCenter"), p(expr("r['retention']"), style="CellCenter")],
        ],
        [1.0, 2.4, 5.4, 2.8, 1.5, 1.4, 2.0], grid=True, do_rows={1: "do row for r in view.transfer_rows()"}, keep=keep,
    )


TRANSFER_ROWS, TRANSFER_ROWS_KEPT = transfer_rows(), transfer_rows("next")

TRANSFER_LIST = Template(
    "muc-luc-ho-so-nop-luu", "Mục lục hồ sơ nộp lưu",
    "Danh sách hồ sơ của đợt nộp lưu.",
    ("TransferBatch",),
    header(numbered=False)
    + p(style="Space")
    + p("MỤC LỤC HỒ SƠ NỘP LƯU", style="Title")
    + p(expr("view.value('title')"), style="CenterBold")
    + p(style="Space")
    + TRANSFER_ROWS_KEPT
    + p(style="SpaceKeep")
    + signature(recipients=False),
)

HANDOVER = Template(
    "bien-ban-giao-nhan", "Biên bản giao nhận hồ sơ, tài liệu",
    "Biên bản giao nhận hồ sơ nộp lưu giữa Văn phòng và lưu trữ.",
    ("TransferBatch",),
    header("BB", numbered=False)
    + p(style="Space")
    + p("BIÊN BẢN", style="Title")
    + p("Về việc giao nhận hồ sơ, tài liệu nộp lưu", style="CenterBold")
    + p(style="Space")
    + p("Hôm nay, ngày ", expr("view.short(view.real_context.handover_date) or '....'"),
        ", ", expr("view.settings().body_name"), " giao cho ", expr("view.value('archive_name')"),
        " các hồ sơ, tài liệu theo Mục lục hồ sơ nộp lưu kèm theo:")
    + TRANSFER_ROWS
    + p("Người nhận: ", expr("view.value('received_by', '....')"), ".", style="Keep")
    + table([[[p("BÊN GIAO", style="CenterBold")], [p("BÊN NHẬN", style="CenterBold"), p(style="Space"),
                                                     p(style="Space"), p(expr("view.value('received_by')"), style="CenterBold")]]],
            [8.25, 8.25], keep="whole"),
)

TEMPLATES = (
    INVITATION, AGENDA, MINUTES, CONCLUSION, SLIP, OPINION_REQUEST, BALLOT,
    INCOMING_REGISTER, OUTGOING_REGISTER, YEARLY_REPORT, CONTENTS, FILE_PLAN, TRANSFER_LIST, HANDOVER,
)


def by_id(template_id):
    return next((t for t in TEMPLATES if t.id == template_id), None)
