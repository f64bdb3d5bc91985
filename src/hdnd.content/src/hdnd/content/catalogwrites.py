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
from BTrees.IOBTree import IOBTree
from Products.ExtendedPathIndex.ExtendedPathIndex import ExtendedPathIndex
from Products.PluginIndexes.util import safe_callable
from Products.ZCatalog.Catalog import Catalog
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


# The path index without reads of what it already holds -----------------------
#
# ExtendedPathIndex.index_object inserts a document's id again into the set
# of every step of its path (``hdnd``, ``van-ban``, its own id, the
# terminator), into ``_index_parents['/hdnd/van-ban']`` and ``_index_items``
# even when the path is the one it already holds -- every reindex does it
# (a registration, a transition, an edit). Inserting a key a BTree already
# holds changes nothing, but BTrees still call ``readCurrent`` on the tree
# (so that a concurrent split cannot lose the insert), and a tree read as
# current conflicts with any commit that changed it meanwhile: each
# registration conflicted with every document created at the same moment in
# the same section (the sets of ``van-ban`` and its children are the hottest
# objects of the catalog), unresolvably, and the load test's clerks got 409s
# (tests/server/test_load.py names them: ``IITreeSet < IOBTree < ... <
# ExtendedPathIndex 'path'._index``). ZCatalog's other indexes (UnIndex:
# FieldIndex, KeywordIndex, DateIndex...) already skip a value that did not
# change; ``QuietPathIndex`` does the same for a path.


class QuietPathIndex(ExtendedPathIndex):
    """ExtendedPathIndex that leaves its trees alone (reads included) when a
    document is reindexed at the path it already has; otherwise the same."""

    def index_object(self, docid, obj, threshold=100):
        path = _indexed_path(self, obj)
        if path is not None and self._unindex.get(docid) == path:
            return 0
        return super().index_object(docid, obj, threshold)


def _indexed_path(index, obj):
    """The path ExtendedPathIndex.index_object would store for ``obj`` (its
    ``_unindex`` value), or None where it would raise or skip: then it decides."""
    attrs = index.indexed_attrs
    name = attrs[0] if attrs else index.id
    try:
        path = getattr(obj, name, None)
        if path is None:
            path = obj.getPhysicalPath()
        elif safe_callable(path):
            path = path()
    except AttributeError:
        return None
    if isinstance(path, (list, tuple)):
        return "/" + "/".join(path[1:])
    return path if isinstance(path, str) else None


def adopt_path_index(catalog, name="path"):
    """Make the catalog's ExtendedPathIndex ``name`` a QuietPathIndex (its
    trees unchanged). True if changed."""
    inner = aq_base(catalog)._catalog
    index = aq_base(inner.indexes.get(name))
    if type(index) is not ExtendedPathIndex:
        return False
    index.__class__ = QuietPathIndex
    index._p_changed = True
    # The catalog's state names the class beside the reference: write it
    # again, or the next load makes an ExtendedPathIndex again.
    indexes = inner.indexes
    indexes[name] = index
    inner.indexes = indexes
    inner._p_changed = True
    return True


# Wider BTree buckets ---------------------------------------------------------
#
# Inserting into a BTree of more than one bucket calls ``readCurrent`` on
# the tree node it goes through (so that a concurrent split cannot lose the
# insert); on RelStorage that is a shared NOWAIT lock at commit. A bucket
# that overflows splits and rewrites its parent node, and a rewritten node
# conflicts with every transaction that inserted anywhere under it meanwhile:
# these conflicts cannot be resolved, only retried (the load test's
# "lock_not_available", VoteReadConflictError and CacheHasNewerTidError, and
# the tree nodes it names). Inserts of different keys into one bucket merge,
# so what counts is how often a bucket splits: once per ``max_leaf_size / 2``
# ascending inserts. ZCatalog gives each connection its own run of document
# ids, so every writer appends to a bucket of its own in each docid set
# (portal_type, review_state, object_provides...), in each index's docid ->
# value tree and in the catalog's own trees; with the stock sizes a document
# added split about one of them, and concurrent creates met on those splits.
# Buckets four times as wide split four times less often. The catalog, the
# lexicon, intids and OFS create the stock classes, so the size is set on
# those classes: BTrees reads ``max_leaf_size`` from the class at each split,
# existing buckets just grow to the new size, nothing is migrated. The price:
# a changed bucket is written whole, so each write is larger (a set bucket of
# 500 document ids is ~2.5 KB).
BUCKET_SIZES = {
    # (module, class): max_leaf_size; BTrees' own in the comment
    ("BTrees.IIBTree", "IITreeSet"): 500,  # 120: the indexes' docid sets
    ("BTrees.IIBTree", "IIBTree"): 500,  # 120: full-text postings, docid -> date
    ("BTrees.IOBTree", "IOBTree"): 240,  # 60: docid -> value, path, metadata; wid -> word; intid -> object
    ("BTrees.OIBTree", "OIBTree"): 240,  # 60: path -> docid, word -> wid, object -> intid
    ("BTrees.OOBTree", "OOBTree"): 120,  # 30: value -> docids, a folder's ids, annotations
}


def widen_buckets(sizes=BUCKET_SIZES):
    """Set the BTree classes' bucket sizes (never narrower than BTrees' own).
    Done when hdnd.content is imported, in every process that loads it."""
    import importlib

    for (module, name), size in sizes.items():
        kind = getattr(importlib.import_module(module), name)
        if kind.max_leaf_size < size:
            kind.max_leaf_size = size


# The catalog's metadata at BTrees' own bucket size ---------------------------
#
# The catalog's ``data`` tree (document id -> its metadata record, 47 columns
# on an hdnd site, ~700 bytes pickled, four DateTimes among them) is an
# IOBTree, which widen_buckets makes 240 wide: a bucket held 120 records,
# ~84 KB, and loading one took ~6 ms here. A search reads the records of the
# brains it shows, so a search for one exact number whose bucket was not in
# the ZODB cache paid those 6 ms for one record (plain Plone's stock buckets
# hold ~30 records: the "constant" 2x of the exact-number search in
# docs/benchmarks.md), and every metadata change rewrote 84 KB. This tree
# keeps BTrees' own 60: its splits are the only ones it adds back (one per 30
# creates of one writer; changes to different records of a bucket still merge).
class MetadataTree(IOBTree):
    """The catalog's document id -> metadata record tree, at BTrees' own
    bucket size whatever widen_buckets sets on IOBTree (see above)."""

    max_leaf_size = 60


class MetadataTreeCatalog(Catalog):
    """ZCatalog's inner catalog whose ``clear`` makes a MetadataTree again.
    Every way of emptying a catalog ends in ``Catalog.clear`` (ZCatalog's
    manage_catalogClear and refreshCatalog(clear=1), Plone's
    clearFindAndRebuild and manage_catalogRebuild): ZCatalog's makes a
    plain IOBTree, which widen_buckets makes 240 wide, and no event is sent
    that a subscriber could answer. A subclass, not a patch of ZCatalog."""

    def clear(self):
        super().clear()
        self.data = MetadataTree()


def adopt_metadata_tree(catalog):
    """Put the catalog's metadata records into a MetadataTree (once; its
    buckets then hold ~30 records), kept by a MetadataTreeCatalog through a
    clear. True if it changed anything."""
    base = aq_base(catalog)
    inner, changed = aq_base(base._catalog), False
    if type(inner) is Catalog:  # the same state (indexes, records) in the subclass
        adopted = MetadataTreeCatalog.__new__(MetadataTreeCatalog)
        adopted.__setstate__(inner.__getstate__())
        base._catalog = inner = adopted
        changed = True
    if type(inner.data) is not MetadataTree:
        tree = MetadataTree()
        tree.update(inner.data)
        inner.data = tree
        changed = True
    return changed
