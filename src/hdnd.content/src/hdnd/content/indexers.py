"""Catalog indexers of hdnd: one per index, from the item's own attribute.

Each reads the attribute of the item itself (``aq_base``), never one
acquired from its container: a file inside an incoming document is not an
incoming document, and must not turn up in a search for them.
"""

from Acquisition import aq_base
from hdnd.content.types.work_programme import IWorkProgramme
from plone.indexer import indexer
from plone.dexterity.interfaces import IDexterityContent
from zope.interface import Interface


# index name -> attribute, or (attribute, the interface of the only items that have it);
# the same names are in configure.zcml and profiles/default/catalog.xml
# (a test keeps the three in step).
INDEXED = {
    "direction": "direction",
    "symbol": "canonical_symbol",
    "number": "number",
    "doc_type": "doc_type",
    "issuer": "issuer",
    "document_type": "document_type",
    "issue_date": "issue_date",
    "arrival_number": "arrival_number",
    "arrival_date": "arrival_date",
    "urgency": "urgency",
    "classification": "classification",
    "need_to_know": "need_to_know",
    "channel": "channel",
    "dossier_code": "dossier_code",
    "retention": "retention",
    "lead_unit": "lead_unit",
    "cooperating_units": "cooperating_units",
    "deadline": "deadline",
    "completed_on": "completed_on",
    "assignee": "assignee",
    "meeting_kind": "meeting_kind",
    "planned_month": "planned_month",
    "programme_year": ("year", IWorkProgramme),
    "hdnd_identity": "identity_key",
    "record_year": "record_year",
}


def own_attribute(attribute, provided=None):
    @indexer(Interface)
    def index(obj):
        if provided is not None and not provided.providedBy(obj):
            raise AttributeError(attribute)
        value = getattr(aq_base(obj), attribute, None)
        if value is None or value == [] or value == "":
            raise AttributeError(attribute)
        return value

    # What it reads, for the catalog's wrapper (indexwrapper): an item that
    # cannot have the attribute is not asked (this would raise, after a
    # miss through Dexterity's __getattr__ over every behavior).
    index.hdnd_reads = (attribute, provided, True)  # None, [] and "" are nothing
    return index


for _name, _source in INDEXED.items():
    globals()[_name] = own_attribute(*(_source if isinstance(_source, tuple) else (_source,)))


@indexer(IDexterityContent)
def Subject(obj):
    """Keywords of a classified item stay out of the catalog's lists of
    keywords (the keyword vocabularies read them unrestricted)."""
    from hdnd.content.security import is_classified_item

    if is_classified_item(obj):
        raise AttributeError("Subject")
    return obj.Subject()
