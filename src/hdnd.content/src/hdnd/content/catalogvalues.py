"""Catalog values of an official document that Plone computes by walking
every field of every schema (issue 21: bulk registration).

Indexing one document asks the catalog's wrapper for 60 indexes and 47
metadata columns. Three of Plone's answers cost more than all of hdnd's own
indexers together, for a value they could find directly:

- ``getObjSize`` (a column): Plone's indexer asks ``obj.get_size()``, which
  Dexterity answers by reading every field of every schema and adding the
  sizes of the values that have one (``DexterityContent.getSize``): each
  unset field is a miss through ``__getattr__`` to the schema's defaults.
  Only file, image and rich-text values have a size (``getSize``), so only
  those fields are read here; the sum and its text are Plone's.
- ``image_scales`` (a column): Plone asks an image-scales adapter for every
  field of every schema (``ImageScales``). Here the fields are those for
  which such an adapter is registered, found once per set of schemas and
  interfaces; each is then asked as Plone asks it.
- Names the catalog asks of every item that belong to other types'
  behaviors (an event's ``start``, ``end``, ``location``, ``sync_uid``; a
  link's ``getRemoteUrl``; related items' ``getRawRelatedItems``): an
  official document has none of them, and the catalog learns that through a
  miss on the document, then acquisition up to the site. The indexer here
  raises at once what the miss would have raised, unless the document's
  type has come to have such a field (then it reads it, as Plone would).

Same values, cheaper: ``tests/integration/test_bulk_identity.py`` compares
these with what Plone's own code gives, and a document received in bulk
with one received singly, index by index and column by column.
"""

from plone.app.textfield.interfaces import IRichText
from plone.dexterity.utils import iterSchemata
from plone.indexer import indexer
from plone.namedfile.interfaces import INamedField
from plone.base.interfaces import IImageScalesAdapter
from plone.base.interfaces import IImageScalesFieldAdapter
from plone.base.utils import human_readable_size
from hdnd.content.types.document import IOfficialDocument
from persistent.mapping import PersistentMapping
from zope.component import adapter
from zope.component import getSiteManager
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import providedBy
from zope.schema import getFields
from zope.schema import getFieldsInOrder


_SIZED = {}  # the schemas of a type -> ((schema, field name), ...) whose values may have a size
# Names of other types' behaviors the catalog asks of every item (see the module).
NOT_DOCUMENT_NAMES = ("start", "end", "location", "sync_uid", "getRemoteUrl", "getRawRelatedItems")


def _schemas(obj):
    return tuple(iterSchemata(obj))


def sized_fields(obj):
    schemas = _schemas(obj)
    found = _SIZED.get(schemas)
    if found is None:
        found = _SIZED[schemas] = tuple(
            (schema, name) for schema in schemas for name, field in getFieldsInOrder(schema)
            if INamedField.providedBy(field) or IRichText.providedBy(field))
    return found


def size_of(obj):
    """``DexterityContent.getSize`` reading only the fields whose values may
    have a size (the others' values never do)."""
    size = 0
    for schema, name in sized_fields(obj):
        value = getattr(schema(obj), name, None)
        if hasattr(value, "getSize"):
            size += value.getSize()
    return size


@indexer(IOfficialDocument)
def getObjSize(obj):
    # Plone's CMFPlone.CatalogTool.getObjSize, with get_size's sum read directly.
    return human_readable_size(size_of(obj))


_SCALED = {}  # (schemas, interfaces of the item, of the request) -> the fields with an image-scales adapter


@implementer(IImageScalesAdapter)
@adapter(IOfficialDocument, Interface)
class ImageScales:
    """Plone's ``Products.CMFPlone.image_scales.adapters.ImageScales``, asking
    only the fields an image-scales adapter is registered for."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self):
        from Acquisition import aq_inner

        obj = aq_inner(self.context)
        schemas = _schemas(self.context)
        key = (schemas, providedBy(obj), providedBy(self.request))
        fields = _SCALED.get(key)
        if fields is None:
            if len(_SCALED) > 64:  # new interfaces on items or requests: keep only the recent
                _SCALED.clear()
            lookup = getSiteManager().adapters.lookup
            fields = _SCALED[key] = tuple(
                (name, field) for schema in schemas for name, field in getFields(schema).items()
                if lookup((providedBy(field), key[1], key[2]), IImageScalesFieldAdapter) is not None)
        from zope.component import queryMultiAdapter

        res = {}
        for name, field in fields:
            serializer = queryMultiAdapter((field, obj, self.request), IImageScalesFieldAdapter)
            if serializer:
                scales = serializer()
                if scales:
                    res[name] = scales
        return res


def _not_on_documents(name):
    @indexer(IOfficialDocument)
    def absent(obj):
        for schema in _schemas(obj):
            if name in schema:  # the type has come to have it: read it as the catalog would
                return getattr(obj, name)
        raise AttributeError(name)

    absent.hdnd_reads = (name, None, False)  # for the catalog's wrapper: not asked of an item that cannot have it
    return absent


for _name in NOT_DOCUMENT_NAMES:
    globals()["absent_" + _name] = _not_on_documents(_name)
