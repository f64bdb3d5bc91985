"""Full text of the office's records for the search: metadata and the text
of attached PDF, DOCX, ODT and plain-text files.

Plone's lexicon already ignores case and accents, Vietnamese "đ" included
("nghi quyet" finds "Nghị quyết", "de an" finds "Đề án"); what hdnd adds is
the text inside the files, read once per file version (``pdftotext`` from
poppler-utils for PDF; DOCX and ODT are read from their XML).
"""

from Acquisition import aq_base
from hdnd.content.core.text import unaccent
from hdnd.content.searchable import ocr_text  # the words OCR read in a scan (issue 24)
from plone.app.contenttypes.interfaces import IFile
from plone.indexer import indexer
from zope.interface import Interface

import logging
import re
import io
import subprocess
import zipfile


logger = logging.getLogger("hdnd.content.fulltext")
CACHE = "_hdnd_fulltext"
TAGS = re.compile(r"<[^>]+>")
# Paragraph ends in Word and OpenDocument XML, kept as spaces between words.
BREAKS = re.compile(r"</w:p>|</text:p>|</text:h>|<text:line-break/>|<text:tab/>|<w:tab/>")
LIMIT = 2_000_000  # characters of one file's text kept for the index


def _xml_text(data, member):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(member).decode("utf-8", "replace")
    return " ".join(TAGS.sub(" ", BREAKS.sub(" ", xml)).split())


def extract(data, filename="", content_type=""):
    """The text of a file's bytes, or "" when it holds none we can read."""
    name = (filename or "").lower()
    kind = content_type or ""
    try:
        if kind == "application/pdf" or name.endswith(".pdf"):
            done = subprocess.run(["pdftotext", "-q", "-", "-"], input=data, capture_output=True, timeout=120)
            return done.stdout.decode("utf-8", "replace")
        if name.endswith(".docx") or "wordprocessingml" in kind:
            return _xml_text(data, "word/document.xml")
        if name.endswith(".odt") or kind == "application/vnd.oasis.opendocument.text":
            return _xml_text(data, "content.xml")
        if kind.startswith("text/") or name.endswith(".txt"):
            return data.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError, zipfile.BadZipFile, KeyError) as error:
        logger.warning("no text from %s: %s", filename, error)
    return ""


def file_text(obj, field="file"):
    """The text of ``obj``'s file field, cached on the object per file version."""
    namedfile = getattr(aq_base(obj), field, None)
    if namedfile is None or not getattr(namedfile, "size", 0):
        return ""
    # The file's version without reading it: a new upload is a new object
    # (another oid), a change in place a new serial. Reindexing an item
    # (every edit, every transition) then costs no blob read.
    key = (namedfile.filename, namedfile.size, getattr(namedfile, "_p_oid", None),
           getattr(namedfile, "_p_serial", None))
    cached = getattr(aq_base(obj), CACHE, None)
    if cached and cached[0] == key:
        return cached[1]
    text = extract(namedfile.data, namedfile.filename, namedfile.contentType)[:LIMIT]
    setattr(obj, CACHE, (key, text))
    return text


def joined(*parts):
    """The parts, and again without diacritics: Plone's lexicon leaves a word
    as typed when it starts with a letter beyond Latin Extended-B ("ủy",
    "ổn", "ứng"), so "uy ban" would not find "Ủy ban" without this copy."""
    text = " ".join(str(p) for p in parts if p)
    bare = unaccent(text)
    return text if bare == text else f"{text} {bare}"


@indexer(Interface)
def document_text(obj):
    """An official document: its metadata, its file, and its attachments."""
    attachments = [
        f"{child.title} {file_text(child)} {ocr_text(child)}" for child in obj.objectValues()
        if IFile.providedBy(child)
    ]
    return joined(
        obj.title, obj.description, obj.symbol, getattr(obj, "canonical_symbol", ""), obj.issuing_body,
        obj.signer, " ".join(obj.recipients or ()), file_text(obj), ocr_text(obj), *attachments,
    )


@indexer(Interface)
def dossier_text(obj):
    return joined(obj.title, obj.description, obj.dossier_code)


@indexer(Interface)
def attachment_text(obj):
    """A file (Plone's File) with the text inside it."""
    return joined(obj.title, obj.description, file_text(obj), ocr_text(obj))
