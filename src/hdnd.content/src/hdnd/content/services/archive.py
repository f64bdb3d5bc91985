"""REST of records management.

- ``GET <dossier>/@hdnd-contents``: the table of contents (mục lục văn bản),
  page total and transfer status;
- ``POST /@hdnd-transfer-package {"dossiers": ["<url>", …], "bag": true}``:
  the transfer package of closed dossiers, as a .zip;
- ``GET /@hdnd-tombstones``: what destroyed dossiers leave (destruction goes
  through a DestructionList and its workflow).
"""

from hdnd.content import bodies
from hdnd.content import archive
from hdnd.content.downloads import attachment
from hdnd.content.types.dossier import IDossier
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import Unauthorized
from zope.interface import alsoProvides

import io
import os
import re
import tempfile
import zipfile


class Contents(Service):
    def reply(self):
        return {**archive.table_of_contents(self.context), "transfer": archive.transfer_status(self.context)}


class TransferPackage(Service):
    def render(self):
        self.check_permission()
        if api.user.is_anonymous():  # records managers' work: sign in first, whatever the body
            raise Unauthorized("Sign in to prepare a transfer package.")
        alsoProvides(self.request, IDisableCSRFProtection)
        body = bodies.read(self.request)
        urls = body.get("dossiers")
        if not isinstance(urls, list) or not urls:
            raise BadRequest('dossiers: expected a list of dossier URLs')
        portal = api.portal.get()
        base = portal.absolute_url()
        dossiers = []
        for url in urls:
            path = str(url).replace(base, "").strip("/")
            dossier = portal.unrestrictedTraverse(path, None) if path else None
            if dossier is None or not IDossier.providedBy(dossier) or not api.user.has_permission(
                "View", obj=dossier
            ):
                raise BadRequest(f"dossiers: no dossier at {url}")
            dossiers.append(dossier)
        if not any("RecordsManager" in api.user.get_roles(obj=d) or "Manager" in api.user.get_roles() for d in dossiers):
            raise BadRequest("dossiers: only a records manager prepares a transfer")
        package_id = body.get("id") or f"hdnd-nop-luu-{dossiers[0].getId()}"
        return zipped(self.request, dossiers, package_id, bool(body.get("bag")))


def zipped(request, dossiers, package_id, bag):
    """The package of ``dossiers`` as a .zip answer."""
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,80}", package_id):
        raise BadRequest("id: letters, digits, dot, dash and underscore only")
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = archive.package_dossiers(dossiers, folder, package_id, bag=bag)
        except archive.ArchiveError as error:
            raise BadRequest(str(error))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive_zip:
            for root, _dirs, files in os.walk(path):
                for name in files:
                    full = os.path.join(root, name)
                    archive_zip.write(full, os.path.relpath(full, folder))
    return attachment(request.response, out.getvalue(), f"{package_id}.zip", "application/zip")


class BatchPackage(Service):
    """``GET <transfer>/@hdnd-package?bag=1``: the package of a transfer's dossiers."""

    def render(self):
        self.check_permission()
        dossiers = [r.to_object for r in (self.context.dossiers or ()) if r.to_object is not None]
        if not dossiers:
            raise BadRequest("dossiers: the transfer holds no dossier")
        bag = self.request.form.get("bag") in ("1", "true", "yes")
        return zipped(self.request, dossiers, f"nop-luu-{self.context.getId()}", bag)


class HoldBack(Service):
    """``POST <dossier>/@hdnd-hold-back {"until": "2028-06-30", "reason": "…"}``."""

    def reply(self):
        from datetime import date
        from hdnd.content.retention import hold_back

        alsoProvides(self.request, IDisableCSRFProtection)
        body = bodies.read(self.request)
        try:
            until = date.fromisoformat(body.get("until") or "")
        except (TypeError, ValueError):
            raise BadRequest("held_until: expected a date such as 2028-06-30 in until")
        try:
            hold_back(self.context, until, body.get("reason"))
        except ValueError as error:
            raise BadRequest(str(error))
        return archive.transfer_status(self.context)


class OpenDossiers(Service):
    """``POST <file plan>/@hdnd-open-dossiers``: open the year's dossiers."""

    def reply(self):
        from hdnd.content import fileplan

        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            created = fileplan.open_dossiers(self.context)
        except fileplan.FilePlanError as error:
            raise BadRequest(str(error))
        return {"created": [d.absolute_url() for d in created]}


class Tombstones(Service):
    def reply(self):
        portal = api.portal.get()
        section = portal.get("luu-tru", portal)
        if not {"RecordsManager", "Manager", "Site Administrator"} & set(api.user.get_roles(obj=section)):
            raise Unauthorized("Only records managers read the tombstones of destroyed records.")
        return {"items": archive.tombstones()}
