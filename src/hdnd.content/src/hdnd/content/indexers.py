"""Catalog indexers of hdnd: one per index, from the item's own attribute.

Each reads the attribute of the item itself (``aq_base``), never one
acquired from its container: a file inside an incoming document is not an
incoming document, and must not turn up in a search for them.
"""

from Acquisition import aq_base
from plone.indexer import indexer
from zope.interface import Interface


# index name -> attribute (see profiles/default/catalog.xml)
INDEXED = {
    "direction": "direction",
    "symbol": "symbol",
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
    "programme_year": "year",
    "hdnd_identity": "identity_key",
}


def own_attribute(attribute):
    @indexer(Interface)
    def index(obj):
        value = getattr(aq_base(obj), attribute, None)
        if value is None or value == [] or value == "":
            raise AttributeError(attribute)
        return value

    return index


for _name, _attribute in INDEXED.items():
    globals()[_name] = own_attribute(_attribute)
