"""Putting the office's templates into a site, and pointing
collective.documentgenerator at LibreOffice."""

from hdnd.content.docgen.templates import FORMATS
from hdnd.content.docgen.templates import TEMPLATES
from plone import api
from plone.namedfile.file import NamedBlobFile

import hashlib


ODT = "application/vnd.oasis.opendocument.text"
RECORD = "collective.documentgenerator.browser.controlpanel.IDocumentGeneratorControlPanelSchema.{}"


def ensure_templates(folder):
    """Create the shipped templates missing from ``folder``; refresh those an
    administrator has not changed (an upgrade brings new layouts, never over
    a local edit). Returns the ids created or refreshed."""
    touched = []
    with api.env.adopt_roles(["Manager"]):
        for template in TEMPLATES:
            data = template.odt()
            shipped = hashlib.md5(data).hexdigest()
            existing = folder.get(template.id)
            if existing is None:
                api.content.create(
                    container=folder, type="ConfigurablePODTemplate", id=template.id,
                    title=template.title, description=template.description,
                    odt_file=NamedBlobFile(data=data, contentType=ODT, filename=f"{template.id}.odt"),
                    pod_formats=list(FORMATS), pod_portal_types=list(template.portal_types),
                    tal_condition=template.condition, exclude_from_nav=True,
                )
                folder[template.id].hdnd_shipped_md5 = shipped
                touched.append(template.id)
            elif getattr(existing, "hdnd_shipped_md5", None) != shipped and not existing.has_been_modified():
                existing.odt_file = NamedBlobFile(data=data, contentType=ODT, filename=f"{template.id}.odt")
                existing.pod_portal_types = list(template.portal_types)
                existing.tal_condition = template.condition
                existing.initial_md5 = existing.style_modification_md5 = existing.current_md5
                existing.hdnd_shipped_md5 = shipped
                existing.reindexObject()
                touched.append(template.id)
    return touched


def configure_libreoffice(uno_python, port, server="127.0.0.1"):
    """Where LibreOffice listens and which Python runs appy's converter."""
    api.portal.set_registry_record(RECORD.format("oo_server"), server)
    api.portal.set_registry_record(RECORD.format("oo_port_list"), str(port))
    api.portal.set_registry_record(RECORD.format("uno_path"), uno_python)


def applicable(context):
    """The enabled templates that apply to ``context`` (its type and condition)."""
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    # The templates folder is administrators' only: find them unrestricted,
    # then let each template decide whether it applies here.
    for brain in catalog.unrestrictedSearchResults(portal_type="ConfigurablePODTemplate", sort_on="getObjPositionInParent"):
        template = brain._unrestrictedGetObject()
        if template.can_be_generated(context):
            found.append(template)
    return found
