"""``hdnd sync``: mirror what one hdnd site issues to another, and the
statuses back, over the sites' REST APIs.

The client signs in to the *source* site as the target's agency account
(whose outbox holds what the source issued to the target) and to the
*target* site as the source's agency account. One run:

1. reads the source's outbox after its cursor and hands every envelope to
   the target (``POST @hdnd-edxml``); an envelope the target refuses is
   answered to the source as status 02 with the target's reason;
2. reads the target's status replies of every document sent
   (``GET @hdnd-sent-status``) and reports the new ones to the source as
   edXML status messages (``POST @hdnd-delivery-status``).

Its state (cursor, documents, statuses relayed) is a JSON file written
atomically after every step. Interrupted anywhere, the next run repeats at
most the step in flight, and both sites take a repeat as the same message:
the target by the envelope's DocumentId, the source by the status's code and
time. So nothing is lost and nothing is registered twice.
"""

from datetime import datetime
from hdnd.content.core import edxml
from pathlib import Path

import json
import os
import requests
import tempfile


JSON = {"Accept": "application/json"}
PAGE = 20
# After these the target changes the document no more.
FINAL = ("02", "15")


class SyncError(RuntimeError):
    """The run stopped (a site unreachable or failing); the state is kept."""


class Site:
    def __init__(self, url, user=None, password=None, timeout=120, token=None):
        """``token``: the agency account's exchange token (`hdnd agency
        token`), else its user name and password."""
        self.url = url.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        else:
            self.session.auth = (user, password)
        self.timeout = timeout

    def call(self, method, path, **kwargs):
        headers = {**JSON, **kwargs.pop("headers", {})}
        try:
            response = self.session.request(method, f"{self.url}/{path}", headers=headers, timeout=self.timeout,
                                            **kwargs)
        except requests.RequestException as error:
            raise SyncError(f"{self.url}: {error}") from None
        if response.status_code in (401, 403):
            raise SyncError(f"{self.url}: {response.status_code}: the account may not exchange documents here")
        if response.status_code >= 500:
            raise SyncError(f"{self.url}/{path}: {response.status_code} {response.text[:200]}")
        return response


class State:
    """The client's memory, in one JSON file replaced atomically."""

    def __init__(self, path):
        self.path = Path(path)
        self.data = {"cursor": 0, "documents": {}}
        if self.path.exists():
            self.data = json.loads(self.path.read_text(encoding="utf-8"))

    @property
    def cursor(self):
        return self.data["cursor"]

    @property
    def documents(self):
        return self.data["documents"]

    def save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".sync-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)


class Sync:
    def __init__(self, source, target, state, log=print):
        self.source, self.target, self.state, self.log = source, target, state, log
        self.counts = {"sent": 0, "repeated": 0, "recalls": 0, "refused": 0, "withheld": 0, "statuses": 0}

    def run(self, limit=None, resend=False):
        """One pass; ``limit`` stops after that many outbox messages (a
        deliberate interruption: the next run goes on from there);
        ``resend``: first send again what the target refused."""
        if resend:
            self.resend_refused()
        handled = 0
        while limit is None or handled < limit:
            page = self.source.call("GET", "@hdnd-outbox", params={
                "since": self.state.cursor, "limit": PAGE if limit is None else min(PAGE, limit - handled)})
            if page.status_code != 200:
                raise SyncError(f"{self.source.url}/@hdnd-outbox: {page.status_code} {page.text[:200]}")
            found = page.json()
            for item in found["items"]:
                self.deliver(item)
                self.state.data["cursor"] = item["seq"]
                self.state.save()
                handled += 1
            if not found["more"] or not found["items"]:
                break
        self.relay_statuses()
        return self.counts

    def resend_refused(self):
        """Send again every envelope the target refused (once its cause is
        mended: the target now trusts the source's CA, the account's organ
        is set…), fetched again from the source's outbox by its number. One
        accepted now is followed like any other: the target's new arrival
        (01) replaces the refusal (02) on the source."""
        for document_id, known in list(self.state.documents.items()):
            seq = known.get("refused")
            if not seq:
                continue
            page = self.source.call("GET", "@hdnd-outbox", params={"since": seq - 1, "limit": 1})
            items = page.json().get("items", []) if page.status_code == 200 else []
            if not items or items[0]["seq"] != seq:
                raise SyncError(f"{self.source.url}/@hdnd-outbox: message {seq} ({document_id}) is gone")
            if self.deliver(items[0]):
                known.pop("refused", None)
                known["final"] = False
                known["relayed"] = 0
            self.state.save()

    def deliver(self, item):
        if item.get("withheld"):
            self.counts["withheld"] += 1
            return
        try:
            envelope = edxml.parse(item["edxml"].encode("utf-8"))
        except edxml.EdxmlError as error:
            raise SyncError(f"{self.source.url}: outbox message {item['seq']}: {error}") from None
        answer = self.target.call("POST", "@hdnd-edxml", data=item["edxml"].encode("utf-8"),
                                  headers={"Content-Type": "application/xml"})
        known = self.state.documents.setdefault(item["document_id"], {
            "source": envelope.sender.organ_id, "target": envelope.to[0].organ_id,
            "promulgation_date": envelope.promulgation_date.isoformat() if envelope.promulgation_date else None,
            "code": f"{envelope.code_number}/{envelope.code_notation}", "relayed": 0, "final": False})
        if answer.status_code in (200, 201):
            kind = "recalls" if envelope.business_type == 1 else ("sent" if answer.status_code == 201 else "repeated")
            self.counts[kind] += 1
            self.log(f"{item['document_id']}: {'recall' if envelope.business_type == 1 else 'delivered'} "
                     f"({answer.status_code})")
            return True
        refusal = answer.json() if answer.status_code == 400 and answer.headers.get(
            "Content-Type", "").startswith("application/json") else {}
        fields = {e.get("field", "") for e in refusal.get("errors", [])}
        # Only a refusal of the envelope itself is answered 02; anything else
        # (a wrong URL, exchange off, an account without its organ) is this
        # client's or a site's configuration: stop, and deliver it later.
        if not fields or fields & {"", "From", "To"}:
            raise SyncError(f"{self.target.url}/@hdnd-edxml: {answer.status_code} {answer.text[:300]}")
        reason = refusal.get("message", "")
        self.counts["refused"] += 1
        self.log(f"{item['document_id']}: refused by {self.target.url}: {reason} "
                 "(mend the cause, then `hdnd sync --resend-refused` sends it again)")
        # Timed as the message was queued: a repeat of this step is the same status.
        self.report(item["document_id"], known, {"code": "02", "reason": reason, "time": item["time"]})
        known["final"] = True
        known["refused"] = item["seq"]
        return False

    def relay_statuses(self):
        for document_id, known in self.state.documents.items():
            if known["final"]:
                continue
            answer = self.target.call("GET", "@hdnd-sent-status", params={"idempotency_key": document_id})
            if answer.status_code != 200:
                continue  # a recall the target never had, or refused: nothing to relay
            try:
                replies = answer.json()["status"]
            except (ValueError, KeyError) as error:
                raise SyncError(f"{self.target.url}/@hdnd-sent-status: unreadable answer ({error})") from None
            for reply in replies[known["relayed"]:]:
                self.report(document_id, known, reply)
                known["relayed"] += 1
                known["final"] = reply["code"] in FINAL
                self.state.save()

    def report(self, document_id, known, reply):
        date = known.get("promulgation_date")
        status = edxml.Status(
            sender=edxml.Organ(organ_id=known["target"]),
            to=edxml.Organ(organ_id=known["source"]),
            response_for=edxml.ResponseFor(organ_id=known["source"], code=known["code"],
                                           promulgation_date=datetime.fromisoformat(date).date() if date else None,
                                           document_id=document_id),
            code=reply["code"],
            description=reply.get("reason") or reply.get("label") or "",
            timestamp=datetime.fromisoformat(reply["time"]),
        )
        answer = self.source.call("POST", "@hdnd-delivery-status", data=edxml.build_status(status),
                                  headers={"Content-Type": "application/xml"})
        if answer.status_code not in (200, 201):
            raise SyncError(f"{self.source.url}/@hdnd-delivery-status: {answer.status_code} {answer.text[:200]}")
        self.counts["statuses"] += answer.status_code == 201
