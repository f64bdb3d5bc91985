"""The records search: full text and filters, with facet counts, and each
person's saved searches.

Counts come from the catalog search of the asking user, so a classified
item they may not see changes no count. Only known filters are accepted: an
unknown one is a clear error, not a silent full listing.
"""

from BTrees.IIBTree import intersection
from BTrees.IIBTree import IISet
from collections import Counter
from hdnd.content.settings import organisation_settings
from hdnd.content.stores import stored
from hdnd.content.vocabularies import registry_pairs
from persistent.mapping import PersistentMapping
from plone import api
from Products.ZCTextIndex.ParseTree import ParseError
from ZTUtils.Lazy import LazyMap

import heapq


FILTERS = ("SearchableText", "portal_type", "record_year", "issuer", "review_state", "direction",
           "document_type", "classification", "lead_unit", "dossier_code")
FACETS = ("portal_type", "record_year", "issuer", "review_state", "document_type")
SAVED = "hdnd.content.saved_searches"
PAGE = 50


def issuer_titles():
    """{issuer code: the body's name} for showing the ``issuer`` index's
    values (the code a symbol names, e.g. TU in 36-CT/TU): the office's list
    of issuing bodies (registry ``issuers``, its control panel), and this
    body's own symbol abbreviation as its name. Looked up by code once per
    page rather than kept as catalog metadata: every document's reindex
    would write one more column, and a name changed in the list is shown at
    once, with no reindex."""
    titles = dict(registry_pairs("issuers"))
    settings = organisation_settings()
    if settings.symbol_abbreviation and settings.body_name:
        titles.setdefault(settings.symbol_abbreviation, settings.body_name)
    return titles


class SearchError(ValueError):
    """The message names the parameter."""


def query_of(params):
    unknown = sorted(set(params) - set(FILTERS) - {"b_start", "b_size"})
    if unknown:
        raise SearchError(f"{unknown[0]}: not a search filter (filters: {', '.join(FILTERS)})")
    query = {}
    for name in FILTERS:
        value = params.get(name)
        if value in (None, "", []):
            continue
        if name == "record_year":
            try:
                value = [int(v) for v in (value if isinstance(value, list) else [value])]
            except (TypeError, ValueError):
                raise SearchError(f"record_year: expected a year such as 2026, got {value!r}")
        query[name] = value
    return query


def find(params):
    """The catalog's answer to a search, as the asking user may see it
    (the catalog's own security: a classified item without clearance is
    neither found nor counted): brains (newest first, the page asked and
    those before it: ``brains[start:start + size]``), the total, facet
    counts, the query and the page asked (start, size). REST (search) and
    the search page share it."""
    query = query_of(params)
    if not query:
        raise SearchError("SearchableText: give words to find, or a filter")
    try:
        start = max(0, int(params.get("b_start", 0)))
        size = min(200, max(1, int(params.get("b_size", PAGE))))
    except (TypeError, ValueError):
        raise SearchError("b_start: expected whole numbers for b_start and b_size")
    catalog = api.portal.get_tool("portal_catalog")
    try:
        # The catalog's own query (its allowedRolesAndUsers and effective
        # date filters in), unsorted: the set of record ids found, once;
        # the facets are counted and the page is sorted from it.
        rids = record_ids(catalog(**query))
    except ParseError as error:
        raise SearchError(f"SearchableText: not a search the full text understands ({error})") from None
    page = newest(catalog, rids, start + size)
    brains = LazyMap(catalog._catalog.__getitem__, page, len(page), actual_result_count=len(rids))
    return {"brains": brains, "total": len(rids), "facets": facet_counts(catalog, rids, query), "query": query,
            "start": start, "size": size}


def newest(catalog, rids, count):
    """The first `count` of `rids`, newest first by the ``modified`` index,
    which keeps minutes: records of the same minute in the order they were
    catalogued (by record id, as the catalog's own sort of a search with
    many hits gave them), a record without a date last. Only what a page
    shows and those before it are ordered, not every hit."""
    when = catalog._catalog.getIndex("modified")._unindex.get
    return [-rid for _when, rid in heapq.nlargest(count, ((when(rid, -1), -rid) for rid in rids))]


def record_ids(found):
    """The record ids of a catalog answer, as a set, without making a brain
    for each: ZCatalog's unsorted answer is a LazyMap over the ids (ranked
    full-text answers: over (score, id) pairs). Any other shape: the brains'
    own ids."""
    seq = getattr(found, "_seq", None)
    if isinstance(found, LazyMap) and seq is not None:
        try:
            return IISet(seq)
        except TypeError:
            pass
        try:
            return IISet(rid for _score, rid in seq)
        except (TypeError, ValueError):
            pass
    return IISet(brain.getRID() for brain in found)


# Counting a facet by its index's value -> ids sets costs about the same
# for any number of hits (every set of the index is walked: ~1.1 ms a facet
# at 100,000 records here); reading each hit's value costs ~0.45 us a hit
# and facet (bench/bench_facets.py). The sets win from one hit in 40.
INTERSECT_FROM = 1 / 40


def facet_counts(catalog, rids, query=None):
    """{facet: {value as str: how many of `rids` have it}}, empty values
    left out, as the asking user's search found them (`rids`, by `query`).

    A facet the query asks one value of (``review_state=registered``) has
    that value on every hit: nothing to count.

    FACETS are FieldIndexes (one value a record). Many hits: `rids` is
    intersected with each value's set of ids in the index, in C, a cost that
    does not grow with the hits. Few hits: each hit's value is read from the
    index's record -> value map (no brain made). Another kind of index (a
    KeywordIndex's entry is a list, a BooleanIndex keeps one value's set):
    each hit's entry, as the index gives it."""
    facets = {}
    many = len(rids) >= INTERSECT_FROM * len(catalog._catalog)
    for name in FACETS:
        index = catalog._catalog.getIndex(name)
        counts = facets[name] = {}
        if not rids:
            continue
        field = getattr(index, "meta_type", None) == "FieldIndex"
        asked = one_value((query or {}).get(name))
        if field and asked is not None:
            tally = [(asked, len(rids))]
        elif field and many:
            tally = ((value, ids_found(rids, ids)) for value, ids in index._index.items())
        elif field:
            tally = Counter(map(index._unindex.get, rids)).items()
        else:
            tally = ((index.getEntryForObject(rid, default=None), 1) for rid in rids)
        for value, found in tally:
            if found and value is not None and value != "":
                key = str(value)
                counts[key] = counts.get(key, 0) + found
    return facets


def one_value(asked):
    """The one value a filter asks (a word or number, or a list of one),
    else None."""
    if isinstance(asked, (list, tuple)) and len(asked) == 1:
        asked = asked[0]
    return asked if isinstance(asked, (str, int)) and not isinstance(asked, bool) else None


def ids_found(rids, ids):
    """How many of `ids` (an index row) are in `rids`."""
    if isinstance(ids, int):  # a row of one, as indexes made before Zope 2.13 kept it
        return 1 if ids in rids else 0
    return len(intersection(rids, ids))


def search(params):
    found = find(params)
    brains, start, size = found["brains"], found["start"], found["size"]
    items = [
        {
            "@id": b.getURL(),
            "title": meta(b, "Title"),
            "type": b.portal_type,
            "review_state": meta(b, "review_state"),
            "symbol": meta(b, "symbol"),
            "description": meta(b, "Description"),
        }
        for b in brains[start:start + size]
    ]
    return {"items_total": found["total"], "items": items, "facets": found["facets"], "query": found["query"]}


def meta(brain, name):
    """A metadata column's value; None where the item has none (Missing.Value)."""
    value = getattr(brain, name, None)
    return value if isinstance(value, (str, int, float, bool)) else None


# Saved searches -------------------------------------------------------------------


def _store(create=False):
    return stored(api.portal.get(), SAVED, PersistentMapping, create=create, default={})


def saved(userid):
    return [{"name": name, "query": dict(q)} for name, q in sorted(_store().get(userid, {}).items())]


def save(userid, name, params):
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise SearchError("name: give the search a name (at most 100 characters)")
    query_of(params)  # the same filters a search accepts
    store = _store(create=True)
    mine = store.get(userid)
    if mine is None:
        mine = store[userid] = PersistentMapping()
    mine[name.strip()] = PersistentMapping(params)
    return saved(userid)


def forget(userid, name):
    mine = _store().get(userid, {})
    if name not in mine:
        raise SearchError(f"name: no saved search {name!r}")
    del mine[name]
    return saved(userid)

