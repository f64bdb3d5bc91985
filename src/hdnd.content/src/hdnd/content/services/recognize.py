"""``POST <section>/@hdnd-recognize`` ``{"file": {"filename", "content_type",
"data": <base64>}}``: the fields of a scanned Party or State document read
from its page (hdnd.content.recognition), for the registry clerk to check.
Nothing is written: the answer only fills a form.

400 naming the field for a file that is not a PDF or an image; 503 naming
the Debian packages when OCR is not installed on the server.
"""

from hdnd.content import bodies
from hdnd.content import recognition
from hdnd.content.core import ocr
from plone.restapi.services import Service


class Recognize(Service):
    def reply(self):
        data = bodies.read(self.request, limit=bodies.LIMIT)
        try:
            if not isinstance(data, dict) or "file" not in data:
                raise recognition.RecognizeError("file", "file: the scanned document is required")
            unknown = sorted(set(data) - {"file"})
            if unknown:
                raise recognition.RecognizeError(unknown[0], f"{unknown[0]}: not a field of this request")
            return recognition.recognize(*recognition.decode(data["file"]))
        except recognition.RecognizeError as error:
            self.request.response.setStatus(400)
            return {"type": "BadRequest", "message": str(error),
                    "errors": [{"field": error.field, "message": str(error)}]}
        except ocr.OCRUnavailable as error:
            self.request.response.setStatus(503)
            return {"type": "ServiceUnavailable", "message": str(error), "missing": ocr.missing()}
