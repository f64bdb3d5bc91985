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
scripts), so a number is never given twice. The register step's guard
only checks; its arrival number is drawn last (:func:`draw_last`: after
the step and the catalog's queue, by the caller that answers with it, else
right before the commit), so the window is about the commit. The issue
step still draws in its guard (the digital signature of the step that
follows signs the symbol): its window is the rest of its request (about
15 ms in process). Secret incoming documents have a series of
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
from plone import api
from Products.CMFCore.indexing import processQueue
from zope.component import hooks

import transaction


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


class _Last:
    """Key of the transaction's registrations whose arrival number is drawn
    last (see :func:`arrival_number_last`)."""


def arrival_number_last(document, day=None):
    """The register step's guard: check that ``document`` can take an
    arrival number, and leave the draw to the transaction's last step, so
    that the counter waits only for the commit: :func:`draw_last`, which the
    step's callers that answer with the number call after the step (the
    registry desk, ``@hdnd-register``), else a before-commit hook (the
    workflow's own ``@workflow/register``, the state menu, scripts).
    A refusal (a date that has no series) comes here, before the step."""
    if document.arrival_number:
        return
    day = day or document.arrival_date or date.today()
    numbering.arrival_key(day)  # raises NumberingError now, not at commit
    current = transaction.get()
    try:
        waiting = current.data(_Last)
    except KeyError:
        waiting = []
        current.set_data(_Last, waiting)
        current.addBeforeCommitHook(draw_last)
    waiting.append((document, day, api.portal.get()))


def draw_last():
    """Draw the arrival numbers this transaction's registrations wait for,
    in the order they were registered: the catalog's queue first (the
    steps' own indexing), then each number, then indexing what a number
    touches. A registration rolled back since (a savepoint) takes none."""
    try:
        waiting = transaction.get().data(_Last)
    except KeyError:
        return
    if not waiting:
        return
    processQueue()
    while waiting:
        document, day, portal = waiting.pop(0)
        with hooks.site(portal):  # a commit may come after the request's site is gone
            if api.content.get_state(obj=document, default=None) != "received":
                take_arrival_number(document, day)
    processQueue()


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
