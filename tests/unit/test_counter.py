"""The number counter's conflict window (issue 21), on a real ZODB
(FileStorage): a draw reads the counter as committed now, not as of its
transaction's start, and its commit holds only if nobody drew since. So a
long transaction drawing at its end does not lose to draws committed during
its work, two draws from the same number still conflict (never a double),
and a savepoint rolled back never makes a transaction give a number twice."""

from BTrees.OOBTree import OOBTree
from hdnd.content.core import numbering
from hdnd.content.numbers.series import Counter
from hdnd.content.numbers.series import Counters
from ZODB.POSException import ConflictError

import pytest
import transaction
import ZODB
import ZODB.FileStorage


KEY = ("arrival", 2026)


@pytest.fixture
def db(tmp_path):
    database = ZODB.DB(ZODB.FileStorage.FileStorage(str(tmp_path / "Data.fs")))
    manager = transaction.TransactionManager()
    connection = database.open(transaction_manager=manager)
    connection.root()["counters"] = OOBTree()
    manager.commit()
    connection.close()
    yield database
    transaction.abort()
    database.close()


def draw(db, count=1):
    """Another writer: draws ``count`` numbers in a short transaction and commits."""
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    try:
        series = Counters(connection.root()["counters"])
        taken = [numbering.next_number(series, KEY) for _ in range(count)]
        manager.commit()
        return taken
    finally:
        connection.close()


def test_a_draw_at_the_end_of_a_long_transaction_follows_the_draws_committed_meanwhile(db):
    assert draw(db) == [1]
    connection = db.open()  # the thread's transaction: its snapshot is taken now
    transaction.begin()
    series = Counters(connection.root()["counters"])
    assert draw(db, 3) == [2, 3, 4]  # committed during the long transaction's work
    assert numbering.next_number(series, KEY) == 5  # not 2: read as committed now
    assert numbering.next_number(series, KEY) == 6  # then on from its own draw
    transaction.commit()  # no conflict: nobody drew since its draw
    assert draw(db) == [7]
    connection.close()


def test_two_draws_from_the_same_number_conflict_the_second_to_commit(db):
    assert draw(db) == [1]
    connection = db.open()
    transaction.begin()
    series = Counters(connection.root()["counters"])
    assert numbering.next_number(series, KEY) == 2
    assert draw(db) == [2]  # drew from 1 as well, and committed first
    with pytest.raises(ConflictError):
        transaction.commit()
    transaction.abort()  # its number given back: nothing of it was committed
    transaction.begin()
    assert numbering.next_number(Counters(connection.root()["counters"]), KEY) == 3
    transaction.commit()
    assert draw(db) == [4]
    connection.close()


def test_a_savepoint_rolled_back_never_makes_a_transaction_give_a_number_twice(db):
    assert draw(db) == [1]
    connection = db.open()
    transaction.begin()
    series = Counters(connection.root()["counters"])
    assert numbering.next_number(series, KEY) == 2
    savepoint = transaction.savepoint()  # marks the counter unchanged
    assert numbering.next_number(series, KEY) == 3
    savepoint.rollback()
    assert numbering.next_number(series, KEY) == 3
    transaction.commit()
    assert draw(db) == [4]
    connection.close()


def test_a_counter_kept_as_a_number_before_is_taken_over(db):
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    connection.root()["counters"][KEY] = 41  # as sites kept it before issue 21
    manager.commit()
    connection.close()
    assert draw(db) == [42]
    assert draw(db) == [43]


def test_the_conflict_is_resolved_only_for_a_draw_from_what_is_committed():
    counter = Counter()
    drawn_after = {"last": 12, "base": 10}
    assert counter._p_resolveConflict({"last": 5, "base": 5}, {"last": 10, "base": 9}, drawn_after) == drawn_after
    with pytest.raises(ConflictError):  # drew from 10, but 11 was given since
        counter._p_resolveConflict({"last": 5, "base": 5}, {"last": 11, "base": 10}, drawn_after)


def test_a_series_begun_by_two_at_once_conflicts_the_second(db):
    connection = db.open()
    transaction.begin()
    series = Counters(connection.root()["counters"])
    assert draw(db) == [1]  # begins the series after this transaction's start
    assert numbering.next_number(series, KEY) == 1  # it does not see the series yet
    with pytest.raises(ConflictError):  # both made the key: never two number 1s
        transaction.commit()
    transaction.abort()
    connection.close()
