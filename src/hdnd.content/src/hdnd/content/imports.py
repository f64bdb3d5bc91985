"""Importing the office's Excel tracking sheets into a work programme (its
items, and the tasks that arose) or a directive (its tasks).

``import_sheet(container, data, mapping=None, dry_run=False)`` reads the
sheet (:mod:`hdnd.content.core.sheets`), then creates what is new, updates
what changed and leaves what is the same: each row's key (its code, else its
title and month) is stored on what it created, so importing the same sheet
again changes nothing. Bad rows are reported with their number and reason
and none of their content is written; a dry run writes nothing at all. The
whole import is one transaction: an unexpected failure leaves nothing.
"""

from datetime import date
from hdnd.content.core import sheets
from hdnd.content.core.text import plain
from hdnd.content.vocabularies import registry_pairs
from plone import api

import hashlib
import io
import zipfile


KEY_ATTRIBUTE = "import_key"
PREVIEW = 50


class SheetImportError(ValueError):
    """The file as a whole is refused (the message names ``file`` or ``header``)."""


def workbook_rows(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetImportError(f"file: not an Excel .xlsx workbook ({error.__class__.__name__})") from None
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def key_of(obj):
    """The key a row must have to be this item: the one it was imported
    with, else the one its title and month give (items made by hand)."""
    stored = getattr(obj, KEY_ATTRIBUTE, None)
    if stored:
        return stored
    deadline = getattr(obj, "deadline", None)
    month = getattr(obj, "planned_month", None) or (deadline.month if deadline else "")
    return f"{plain(obj.title)}|{month}"


def item_id(key):
    return "nd-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def target(container, row):
    """The type and fields a row becomes in ``container``."""
    values = dict(row.values)
    arisen = values.pop("arisen", False)
    values.pop("code", None)
    if container.portal_type == "WorkProgramme" and not arisen:
        return "ProgrammeItem", values
    values.pop("planned_month", None)  # a task is placed by its deadline
    return "Task", values


def import_sheet(container, data, mapping=None, dry_run=False):
    units = dict(registry_pairs("units"))
    year = getattr(container, "year", None) or _year(container)
    try:
        good, errors = sheets.read(workbook_rows(data), units, year, mapping)
    except sheets.SheetError as error:
        raise SheetImportError(str(error)) from None
    existing = {key_of(obj): obj for obj in container.objectValues() if obj.portal_type in ("ProgrammeItem", "Task")}
    created, updated, unchanged, plan = [], [], [], []
    for row in good:
        portal_type, values = target(container, row)
        obj = existing.get(row.key)
        if obj is None:
            action = "create"
        elif obj.portal_type != portal_type:
            errors.append(sheets.RowError(row.number, "arisen", f"row was imported as a {obj.portal_type} before"))
            continue
        elif all(getattr(obj, name, None) == value for name, value in values.items()):
            action = "unchanged"
        else:
            action = "update"
        if len(plan) < PREVIEW:
            plan.append({"row": row.number, "action": action, "type": portal_type, "title": values["title"]})
        if action == "unchanged":
            unchanged.append(row.number)
            continue
        if dry_run:
            (created if action == "create" else updated).append(row.number)
            continue
        if action == "create":
            obj = api.content.create(container=container, type=portal_type, id=item_id(row.key), **values)
            setattr(obj, KEY_ATTRIBUTE, row.key)
            created.append(row.number)
        else:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.reindexObject()
            updated.append(row.number)
    return {
        "dry_run": dry_run,
        "rows": len(good) + len({e.number for e in errors}),
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(unchanged),
        "errors": [e.as_dict() for e in sorted(errors, key=lambda e: (e.number, e.field))],
        "preview": plan,
    }


def _year(container):
    issued = getattr(container, "issue_date", None)
    return issued.year if issued else date.today().year
