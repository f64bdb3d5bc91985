"""Who may see a classified item (domain §5), on the Zope side.

An item's effective classification is the highest of its own and its
containers' (everything inside a classified dossier is classified with it).
The rules of levels are in :mod:`hdnd.content.core.levels`.
"""

from Acquisition import aq_chain
from Acquisition import aq_inner
from hdnd.content.core.levels import CLASSIFICATION
from hdnd.content.core.levels import rank
from Products.CMFCore.interfaces import ISiteRoot


def effective_classification(obj):
    """The highest classification of `obj` and its containers ("none" if none)."""
    level = "none"
    for item in aq_chain(aq_inner(obj)):
        if ISiteRoot.providedBy(item):
            break
        own = getattr(item, "classification", None)
        if own in CLASSIFICATION and rank(own) > rank(level):
            level = own
    return level


def is_classified_item(obj):
    return effective_classification(obj) != "none"
