"""Opening the year's dossiers from an approved file plan (danh mục hồ sơ):
one dossier per heading, with its code, title, retention and keeper, in the
dossiers section. Safe to repeat: a code already opened that year is left."""

from datetime import date
from hdnd.content.types.file_plan import IFilePlanHeading
from plone import api


class FilePlanError(ValueError):
    """The message names the field or the rule."""


def headings(plan):
    return [h for h in plan.objectValues() if IFilePlanHeading.providedBy(h)]


def opened_codes(year):
    catalog = api.portal.get_tool("portal_catalog")
    codes = set()
    for brain in catalog.unrestrictedSearchResults(portal_type="Dossier"):
        dossier = brain._unrestrictedGetObject()
        if dossier.start_date and dossier.start_date.year == year and dossier.dossier_code:
            codes.add(dossier.dossier_code)
    return codes


def open_dossiers(plan, today=None):
    if api.content.get_state(plan) != "approved":
        raise FilePlanError("file plan: dossiers are opened from an approved file plan")
    today = today or date.today()
    start = today if today.year == plan.year else date(plan.year, 1, 1)
    container = api.portal.get()["ho-so"]
    existing = opened_codes(plan.year)
    created = []
    for heading in headings(plan):
        if heading.dossier_code in existing:
            continue
        dossier = api.content.create(
            container=container, type="Dossier", title=heading.title, dossier_code=heading.dossier_code,
            retention=heading.retention, responsible=heading.responsible, start_date=start,
            description=heading.heading or "",
        )
        existing.add(heading.dossier_code)
        created.append(dossier)
    return created
