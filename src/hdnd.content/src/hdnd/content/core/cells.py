"""Spreadsheet cells that stay text: what hdnd writes into every .xlsx and
.csv it exports, so that text from users (a title an agency sent, a login
name someone typed) is never run as a formula (CSV / formula injection,
OWASP).

A spreadsheet takes a cell starting with ``=``, ``+``, ``-``, ``@`` (and
tab or carriage return, which some strip first) as a formula; so do their
fullwidth forms (``＝＋－＠``), which some spreadsheets fold to the ASCII ones.

- In an .xlsx a cell has a type: :func:`append` writes such text as a
  string cell (never a formula cell, which is what openpyxl makes of a
  string starting with ``=``) with Excel's quote prefix, so that editing
  the cell in Excel keeps it text. The text itself is unchanged, and a
  sheet exported and imported again (hdnd.content.imports) reads exactly
  what was written.
- A .csv has no types: :func:`csv_cell` puts an apostrophe before such text,
  as OWASP advises, and before text that already starts with an apostrophe,
  so that :func:`csv_value` gives back exactly the text written (the audit
  trail's CSV is verified against its hashes after reading it back).

Plain Python (openpyxl only when given a sheet), unit-tested without Zope.
"""

TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"


def is_formula_like(value):
    """Whether a spreadsheet could read ``value`` (text) as a formula."""
    return isinstance(value, str) and value[:1] in TRIGGERS


def csv_cell(value):
    """``value`` as a CSV cell that no spreadsheet runs: text a spreadsheet
    would take as a formula (or starting with the apostrophe itself) gets a
    leading apostrophe; anything else, numbers included, is unchanged."""
    if isinstance(value, str) and (value[:1] in TRIGGERS or value[:1] == QUOTE):
        return QUOTE + value
    return value


def csv_row(values):
    return [csv_cell(value) for value in values]


def csv_value(text):
    """The text :func:`csv_cell` was given (the inverse, for reading back)."""
    if isinstance(text, str) and text[:1] == QUOTE and (text[1:2] in TRIGGERS or text[1:2] == QUOTE):
        return text[1:]
    return text


def as_text(cell):
    """Make an openpyxl cell holding formula-like text a string cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append(sheet, values):
    """``sheet.append(values)``, every cell of text written as text: the one
    way hdnd's exports add a row to an .xlsx sheet."""
    values = list(values)
    sheet.append(values)
    if any(is_formula_like(value) for value in values):
        for cell in sheet[sheet.max_row]:
            as_text(cell)
