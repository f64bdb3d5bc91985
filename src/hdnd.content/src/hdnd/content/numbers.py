"""Number counters of the site, kept in the ZODB (rules in core.numbering).

Numbers are taken inside the caller's transaction: two concurrent takers of
the same counter write the same BTree key, ZODB refuses the second commit
with a ConflictError, and the request is retried (Zope's publisher does it
for web and REST requests; :func:`with_retries` for scripts). A number is
thus never given twice, and an aborted registration gives its number back,
so the series has no gaps. Secret incoming documents have a series of their
own (the register for secret documents); secret Party documents share the
ordinary series, as the law has it (domain §3).
"""

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from datetime import date
from hdnd.content import installation
from hdnd.content.core import numbering
from hdnd.content.core import symbols
from hdnd.content.core.levels import is_classified
from hdnd.content.settings import organisation_settings
from hdnd.content.types.document import identity_key
from hdnd.content.types.document import parse
from plone import api
from plone.uuid.interfaces import IUUID
from zope.annotation.interfaces import IAnnotations

import transaction


ANNOTATION_KEY = "hdnd.content.counters"


def counters(portal=None):
    """The site's counters: counter key -> last number given."""
    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    if ANNOTATION_KEY not in annotations:
        annotations[ANNOTATION_KEY] = OOBTree()
    return annotations[ANNOTATION_KEY]


def terms():
    """The committee terms known to the site (the current one, from the settings)."""
    settings = organisation_settings()
    return (numbering.Term(settings.term_label, settings.term_start, settings.term_end),)


def in_secret_register(document):
    """Whether ``document`` is entered in the separate register for secret
    documents (domain §3) rather than the ordinary incoming/outgoing one.

    Decided once, when its number is taken (``secret_register``), and kept:
    a number is never given back or moved, so a document classified (or
    declassified) later stays in the register of the series its number came
    from. Documents numbered before that attribute existed (upgrade 1005
    writes it): incoming ones all took the one arrival series; outgoing
    ones follow their classification, as their series did.
    """
    kept = getattr(aq_base(document), "secret_register", None)
    if kept is not None:
        return bool(kept)
    if getattr(document, "direction", None) == "incoming":
        return False
    return is_classified(getattr(document, "classification", None))


def take_arrival_number(document, day=None):
    """Register an incoming document: give it the next arrival number (số đến)
    of its arrival year. A document keeps the number it already has.

    A classified document takes it from the series of the register for
    secret documents: the ordinary series then has no gap that would tell
    an uncleared clerk a secret document arrived between two others.
    """
    if document.arrival_number:
        return document.arrival_number
    day = day or document.arrival_date or date.today()
    secret = is_classified(getattr(document, "classification", None))
    number = numbering.next_number(counters(), numbering.arrival_key(day, secret=secret))
    document.arrival_number = number
    document.arrival_date = day
    document.secret_register = secret
    document.reindexObject(idxs=["arrival_number", "arrival_date"])
    return number


def register_incoming(document, day=None):
    """The registry's "register" step of an incoming document (REST
    ``@hdnd-register`` and the registry desk): its arrival date, then the
    workflow transition, whose guard checks the document's metadata and
    draws the arrival number. A refusal is the guard's WorkflowException,
    with its reason (plone.api would replace it with "Invalid transition")."""
    if day is not None:
        document.arrival_date = day
    api.portal.get_tool("portal_workflow").doActionFor(document, "register")
    return document.arrival_number


def take_number(document, day=None):
    """Issue an outgoing document: draw its number and write its symbol.

    Numbers are given after signature, never to a draft: ``@hdnd-issue``
    calls this. A document that already has a symbol is refused, so a
    number is given once.
    """
    if document.symbol:
        raise numbering.NumberingError(
            f"The document already has its number and symbol ({document.symbol})"
        )
    if not document.document_type:
        raise numbering.NumberingError("document_type: choose the type before issuing")
    day = day or date.today()
    issuer = organisation_settings().symbol_abbreviation
    family = document.family or "party"
    doc_type = None if family == "letter" else document.document_type
    secret = is_classified(getattr(document, "classification", None))
    key = numbering.counter_key(
        family, issuer=issuer, doc_type=doc_type, day=day, terms=terms(), secret=secret
    )
    series = counters()
    # A number already held (a legacy document registered by hand) is
    # skipped, not refused: refusing would block the series for good.
    for _attempt in range(1000):
        if family == "party" and installation.is_confidential():
            # One Party series across both installations (domain §5): the
            # confidential one issues only numbers the main one reserved.
            from hdnd.content import reservations

            number = reservations.take_reserved(key, document, day)
        else:
            number = numbering.next_number(series, key)
        symbol = symbols.Symbol(
            family, number, doc_type, issuer.upper(), year=day.year if family == "legal" else None
        ).format()
        # The symbol must read back as itself, or its parts and its
        # uniqueness could not be checked later.
        parse(symbol)
        if holder(identity_key(symbol, day, secret), document) is None:
            break
    else:
        raise numbering.NumberingError(f"No free number in the series {key}")
    document.symbol = symbol
    document.issue_date = day
    # A secret Party document shares the series but is entered in the
    # register for secret documents, like a secret State one.
    document.secret_register = secret
    document.reindexObject()
    return symbol


def holder(key, document=None):
    """The document (other than `document`) holding the identity `key`, or None.

    Unrestricted: a number held by an item the user cannot see is still
    held. Callers must not show such a holder's title to that user.
    """
    if key is None:
        return None
    own = IUUID(document, None) if document is not None else None
    catalog = api.portal.get_tool("portal_catalog")
    # Stubs of secret documents issued on the confidential installation hold
    # their numbers too.
    for brain in catalog.unrestrictedSearchResults(
        portal_type=["OfficialDocument", "SecretDocumentStub"], hdnd_identity=key
    ):
        if brain.UID != own:
            return brain._unrestrictedGetObject()
    return None


def with_retries(function, *args, attempts=5, **kwargs):
    """Run ``function`` in its own transaction, retried on ConflictError
    (for scripts and threads; web requests are retried by Zope itself)."""
    for attempt in transaction.manager.attempts(attempts):
        with attempt:
            result = function(*args, **kwargs)
    return result
