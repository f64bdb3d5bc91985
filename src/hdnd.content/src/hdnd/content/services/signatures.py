"""Digital signatures over REST (hdnd.content.signing):

- ``GET <document>/@hdnd-signatures``: the signatures of its file and of its
  signed PDF, checked now against the configured trust roots, and what was
  found when it arrived;
- ``POST /@hdnd-verify-signature`` ``{"filename", "data": <base64>}``: check
  any PDF before registering it.
"""

from hdnd.content import bodies
from hdnd.content import signing
from hdnd.content.core import signatures
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

import base64
import binascii


def refuse(request, field, message):
    return bodies.bad_request(request, message, [{"field": field, "message": message}])


class Signatures(Service):
    def reply(self):
        try:
            found = signing.live(self.context)
        except signatures.SignatureError as error:
            return refuse(self.request, "trust_roots", str(error))
        return {**found, "on_arrival": getattr(self.context, signing.CHECKS, None) or []}


class Verify(Service):
    def reply(self):
        from plone import api

        if api.user.is_anonymous():  # checking costs CPU: for signed-in people only
            self.request.response.setStatus(401)
            return {"type": "Unauthorized", "message": "sign in to check signatures"}
        alsoProvides(self.request, IDisableCSRFProtection)  # it changes nothing
        data = bodies.read(self.request, limit=bodies.LIMIT)  # the PDF, in base64
        encoded = data.get("data") if isinstance(data, dict) else None
        try:
            payload = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else None
        except (binascii.Error, ValueError):
            payload = None
        if not payload:
            return refuse(self.request, "data", "data: the PDF, base64-encoded")
        if not signatures.is_pdf(payload):
            return refuse(self.request, "data", "data: not a PDF")
        try:
            return {"signatures": [c.as_dict() for c in signatures.verify_pdf(payload, signing.roots())]}
        except signatures.SignatureError as error:
            return refuse(self.request, "data", str(error))
