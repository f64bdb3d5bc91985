"""What the catalog reads of an item, each value computed once per indexing
(issue 21: bulk registration).

ZCatalog indexes an item by asking the wrapper Plone puts around it
(plone.indexer's ``IndexableObjectWrapper``) for one attribute per index,
then again for every metadata column: ``Title``, ``Description``,
``review_state``, ``UID``, ``created``, ``effective``, ``portal_type``, …
are asked twice, and each ask looks up an indexer adapter and, on a
Dexterity item, falls through ``__getattr__`` to the schemas' defaults. A
profile of 500 documents received in bulk put two thirds of the time in
the catalog, most of it in these look-ups.

The wrapper here is made for one ``catalog_object`` call and dropped after
it: nothing changes the item meanwhile, so the second ask of a name gets
the first answer (a value, a missing attribute, or a callable's result,
called once when first called). The values indexed and stored are the
same: ``tests/integration/test_bulk_identity.py`` compares a document
received in bulk with one received singly, index by index and column by
column.
"""

from plone.indexer.wrapper import IndexableObjectWrapper
from Products.PluginIndexes.util import safe_callable


_MISSING = object()


class _Once:
    """A callable attribute, called at most once (indexes and metadata call
    what they are given with no argument)."""

    __slots__ = ("_call", "_value")

    def __init__(self, call):
        self._call = call
        self._value = _MISSING

    def __call__(self):
        if self._value is _MISSING:
            self._value = self._call()
        return self._value


class MemoizingIndexableWrapper(IndexableObjectWrapper):
    """plone.indexer's wrapper, each name looked up once."""

    def __init__(self, object, catalog):
        super().__init__(object, catalog)
        self.__dict__["_hdnd_seen"] = {}

    def __getattr__(self, name):
        if name.startswith("__") or name == "_hdnd_seen":
            return super().__getattr__(name)
        seen = self.__dict__["_hdnd_seen"]
        known = seen.get(name, _MISSING)
        if known is _MISSING:
            try:
                value = super().__getattr__(name)
            except AttributeError as error:
                seen[name] = error
                raise
            known = seen[name] = _Once(value) if safe_callable(value) and not isinstance(value, type) else value
        elif isinstance(known, AttributeError):
            raise AttributeError(name)
        return known
