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
