"""Reading the office's tracking sheets (Excel rows) into programme items
and tasks, before anything is written.

``read(rows, units, year)`` takes the sheet's rows (lists of cell values,
the header first), recognises the columns by their Vietnamese headings (or
a ``mapping`` of heading -> field), and returns the good rows with the key
that makes a re-import change nothing, and every bad row with its number
and reason. Empty lines are skipped; a row repeating an earlier one's key
is refused as a duplicate. Plain Python, unit-tested without Zope.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from hdnd.content.core import formats
from hdnd.content.core.text import plain

import re


# Heading (as offices write it, compared without accents and case) -> field.
HEADINGS = {
    "ma": "code",
    "ma so": "code",
    "noi dung": "title",
    "noi dung cong viec": "title",
    "nhiem vu": "title",
    "ten nhiem vu": "title",
    "thang": "planned_month",
    "thoi gian thuc hien": "planned_month",
    "don vi chu tri": "lead_unit",
    "chu tri": "lead_unit",
    "don vi phoi hop": "cooperating_units",
    "phoi hop": "cooperating_units",
    "thoi han": "deadline",
    "han hoan thanh": "deadline",
    "ngay hoan thanh": "completed_on",
    "phat sinh": "arisen",
    "ghi chu": "description",
}
FIELDS = ("code", "title", "planned_month", "lead_unit", "cooperating_units", "deadline",
          "completed_on", "arisen", "description")
# The headings the export writes (and errors name when the sheet has no such column).
COLUMNS = {"code": "Mã", "title": "Nội dung", "planned_month": "Tháng", "lead_unit": "Đơn vị chủ trì",
           "cooperating_units": "Đơn vị phối hợp", "deadline": "Thời hạn", "completed_on": "Ngày hoàn thành",
           "arisen": "Phát sinh", "description": "Ghi chú"}
TITLE_MAX = 500
YES = {"x", "co", "yes", "1", "true", "phat sinh"}


class SheetError(ValueError):
    """The sheet as a whole cannot be read (no heading row, no title column)."""


@dataclass
class Row:
    number: int  # the row number in the sheet (1 = the header)
    key: str
    values: dict = field(default_factory=dict)


@dataclass
class RowError:
    number: int
    field: str
    reason: str
    column: str = ""  # the heading as the sheet writes it

    @property
    def heading(self):
        return self.column or COLUMNS.get(self.field, self.field)

    def as_dict(self):
        return {"row": self.number, "column": self.heading, "field": self.field,
                "message": f"{self.heading}: {self.reason}"}


def columns(header, mapping=None, tasks=False):
    """Column index -> field, from the heading row. Every sheet needs the
    columns of the title and the lead unit; a directive's (``tasks``) that of
    the deadline, a programme's the month or the deadline."""
    known = {plain(k): v for k, v in (mapping or HEADINGS).items()}
    found = {}
    for index, cell in enumerate(header):
        name = known.get(plain(cell)) if cell not in (None, "") else None
        if name in FIELDS and name not in found.values():
            found[index] = name
    if "title" not in found.values():
        raise SheetError("header: no column of the task's title (e.g. 'Nội dung')")
    needed = ["lead_unit", "deadline"] if tasks else ["lead_unit"]
    if not tasks and not {"planned_month", "deadline"} & set(found.values()):
        needed.append("planned_month")
    missing = [COLUMNS[name] for name in needed if name not in found.values()]
    if missing:
        raise SheetError("header: no column " + ", ".join(f"'{m}'" for m in missing) + " (required)")
    return found


def is_empty(row):
    return all(cell is None or str(cell).strip() == "" for cell in row)


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date: {text!r} (write 25/03/2026)") from None


def parse_month(value):
    if isinstance(value, (date, datetime)):
        return value.month
    match = re.fullmatch(r"(?:thang\s*)?(\d{1,2})(?:/\d{4})?", plain(value))
    if not match or not 1 <= int(match.group(1)) <= 12:
        raise ValueError(f"not a month: {value!r} (1 to 12)")
    return int(match.group(1))


def unit_of(value, units):
    """A unit's code from its code, its title, or the start of its title as
    sheets shorten it ("Ban Pháp chế" for "Ban Pháp chế HĐND"), when only
    one unit's title starts so (``units``: code -> title)."""
    wanted = plain(value)
    for code, title in units.items():
        if wanted in (plain(code), plain(title)):
            return code
    starting = [code for code, title in units.items() if plain(title).startswith(wanted + " ")]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise ValueError(f"ambiguous unit {str(value).strip()!r}: {', '.join(starting)}")
    raise ValueError(f"unknown unit {str(value).strip()!r}")


def read(rows, units, year, mapping=None, tasks=False):
    """``(good, errors)`` for the sheet's ``rows`` (header first); ``tasks``:
    every row is a task (a directive's sheet), else a row is a programme
    item unless it arose (*Phát sinh*). Every row needs its title; a task
    its deadline, a programme item its month (or a deadline). The sheet needs
    the lead unit's column (a row may leave it empty, as an item may)."""
    rows = [list(r) for r in rows]
    start = next((i for i, r in enumerate(rows) if not is_empty(r)), None)
    if start is None:
        raise SheetError("file: the sheet is empty")
    wanted = columns(rows[start], mapping, tasks)
    headings = {name: " ".join(str(rows[start][index]).split()) for index, name in wanted.items()}
    good, errors, seen = [], [], {}
    for offset, row in enumerate(rows[start + 1:], start + 2):
        if is_empty(row):
            continue
        cells = {name: row[index] if index < len(row) else None for index, name in wanted.items()}
        values, problems = {}, []
        for name in FIELDS:
            value = cells.get(name)
            if value is None or str(value).strip() == "":
                continue
            try:
                values[name] = convert(name, value, units)
            except ValueError as error:
                problems.append(RowError(offset, name, str(error)))
        failed = {p.field for p in problems}
        is_task = tasks or values.get("arisen", False)
        for name, reason in (("title", "empty: every row needs its task"),
                             ("deadline", "empty: every task needs its deadline")):
            if name not in values and name not in failed and (name != "deadline" or is_task):
                problems.append(RowError(offset, name, reason))
        if values.get("lead_unit") and values["lead_unit"] in values.get("cooperating_units", ()):
            problems.append(RowError(offset, "cooperating_units", "the lead unit cannot also co-operate"))
        if "planned_month" not in values and "deadline" in values:
            values["planned_month"] = values["deadline"].month
        if not is_task and "planned_month" not in values and not failed & {"planned_month", "deadline"}:
            problems.append(RowError(offset, "planned_month", "empty: every programme item needs its month "
                                     "(or a deadline)"))
        for name in ("deadline", "completed_on"):
            if name in values and abs(values[name].year - year) > 1:
                problems.append(RowError(offset, name, f"{formats.day(values[name])} is not near the year {year}"))
        for problem in problems:
            problem.column = headings.get(problem.field, "")
        if problems:
            errors += problems
            continue
        key = values.get("code") or f"{plain(values['title'])}|{values.get('planned_month', '')}"
        if key in seen:
            errors.append(RowError(offset, "title", f"duplicate of row {seen[key]}", headings["title"]))
            continue
        seen[key] = offset
        good.append(Row(offset, key, values))
    return good, errors


def convert(name, value, units):
    if name in ("code", "description"):
        return str(value).strip()
    if name == "title":
        text = " ".join(str(value).split())
        if len(text) > TITLE_MAX:
            raise ValueError(f"longer than {TITLE_MAX} characters")
        return text
    if name == "planned_month":
        return parse_month(value)
    if name == "lead_unit":
        return unit_of(value, units)
    if name == "cooperating_units":
        parts = [p for p in re.split(r"[,;\n]", str(value)) if p.strip()]
        return sorted({unit_of(p, units) for p in parts})
    if name in ("deadline", "completed_on"):
        return parse_date(value)
    if name == "arisen":
        return plain(value) in YES
    raise KeyError(name)
