"""REST of execution tracking.

- ``GET <programme|directive>/@hdnd-figures``: the key figures and the listing;
- ``GET <programme|directive>/@hdnd-export``: the tracking sheet (.xlsx); a
  file plan: its headings; ``?register=incoming|outgoing&year=2026``: the
  year's register; any other folder: its listing (.xlsx);
- ``POST <programme|directive>/@hdnd-import`` ``{"file": {"data": <base64>},
  "mapping": {...}, "dry_run": true}``: import an Excel tracking sheet, all
  or nothing (a bad sheet answers 400 with ``errors`` by row and column
  heading); who may is :func:`hdnd.content.imports.may_import` (403 else);
- ``GET|POST <task>/@hdnd-extensions`` ``{"deadline": "2026-12-31", "reason": "…"}``
  and ``POST <task>/@hdnd-extensions/<id>`` ``{"decision": "approve|refuse"}``.
"""

from hdnd.content import bodies
from datetime import date
from hdnd.content import exports
from hdnd.content import extensions
from hdnd.content import imports
from hdnd.content import tracking
from hdnd.content.downloads import attachment
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.file_plan import IFilePlan
from hdnd.content.types.transfer_batch import ITransferBatch
from hdnd.content.types.work_programme import IWorkProgramme
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import Forbidden
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import base64
import binascii


TRACKING = (IWorkProgramme, IOfficialDocument)  # what a tracking sheet is exported from and imported into


def is_tracking(context):
    return any(i.providedBy(context) for i in TRACKING)


class Figures(Service):
    def reply(self):
        return {"@id": self.context.absolute_url(), **tracking.figures(self.context),
                "items": tracking.rows(self.context)}


class Export(Service):
    def render(self):
        self.check_permission()
        register = self.request.form.get("register")
        if register is not None:
            from hdnd.content.registers import REGISTERS

            if register not in REGISTERS:
                raise BadRequest("register: expected one of " + ", ".join(f'"{r}"' for r in REGISTERS))
            try:
                year = int(self.request.form.get("year") or date.today().year)
            except ValueError:
                raise BadRequest("year: expected a year such as 2026")
            direction, secret = REGISTERS[register]
            data, name = exports.register_xlsx(direction, year, secret), f"so-{register}-{year}.xlsx"
        elif ITransferBatch.providedBy(self.context):
            data, name = exports.transfer_xlsx(self.context), f"muc-luc-nop-luu-{self.context.getId()}.xlsx"
        elif IFilePlan.providedBy(self.context):
            data, name = exports.file_plan_xlsx(self.context), f"danh-muc-ho-so-{self.context.year}.xlsx"
        elif is_tracking(self.context):
            data, name = exports.tracking_xlsx(self.context), f"theo-doi-{self.context.getId()}.xlsx"
        else:
            data, name = exports.listing_xlsx(self.context), f"danh-sach-{self.context.getId()}.xlsx"
        return attachment(self.request.response, data, name, exports.XLSX)


class Import(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if not is_tracking(self.context):
            raise BadRequest("file: sheets are imported into a work programme or a directive")
        if not imports.may_import(self.context):
            raise Forbidden("Importing a tracking sheet here is for who assigns its work "
                            "(office heads, leaders, specialists; into a programme, who adds its items)")
        body = bodies.read(self.request, limit=bodies.LIMIT)  # the sheet, in base64
        upload = body.get("file")
        if not isinstance(upload, dict) or not upload.get("data"):
            raise BadRequest('file: expected {"data": "<the .xlsx file in base64>"}')
        try:
            data = base64.b64decode(upload["data"], validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("file: data is not base64")
        mapping = body.get("mapping")
        if mapping is not None and not isinstance(mapping, dict):
            raise BadRequest('mapping: expected {"heading in the sheet": "field"}')
        try:
            return imports.import_sheet(self.context, data, mapping, dry_run=bool(body.get("dry_run")))
        except imports.SheetRowsError as error:  # nothing was written
            self.request.response.setStatus(400)
            return {"type": "BadRequest", "message": str(error), **error.report}
        except imports.SheetImportError as error:
            raise BadRequest(str(error))


@implementer(IPublishTraverse)
class Extensions(Service):
    request_id = None

    def publishTraverse(self, request, name):
        if self.request_id is None:
            self.request_id = name
            return self
        raise BadRequest("id: one request id in the URL")

    def reply(self):
        if self.request.method == "GET":
            return {"items": extensions.as_dicts(self.context)}
        alsoProvides(self.request, IDisableCSRFProtection)
        body = bodies.read(self.request)
        try:
            if self.request_id is None:
                entry = extensions.request(self.context, parse_date(body.get("deadline")), body.get("reason"))
            else:
                decision = body.get("decision")
                if decision not in ("approve", "refuse"):
                    raise extensions.ExtensionError('decision: expected "approve" or "refuse"')
                try:
                    number = int(self.request_id)
                except ValueError:
                    raise extensions.ExtensionError(f"id: not a request number: {self.request_id!r}")
                entry = extensions.decide(self.context, number, decision == "approve", body.get("note", ""))
        except extensions.ExtensionError as error:
            raise BadRequest(str(error))
        return next(e for e in extensions.as_dicts(self.context) if e["id"] == entry["id"])


def parse_date(value):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise extensions.ExtensionError(f"deadline: expected a date such as 2026-12-31, got {value!r}")


class Dashboard(Service):
    """``GET /@hdnd-dashboard[?unit=ban-phap-che]``: what waits for me
    (``waiting``, filtered by ``kind``, ``lead_unit``, ``urgency``,
    ``overdue``), my tasks, due soon, overdue, a unit's work, the directives
    and the programmes."""

    def reply(self):
        from hdnd.content.dashboard import dashboard
        from hdnd.content.dashboard import waiting_filters

        return dashboard(unit=self.request.form.get("unit") or None, filters=waiting_filters(self.request.form))
