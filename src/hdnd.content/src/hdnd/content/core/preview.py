"""Previews of a file's pages as PNG images, rendered on the server and kept
in a cache folder per file version (plain Python, no Zope).

- PDF: ``pdfinfo`` counts the pages, ``pdftoppm`` renders one page at a time
  (Debian's poppler-utils).
- Office files (ODT, DOCX, DOC, RTF, XLSX, ODS, PPTX…): LibreOffice converts
  them to PDF first (``soffice --headless --convert-to pdf``, with a profile
  of its own in the cache, one conversion at a time), then as a PDF.
- Images are their own preview; other files have none.

A version's key is chosen by the caller (the blob's oid and serial): a new
version of a file gets new previews, and old ones are never served for it.
Files are written under a temporary name and renamed, so a reader never
sees half a file; one lock per key keeps two requests from rendering the
same page at once.
"""

from pathlib import Path

import re
import shutil
import subprocess
import tempfile
import threading


PDF = "application/pdf"
OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.oasis.opendocument.text",
    "application/rtf",
    "text/rtf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.ms-powerpoint",
    "application/vnd.oasis.opendocument.presentation",
}
OFFICE_SUFFIXES = {".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods", ".pptx", ".ppt", ".odp"}
IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
WIDTH = 1000  # pixels: sharp on a desktop's column, scaled down on a phone
RESOLUTION = 110
TIMEOUT = 120  # seconds for one conversion or page
MAX_PAGES = 30  # pages shown in the page; the rest by downloading the file

_locks = {}
_locks_guard = threading.Lock()
_office = threading.Lock()  # one LibreOffice profile: one conversion at a time


class PreviewError(RuntimeError):
    """The file cannot be previewed (a broken PDF, a converter missing)."""


def kind(content_type, filename=""):
    """'pdf', 'office', 'image' or None (no preview)."""
    suffix = Path(filename or "").suffix.lower()
    if content_type == PDF or suffix == ".pdf":
        return "pdf"
    if content_type in OFFICE or suffix in OFFICE_SUFFIXES:
        return "office"
    if content_type in IMAGES:
        return "image"
    return None


def _lock(key):
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _safe(key):
    if not re.fullmatch(r"[0-9A-Za-z_.-]{1,200}", key) or key.startswith("."):
        raise ValueError(f"key: not a safe name: {key!r}")
    return key


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".tmp-") as out:
        out.write(data)
    Path(out.name).replace(path)


def pdf_of(cache, key, read, content_type, filename):
    """The version's PDF in the cache (converted once); ``read()`` gives the
    file's bytes and is called only when the cache lacks them."""
    cache = Path(cache)
    folder = cache / _safe(key)
    pdf = folder / "file.pdf"
    if pdf.exists():
        return pdf
    with _lock(key):
        if pdf.exists():
            return pdf
        what = kind(content_type, filename)
        if what == "pdf":
            _write(pdf, read())
        elif what == "office":
            _write(pdf, office_to_pdf(read(), Path(filename or "file").suffix.lower() or ".docx", cache))
        else:
            raise PreviewError("no preview for this kind of file")
    return pdf


def office_to_pdf(data, suffix, cache):
    """An office file's bytes as PDF bytes, by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise PreviewError("LibreOffice (soffice) is not installed")
    Path(cache).mkdir(parents=True, exist_ok=True)
    profile = Path(cache) / "libreoffice-profile"
    with _office, tempfile.TemporaryDirectory(dir=cache) as work:
        source = Path(work) / f"file{suffix}"
        source.write_bytes(data)
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", work, str(source)],
            capture_output=True, timeout=TIMEOUT)
        result = Path(work) / "file.pdf"
        if done.returncode or not result.exists():
            raise PreviewError(f"LibreOffice could not convert the file: {done.stderr.decode(errors='replace')[:300]}")
        return result.read_bytes()


def page_count(pdf):
    """The number of pages of a PDF (``pdfinfo``), kept beside it."""
    pdf = Path(pdf)
    known = pdf.with_suffix(".pages")
    if known.exists():
        return int(known.read_text() or 0)
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, timeout=TIMEOUT)
    found = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.M)
    if done.returncode or not found:
        raise PreviewError("the PDF cannot be read")
    pages = int(found.group(1))
    _write(known, str(pages).encode())
    return pages


def page_png(pdf, page):
    """The PNG of one page (1-based) of a cached PDF, rendered once."""
    pdf = Path(pdf)
    if not 1 <= page <= page_count(pdf):
        raise IndexError(page)
    png = pdf.parent / f"page-{page}.png"
    if png.exists():
        return png
    with _lock(f"{pdf.parent.name}-{page}"):
        if png.exists():
            return png
        with tempfile.TemporaryDirectory(dir=pdf.parent) as work:
            prefix = Path(work) / "page"
            done = subprocess.run(
                ["pdftoppm", "-png", "-r", str(RESOLUTION), "-scale-to-x", str(WIDTH), "-scale-to-y", "-1",
                 "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
                capture_output=True, timeout=TIMEOUT)
            out = prefix.with_suffix(".png")
            if done.returncode or not out.exists():
                raise PreviewError("the page cannot be rendered")
            out.replace(png)
    return png
