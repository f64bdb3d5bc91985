"""Excel out: any listing, and a programme's or directive's tracking sheet
with its key figures.

The tracking sheet uses the headings the import recognises, so that a sheet
exported, corrected in Excel and imported again changes only what was
corrected. Everything exported is what the requesting user may see.

Every row goes through :func:`hdnd.content.core.cells.append`: text from
users that a spreadsheet would run as a formula stays text.
"""

from collective.excelexport.view import CSVExport
from hdnd.content import tracking
from hdnd.content.core import cells
from hdnd.content.core import formats
from hdnd.content.core.status import TITLES as STATUS_TITLES
from hdnd.content.types.file_plan import IFilePlanHeading
from hdnd.content.vocabularies import registry_pairs
from plone import api

import io


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every column the import reads (core.sheets.COLUMNS), then the derived status (not read back).
TRACKING_HEADINGS = ("Mã", "Nội dung", "Tháng", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
                     "Ngày hoàn thành", "Phát sinh", "Ghi chú", "Tình trạng")


def workbook():
    from openpyxl import Workbook

    return Workbook()


def write_table(sheet, title, headings, rows):
    from openpyxl.styles import Font

    cells.append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    cells.append(sheet, headings)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        cells.append(sheet, row)
    for column, heading in zip(sheet.columns, headings):
        width = max([len(str(heading))] + [len(str(c.value or "")) for c in list(column)[3:200]])
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))


def save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tracking_xlsx(container):
    units = dict(registry_pairs("units"))
    book = workbook()
    sheet = book.active
    sheet.title = "Theo dõi"
    rows = []
    for row in tracking.rows(container):
        obj = container[row["id"]]
        deadline = getattr(obj, "deadline", None)
        rows.append((
            code_of(obj),
            row["title"],
            row["planned_month"] or (deadline.month if deadline else ""),  # a task: its deadline's
            units.get(row["lead_unit"], row["lead_unit"]),
            "; ".join(units.get(u, u) for u in row["cooperating_units"]),
            obj.deadline or "",  # as set (the derived month end would be read back as set)
            _date(row["completed_on"]),
            "x" if row["arisen"] else "",
            getattr(obj, "description", None) or "",
            STATUS_TITLES.get(row["status"], row["status"]),
        ))
    # The import reads the first sheet from its heading row: keep the title out of it.
    cells.append(sheet, TRACKING_HEADINGS)
    for row in rows:
        cells.append(sheet, row)
    figures_sheet(book.create_sheet("Số liệu"), container.title, tracking.figures(container), units)
    return save(book)


def code_of(obj):
    """An item's own code (from an imported "Mã" column); none for keys made
    from the title and month, which the import makes again by itself."""
    key = getattr(obj, "import_key", None) or ""
    return "" if "|" in key else key


def figures_sheet(sheet, title, figures, units):
    headings = ("", "Tổng số", "Hoàn thành", "Tỷ lệ (%)", "Đúng hạn", "Quá hạn (đã xong)", "Quá hạn (chưa xong)",
                "Đang thực hiện", "Chưa thực hiện", "Tỷ lệ đúng hạn (%)")

    def line(name, s):
        return (name, s["total"], s["done"], s["percent_done"], s["done_on_time"], s["done_late"], s["overdue"],
                s["in_progress"], s["not_started"], s["on_time_rate"])

    rows = [line("Nội dung theo chương trình", figures["planned"]), line("Nhiệm vụ phát sinh", figures["arisen"]),
            line("Tổng cộng", figures["all"]), ("",)]
    rows += [line(units.get(u, u), s) for u, s in figures["by_unit"].items()] + [("",)]
    rows += [line(f"Tháng {m}", s) for m, s in figures["by_month"].items()]
    write_table(sheet, f"{title}: {figures['sentence']}", headings, rows)


REGISTER_HEADINGS = {
    "incoming": ("Số đến", "Ngày đến", "Số, ký hiệu", "Ngày văn bản", "Cơ quan ban hành", "Trích yếu", "Độ mật, khẩn"),
    "outgoing": ("Số", "Ngày", "Số, ký hiệu", "Trích yếu", "Người ký", "Nơi nhận", "Độ mật, khẩn"),
}


def register_xlsx(direction, year, secret=False):
    from hdnd.content.registers import rows

    book = workbook()
    book.active.title = "Sổ đăng ký"
    title = f"Sổ đăng ký văn bản {'mật ' if secret else ''}{'đến' if direction == 'incoming' else 'đi'} năm {year}"
    lines = [
        (r["number"] or "", r["day"], r["symbol"], r["issue_date"] or "", r["issuer"], r["title"], r["marks"])
        if direction == "incoming"
        else (r["number"] or "", r["day"], r["symbol"], r["title"], r["signer"], r["recipients"], r["marks"])
        for r in rows(direction, year, secret)
    ]
    write_table(book.active, title, REGISTER_HEADINGS[direction], lines)
    return save(book)


def file_plan_xlsx(plan):
    retention = dict(registry_pairs("retention"))
    lines = [
        (h.dossier_code, h.heading or "", h.title, retention.get(h.retention, h.retention or ""), h.responsible or "")
        for h in sorted(plan.objectValues(), key=lambda h: h.dossier_code or "")
        if IFilePlanHeading.providedBy(h) and api.user.has_permission("View", obj=h)
    ]
    book = workbook()
    book.active.title = "Danh mục hồ sơ"
    write_table(book.active, plan.title, ("Số, ký hiệu hồ sơ", "Đề mục", "Tiêu đề hồ sơ", "Thời hạn bảo quản",
                                          "Người lập hồ sơ"), lines)
    return save(book)


def transfer_xlsx(batch):
    """The transfer list (mục lục hồ sơ nộp lưu) in Excel."""
    from hdnd.content.archive import table_of_contents

    retention = dict(registry_pairs("retention"))
    lines = []
    for n, relation in enumerate(batch.dossiers or (), 1):
        dossier = relation.to_object
        if dossier is None or not api.user.has_permission("View", obj=dossier):
            continue
        contents = table_of_contents(dossier)
        lines.append((n, dossier.dossier_code or "", dossier.title, dossier.start_date or "", dossier.end_date or "",
                      contents["documents"], contents["pages"], retention.get(dossier.retention, dossier.retention or "")))
    book = workbook()
    book.active.title = "Mục lục hồ sơ nộp lưu"
    write_table(book.active, batch.title, ("TT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Bắt đầu", "Kết thúc",
                                           "Số văn bản", "Số trang", "Thời hạn bảo quản"), lines)
    return save(book)


def listing_xlsx(container):
    """The items of any folder the user may see, one row each."""
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(container.getPhysicalPath())
    # The big sections keep no order of their items (issue 21): newest last.
    ordered = getattr(container, "_ordering", "") != "unordered"
    brains = catalog(path={"query": path, "depth": 1}, sort_on="getObjPositionInParent" if ordered else "created")
    headings = ("Tiêu đề", "Loại", "Trạng thái", "Số, ký hiệu", "Ngày", "Đơn vị chủ trì", "Thời hạn", "Địa chỉ")
    rows = []
    for brain in brains:
        obj = brain.getObject()
        day = getattr(obj, "issue_date", None) or getattr(obj, "arrival_date", None) or getattr(obj, "start", None)
        rows.append((
            brain.Title, brain.Type, brain.review_state or "", getattr(obj, "symbol", None) or "",
            formats.day(day), getattr(obj, "lead_unit", None) or "",
            formats.day(getattr(obj, "deadline", None)),
            brain.getURL(),
        ))
    book = workbook()
    book.active.title = "Danh sách"
    write_table(book.active, container.title, headings, rows)
    return save(book)


def _date(iso):
    from datetime import date

    return date.fromisoformat(iso) if iso else ""


class SafeCSVExport(CSVExport):
    """collective.excelexport's CSV of any folder (``@@collective.excelexportcsv``,
    which collective.documentgenerator brings, for anyone who may view the
    folder), its cells neutralised as every other export of hdnd's is (its
    .xls, written with xlwt, keeps text as text already)."""

    def _format_render(self, render):
        return cells.csv_cell(super()._format_render(render))
