"""The inbox of the change feed and the audit trail (issue 21): concurrent
transactions add to it, and a sealer takes from it, without conflicting."""

from hdnd.content.inbox import Inbox
from persistent import Persistent
from ZODB.FileStorage import FileStorage

import transaction
import ZODB


class Log(Persistent):
    def __init__(self):
        self.inbox = Inbox()
        self.sealed = []

    def seal(self):
        self.sealed = self.sealed + self.inbox.take()


def open_pair(db):
    managers = [transaction.TransactionManager() for _ in range(2)]
    connections = [db.open(transaction_manager=m) for m in managers]
    return managers, [c.root()["log"] for c in connections]


def test_concurrent_additions_and_a_sealing_all_commit(tmp_path):
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    with db.transaction() as connection:
        connection.root()["log"] = Log()
    (one, two), (log1, log2) = open_pair(db)
    log1.inbox.add({"n": 1})
    log2.inbox.add({"n": 2})
    one.commit()
    two.commit()  # resolved: both additions kept
    (one, two), (log1, log2) = open_pair(db)
    log1.seal()  # a sealer takes both...
    log2.inbox.add({"n": 3})  # ...while a writer adds a third
    one.commit()
    two.commit()
    with db.transaction() as connection:
        log = connection.root()["log"]
        assert [e["n"] for e in log.sealed] == [1, 2]
        assert [e["n"] for e in log.inbox.take()] == [3]
    db.close()


def test_two_secret_votes_at_once_both_commit(tmp_path):
    """A secret ballot's counts are BTrees.Length per choice: two members
    voting at once both commit, and both votes count."""
    from hdnd.content.voting import _count
    from hdnd.content.voting import BallotBox
    from hdnd.content.voting import counts_of

    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    with db.transaction() as connection:
        connection.root()["box"] = BallotBox(("a", "b"), secret=True)
    managers = [transaction.TransactionManager() for _ in range(2)]
    boxes = [db.open(transaction_manager=m).root()["box"] for m in managers]
    _count(boxes[0], "for", 1)
    _count(boxes[1], "for", 1)
    boxes[1].voters.add("b")
    boxes[0].voters.add("a")
    managers[0].commit()
    managers[1].commit()
    with db.transaction() as connection:
        box = connection.root()["box"]
        assert counts_of(box)["for"] == 2 and sorted(box.voters) == ["a", "b"]
    db.close()
