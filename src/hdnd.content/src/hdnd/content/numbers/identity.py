"""The identity of a numbered document: its symbol read with the office's
list of types, the key that makes (number, symbol, issuer) unique in its
series, who holds a key, and the parts a document or a secret document stub
derives from its symbol. The content types import this; it imports no type.
"""

from hdnd.content.core import symbols
from hdnd.content.core.levels import is_classified
from hdnd.content.core.numbering import identity
from hdnd.content.core.numbering import NumberingError
from hdnd.content.core.numbering import term_for
from hdnd.content.i18n import _
from hdnd.content.numbers.series import terms
from hdnd.content.vocabularies import registry_pairs
from plone import api
from plone.uuid.interfaces import IUUID


# Stubs of secret documents issued on the confidential installation: their
# title says only that a secret document holds the number.
STUB_TITLE = "Văn bản mật số {symbol}"


def stub_title(symbol):
    return STUB_TITLE.format(symbol=symbol)


def known_document_types():
    return [token for token, _title in registry_pairs("document_types")]


def parse(text):
    """Parse with the office's list of document types (from the registry)."""
    return symbols.parse_symbol(text, doc_types=known_document_types())


def identity_key(symbol_text, issue_date, secret=False):
    """The catalog key of "(number, symbol, issuer) is unique", or None.

    Numbers recur legitimately in the next series, so the key holds the
    series: the year for State and legal numbers (restarting on 1 January),
    the committee term for Party numbers when the date falls in a known term
    (else the year, the best a foreign Party body's term allows). Secret
    State documents have a series of their own; secret Party documents share
    the ordinary one.
    """
    try:
        parsed = parse(symbol_text)
    except symbols.SymbolError:
        return None
    scope = parsed.year or (issue_date.year if issue_date else None)
    if parsed.family == "party" and issue_date is not None:
        try:
            scope = term_for(issue_date, terms()).label
        except NumberingError:
            pass
    if secret and parsed.family != "party":
        scope = f"{scope}-secret"
    parts = identity(parsed.number, parsed.notation, parsed.issuer, scope=scope)
    return "|".join(str(p) for p in parts)


def find_duplicate(data):
    """The message refusing a (number, symbol, issuer) another document holds."""
    key = identity_key(
        data.symbol,
        getattr(data, "issue_date", None),
        is_classified(getattr(data, "classification", None)),
    )
    other = holder(key, getattr(data, "__context__", None))
    if other is None:
        return None
    if not api.user.has_permission("View", obj=other):
        # Held by a document this user may not see: refuse without saying
        # whether it is an incoming one, or which.
        return _(
            "error_number_unavailable",
            default="symbol: ${symbol} cannot be registered here; ask the security officer.",
            mapping={"symbol": data.symbol},
        )
    if getattr(data, "direction", None) != "incoming":
        return _(
            "error_number_held",
            default="symbol: the number ${symbol} is already held by another document.",
            mapping={"symbol": data.symbol},
        )
    return _(
        "error_duplicate_incoming",
        default="symbol: the incoming document ${symbol} is already registered "
        "(arrival number ${arrival}).",
        mapping={"symbol": data.symbol, "arrival": other.arrival_number or "-"},
    )


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


class SymbolParts:
    """The parts of ``symbol`` and its identity, derived on demand so that
    they can never disagree with it (documents and secret document stubs)."""

    def _parsed(self):
        text = getattr(self, "symbol", None)
        if not text:
            return None
        try:
            return parse(text)
        except symbols.SymbolError:
            return None

    @property
    def number(self):
        parsed = self._parsed()
        return parsed.number if parsed else None

    @property
    def doc_type(self):
        parsed = self._parsed()
        return parsed.doc_type if parsed else None

    @property
    def issuer(self):
        parsed = self._parsed()
        return parsed.issuer if parsed else None

    @property
    def year(self):
        """The year in the symbol (legal normative symbols carry one)."""
        parsed = self._parsed()
        return parsed.year if parsed else None

    @property
    def canonical_symbol(self):
        """The symbol as it is printed canonically ("Số 05 - qđ/tu" -> "05-QĐ/TU"),
        so that a search finds it however it was typed."""
        parsed = self._parsed()
        return parsed.format() if parsed else getattr(self, "symbol", None)

    def in_secret_series(self):
        return is_classified(getattr(self, "classification", None))

    @property
    def identity_key(self):
        return identity_key(
            getattr(self, "symbol", None), getattr(self, "issue_date", None), self.in_secret_series()
        )
