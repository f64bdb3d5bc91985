"""Appends without a write hot spot (issue 21): an inbox that concurrent
transactions write at once without conflicting, sealed into an ordered log
afterwards in its own short transaction.

A log that every transaction appends to (the change feed, the audit trail)
was one persistent object with a counter and a head: two requests writing
at once conflicted on it, and a client that does not retry got a 500. Now a
writer only adds an entry to the log's :class:`Inbox` under a key no one
else takes (the time in nanoseconds and 64 random bits). Two transactions
that add at once change the inbox both; its ``_p_resolveConflict`` merges
their additions (and a sealer's removals), so both commit.

Sealing takes every entry the inbox holds, oldest key first, and appends
them to the log proper (numbering them, chaining their hashes): the log's
order is the order of sealing, so an entry that commits late is sealed after
the ones already sealed, and a reader who has read up to N never finds an
entry numbered below N later. It runs:

- after each commit that added entries (:func:`seal_after_commit`), in a
  fresh connection and a transaction of its own, retried there if two
  sealers meet (the request that wrote has already answered its client);
- in the transaction that added the entries when the same transaction reads
  the log (:func:`mine`): tests, scripts, a POST that reads back what it
  wrote. A GET that reads the log does not seal what others added: it reads
  what is sealed (the sealer after their commit does the rest).
"""

from persistent import Persistent
from ZODB.POSException import ConflictError

import logging
import random
import time
import transaction


logger = logging.getLogger(__name__)
_MARK = "_hdnd_inboxes"


class Inbox(Persistent):
    """Entries (plain data) keyed by (nanoseconds, random): additions and
    removals by concurrent transactions are merged, never conflict."""

    def __init__(self):
        self.items = {}

    def add(self, entry):
        key = (time.time_ns(), random.getrandbits(64))
        self.items[key] = entry
        self._p_changed = True
        txn = transaction.get()
        marks = getattr(txn, _MARK, None)
        if marks is None:
            marks = set()
            setattr(txn, _MARK, marks)
        marks.add(id(self))
        return key

    def __len__(self):
        return len(self.items)

    def take(self):
        """Every entry, oldest key first; the inbox is left empty."""
        found = [self.items[key] for key in sorted(self.items)]
        if found:
            self.items = {}
        return found

    def _p_resolveConflict(self, old, committed, new):
        old_items = old.get("items", {})
        committed_items = committed.get("items", {})
        new_items = new.get("items", {})
        merged = dict(committed_items)
        for key in old_items.keys() - new_items.keys():
            merged.pop(key, None)  # taken (sealed) by the transaction that lost
        for key in new_items.keys() - old_items.keys():
            merged[key] = new_items[key]  # added by it
        result = dict(committed)
        result["items"] = merged
        return result


def mine(inbox):
    """True if the current transaction added entries to `inbox`."""
    return inbox is not None and id(inbox) in getattr(transaction.get(), _MARK, ())


def seal_after_commit(log):
    """Seal `log` (a persistent object with ``seal()``) in a transaction of
    its own once the current one has committed (once per transaction)."""
    txn = transaction.get()
    hooked = getattr(txn, "_hdnd_sealing", None)
    if hooked is None:
        hooked = set()
        txn._hdnd_sealing = hooked
    if id(log) in hooked:
        return
    hooked.add(id(log))
    txn.addAfterCommitHook(_seal, args=(log,))


def _seal(status, log, attempts=8):
    if not status:
        return
    jar, oid = log._p_jar, log._p_oid
    if jar is None or oid is None:
        return
    db = jar.db()
    manager = transaction.TransactionManager()
    for attempt in range(attempts):
        connection = db.open(transaction_manager=manager)
        try:
            manager.begin()
            connection.get(oid).seal()
            manager.commit()
            break
        except ConflictError:
            manager.abort()
            time.sleep(random.uniform(0.001, 0.02) * (attempt + 1))
        except Exception:
            manager.abort()
            logger.exception("sealing %r failed; its entries wait for the next sealing", log)
            return
        finally:
            connection.close()
    else:
        logger.warning("sealing %r: still conflicting after %d attempts; the next sealing takes its entries", log, attempts)
    # The writer's connection took its next snapshot before this hook ran:
    # let it see the sealing (a script or test that goes on writing the log
    # would otherwise conflict with it).
    try:
        jar.newTransaction(None)
    except Exception:  # the connection is closing or closed: nothing to see
        pass
