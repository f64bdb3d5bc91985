"""Generating one of the office's documents from a template, as the
requesting user: ``generate(context, template_id, "pdf")`` returns the file's
bytes, its name and its MIME type.

collective.documentgenerator's own view does the rendering; hdnd finds the
template, checks the format, has LibreOffice convert through the converter
that stays connected (libreoffice.KeptPool), and turns a LibreOffice that
does not answer into a clear error. The audit trail records a generation
that may show a classified item; any other writes nothing.
"""

from appy.pod import PodError
from collective.documentgenerator.browser.generation_view import DocumentGenerationView
from hdnd.content import audit
from hdnd.content.docgen.install import applicable
from hdnd.content.docgen.libreoffice import KeptPool
from hdnd.content.docgen.templates import FORMATS


MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class GenerationError(ValueError):
    """Bad input: names the parameter (``template`` or ``format``)."""


class ConverterUnavailable(RuntimeError):
    """LibreOffice did not convert (not running, or it failed)."""


def find(context, template_id):
    for template in applicable(context):
        if template.getId() == template_id:
            return template
    known = ", ".join(t.getId() for t in applicable(context)) or "none"
    raise GenerationError(f"template: no template {template_id!r} for this item (available: {known})")


def generate(context, template_id, output_format="pdf"):
    """Bytes, file name and MIME type of the template ``template_id`` rendered
    on ``context`` as the current user."""
    check_format(output_format)
    return render(context, find(context, template_id), output_format)


def check_format(output_format):
    if output_format not in FORMATS:
        raise GenerationError(f"format: expected one of {', '.join(FORMATS)}, got {output_format!r}")


def pool():
    """The converter appy.pod calls, where the add-on's settings say
    LibreOffice listens: the one that stays connected (libreoffice.KeptPool)."""
    from collective.documentgenerator import config

    return KeptPool(config.get_uno_path(), config.get_oo_server(), config.get_oo_port_list())


def may_hold_classified(context):
    """Whether the document generated here may show a classified item: the
    item is classified, or the requesting user holds a clearance (only then
    can a listing, agenda or register show one). Such a generation is a print
    of a classified item (domain §5) and goes to the audit trail; any other
    is a plain read, and a GET that reads writes nothing (issue 19)."""
    from hdnd.content.clearance import get_clearance
    from hdnd.content.security import is_classified_item

    return is_classified_item(context) or get_clearance(audit.current_actor()) != "none"


def render(context, template, output_format):
    """``generate`` for a template already found applicable to ``context``."""
    check_format(output_format)
    template_id = template.getId()
    # The add-on's own renderer ("document-generation" is hdnd's view, views.py).
    view = DocumentGenerationView(context, context.REQUEST)
    view.pod_template, view.output_format = template, output_format
    try:
        data, _name, _context = view._generate_doc(template, output_format, raiseOnError=True, loPool=pool())
    except PodError as error:
        raise ConverterUnavailable(
            f"LibreOffice did not convert the document to {output_format} "
            f"(is it running on 127.0.0.1?): {str(error).strip()[:300]}"
        ) from error
    if may_hold_classified(context):
        audit.record("generate", context, template=template_id, format=output_format)
    # The item's id, not its title: a classified item's title must not
    # travel in a file name (logs, download folders).
    filename = f"{template_id}-{context.getId()}.{output_format}"
    return data, filename, MIMETYPES[output_format]
