"""Under an official document's title: its digital signatures, as checked —
on a received document when it arrived (what the clerk registers by), on an
outgoing one its signed PDF — with who signed, when, and the verdict."""

from hdnd.content import signing
from hdnd.content.core import signatures
from plone.app.layout.viewlets import ViewletBase


class SignaturesViewlet(ViewletBase):
    def update(self):
        super().update()
        context = self.context
        self.signed_file = getattr(context, "signed_file", None)
        if getattr(context, "direction", None) == "incoming":
            self.checks = getattr(context, signing.CHECKS, None) or []
        elif self.signed_file is not None:
            try:
                self.checks = signing.checks_of(self.signed_file)
            except signatures.SignatureError:
                self.checks = []
        else:
            self.checks = []

    def available(self):
        return bool(self.checks or self.signed_file)

    def css(self, check):
        return {"ok": "success", "untrusted": "warning"}.get(check["verdict"], "danger")

    def when(self, check):
        moment = check.get("signed_at") or ""
        return f"{moment[8:10]}/{moment[5:7]}/{moment[:4]} {moment[11:16]}" if len(moment) >= 16 else ""
