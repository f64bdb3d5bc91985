"""The records search: full text and filters, with facet counts, and each
person's saved searches.

Counts come from the catalog search of the asking user, so a classified
item they may not see changes no count. Only known filters are accepted: an
unknown one is a clear error, not a silent full listing.
"""

from hdnd.content.settings import organisation_settings
from hdnd.content.stores import stored
from hdnd.content.vocabularies import registry_pairs
from persistent.mapping import PersistentMapping
from Products.ZCTextIndex.ParseTree import ParseError
from plone import api


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
    neither found nor counted): brains, facet counts, the query and the
    page asked (start, size). REST (search) and the search page share it."""
    query = query_of(params)
    if not query:
        raise SearchError("SearchableText: give words to find, or a filter")
    catalog = api.portal.get_tool("portal_catalog")
    try:
        brains = catalog(sort_on="modified", sort_order="descending", **query)
        len(brains)
    except ParseError as error:
        raise SearchError(f"SearchableText: not a search the full text understands ({error})") from None
    facets = {name: {} for name in FACETS}
    indexes = {name: catalog._catalog.getIndex(name) for name in FACETS}
    for brain in brains:
        rid = brain.getRID()
        for name, index in indexes.items():
            value = index.getEntryForObject(rid, default=None)
            if value not in (None, ""):
                key = str(value)
                facets[name][key] = facets[name].get(key, 0) + 1
    try:
        start = max(0, int(params.get("b_start", 0)))
        size = min(200, max(1, int(params.get("b_size", PAGE))))
    except (TypeError, ValueError):
        raise SearchError("b_start: expected whole numbers for b_start and b_size")
    return {"brains": brains, "facets": facets, "query": query, "start": start, "size": size}


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
    return {"items_total": len(brains), "items": items, "facets": found["facets"], "query": found["query"]}


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

