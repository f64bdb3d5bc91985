"""The office's own identity on every page (issue 20): its emblem and name
(organisation settings, hdnd.organisation.*) in the header in place of
Plone's logo, and its name, address and contacts in the footer in place of
"Powered by Plone". Barceloneta's rules (Diazo) place #portal-logo in the
header and the footer signature's card body in the footer."""

from hdnd.content.settings import ORGANISATION_PREFIX
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.formwidget.namedfile.converter import b64decode_file
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from pathlib import Path

import mimetypes


DEFAULT_EMBLEM = Path(__file__).parent / "static" / "emblem.svg"
TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".gif": "image/gif", ".webp": "image/webp"}


def setting(name):
    return api.portal.get_registry_record(f"{ORGANISATION_PREFIX}.{name}", default=None) or ""


def emblem():
    """(filename, bytes, content type) of the office's emblem, the default star without one."""
    value = setting("emblem")
    if value:
        try:
            filename, data = b64decode_file(value)
        except Exception:  # a value not written by the control panel's widget
            filename, data = None, None
        if data:
            filename = f"uploaded-{filename or ''}"
            suffix = Path(filename).suffix.lower()
            return filename, data, TYPES.get(suffix) or mimetypes.guess_type(filename or "")[0] or "image/png"
    return "emblem.svg", DEFAULT_EMBLEM.read_bytes(), "image/svg+xml"  # ours: no script


class Emblem(BrowserView):
    """@@hdnd-emblem: the emblem's image (public, as Plone's logo is)."""

    def __call__(self):
        filename, data, content_type = emblem()
        response = self.request.response
        response.setHeader("Content-Type", content_type)
        response.setHeader("Cache-Control", "public, max-age=3600")
        if content_type == "image/svg+xml" and filename != "emblem.svg":
            # An uploaded SVG may hold scripts: opened by itself it is a download,
            # never a page of this site (an <img> runs no script either way).
            response.setHeader("Content-Disposition", 'attachment; filename="emblem.svg"')
        return data


class Identity:
    def identity(self):
        root = api.portal.get().absolute_url()
        return {
            "url": root, "emblem": f"{root}/@@hdnd-emblem",
            "name": setting("body_name"), "parent": setting("parent_body"),
            "address": setting("organ_address"), "telephone": setting("organ_telephone"),
            "email": setting("organ_email"),
        }


class LogoViewlet(ViewletBase, Identity):
    """The header: the emblem and the office's name, linking home."""

    index = ViewPageTemplateFile("templates/identity_logo.pt")


class FooterViewlet(ViewletBase, Identity):
    """The footer: the office's name, address and contacts."""

    index = ViewPageTemplateFile("templates/identity_footer.pt")
