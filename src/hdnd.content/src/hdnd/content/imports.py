"""Importing the office's Excel tracking sheets into a work programme (its
items, and the tasks that arose) or a directive (its tasks).

``import_sheet(container, data, mapping=None, dry_run=False)`` reads the
sheet (:mod:`hdnd.content.core.sheets`), then creates what is new, updates
what changed and leaves what is the same: each row's key (its code, else its
title and month) is stored on what it created, so importing the same sheet
again changes nothing. The import is all or nothing: a sheet with any bad
row writes nothing and raises :class:`SheetRowsError`, whose report names
every bad row with its number, the sheet's column heading and the reason; a
dry run writes nothing at all. The whole import is one transaction: an
unexpected failure leaves nothing.

Who imports is who does the work (:func:`may_import`): into a programme,
who may add its items (and tasks, for those that arose) there; into a
directive, who may add tasks and may add to or edit the directive (the
office head as soon as it is received; not the registry clerk, who
registers it but does not assign its work).
"""

from datetime import date
from hdnd.content.core import sheets
from hdnd.content.core.text import plain
from hdnd.content.types.programme_item import IProgrammeItem
from hdnd.content.types.task import ITask
from hdnd.content.types.work_programme import IWorkProgramme
from hdnd.content.vocabularies import registry_pairs
from plone import api

import hashlib
import io
import zipfile


KEY_ATTRIBUTE = "import_key"
PREVIEW = 50


class SheetImportError(ValueError):
    """The file as a whole is refused (the message names ``file`` or ``header``)."""


class SheetRowsError(SheetImportError):
    """Rows of the sheet are bad: nothing was written; ``report`` lists them."""

    def __init__(self, report):
        self.report = report
        rows = len({e["row"] for e in report["errors"]})
        super().__init__(f"{rows} row(s) of the sheet have errors: nothing was imported")


def may_import(container):
    """Whether the current user may import a tracking sheet into ``container``."""
    has = api.user.has_permission
    if IWorkProgramme.providedBy(container):
        return has("Add portal content", obj=container) and (
            has("hdnd: Add ProgrammeItem", obj=container) or has("hdnd: Add Task", obj=container))
    return has("hdnd: Add Task", obj=container) and (
        has("Add portal content", obj=container) or has("Modify portal content", obj=container))


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


def current(obj, name):
    """``obj``'s value of a sheet's field (a task made by hand has the month of its deadline)."""
    value = getattr(obj, name, None)
    if name == "planned_month" and value is None and getattr(obj, "deadline", None):
        return obj.deadline.month
    return value


def item_id(key):
    return "nd-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def target(container, row):
    """The type and fields a row becomes in ``container``."""
    values = dict(row.values)
    arisen = values.pop("arisen", False)
    values.pop("code", None)
    if IWorkProgramme.providedBy(container) and not arisen:
        return "ProgrammeItem", values
    return "Task", values  # its month is kept (the sheet's Tháng, else its deadline's)


def import_sheet(container, data, mapping=None, dry_run=False):
    units = dict(registry_pairs("units"))
    year = getattr(container, "year", None) or _year(container)
    try:
        good, errors = sheets.read(workbook_rows(data), units, year, mapping,
                                   tasks=not IWorkProgramme.providedBy(container))
    except sheets.SheetError as error:
        raise SheetImportError(str(error)) from None
    existing = {key_of(obj): obj for obj in container.objectValues() if (IProgrammeItem.providedBy(obj) or ITask.providedBy(obj))}
    created, updated, unchanged, plan, work = [], [], [], [], []
    for row in good:
        portal_type, values = target(container, row)
        obj = existing.get(row.key)
        if obj is None:
            action = "create"
        # type name: the row names the type it creates; an item is never turned into another type
        elif obj.portal_type != portal_type:
            errors.append(sheets.RowError(row.number, "arisen", f"row was imported as a {obj.portal_type} before"))
            continue
        elif all(current(obj, name) == value for name, value in values.items()):
            action = "unchanged"
        else:
            action = "update"
        if action == "create" and not api.user.has_permission(f"hdnd: Add {portal_type}", obj=container):
            errors.append(sheets.RowError(row.number, "arisen", f"you may not add a {portal_type} here"))
            continue
        if len(plan) < PREVIEW:
            plan.append({"row": row.number, "action": action, "type": portal_type, "title": values["title"]})
        if action == "unchanged":
            unchanged.append(row.number)
            continue
        (created if action == "create" else updated).append(row.number)
        work.append((action, row, portal_type, values, obj))
    report = {
        "dry_run": dry_run,
        "rows": len(good) + len({e.number for e in errors}),
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(unchanged),
        "errors": [e.as_dict() for e in sorted(errors, key=lambda e: (e.number, sheets.FIELDS.index(e.field)))],
        "preview": plan,
    }
    if errors:  # all or nothing: a bad sheet writes nothing
        raise SheetRowsError(dict(report, created=0, updated=0, unchanged=0, preview=[]))
    if dry_run:
        return report
    for action, row, portal_type, values, obj in work:
        if action == "create":
            obj = api.content.create(container=container, type=portal_type, id=item_id(row.key), **values)
            setattr(obj, KEY_ATTRIBUTE, row.key)
        else:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.reindexObject()
    return report


def _year(container):
    issued = getattr(container, "issue_date", None)
    return issued.year if issued else date.today().year
