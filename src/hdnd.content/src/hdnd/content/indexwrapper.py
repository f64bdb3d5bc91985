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
called once when first called).

Two more things it does that Plone's wrapper does each time (third round):

- The indexer of a name is looked up with the item's and the catalog's
  interfaces computed once per indexing (``providedBy`` of a Dexterity item
  is Python code that assembles its behaviors' markers), in the registry's
  own cached look-up; what ``queryMultiAdapter`` did, without redoing the
  specifications 67 times.
- An indexer that says what it reads (``hdnd_reads``: hdnd's own
  attributes, ``indexers.own_attribute``, and the other types' names of
  ``catalogvalues``) is not called when the item cannot have that
  attribute: not in its own state, not on its class, not one of its items,
  and not a field of its schemas -- or a field left unset whose default is
  empty, for an indexer that stores nothing for an empty value. The indexer
  would raise AttributeError after a miss through Dexterity's
  ``__getattr__`` over every behavior (0.03–0.1 ms each): 20 of hdnd's
  indexes are other types' and store nothing for a document, and a received
  document has not yet the arrival number, date, dossier... that its own
  indexes hold later.

The values indexed and stored are the same:
``tests/integration/test_bulk_identity.py`` compares this wrapper with
Plone's, name by name, on items of several types, and a document received in
bulk with one received singly, index by index and column by column.
"""

from Acquisition import aq_base
from plone.dexterity.schema import SCHEMA_CACHE
from plone.dexterity.utils import iterSchemata
from plone.indexer.interfaces import IIndexer
from plone.indexer.wrapper import IndexableObjectWrapper
from Products.PluginIndexes.util import safe_callable
from zope.component import getSiteManager
from zope.interface import providedBy
from zope.schema import getFieldNames


_MISSING = object()
_MADE = object()  # a field's default made by a factory
_FIELDS = {}  # (class, portal_type, schema cache generation, interfaces) -> {field name: default}


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


def field_defaults(obj, provided):
    """Every field of ``obj``'s schemas -> the default Dexterity's
    ``__getattr__`` gives for it while unset (the first schema that has it,
    as there), or ``_MADE`` when a factory makes it; found once per type, set
    of behaviors and interfaces (invalidated with Dexterity's schema cache)."""
    key = (type(aq_base(obj)), getattr(obj, "portal_type", None), SCHEMA_CACHE.invalidations, provided)
    defaults = _FIELDS.get(key)
    if defaults is None:
        if len(_FIELDS) > 256:  # types or behaviors changed many times: keep only the recent
            _FIELDS.clear()
        try:
            schemas = tuple(iterSchemata(obj))
        except Exception:  # not a Dexterity item: no schema defaults
            schemas = ()
        defaults = {}
        for schema in schemas:
            for name in getFieldNames(schema):
                field = schema[name]
                if name not in defaults:
                    defaults[name] = _MADE if getattr(field, "defaultFactory", None) is not None else field.default
        defaults = _FIELDS[key] = defaults
    return defaults


def reads_nothing(obj, name, defaults, empty_is_nothing):
    """True when ``getattr(aq_base(obj), name)`` cannot give a value, known
    without asking it: not in the item's state, not on its class, not one of
    its items (a BTree folder gives its items as attributes), and not a field
    of its schemas (``defaults``) -- or, with ``empty_is_nothing``, a field
    whose default, made by no factory, is None, [] or "" (what an indexer that
    treats those as missing would be given)."""
    base = aq_base(obj)
    activate = getattr(base, "_p_activate", None)
    if activate is not None:
        activate()  # a ghost's __dict__ is empty
    state = getattr(base, "__dict__", None)
    if state is None or name in state or hasattr(type(base), name):
        return False
    tree = state.get("_tree")
    if tree is not None and name in tree:
        return False
    default = defaults.get(name, _MISSING)
    if default is _MISSING:
        return True
    return empty_is_nothing and default is not _MADE and (default is None or default == [] or default == "")


class MemoizingIndexableWrapper(IndexableObjectWrapper):
    """plone.indexer's wrapper, each name looked up once (see the module)."""

    def __init__(self, object, catalog):
        super().__init__(object, catalog)
        self.__dict__["_hdnd_seen"] = {}
        self.__dict__["_hdnd_specs"] = None
        self.__dict__["_hdnd_fields"] = None

    def __getattr__(self, name):
        if name.startswith("__") or name.startswith("_hdnd_"):
            return super().__getattr__(name)
        seen = self.__dict__["_hdnd_seen"]
        known = seen.get(name, _MISSING)
        if known is _MISSING:
            try:
                value = self._hdnd_read(name)
            except AttributeError as error:
                seen[name] = error
                raise
            known = seen[name] = _Once(value) if safe_callable(value) and not isinstance(value, type) else value
        elif isinstance(known, AttributeError):
            raise AttributeError(name)
        return known

    def _hdnd_read(self, name):
        """What ``IndexableObjectWrapper.__getattr__`` answers for ``name``
        (the same steps in the same order), with the look-up's interfaces
        computed once and the indexers that say what they read skipped where
        the item cannot have it."""
        obj = self._IndexableObjectWrapper__object
        catalog = self._IndexableObjectWrapper__catalog
        specs = self.__dict__["_hdnd_specs"]
        if specs is None:
            specs = self.__dict__["_hdnd_specs"] = (providedBy(obj), providedBy(catalog))
        factory = getSiteManager().adapters.lookup(specs, IIndexer, name)
        if factory is not None:
            reads = getattr(factory, "hdnd_reads", None)
            if reads is not None:
                attribute, provided, empty_is_nothing = reads
                if provided is not None and not specs[0].isOrExtends(provided):
                    raise AttributeError(name)
                defaults = self.__dict__["_hdnd_fields"]
                if defaults is None:
                    defaults = self.__dict__["_hdnd_fields"] = field_defaults(obj, specs[0])
                if reads_nothing(obj, attribute, defaults, empty_is_nothing):
                    raise AttributeError(name)
            indexer = factory(obj, catalog)
            if indexer is not None:
                return indexer()

        # Then, as plone.indexer does: workflow variables, the item's own
        # attribute (acquisition-wrapped), an acquired Python Script.
        variables = self._IndexableObjectWrapper__vars
        if name in variables:
            return variables[name]
        value_or_callable = getattr(obj, name)
        try:
            getattr(aq_base(obj), name)
        except AttributeError:
            if getattr(value_or_callable, "meta_type", None) == "Script (Python)":
                return value_or_callable
            raise
        return value_or_callable
