"""The registry form filled from the page (issue 24): Plone's side of
hdnd.content.core.recognition and core.ocr.

What the office already knows helps the reading: the issuers of its
"danh mục" (registry ``hdnd.vocabularies.issuers``: their symbol codes mend
misread symbols, their names give the spelling of a header read close to
one). Only that configuration is used, never the catalog: what was filed
before may be classified, and a reading must not tell of it.
"""

from hdnd.content.core import ocr
from hdnd.content.core.recognition import CERTAIN
from hdnd.content.core.recognition import ISSUER_CODES
from hdnd.content.vocabularies import registry_pairs

import base64
import binascii


MAX_FILE = 50 * 1024 * 1024  # as @hdnd-receive takes a file
PAGES = 1  # the first page is read, and the last (signature, "Nơi nhận"): a clerk waits for the answer


class RecognizeError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def decode(upload):
    """``(filename, bytes, content_type)`` of ``{"filename", "content_type",
    "data": base64}``; RecognizeError names the field that is wrong."""
    if not isinstance(upload, dict):
        raise RecognizeError("file", "file: expected an object {filename, content_type, data (base64)}")
    data = upload.get("data")
    if not isinstance(data, str) or not data:
        raise RecognizeError("file.data", "file.data: the file's bytes in base64 are required")
    try:
        payload = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise RecognizeError("file.data", "file.data: not base64") from None
    if not payload:
        raise RecognizeError("file.data", "file.data: the file is empty")
    if len(payload) > MAX_FILE:
        raise RecognizeError("file.data", f"file.data: larger than {MAX_FILE // (1024 * 1024)} MB")
    filename = upload.get("filename") or ""
    content_type = upload.get("content_type") or ""
    if not isinstance(filename, str):
        raise RecognizeError("file.filename", "file.filename: expected text")
    if not isinstance(content_type, str):
        raise RecognizeError("file.content_type", "file.content_type: expected text")
    if not ocr.kind_of(filename, content_type):
        raise RecognizeError("file.content_type",
                             "file.content_type: a PDF or an image (PNG, JPEG, TIFF) is expected")
    return filename[:200], payload, content_type


def known_bodies():
    return [title for _token, title in registry_pairs("issuers")]


def issuer_codes():
    return tuple(dict.fromkeys([token for token, _title in registry_pairs("issuers")] + list(ISSUER_CODES)))


def recognize(filename, payload, content_type):
    """The answer of @hdnd-recognize (and of the registry desk's upload).
    Raises ocr.OCRError (a bad file) and ocr.OCRUnavailable."""
    try:
        found = ocr.recognize(payload, filename, content_type, known_bodies=known_bodies(),
                              issuers=issuer_codes(), max_pages=PAGES)
    except ocr.OCRError as error:
        raise RecognizeError("file.data", f"file.data: {error}") from None
    answer = found.as_dict()
    answer["uncertain"] = sorted(name for name, value in found.confidence.items() if value < CERTAIN)
    answer["threshold"] = CERTAIN
    return answer
