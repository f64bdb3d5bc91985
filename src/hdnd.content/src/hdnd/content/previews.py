"""Previews of office files made beside the request, never in it (issue 20).

An office file (DOCX, DOC, ODT, RTF, XLSX, ODS, PPTX…) is previewed on the
work page as the pages of a PDF that LibreOffice makes of it. Making that
PDF takes seconds: it is not done in the GET that shows the page (which
writes nothing), but by a worker, as the OCR of scans is (searchable.py):

- adding or replacing the file queues it, in the same transaction (an
  event subscriber; an aborted filing queues nothing). The queue is a
  worker's job queue (hdnd.content.jobs: ``QUEUE`` on the site, keyed by
  ``<uid>/<field>``); the item keeps its own state per field (``STATE``):
  pending, running, done or failed, the version of the file the PDF was
  made of, attempts and last error;
- the worker process (hdnd.content.previewworker, which ``hdnd serve``
  starts beside the OCR worker, with the same secret) takes a job over
  HTTP on 127.0.0.1 (``POST /@hdnd-preview-jobs``), converts it with
  LibreOffice and sends the PDF and its page count back (``POST
  /@hdnd-preview-result``). A job taken and never answered is given again
  after ``LEASE`` seconds; one that failed ``ATTEMPTS`` times stays failed
  (the page then offers the download alone) until the file is replaced;
- the PDF is kept on the item itself (``PDF``, a blob), so it has exactly
  the item's protection: it is only ever served through the item's own
  ``@@hdnd-preview`` page, behind the traversal gate (hdnd.content.hidden)
  and the item's View permission, and it goes wherever the item goes (every
  Zope process of a RelStorage or ZEO deployment sees it).

A version of a file is its blob's oid and serial once committed: exact (a
file rewritten in place keeps its blob but gets a new serial) and read
without reading the file. The page shows the PDF only when it was made of
the version the item holds now; until then it says the preview is being
prepared, with the download link.

PDFs are their own preview (nothing to convert); images too.
"""

from Acquisition import aq_base
from hdnd.content import jobs
from hdnd.content.core import preview as core
# A File is previewed where it is a record (a document's attachment, a
# dossier's paper), not a template in Mẫu văn bản: the rule OCR follows too.
from hdnd.content.searchable import is_record
from persistent.mapping import PersistentMapping
from plone import api

import logging
import time


logger = logging.getLogger("hdnd.content.previews")

QUEUE = "_hdnd_preview_queue"
BACKLOG = "_hdnd_preview_backlog"  # what the upgrade queued: taken when QUEUE is empty
STATE = "_hdnd_preview"        # field name -> PersistentMapping (the state of that field's preview)
PDF = "_hdnd_preview_pdf"      # field name -> NamedBlobFile (the PDF made of that field's file)
LEASE = 10 * 60  # seconds a taken job is the worker's before it is given again
ATTEMPTS = 3
JOBS = jobs.JobQueue(QUEUE, BACKLOG, lease=LEASE, attempts=ATTEMPTS)


def fields_of(obj):
    """The file fields of ``obj`` that are previewed on the work page, in order."""
    from hdnd.content.types.document import IOfficialDocument
    from plone.app.contenttypes.interfaces import IFile

    if IOfficialDocument.providedBy(obj):
        return ("signed_file", "file")
    if IFile.providedBy(obj):
        return ("file",)
    return ()


def version_of(namedfile):
    """``<oid>-<serial>`` of the file's blob once committed; None for a blob
    written in this transaction (a new version, not known yet)."""
    blob = getattr(aq_base(namedfile), "_blob", None) if namedfile is not None else None
    if blob is None or blob._p_oid is None:
        return None
    if blob._p_changed is None:
        blob._p_activate()  # a ghost's serial is not loaded yet
    if blob._p_changed:
        return None
    return f"{blob._p_oid.hex()}-{blob._p_serial.hex()}"


def is_office(namedfile):
    return namedfile is not None and bool(getattr(namedfile, "size", 0)) and \
        core.kind(namedfile.contentType, namedfile.filename) == "office"


def _states(obj, create=False):
    return jobs.mapping(obj, STATE, create)


def _pdfs(obj, create=False):
    return jobs.mapping(obj, PDF, create)


def enqueue(obj, event=None, backlog=False):
    """Subscriber (added or modified): queue each office file of the item
    whose preview is not made, or was made of another version. A change of
    the item's other fields touches nothing (same version). Answers how
    many jobs it queued. ``backlog``: in the queue of files filed before
    (the upgrade's), which the worker takes when no new file waits."""
    queued = 0
    if not is_record(obj):
        return queued
    uid = None
    for name in fields_of(obj):
        namedfile = getattr(aq_base(obj), name, None)
        states = _states(obj)
        state = states.get(name) if states is not None else None
        if not is_office(namedfile):
            if state is not None:  # replaced by a PDF, or removed: nothing stale kept
                _drop(obj, name)
            continue
        current = version_of(namedfile)
        uid = uid or api.content.get_uuid(obj)
        if uid is None:
            return queued
        if state is not None:
            if state["state"] == "pending":
                # The worker takes whatever version is there when it comes;
                # only a job lost from the queue is written again.
                portal = api.portal.get()
                if not JOBS.queued(portal, f"{uid}/{name}"):
                    JOBS.put(portal, f"{uid}/{name}", backlog=backlog)
                    queued += 1
                continue
            if current is not None and state.get("version") == current:
                continue  # done, failed or running for this very file
        _states(obj, create=True)[name] = PersistentMapping(
            {"state": "pending", "version": None, "queued": time.time(), "attempts": 0, "error": "",
             "taken": 0.0, "pages": 0})
        # Made now, with the item being written anyway: the worker's answer then
        # writes this mapping, not the item (fewer conflicts with an edit of it).
        pdfs = _pdfs(obj, create=True)
        if name in pdfs:
            del pdfs[name]
        JOBS.put(api.portal.get(), f"{uid}/{name}", backlog=backlog)
        queued += 1
    return queued


def _drop(obj, name):
    states, pdfs = _states(obj), _pdfs(obj)
    if states is not None and name in states:
        del states[name]
    if pdfs is not None and name in pdfs:
        del pdfs[name]


def take(now=None):
    """The next job for the worker, marked running: ``(obj, field, state)``
    or None; new filings first, then the backlog. Runs as the system: the
    worker converts classified files too; their PDF stays on the item, as
    protected as the file. The queue is walked lazily (a long backlog is not
    read whole at each look), entries no longer wanted dropped after."""
    def look(key):
        uid, _slash, name = key.partition("/")
        obj = jobs.item(uid)
        states = _states(obj) if obj is not None else None
        state = states.get(name) if states is not None else None
        if state is None or not is_office(getattr(aq_base(obj), name, None)):
            return None
        return (obj, name), state

    def ready(job, state):
        obj, name = job
        version = version_of(getattr(aq_base(obj), name))
        # None: written by a transaction not yet visible here: later
        return {"version": version} if version is not None else None

    found = JOBS.take(api.portal.get(), look, ready, now=now)
    if found is None:
        return None
    (obj, name), state = found
    return obj, name, state


def finish(uid, name, version, pdf=None, pages=0, error=""):
    """The worker's answer for a job; False when the item or that version of
    its file is gone (replaced meanwhile: the new version is queued)."""
    from plone.namedfile.file import NamedBlobFile

    obj = jobs.item(uid)
    states = _states(obj) if obj is not None else None
    state = states.get(name) if states is not None else None
    if state is None or state.get("version") != version or state["state"] != "running" or \
            version_of(getattr(aq_base(obj), name, None)) != version:
        return False
    portal = api.portal.get()
    key = f"{uid}/{name}"
    if error:
        if JOBS.failed(state, error):
            JOBS.remove(portal, key)
        logger.warning("preview of %s (%s) failed (attempt %s): %s", obj.absolute_url(), name,
                       state.get("attempts"), error)
        return True
    stem = (getattr(obj, name).filename or "file").rsplit(".", 1)[0]
    _pdfs(obj, create=True)[name] = NamedBlobFile(data=pdf, filename=f"{stem}.preview.pdf",
                                                  contentType="application/pdf")
    state.update({"state": "done", "error": "", "pages": int(pages or 0), "done": time.time()})
    JOBS.remove(portal, key)
    return True


def status(obj, name):
    """What the page shows for an office file: ``("ready", pdf, pages)``,
    ``("preparing", None, 0)`` or ``("failed", None, 0)``. Reads only."""
    states = _states(obj)
    state = states.get(name) if states is not None else None
    namedfile = getattr(aq_base(obj), name, None)
    if state is None:
        return "preparing", None, 0  # not queued yet (an older item: the upgrade queues it)
    if state.get("version") != version_of(namedfile):
        return "preparing", None, 0
    if state["state"] == "done":
        pdf = (_pdfs(obj) or {}).get(name)
        if pdf is not None and state.get("pages"):
            return "ready", pdf, state["pages"]
    if state["state"] == "failed":
        return "failed", None, 0
    return "preparing", None, 0


def queue_existing(portal, batch=500, commit=None):
    """Queue the office files of the items filed before previews were made
    by a worker (the upgrade step). ``commit()`` is called every ``batch``
    items, so that a large site is not one transaction."""
    catalog = api.portal.get_tool("portal_catalog")
    JOBS.make(portal)
    seen = queued = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=["OfficialDocument", "File"]):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):
            continue
        queued += enqueue(obj, backlog=True)
        seen += 1
        if commit is not None and seen % batch == 0:
            commit()
    return seen, queued
