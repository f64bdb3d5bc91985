"""REST services of the audit trail, for the security officer.

    GET  /@hdnd-audit?b_start=0&b_size=25[&action=view&actor=…&target_uid=…]
         entries newest first, as stored (each can be re-hashed by a client)
    GET  /@hdnd-audit-verify[?expect=SEQ:HASH]
         {"intact": true, "entries": N, "head": {"seq": N, "hash": "…"}, "problems": []}
    POST /@hdnd-audit-confirm  {"seq": N, "note": "…"}
         confirms a pending alert (a permission change on a classified item)
"""

from hdnd.content import bodies
from hdnd.content import audit
from hdnd.content.core.audit import GENESIS
from hdnd.content.core.audit import parse_expect
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.batching import HypermediaBatch
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides


FILTERS = ("action", "actor", "target_uid")


def _head(log):
    seq, digest = log.head() if log is not None else (0, GENESIS)
    return {"seq": seq, "hash": digest}


class AuditLogGet(Service):
    def reply(self):
        log = audit.get_log(self.context, create=False)
        filters = {name: self.request.form.get(name) for name in FILTERS}
        batch = HypermediaBatch(self.request, audit.EntrySequence(log, **filters))
        result = {
            "@id": batch.canonical_url,
            "items_total": batch.items_total,
            "items": list(batch),
            "head": _head(log),
            "pending_alerts": [e["seq"] for e in log.alerts()] if log is not None else [],
        }
        links = batch.links
        if links:
            result["batching"] = links
        return result


class AuditVerify(Service):
    def reply(self):
        raw = self.request.form.get("expect") or []
        expect = []
        for text in [raw] if isinstance(raw, str) else raw:
            try:
                expect.append(parse_expect(text))
            except ValueError as error:
                raise BadRequest(f"expect: {error}")
        log = audit.get_log(self.context, create=False)
        problems = log.verify(expect=expect) if log is not None else []
        return {
            "@id": f"{self.context.absolute_url()}/@hdnd-audit-verify",
            "intact": not problems,
            "entries": len(log) if log is not None else 0,
            "head": _head(log),
            "problems": problems,
        }


class AuditConfirm(Service):
    def reply(self):
        # A JSON body only: a cross-site form cannot send one without a CORS
        # preflight, which stands in for the CSRF token REST clients lack.
        content_type = self.request.getHeader("Content-Type", "") or ""
        if not content_type.startswith("application/json"):
            raise bodies.UnsupportedMediaType("Content-Type: send the confirmation as application/json")
        alsoProvides(self.request, IDisableCSRFProtection)
        body = bodies.read(self.request)
        seq = body.get("seq")
        if isinstance(seq, bool) or not isinstance(seq, int):
            raise BadRequest(f"seq: expected the number of a pending alert, got {seq!r}")
        note = body.get("note") or ""
        if not isinstance(note, str):
            raise BadRequest("note: expected text")
        try:
            entry = audit.confirm_alert(seq, note=note[:1000], site=self.context)
        except audit.AlertError as error:
            raise BadRequest(f"seq: {error}")
        return {"confirmed": seq, "entry": entry.to_dict()}
