"""The site's number counters and committee terms, kept in the ZODB (the
counters' rules are in core.numbering). The bottom of the numbering package:
it imports nothing of hdnd above the settings.

Each counter key holds a :class:`Counter`, a persistent object that resolves
a write conflict by compare-and-set (issue 21). ZODB reads every object as
of the start of the transaction, so a plain counter written by a
transaction conflicts with any other draw committed at any time since that
start — the whole request, however late in it the number is drawn: a long
transaction that registers a document at its end loses to every clerk who
registers one meanwhile. Here a draw reads the counter's last committed
value afresh (a second, read-only connection), remembers it as the value it
drew from (``base``), and at commit the conflict is resolved in its favour
only when the counter still stands where it drew from. Writers thus queue
only between their draw and their commit: a number is never given twice
(the second of two drawing from the same value conflicts and is retried),
the series has no gaps (a draw starts from a committed number), and an
aborted transaction gives its number back (nothing of it is committed).
"""

from BTrees.OOBTree import OOBTree
from hdnd.content.core import numbering
from hdnd.content.settings import organisation_settings
from hdnd.content.stores import stored
from persistent import Persistent
from plone import api
from ZODB.POSException import ConflictError
from ZODB.POSException import POSKeyError

import transaction


ANNOTATION_KEY = "hdnd.content.counters"


class Counter(Persistent):
    """One series' last number given (``last``), and the committed number
    the current writer drew from (``base``)."""

    def __init__(self, last=0):
        self.last = self.base = last

    def _p_resolveConflict(self, old, committed, new):
        # Another transaction committed since this one's snapshot. This
        # one's numbers hold if it drew from what is committed now: its
        # draw came after that commit (a fresh read), so it follows it.
        if new.get("base") == committed.get("last") and new.get("last", 0) > new.get("base", 0):
            return new
        raise ConflictError("a number of this series was given since it was drawn")


class _Draws:
    """Key of the transaction's note of its draws: ``drawn`` (counter key ->
    the committed number its first draw started from) and ``seen`` (counter
    key -> the number last read afresh, which the draw that follows starts
    from). Kept with the transaction, not on the counter: a savepoint marks
    a changed object unchanged, and a rollback must not make a second draw
    start afresh (it would give a number this transaction gave already)."""


def _draws(tree):
    # The transaction of the connection the counters are read through, and
    # this site's part of its note (two sites may share a database).
    jar = tree._p_jar
    current = jar.transaction_manager.get() if jar is not None else transaction.get()
    try:
        notes = current.data(_Draws)
    except KeyError:
        notes = {}
        current.set_data(_Draws, notes)
    return notes.setdefault(tree._p_oid or id(tree), {"drawn": {}, "seen": {}})


def _committed(counter):
    """The last number of ``counter`` as committed now (not as of this
    transaction's start); None for a counter not committed yet."""
    jar, oid = counter._p_jar, counter._p_oid
    if jar is None or oid is None:
        return None
    manager = transaction.TransactionManager()
    connection = jar.db().open(transaction_manager=manager)
    try:
        return connection.get(oid).last
    except POSKeyError:  # made in this transaction
        return None
    finally:
        manager.abort()
        connection.close()


class Counters:
    """The site's counters as core.numbering reads and writes them: a
    mapping of counter key -> last number given, read at its last committed
    value until the transaction draws from it."""

    def __init__(self, tree):
        self.tree = tree

    def get(self, key, default=0):
        counter = self.tree.get(key)
        if counter is None:
            return default
        if not isinstance(counter, Counter):  # an int, from before Counter
            return counter
        draws = _draws(self.tree)
        if key in draws["drawn"]:
            # Drawn from already in this transaction: go on from there (a
            # savepoint rolled back may have taken the counter back behind).
            return max(counter.last, draws["drawn"][key])
        fresh = _committed(counter)
        value = counter.last if fresh is None else fresh
        draws["seen"][key] = value
        return value

    def __getitem__(self, key):
        if key not in self.tree:
            raise KeyError(key)
        return self.get(key)

    def __contains__(self, key):
        return key in self.tree

    def __setitem__(self, key, number):
        draws = _draws(self.tree)
        if key not in draws["drawn"]:
            # The number was worked out from what was read last (the draw:
            # read, then write); its commit holds only if that is still so.
            if key not in draws["seen"]:
                self.get(key)
            draws["drawn"][key] = draws["seen"].pop(key, 0)
        counter = self.tree.get(key)
        if not isinstance(counter, Counter):
            counter = self.tree[key] = Counter(counter or 0)
        counter.base = draws["drawn"][key]
        counter.last = number


def counters(portal=None):
    """The site's counters: counter key -> last number given (see the module)."""
    portal = portal if portal is not None else api.portal.get()
    return Counters(stored(portal, ANNOTATION_KEY, OOBTree))


def terms():
    """The committee terms known to the site (the current one, from the settings)."""
    settings = organisation_settings()
    return (numbering.Term(settings.term_label, settings.term_start, settings.term_end),)


def with_retries(function, *args, attempts=5, **kwargs):
    """Run ``function`` in its own transaction, retried on ConflictError
    (for scripts and threads; web requests are retried by Zope itself)."""
    for attempt in transaction.manager.attempts(attempts):
        with attempt:
            result = function(*args, **kwargs)
    return result
