"""Text from scans (issue 24): every PDF or image filed without a text layer
gets a searchable PDF (ocrmypdf, Vietnamese and English) kept beside the
original, and its words reach the full-text search.

The work runs beside the request, never in it:

- filing a document or an attachment (registry desk, REST receive, edXML,
  bulk, the edit form) puts it on the queue in the same transaction — a
  document filed is a job queued, and an aborted filing queues nothing;
- the queue is a worker's job queue (hdnd.content.jobs: ``QUEUE`` on the
  site, uid -> time queued), with each item's state on the item
  (``STATE``): pending, running, done or failed, its attempts and its last
  error — nothing is lost when a process stops;
- a worker process (hdnd.content.core.ocrworker, which ``hdnd serve``
  starts and stops) takes a job over HTTP on 127.0.0.1 (``POST
  /@hdnd-ocr-jobs``, with the worker's secret), runs ocrmypdf, and sends
  the searchable PDF and its text back (``POST /@hdnd-ocr-result``). A job
  taken and never answered (the worker was stopped) is given again after
  ``LEASE`` seconds; a job that failed ``ATTEMPTS`` times stays failed,
  with its error, until someone files the file again or an administrator
  retries it;
- the original is never altered (its signature check reads it): the
  searchable PDF is another blob, ``SEARCHABLE`` on the same item.

The clerk sees the state on the document (``GET <item>/@hdnd-ocr``), the
administrator the whole queue (``GET /@hdnd-ocr-queue``), both with what is
missing when the OCR packages are not installed.
"""

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from hdnd.content import jobs
from hdnd.content.core import ocr
from hdnd.content.core import worker
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.types.dossier import IDossier
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.contenttypes.interfaces import IFile

import logging
import time


logger = logging.getLogger("hdnd.content.searchable")

QUEUE = "_hdnd_ocr_queue"
FAILED = "_hdnd_ocr_failed"   # uid -> time: failed jobs, for the administrator
STATE = "_hdnd_ocr"
SEARCHABLE = "searchable_file"
TEXT = "_hdnd_ocr_text"
LEASE = 15 * 60      # seconds a taken job is the worker's before it is given again
ATTEMPTS = 3
SECRET_VARIABLE = worker.SECRET_VARIABLE  # the workers' secret (one rule: hdnd.content.core.worker)
FILED_IN = (IOfficialDocument, IDossier)  # where a File is a record: a document's attachment, a dossier's paper
JOBS = jobs.JobQueue(QUEUE, lease=LEASE, attempts=ATTEMPTS)


def _unfail(uid):
    failed = jobs.kept(api.portal.get(), FAILED)
    if failed is not None and uid in failed:
        del failed[uid]


def file_key(namedfile):
    """The version of a file, the same before and after its first commit
    (an oid is not): its name, size and the digest of its first 64 KiB —
    read from the blob, not the whole file, at each modification."""
    import hashlib

    try:
        with namedfile.open() as stream:
            head = stream.read(65536)
    except (AttributeError, OSError, TypeError):
        head = (namedfile.data or b"")[:65536]
    return "%s|%s|%s" % (namedfile.filename, namedfile.size, hashlib.sha256(head).hexdigest()[:32])


def needs_text(namedfile):
    """A PDF without words, or an image: what OCR makes searchable."""
    if namedfile is None or not getattr(namedfile, "size", 0):
        return False
    kind = ocr.kind_of(namedfile.filename, namedfile.contentType)
    if kind == "image":
        return True
    if kind != "pdf":
        return False
    data = namedfile.data
    return data.startswith(b"%PDF") and not ocr.has_text(data)


def is_record(obj):
    """Whether ``obj``'s file is a record: a document or dossier itself, a
    File filed in one; not a File elsewhere (a template in Mẫu văn bản, a
    logo)."""
    if not IFile.providedBy(obj):
        return True
    parent = aq_base(getattr(obj, "__parent__", None))
    return any(i.providedBy(parent) for i in FILED_IN)


def enqueue(obj, event=None):
    """Subscriber (added or modified): queue the item's file when it is a
    scan not queued already for this version of the file."""
    namedfile = getattr(aq_base(obj), "file", None)
    state = jobs.mapping(obj, STATE)
    if namedfile is None or not getattr(namedfile, "size", 0):
        return
    if not is_record(obj):
        return  # a template or a logo, not a record filed
    key = file_key(namedfile)
    if state is not None and state.get("key") == key:
        return
    if not needs_text(namedfile):
        # A file with its own words: nothing to do, nothing stale kept, and
        # the answer remembered for this version (no pdftotext at each edit).
        _forget(obj)
        setattr(obj, STATE, PersistentMapping({"state": "none", "key": key}))
        return
    uid = api.content.get_uuid(obj)
    if uid is None:
        return
    setattr(obj, STATE, PersistentMapping(
        {"state": "pending", "key": key, "queued": time.time(), "attempts": 0, "error": "", "taken": 0.0}))
    for stale in (SEARCHABLE, TEXT):
        if getattr(aq_base(obj), stale, None) is not None:
            setattr(obj, stale, None)
    JOBS.put(api.portal.get(), uid)
    _unfail(uid)


def _forget(obj):
    for name in (STATE, SEARCHABLE, TEXT):
        if getattr(aq_base(obj), name, None) is not None:
            setattr(obj, name, None)
    JOBS.remove(api.portal.get(), api.content.get_uuid(obj))


def take(now=None):
    """The next job for the worker, marked running: ``(obj, state)`` or None.
    Runs as the system (the worker sees classified scans: it reads them to
    make their text, which only those cleared can search)."""
    def look(uid):
        obj = jobs.item(uid)
        return (obj, jobs.mapping(obj, STATE)) if obj is not None else None

    return JOBS.take(api.portal.get(), look, now=now)


def finish(uid, key, pdf=None, text="", error=""):
    """The worker's answer for a job; False when the item or the file
    version is gone (filed again meanwhile: the new version is queued)."""
    from plone.namedfile.file import NamedBlobFile

    obj = jobs.item(uid)
    state = jobs.mapping(obj, STATE) if obj is not None else None
    if state is None or state.get("key") != key:
        return False
    portal = api.portal.get()
    if error:
        if JOBS.failed(state, error):
            JOBS.remove(portal, uid)
            jobs.kept(portal, FAILED, OOBTree)[uid] = time.time()
        logger.warning("OCR of %s failed (attempt %s): %s", obj.absolute_url(), state.get("attempts"), error)
        return True
    original = obj.file
    stem = original.filename.rsplit(".", 1)[0] if original.filename else "scan"
    setattr(obj, SEARCHABLE, NamedBlobFile(data=pdf, filename=f"{stem}.ocr.pdf", contentType="application/pdf"))
    setattr(obj, TEXT, text or "")
    state.update({"state": "done", "error": "", "done": time.time()})
    JOBS.remove(portal, uid)
    obj.reindexObject(idxs=["SearchableText"])
    parent = obj.__parent__
    if IOfficialDocument.providedBy(aq_base(parent)):  # its text holds its attachments'
        parent.reindexObject(idxs=["SearchableText"])
    return True


def retry(obj):
    """An administrator's retry of a failed job."""
    state = jobs.mapping(obj, STATE)
    if state is None:
        return False
    state.update({"state": "pending", "attempts": 0, "error": "", "taken": 0.0})
    uid = api.content.get_uuid(obj)
    JOBS.put(api.portal.get(), uid)
    _unfail(uid)
    return True


def status_of(obj):
    """What the clerk sees on a document."""
    state = jobs.mapping(obj, STATE)
    searchable = getattr(aq_base(obj), SEARCHABLE, None)
    answer = {"state": "none", "attempts": 0, "error": "", "searchable": None, "missing": ocr.missing(searchable=True)}
    if state is not None:
        answer.update(state=state["state"], attempts=state.get("attempts", 0), error=state.get("error", ""),
                      queued=_iso(state.get("queued")), done=_iso(state.get("done")))
    if searchable is not None:
        answer["searchable"] = f"{obj.absolute_url()}/@@download/{SEARCHABLE}"
    return answer


def overview(visible):
    """The queue for the administrator: counts, and the pending or failed
    items that ``visible(obj)`` lets the requester see."""
    portal = api.portal.get()
    counts = {"pending": 0, "running": 0, "failed": 0}
    items = []
    for tree in (*JOBS.trees(portal), jobs.kept(portal, FAILED) or {}):
        for uid in list(tree.keys()):
            obj = jobs.item(uid)
            state = jobs.mapping(obj, STATE) if obj is not None else None
            if state is None or state["state"] not in counts:
                continue
            counts[state["state"]] += 1
            if visible(obj):
                items.append({"@id": obj.absolute_url(), "title": obj.Title(), **status_of(obj)})
    return {"counts": counts, "items": items, "missing": ocr.missing(searchable=True),
            "worker": bool(worker.secret())}


def _iso(moment):
    if not moment:
        return None
    from datetime import datetime
    from datetime import timezone

    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="seconds")


def ocr_text(obj):
    """The words of the item's searchable PDF, for the full-text index."""
    return getattr(aq_base(obj), TEXT, None) or ""
