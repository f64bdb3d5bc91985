"""Records management: a dossier's documents and table of contents, the
transfer package for the archive, and lawful destruction that leaves a
tombstone (domain §6). The dates are in :mod:`hdnd.content.core.archive`,
the package format in :mod:`hdnd.content.core.package`.
"""

from datetime import date
from datetime import datetime
from hdnd.content import audit
from hdnd.content.core import archive as rules
from hdnd.content.core import formats
from hdnd.content.core import package
from hdnd.content.security import effective_classification
from hdnd.content.security import effective_need_to_know
from hdnd.content.settings import organisation_settings
from hdnd.content.stores import stored
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.dossier import IDossier
from hdnd.content.workflows.definitions import SETTLED_DOCUMENT_STATES
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.contenttypes.interfaces import IFile
from plone.app.contenttypes.interfaces import IFolder
from plone.base.interfaces import IPloneSiteRoot
from zope.annotation.interfaces import IAnnotations

import logging
import os
import tempfile
import time
import transaction


logger = logging.getLogger("hdnd.archive")
TOMBSTONES = "hdnd.content.tombstones"
PDF = "application/pdf"
CONVERTIBLE = (".docx", ".doc", ".odt", ".rtf", ".txt", ".xlsx", ".ods")


class ArchiveError(ValueError):
    """Refused: the message names the field or the rule."""


def documents_of(dossier):
    """The dossier's documents the user may see: its own, then those filed in
    it from elsewhere, in date order."""
    own = [o for o in dossier.objectValues() if IOfficialDocument.providedBy(o)]
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
            "n": str(n), "symbol": doc.symbol or "", "date": formats.day(day),
            "issuer": doc.issuing_body or own, "title": doc.title, "pages": str(doc.page_count or ""),
        })
    pages = sum(d.page_count or 0 for d in documents)
    return {"rows": rows, "documents": len(rows), "pages": pages}


# A closed dossier is frozen ---------------------------------------------------

FROZEN_STATES = ("closed", "transferred")


def frozen_by(doc):
    """The closed (or transferred) dossiers that list ``doc`` among their
    documents by reference, whoever may see them. What they hold is
    read-only by their workflow; what they reference is kept as it was
    by :func:`on_referenced_changed`."""
    from hdnd.content.types.document import referring

    return [d for d in referring(doc, "documents")
            if IDossier.providedBy(d)
            and api.content.get_state(obj=d, default=None) in FROZEN_STATES]


def _document_of(obj):
    """The OfficialDocument ``obj`` is, or whose attachment it is."""
    from Acquisition import aq_inner
    from Acquisition import aq_parent

    while obj is not None and not IPloneSiteRoot.providedBy(obj) and hasattr(obj, "portal_type"):
        if IOfficialDocument.providedBy(obj):
            return obj
        if IDossier.providedBy(obj) or IFolder.providedBy(obj):
            return None
        obj = aq_parent(aq_inner(obj))
    return None


def frozen_refusal(obj):
    """Why ``obj`` (a document or its attachment) may not change, or None."""
    doc = _document_of(obj)
    if doc is None:
        return None
    dossiers = frozen_by(doc)
    if not dossiers:
        return None
    names = ", ".join(d.dossier_code or d.getId() for d in dossiers)
    return (f"document: {doc.getId()} is filed in the closed dossier {names}, which is kept as it closed; "
            "it cannot change (file a new document instead)")


def on_referenced_changed(obj, event):
    """A change to a document referenced by a closed dossier — its fields,
    an attachment's, an attachment added or removed (the document's
    container event), the document removed — is refused with a 400 naming
    the dossier."""
    from zExceptions import BadRequest

    problem = frozen_refusal(obj)
    if problem:
        raise BadRequest(problem)


def referenced_drafts(dossier):
    """Unissued drafts the dossier references (its closing checks them too)."""
    found = []
    for relation in dossier.documents or ():
        doc = relation.to_object
        if doc is not None and getattr(doc, "direction", None) in ("outgoing", "internal") and \
                api.content.get_state(obj=doc, default=None) not in SETTLED_DOCUMENT_STATES:
            found.append(doc)
    return found


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
    generation uses), through its converter that stays connected."""
    from hdnd.content.docgen import libreoffice
    from hdnd.content.docgen.install import RECORD

    python = api.portal.get_registry_record(RECORD.format("uno_path"), default=None)
    port = api.portal.get_registry_record(RECORD.format("oo_port_list"), default="2002")
    server = api.portal.get_registry_record(RECORD.format("oo_server"), default="127.0.0.1")
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "original" + os.path.splitext(filename)[1].lower())
        target = os.path.join(folder, "copy.pdf")
        with open(source, "wb") as stream:
            stream.write(data)
        try:
            libreoffice.convert(source, target, python, server, str(port).split()[0])
        except libreoffice.ConversionFailed:
            pass
        if not os.path.exists(target):
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
        if IFile.providedBy(child) and getattr(child, "file", None) is not None:
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
    settings = organisation_settings()
    path = package.write(folder, package_id, settings.body_name, described, bag=bag,
                         agency_code=(settings.organ_id or "").strip() or None)
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


def destruction_refusal(dossier, today=None):
    """Why the dossier may not be destroyed (nor listed for destruction), or None."""
    today = today or date.today()
    if getattr(dossier, "legal_hold", False):
        return "legal_hold: the dossier is under legal hold and is not destroyed"
    if api.content.get_state(dossier) != "closed":
        return "dossier: only a closed dossier is destroyed (a transferred one belongs to the archive)"
    if not rules.expired(dossier.end_date, dossier.retention, today):
        first = rules.destruction_from(dossier.end_date, dossier.retention)
        when = f"before {formats.day(first)}" if first else "ever (kept permanently)"
        return f"retention: the dossier may not be destroyed {when}"
    for doc in dossier.objectValues():
        if IOfficialDocument.providedBy(doc):
            others = [d for d in frozen_by(doc) if api.content.get_uuid(d) != api.content.get_uuid(dossier)]
            if others:
                return (f"documents: {doc.getId()} is also filed in the closed dossier "
                        f"{', '.join(d.dossier_code or d.getId() for d in others)}, which keeps it")
    return None


def check_destroyable(dossier, today=None):
    """Raise ArchiveError unless the dossier may be destroyed now."""
    problem = destruction_refusal(dossier, today)
    if problem:
        raise ArchiveError(problem)
    if "RecordsManager" not in api.user.get_roles(obj=dossier) and "Manager" not in api.user.get_roles():
        raise ArchiveError("dossier: only a records manager destroys records")


def on_destruction_list_changed(listing, event):
    """A dossier that may not be destroyed is refused when it is listed (a
    400 naming it and the reason), not at the last step."""
    from zExceptions import BadRequest

    if api.content.get_state(obj=listing, default=None) == "destroyed":
        return
    for relation in listing.dossiers or ():
        dossier = relation.to_object
        if dossier is None:
            continue
        problem = destruction_refusal(dossier)
        if problem:
            raise BadRequest(f"dossiers: {dossier.getId()} cannot be listed for destruction: {problem}")


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
        erased=ERASED.format(day=today.isoformat()),
    )
    stored(api.portal.get(), TOMBSTONES, PersistentList).append(tombstone)
    audit.record("destroyed", dossier, decision=decision.strip())
    # The office may not delete records by hand; destruction is the one way.
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=dossier, check_linkintegrity=False)
    schedule_pack()
    return dict(tombstone)


ERASED = ("files and content removed from the live database when the destruction was committed (the database "
          "packed to that moment: no earlier revision, no blob file, no .old copy kept); the backups made before "
          "{day} still hold them until `hdnd backup --keep` lets them age out")


def schedule_pack():
    """Once the destruction is committed, pack the database to that moment:
    the destroyed content's records and every earlier revision go from the
    storage and its blob files from the disk (the storages keep no .old
    copy: ``pack-keep-old false``). Once a transaction, whatever it destroyed."""
    txn = transaction.get()
    if getattr(txn, "_hdnd_pack", False):
        return
    txn._hdnd_pack = True
    db = api.portal.get()._p_jar.db()
    txn.addAfterCommitHook(_pack, (db,))


def _pack(success, db):
    from ZODB.DemoStorage import DemoStorage

    if not success:
        return
    if isinstance(db.storage, DemoStorage):  # a test database stacked on another: nothing on disk
        logger.info("destruction committed; a DemoStorage is not packed")
        return
    started = time.time()
    try:
        db.pack(t=time.time())
    except Exception:  # e.g. already packing: the next pack removes it; the destruction stands
        logger.exception("destruction committed, but the pack that erases it failed: run it again")
        return
    _scrub_transaction_buffer(db.storage)
    logger.info("destruction committed and erased from the live database (pack in %.1f s)", time.time() - started)


def _scrub_transaction_buffer(storage):
    """FileStorage writes each transaction first to ``Data.fs.tmp`` and
    reuses it without shortening it: what an earlier transaction wrote
    stays there until a larger one overwrites it. Empty it (between
    transactions, under the commit lock)."""
    from ZODB.FileStorage import FileStorage

    storage = getattr(storage, "_BlobStorage__storage", storage)  # <blobstorage> wraps the FileStorage
    if not isinstance(storage, FileStorage) or getattr(storage, "_tfile", None) is None:
        return  # ZEO's server and RelStorage keep no such file here
    with storage._commit_lock:
        storage._tfile.seek(0)
        storage._tfile.truncate()
        storage._tfile.flush()
        os.fsync(storage._tfile.fileno())
