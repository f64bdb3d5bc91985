"""The catalog's full-text indexes without a write hot spot (issue 21).

ZCTextIndex's OkapiIndex keeps, for each word, the documents that contain it
(``_wordinfo``, an IOBTree: word id -> {document id: score}). For a word in
fewer than ten documents that mapping is a plain dict stored *inside* the
IOBTree's bucket, and ZODB cannot merge two transactions' changes to a
bucket that holds a dict (BTrees compare the values, and dicts do not
order): two documents created at once whose words fall in one bucket
conflict, again on each retry — the load test's only conflicts that
outlasted Zope's retries (tests/server/test_load.py names them).

``MergeableOkapiIndex`` gives every word its own IIBTree from its first
document on, and leaves the bucket alone when a document is added to a
word it knows: two creates at once change different trees, or the same
tree at different keys (document ids), which ZODB merges. The price is one
small persistent object per distinct word. It is the same index otherwise
(same scores, same queries, same "Okapi BM25 Rank" type); ``adopt`` turns
the catalog's existing full-text indexes into it.
"""

from Acquisition import aq_base
from BTrees.IIBTree import IIBTree
from Products.ZCTextIndex.OkapiIndex import OkapiIndex


class MergeableOkapiIndex(OkapiIndex):
    """OkapiIndex whose word entries are all IIBTrees (see the module)."""

    def _postings(self, wid):
        postings = self._wordinfo.get(wid)
        if postings is None:
            postings = self._wordinfo[wid] = IIBTree()
            self.length.change(1)
        elif isinstance(postings, dict):  # made before adopt()
            postings = self._wordinfo[wid] = IIBTree(postings)
        return postings

    def _add_wordinfo(self, wid, f, docid):
        self._postings(wid)[docid] = f

    def _mass_add_wordinfo(self, wid2weight, docid):
        for wid, weight in wid2weight.items():
            self._postings(wid)[docid] = weight

    def _del_wordinfo(self, wid, docid):
        postings = self._wordinfo[wid]
        del postings[docid]
        if not postings:
            del self._wordinfo[wid]
            self.length.change(-1)
        elif isinstance(postings, dict):
            self._wordinfo[wid] = postings  # a dict from before: stored in the bucket


def adopt_text_indexes(catalog):
    """Every Okapi ZCTextIndex of ``catalog`` made a MergeableOkapiIndex
    (also when cleared and rebuilt), its word dicts made IIBTrees. The ids
    of the indexes changed."""
    changed = []
    for index in catalog._catalog.indexes.values():
        index = aq_base(index)
        okapi = getattr(index, "index", None)
        if not isinstance(okapi, OkapiIndex) or getattr(index, "_index_factory", None) not in (
                OkapiIndex, MergeableOkapiIndex):
            continue
        if adopt(okapi) or index._index_factory is not MergeableOkapiIndex:
            index._index_factory = MergeableOkapiIndex
            index.index = okapi  # written again: the reference names the new class
            changed.append(index.getId())
    return changed


def adopt(okapi):
    """Make one OkapiIndex a MergeableOkapiIndex, its dicts IIBTrees. True if changed."""
    changed = type(okapi) is not MergeableOkapiIndex
    if changed:
        okapi.__class__ = MergeableOkapiIndex
        okapi._p_changed = True
    wordinfo = okapi._wordinfo
    for wid, postings in list(wordinfo.items()):
        if isinstance(postings, dict):
            wordinfo[wid] = IIBTree(postings)
            changed = True
    return changed
