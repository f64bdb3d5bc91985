"""Two documents sharing a rare word, indexed at once, both commit (issue 21):
ZCTextIndex's OkapiIndex, and hdnd's MergeableOkapiIndex, on a real
FileStorage, as the catalog uses them."""

from hdnd.content import catalogwrites
from Products.ZCTextIndex.Lexicon import CaseNormalizer
from Products.ZCTextIndex.Lexicon import Lexicon
from Products.ZCTextIndex.Lexicon import Splitter
from Products.ZCTextIndex.OkapiIndex import OkapiIndex
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

import pytest
import transaction
import ZODB


def index_two_at_once(tmp_path, spread):
    """The documents of a word both know once both committed."""
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            okapi = conn.root()["okapi"] = OkapiIndex(Lexicon(Splitter(), CaseNormalizer()))
            okapi.index_doc(1, "hiếm một")
            okapi.index_doc(2, "hiếm hai")  # a word in two documents
            if spread:
                assert catalogwrites.adopt(okapi)  # as upgrade 1012 does
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        a, b = db.open(transaction_manager=first), db.open(transaction_manager=second)
        # Each adds a word the other does not know, and one both know.
        a.root()["okapi"].index_doc(3, "hiếm ba")
        b.root()["okapi"].index_doc(4, "hiếm bốn")
        first.commit()
        second.commit()  # both began before the first committed
        with db.transaction() as conn:
            okapi = conn.root()["okapi"]
            wid = okapi._lexicon.termToWordIds("hiếm")[0]
            assert okapi.search("bốn") and okapi.search("ba") and okapi.search("một")
            return sorted(okapi._wordinfo[wid].keys())
    finally:
        db.close()


def test_a_shared_rare_word_conflicts_without_the_cutoff(tmp_path):
    with pytest.raises(ConflictError):
        index_two_at_once(tmp_path, spread=False)


def test_a_shared_rare_word_merges_in_hdnd_index(tmp_path):
    assert index_two_at_once(tmp_path, spread=True) == [1, 2, 3, 4]


class Item:
    """What the path index reads of a content object."""

    def __init__(self, *path):
        self.path = ("",) + path

    def getPhysicalPath(self):
        return self.path


def reindex_while_another_is_added(tmp_path, quiet):
    """One transaction adds a document to a section while another reindexes
    a document already there (its path unchanged), as a registration does;
    both began before either committed. The section's documents after both."""
    from Products.ExtendedPathIndex.ExtendedPathIndex import ExtendedPathIndex

    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            index = conn.root()["path"] = ExtendedPathIndex("path")
            for n in range(1, 400):  # enough for the section's sets to have several buckets
                index.index_object(n, Item("hdnd", "van-ban", f"d{n}"))
        if quiet:
            with db.transaction() as conn:
                conn.root()["path"].__class__ = catalogwrites.QuietPathIndex
                conn.root()["path"]._p_changed = True
                conn.root()._p_changed = True  # the reference names the class
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        a, b = db.open(transaction_manager=first), db.open(transaction_manager=second)
        b.root()["path"].index_object(5, Item("hdnd", "van-ban", "d5"))  # reindexed, same path
        for n in range(1000, 1300):  # a section's set splits a bucket, so its root changes
            a.root()["path"].index_object(n, Item("hdnd", "van-ban", f"d{n}"))
        first.commit()
        second.commit()
        with db.transaction() as conn:
            return len(conn.root()["path"].search("/hdnd/van-ban", depth=1))
    finally:
        db.close()


def test_a_reindex_at_the_same_path_conflicts_with_a_create_in_zcatalogs_index(tmp_path):
    with pytest.raises(ConflictError):  # a ReadConflictError: the sets were read as current
        reindex_while_another_is_added(tmp_path, quiet=False)


def test_a_reindex_at_the_same_path_reads_nothing_in_hdnd_index(tmp_path):
    assert reindex_while_another_is_added(tmp_path, quiet=True) == 399 + 300


def test_hdnd_path_index_still_follows_a_move():
    index = catalogwrites.QuietPathIndex("path")
    index.index_object(1, Item("hdnd", "van-ban", "d1"))
    assert index.index_object(1, Item("hdnd", "van-ban", "d1")) == 0  # nothing to do
    index.index_object(1, Item("hdnd", "ho-so", "d1"))
    assert list(index.search("/hdnd/ho-so", depth=1)) == [1] and not index.search("/hdnd/van-ban", depth=1)


def test_buckets_split_four_times_less_often_where_hdnd_is_loaded():
    # A docid set filled in ascending order, as ZCatalog's document ids run
    # for one writer: a bucket splits every max_leaf_size / 2 inserts, and
    # each split rewrites the node every concurrent insert reads as current.
    from BTrees.IIBTree import IITreeSet

    import hdnd.content  # noqa: F401 (sets the sizes)

    ids = IITreeSet(range(3000))
    buckets = len(ids.__getstate__()[0]) // 2 + 1
    assert buckets <= 3000 // 240 + 1, buckets  # 50 buckets with BTrees' own 120
