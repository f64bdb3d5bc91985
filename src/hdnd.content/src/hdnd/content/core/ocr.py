"""OCR with Debian's tools: tesseract (tesseract-ocr, tesseract-ocr-vie) for
the words of a page, pdftoppm (poppler-utils) to rasterise a PDF, ocrmypdf
to make a searchable PDF. No Zope import; Pillow for the page images.

Every tool is a separate program, found on PATH: an installation without
them still runs, and ``missing()`` names the Debian packages to install.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from hdnd.content.core.recognition import read_layout
from hdnd.content.core.recognition import read_marks
from hdnd.content.core.text import plain

LANGUAGES = "vie"            # the layout's words: English would cost Vietnamese its diacritics
SEARCH_LANGUAGES = "vie+eng"  # searchable PDFs: mixed pages keep their English words
DPI = 300
MAX_PAGES = 20               # pages read for the text of one file
TIMEOUT = 180                # seconds for one program run
IMAGE_TYPES = {"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/gif", "image/webp"}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")

PACKAGES = {  # program -> the Debian package that brings it
    "tesseract": "tesseract-ocr",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "ocrmypdf": "ocrmypdf",
}


class OCRUnavailable(RuntimeError):
    """The OCR programs are not installed; the message names the packages."""


class OCRError(ValueError):
    """A file that cannot be read as a page (not a PDF or an image, damaged)."""


def _languages():
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    return set(done.stdout.split()[1:]) if done.returncode == 0 else set()


def missing(searchable=False):
    """The Debian packages missing for reading pages (and, with
    ``searchable``, for making searchable PDFs); [] when all are there."""
    wanted = ["tesseract", "pdftoppm", "pdftotext"] + (["ocrmypdf"] if searchable else [])
    lacking = []
    for program in wanted:
        if shutil.which(program) is None and PACKAGES[program] not in lacking:
            lacking.append(PACKAGES[program])
    if shutil.which("tesseract") is not None and "vie" not in _languages():
        lacking.append("tesseract-ocr-vie")
    return lacking


def require(searchable=False):
    lacking = missing(searchable)
    if lacking:
        raise OCRUnavailable(
            "OCR is not installed on this server: missing Debian packages " + ", ".join(lacking)
            + " (install them with: apt-get install " + " ".join(lacking) + ")"
        )


def kind_of(filename, content_type):
    name = (filename or "").lower()
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "application/pdf" or name.endswith(".pdf"):
        return "pdf"
    if kind in IMAGE_TYPES or name.endswith(IMAGE_SUFFIXES):
        return "image"
    return ""


def pdf_text(data):
    """The PDF's text layer ("" when it has none, or it is no PDF)."""
    try:
        done = subprocess.run(["pdftotext", "-q", "-layout", "-", "-"], input=data, capture_output=True,
                              timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.decode("utf-8", "replace")


def page_count(data):
    """The number of pages of a PDF (pdfinfo), 1 when it cannot tell."""
    try:
        done = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, timeout=60)
        match = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
        return max(1, int(match.group(1))) if match else 1
    except (OSError, subprocess.SubprocessError):
        return 1


def has_text(data):
    """Whether a PDF already carries words (a born-digital PDF, or one
    already made searchable): a scan has none, or a few stray ones."""
    return sum(1 for c in pdf_text(data) if c.isalpha()) >= 40


def pages_of(data, kind, first=1, last=MAX_PAGES, dpi=DPI):
    """The page images (Pillow) of a PDF or an image file."""
    from PIL import Image
    from PIL import UnidentifiedImageError

    if kind == "image":
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError, ValueError) as error:
            raise OCRError(f"not an image that can be read: {error}") from None
        frames = []
        for n in range(getattr(image, "n_frames", 1)):
            image.seek(n)
            frames.append(image.convert("RGB"))
            if len(frames) >= last:
                break
        return frames
    with tempfile.TemporaryDirectory(prefix="hdnd-ocr-") as folder:
        source = os.path.join(folder, "in.pdf")
        with open(source, "wb") as out:
            out.write(data)
        done = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(first), "-l", str(last), "-png", source,
                               os.path.join(folder, "page")], capture_output=True, timeout=TIMEOUT)
        names = sorted((n for n in os.listdir(folder) if n.startswith("page")), key=lambda n: int(re.findall(r"\d+", n)[-1]))
        if done.returncode != 0 or not names:
            raise OCRError("not a PDF that can be read: " + done.stderr.decode("utf-8", "replace").strip()[:200])
        images = []
        for name in names:
            with Image.open(os.path.join(folder, name)) as image:
                images.append(image.convert("RGB"))
        return images


def without_red(image):
    """The page in grey with red ink gone: the red channel shows black text
    dark and a red seal or stamp as light as the paper."""
    from PIL import ImageFilter

    grey = image.split()[0] if image.mode == "RGB" else image.convert("L")
    # Scanner speckles are single dark pixels: a 3×3 median removes them
    # and keeps strokes, which are wider at 200 dpi and more.
    return grey.filter(ImageFilter.MedianFilter(3))


def red_only(image):
    """Only the red ink (seals, "Mật"/"Khẩn" stamps) as black on white."""
    r, g, b = image.split()
    from PIL import ImageChops

    redness = ImageChops.subtract(r, ImageChops.lighter(g, b))  # high where red dominates
    # No speck filter here: a 3×3 one also wore away a 200 dpi stamp's strokes
    # (4 of 7 "MẬT" read on the corpus instead of 7); a misread accent
    # ("MẠT") still reads as the mark, compared without diacritics.
    return redness.point(lambda v: 0 if v > 60 else 255)


@dataclass
class PageText:
    text: str
    words: dict      # bare word -> the engine's confidence 0..1 (lowest seen)
    seconds: float


def tesseract(image, languages=LANGUAGES, psm=3):
    """OCR one page image: its text and the engine's word confidences."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hdnd-ocr-") as folder:
        source = os.path.join(folder, "page.png")
        image.save(source, dpi=(DPI, DPI))
        base = os.path.join(folder, "out")
        try:
            done = subprocess.run(["tesseract", source, base, "-l", languages, "--psm", str(psm), "txt", "tsv"],
                                  capture_output=True, timeout=TIMEOUT, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        except FileNotFoundError:
            require()
            raise
        if done.returncode != 0:
            raise OCRError("tesseract failed: " + done.stderr.decode("utf-8", "replace").strip()[-300:])
        with open(base + ".txt", encoding="utf-8") as f:
            text = f.read()
        words = {}
        with open(base + ".tsv", encoding="utf-8") as f:
            for row in f.read().splitlines()[1:]:
                cells = row.split("\t")
                if len(cells) < 12 or not cells[11].strip():
                    continue
                try:
                    confidence = max(0.0, float(cells[10])) / 100
                except ValueError:
                    continue
                key = plain(cells[11].strip(",.;:()[]\"'"))
                words[key] = min(confidence, words.get(key, 1.0))
    return PageText(text, words, time.monotonic() - started)


@dataclass
class Recognition:
    text: str
    fields: dict
    confidence: dict
    classification: str
    urgency: str
    pages: int
    source: str      # "text-layer" (the PDF's own words) or "ocr"
    seconds: float

    def as_dict(self):
        return {"text": self.text, "fields": self.fields,
                "confidence": {k: round(v, 2) for k, v in self.confidence.items()},
                "classification": self.classification, "urgency": self.urgency,
                "pages": self.pages, "source": self.source, "seconds": round(self.seconds, 2)}


def recognize(data, filename="", content_type="", known_bodies=(), issuers=None, max_pages=MAX_PAGES):
    """Read a scanned (or born-digital) document's fields.

    Raises OCRError for a file that is neither a PDF nor an image, and
    OCRUnavailable when a scan needs OCR and the programs are missing.
    """
    started = time.monotonic()
    kind = kind_of(filename, content_type)
    if not kind:
        raise OCRError("a PDF or an image (PNG, JPEG, TIFF) is expected")
    extra = {"issuers": issuers} if issuers else {}
    if kind == "pdf":
        if not data.startswith(b"%PDF"):
            raise OCRError("not a PDF (it does not start with %PDF)")
        if shutil.which("pdftotext") and has_text(data):
            text = pdf_text(data)
            reading = read_layout(_unlayout(text), known_bodies=known_bodies, **extra)
            return Recognition(text, reading.fields, reading.confidence, reading.classification, reading.urgency,
                               text.count("\f") or 1, "text-layer", time.monotonic() - started)
    require()
    pages = []
    if kind == "pdf":
        count = page_count(data)
        pages = pages_of(data, kind, first=1, last=min(count, max_pages))
        if count > max_pages:  # the signature block and "Nơi nhận" close the last page
            pages += pages_of(data, kind, first=count, last=count)
    else:
        pages = pages_of(data, kind, last=max_pages)
    texts, words = [], {}
    marks_seen = []
    for n, page in enumerate(pages):
        result = tesseract(without_red(page))
        texts.append(result.text)
        for key, value in result.words.items():
            words[key] = min(value, words.get(key, 1.0))
        if n == 0:  # stamps are on the first page; red ones vanish from the grey page
            red = red_only(page)
            if red.getextrema()[0] == 0:  # any red ink at all
                marks_seen.append(tesseract(red, psm=11).text)
    text = "\f".join(texts)
    # The layout's fields are on the first page and the signature block on
    # the last: read them as one page.
    layout = texts[0] if len(texts) == 1 else texts[0] + "\n\n" + texts[-1]
    reading = read_layout(layout, word_confidence=words, known_bodies=known_bodies, **extra)
    red_classification, red_urgency = read_marks("\n".join(marks_seen).splitlines())
    from hdnd.content.core.levels import rank

    classification = red_classification if rank(red_classification) > rank(reading.classification) else reading.classification
    urgency = reading.urgency if reading.urgency != "normal" else red_urgency
    return Recognition(text, reading.fields, reading.confidence, classification, urgency, len(pages), "ocr",
                       time.monotonic() - started)


def _unlayout(text):
    """pdftotext -layout keeps columns side by side with runs of spaces:
    the layout reader takes them as merged lines, as OCR gives them."""
    return "\n".join(re.sub(r" {3,}", "   ", line) for line in text.splitlines())


def searchable_pdf(data, kind="pdf", languages=SEARCH_LANGUAGES, timeout=900):
    """A searchable PDF (a text layer over the page images) made from a
    scanned PDF or an image by ocrmypdf; the input bytes are not changed.
    Returns ``(pdf bytes, text)``."""
    require(searchable=True)
    with tempfile.TemporaryDirectory(prefix="hdnd-ocrmypdf-") as folder:
        source = os.path.join(folder, "in.pdf" if kind == "pdf" else "in.img")
        target = os.path.join(folder, "out.pdf")
        with open(source, "wb") as out:
            out.write(data)
        command = ["ocrmypdf", "-l", languages, "--skip-text", "--rotate-pages", "--deskew",
                   "--output-type", "pdf", "--optimize", "0", "--jobs", "1", "--quiet"]
        if kind == "image":
            command += ["--image-dpi", str(DPI)]
        done = subprocess.run(command + [source, target], capture_output=True, timeout=timeout,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        if done.returncode not in (0, 6) or not os.path.exists(target):  # 6: already had text
            raise OCRError("ocrmypdf failed (exit %s): %s" % (
                done.returncode, done.stderr.decode("utf-8", "replace").strip()[-400:]))
        with open(target, "rb") as f:
            result = f.read()
    return result, pdf_text(result)
