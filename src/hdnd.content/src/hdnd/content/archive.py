"""Records management: a dossier's documents and table of contents, the
transfer package for the archive, and lawful destruction that leaves a
tombstone (domain §6). The dates are in :mod:`hdnd.content.core.archive`,
the package format in :mod:`hdnd.content.core.package`.
"""

from datetime import date
from datetime import datetime
from hdnd.content import audit
from hdnd.content.core import archive as rules
from hdnd.content.core import package
from hdnd.content.security import effective_classification
from hdnd.content.security import effective_need_to_know
from hdnd.content.settings import organisation_settings
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations

import os
import subprocess
import tempfile


TOMBSTONES = "hdnd.content.tombstones"
PDF = "application/pdf"
CONVERTIBLE = (".docx", ".doc", ".odt", ".rtf", ".txt", ".xlsx", ".ods")


class ArchiveError(ValueError):
    """Refused: the message names the field or the rule."""


def documents_of(dossier):
    """The dossier's documents the user may see: its own, then those filed in
    it from elsewhere, in date order."""
    own = [o for o in dossier.objectValues() if o.portal_type == "OfficialDocument"]
    filed = [r.to_object for r in (dossier.documents or ()) if r.to_object is not None]
    seen, found = set(), []
    for doc in own + filed:
        if id(doc) not in seen and api.user.has_permission("View", obj=doc):
            seen.add(id(doc))
            found.append(doc)
    return sorted(found, key=lambda d: (d.issue_date or d.arrival_date or date.max, d.title))


def table_of_contents(dossier):
    """Mục lục văn bản: one row per document, and the page total."""
    documents = documents_of(dossier)
    rows = []
    for n, doc in enumerate(documents, 1):
        day = doc.issue_date or doc.arrival_date
        own = organisation_settings().body_name if doc.direction != "incoming" else ""
        rows.append({
            "n": str(n), "symbol": doc.symbol or "", "date": f"{day:%d/%m/%Y}" if day else "",
            "issuer": doc.issuing_body or own, "title": doc.title, "pages": str(doc.page_count or ""),
        })
    pages = sum(d.page_count or 0 for d in documents)
    return {"rows": rows, "documents": len(rows), "pages": pages}


# Transfer ---------------------------------------------------------------------


def transfer_status(dossier, today=None):
    due = rules.transfer_due(dossier.end_date, dossier.retention)
    return {
        "due": due.isoformat() if due else None,
        "held_until": dossier.held_until.isoformat() if dossier.held_until else None,
        "warning": rules.transfer_warning(due, today or date.today(), dossier.held_until),
    }


def convert_to_pdf(data, filename):
    """A PDF copy made by the office's LibreOffice (the one document
    generation uses), through appy's converter."""
    from hdnd.content.docgen.install import RECORD

    import appy

    python = api.portal.get_registry_record(RECORD.format("uno_path"), default=None)
    port = api.portal.get_registry_record(RECORD.format("oo_port_list"), default="2002")
    server = api.portal.get_registry_record(RECORD.format("oo_server"), default="127.0.0.1")
    script = os.path.join(os.path.dirname(appy.__file__), "bin", "convert.py")
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "original" + os.path.splitext(filename)[1].lower())
        target = os.path.join(folder, "copy.pdf")
        with open(source, "wb") as stream:
            stream.write(data)
        done = subprocess.run([python or "/usr/bin/python3", script, source, target, "-e", server, "-p", str(port).split()[0]],
                              capture_output=True, timeout=300)
        if done.returncode != 0 or not os.path.exists(target):
            raise ArchiveError(
                f"file: LibreOffice did not make a PDF copy of {filename} (is it running on {server}:{port}?)"
            )
        with open(target, "rb") as stream:
            return stream.read()


def files_of(doc):
    """The document's own file and its attachments: (name, data, mimetype)."""
    found = []
    if getattr(doc, "file", None) is not None and doc.file.size:
        found.append((doc.file.filename or f"{doc.getId()}.bin", doc.file.data, doc.file.contentType))
    for child in doc.objectValues():
        if child.portal_type == "File" and getattr(child, "file", None) is not None:
            found.append((child.file.filename or child.getId(), child.file.data, child.file.contentType))
    return found


def package_dossiers(dossiers, folder, package_id, bag=False):
    """Write the transfer package of closed dossiers into ``folder``."""
    described = []
    for dossier in dossiers:
        if api.content.get_state(dossier) != "closed":
            raise ArchiveError(f"dossiers: {dossier.getId()} is not closed; only closed dossiers are transferred")
        docs = []
        for doc in documents_of(dossier):
            created = doc.created().asdatetime() if hasattr(doc.created(), "asdatetime") else datetime.now()
            originals, copies = [], []
            for name, data, mimetype in files_of(doc):
                originals.append(package.PackageFile(name, data, mimetype or "application/octet-stream", created))
                if mimetype != PDF and name.lower().endswith(CONVERTIBLE):
                    copy = os.path.splitext(name)[0] + ".pdf"
                    copies.append(package.PackageFile(copy, convert_to_pdf(data, name), PDF, package.now(),
                                                      derived_from=name))
            day = doc.issue_date or doc.arrival_date
            docs.append(package.Document(
                doc.getId(), doc.title, doc.symbol or "", day.isoformat() if day else "", doc.issuing_body or "",
                doc.page_count, getattr(doc, "classification", "none") or "none", originals, copies,
            ))
        described.append(package.Dossier(
            dossier.getId(), dossier.dossier_code or dossier.getId(), dossier.title,
            dossier.start_date.isoformat() if dossier.start_date else "",
            dossier.end_date.isoformat() if dossier.end_date else "",
            dict(_retentions()).get(dossier.retention, dossier.retention or ""), docs,
        ))
    path = package.write(folder, package_id, organisation_settings().body_name, described, bag=bag)
    for dossier in dossiers:
        audit.record("transfer_packaged", dossier, package=package_id)
    return path


def _retentions():
    from hdnd.content.vocabularies import registry_pairs

    return registry_pairs("retention")


# Destruction -------------------------------------------------------------------


def tombstones():
    """The tombstones the user may read: a classified dossier's only for the
    cleared people it named, as when it existed."""
    from hdnd.content.clearance import get_clearance
    from hdnd.content.core.levels import rank

    userid = api.user.get_current().getId()
    found = []
    for stone in IAnnotations(api.portal.get()).get(TOMBSTONES, ()):
        level = stone.get("classification") or "none"
        if rank(level) and (rank(get_clearance(userid)) < rank(level) or userid not in stone.get("need_to_know", ())):
            continue
        found.append(dict(stone))
    return found


def check_destroyable(dossier, today=None):
    """Raise ArchiveError unless the dossier may be destroyed now."""
    today = today or date.today()
    if getattr(dossier, "legal_hold", False):
        raise ArchiveError("legal_hold: the dossier is under legal hold and is not destroyed")
    if api.content.get_state(dossier) != "closed":
        raise ArchiveError("dossier: only a closed dossier is destroyed")
    if not rules.expired(dossier.end_date, dossier.retention, today):
        first = rules.destruction_from(dossier.end_date, dossier.retention)
        when = f"before {first:%d/%m/%Y}" if first else "ever (kept permanently)"
        raise ArchiveError(f"retention: the dossier may not be destroyed {when}")
    if "RecordsManager" not in api.user.get_roles(obj=dossier) and "Manager" not in api.user.get_roles():
        raise ArchiveError("dossier: only a records manager destroys records")


def destroy(dossier, decision, today=None):
    """Destroy an expired, closed dossier by a recorded decision (the last
    step of a destruction list): its files and content go; a tombstone keeps
    its metadata, its documents' list and the decision. Refused under legal
    hold, before expiry, or without a decision."""
    today = today or date.today()
    if not (decision or "").strip():
        raise ArchiveError("decision: the destruction decision (number and date) is required")
    check_destroyable(dossier, today)
    contents = table_of_contents(dossier)
    tombstone = PersistentMapping(
        id=dossier.getId(), uid=api.content.get_uuid(dossier), title=dossier.title,
        dossier_code=dossier.dossier_code, retention=dossier.retention,
        start_date=dossier.start_date.isoformat() if dossier.start_date else None,
        end_date=dossier.end_date.isoformat() if dossier.end_date else None,
        documents=[dict(r) for r in contents["rows"]], pages=contents["pages"],
        decision=decision.strip(), destroyed_on=today.isoformat(),
        destroyed_by=api.user.get_current().getId(), path="/".join(dossier.getPhysicalPath()),
        classification=effective_classification(dossier), need_to_know=sorted(effective_need_to_know(dossier)),
    )
    annotations = IAnnotations(api.portal.get())
    if TOMBSTONES not in annotations:
        annotations[TOMBSTONES] = PersistentList()
    annotations[TOMBSTONES].append(tombstone)
    audit.record("destroyed", dossier, decision=decision.strip())
    # The office may not delete records by hand; destruction is the one way.
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=dossier, check_linkintegrity=False)
    return dict(tombstone)
