"""A worker's job queue in the site's database (the OCR of scans,
searchable.py; the previews of office files, previews.py): one rule for how
a job is queued, given to the worker and answered.

- A queue is a BTree on the site (an ``OOBTree``: job key -> time queued),
  written in the transaction that files the item: two filings at once write
  different buckets and do not conflict, and an aborted filing queues
  nothing. A queue may have a second tree, its backlog (what an upgrade
  queued), taken when no new filing waits.
- Each job's state is a ``PersistentMapping`` on its item (pending,
  running, done or failed; attempts, the time taken, the last error):
  nothing is lost when a process stops.
- A job taken and never answered (the worker was stopped) is given again
  after the queue's ``lease``; a job that failed ``attempts`` times stays
  failed.

The names of the trees and of the items' attributes are stored in existing
sites: they are the callers', unchanged.
"""

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping

import time


WAITING = ("pending", "running")


def kept(holder, name, factory=None):
    """The object kept as attribute ``name`` of ``holder``; made with
    ``factory`` (and kept) when there is none and a factory is given."""
    found = getattr(aq_base(holder), name, None)
    if found is None and factory is not None:
        found = factory()
        setattr(holder, name, found)
    return found


def mapping(obj, name, create=False):
    """A ``PersistentMapping`` kept on an item (a job's state, its results)."""
    return kept(obj, name, PersistentMapping if create else None)


def item(uid):
    """The item of a job, whoever may see it: the worker's work is the
    system's (the item's results stay as protected as the item)."""
    from plone.app.uuid.utils import uuidToObject

    return uuidToObject(uid, unrestricted=True)


class JobQueue:
    def __init__(self, name, backlog=None, *, lease, attempts):
        self.names = (name, backlog) if backlog else (name,)  # the site's trees, taken in this order
        self.lease = lease  # seconds a taken job is the worker's before it is given again
        self.attempts = attempts

    def trees(self, portal):
        """The trees there are (none made)."""
        return [tree for tree in (kept(portal, name) for name in self.names) if tree is not None]

    def make(self, portal):
        for name in self.names:
            kept(portal, name, OOBTree)

    def put(self, portal, key, backlog=False):
        """Queue the job ``key`` (in the backlog: taken when no new one waits)."""
        kept(portal, self.names[-1 if backlog else 0], OOBTree)[key] = time.time()

    def queued(self, portal, key):
        return any(key in tree for tree in self.trees(portal))

    def remove(self, portal, key):
        for tree in self.trees(portal):
            if key in tree:
                del tree[key]

    def take(self, portal, look, ready=None, now=None):
        """The next job, marked running: ``(job, state)``, or None.

        ``look(key)`` answers ``(job, state)`` of a queued key, or None when
        the job is no longer wanted (its item gone); ``ready(job, state)``
        the fields its state takes when it is given, or None when it cannot
        be given yet. A queue is walked lazily (a long backlog is not read
        whole at each look); the keys no longer wanted are dropped after."""
        now = now or time.time()
        for tree in self.trees(portal):
            stale, found = [], None
            for key in tree.keys():
                job, state = look(key) or (None, None)
                if state is None or state.get("state") not in WAITING:
                    stale.append(key)
                    continue
                if state["state"] == "running" and now - state.get("taken", 0) < self.lease:
                    continue
                fields = ready(job, state) if ready is not None else {}
                if fields is None:
                    continue
                state.update(fields, state="running", taken=now, attempts=state.get("attempts", 0) + 1)
                found = job, state
                break
            for key in stale:
                del tree[key]
            if found is not None:
                return found
        return None

    def failed(self, state, error):
        """Keep a failed attempt's error in the job's state: pending again,
        or failed for good after the queue's attempts (answers True then)."""
        state["error"] = str(error)[:2000]
        state["state"] = "failed" if state.get("attempts", 0) >= self.attempts else "pending"
        return state["state"] == "failed"
