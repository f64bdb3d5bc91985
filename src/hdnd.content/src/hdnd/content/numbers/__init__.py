"""Numbering: the one place that gives numbers and says who holds one.

- :mod:`.series`: the site's counters and committee terms (the counters'
  rules are plain Python in ``core.numbering``);
- :mod:`.identity`: a symbol's parts and identity key, who holds a key, the
  duplicate refusal; the content types take these from here;
- :mod:`.reservations`: Party numbers carried between the main and the
  confidential installation;
- here: taking an arrival number or an outgoing number, which the workflow's
  guards call (they are handed the document; nothing here imports upwards).

Numbers are taken inside the caller's transaction, so an aborted
registration gives its number back and the series has no gaps. Writers
queue on a counter only between their draw and their commit (issue 21;
:mod:`.series`): a draw reads the counter as committed now, not as of its
transaction's start, and its commit holds only if nobody drew since. A long
transaction thus no longer loses to every registration committed during its
work; two takers drawing at the same moment still conflict, ZODB refuses
the second commit with a ConflictError and the request is retried (Zope's
publisher does it for web and REST requests; :func:`with_retries` for
scripts), so a number is never given twice. The register and issue steps
draw in their workflow guard, after its checks: the window is the rest of
that request (the transition, its reactions, the catalog's indexing at
commit; about 15 ms in process). Secret incoming documents have a series of
their own (the register for secret documents); secret Party documents share
the ordinary series, as the law has it (domain §3). The first number of a
new series (each year's, each type's) makes its counter: two transactions
making the same one conflict, once.
"""

from Acquisition import aq_base
from datetime import date
from hdnd.content import installation
from hdnd.content.core import numbering
from hdnd.content.core import symbols
from hdnd.content.core.levels import is_classified
from hdnd.content.numbers import reservations
from hdnd.content.numbers.identity import find_duplicate  # noqa: F401 (the package's API)
from hdnd.content.numbers.identity import holder
from hdnd.content.numbers.identity import identity_key
from hdnd.content.numbers.identity import parse
from hdnd.content.numbers.series import counters
from hdnd.content.numbers.series import terms
from hdnd.content.numbers.series import with_retries  # noqa: F401 (the package's API)
from hdnd.content.settings import organisation_settings


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
