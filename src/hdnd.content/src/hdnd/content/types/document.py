"""OfficialDocument (văn bản): incoming, outgoing or internal.

Folderish: it holds its attachments, processing slips and (for a directive)
tasks. The symbol is stored as printed and read into its parts on demand,
so the parts can never disagree with it. Numbers are given by
:mod:`hdnd.content.numbers` at registration or issue, never to a draft.
"""

from hdnd.content.core import symbols
from hdnd.content.core.levels import is_classified
from hdnd.content.core.numbering import identity
from hdnd.content.core.numbering import NumberingError
from hdnd.content.core.numbering import term_for
from hdnd.content.i18n import _
from hdnd.content.validation import FieldError
from hdnd.content.validation import invalid
from hdnd.content.vocabularies import registry_pairs
from plone import api
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from plone.uuid.interfaces import IUUID
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zc.relation.interfaces import ICatalog
from zope import schema
from zope.component import queryUtility
from zope.interface import implementer
from zope.interface import invariant
from zope.intid.interfaces import IIntIds


def known_document_types():
    return [token for token, _title in registry_pairs("document_types")]


def parse(text):
    """Parse with the office's list of document types (from the registry)."""
    return symbols.parse_symbol(text, doc_types=known_document_types())


def check_symbol(value):
    if value:
        try:
            parse(value)
        except symbols.SymbolError as error:
            raise FieldError(f"symbol: {error}")
    return True


class IOfficialDocument(model.Schema):
    direction = schema.Choice(
        title=_("label_direction", default="Direction"),
        vocabulary="hdnd.vocabularies.Direction",
        default="incoming",
        required=True,
    )

    symbol = schema.TextLine(
        title=_("label_symbol", default="Number and symbol"),
        description=_(
            "help_symbol",
            default="As printed, e.g. 5858-QĐ/TU, 01/CTr-HĐND, 97/2019/QH14. "
            "An outgoing draft has none: its number is given at issue.",
        ),
        required=False,
        constraint=check_symbol,
    )

    # Read from the symbol (see the properties of OfficialDocument).
    number = schema.Int(title=_("label_number", default="Number"), readonly=True, required=False)
    doc_type = schema.TextLine(
        title=_("label_doc_type_abbreviation", default="Type (from the symbol)"),
        readonly=True,
        required=False,
    )
    issuer = schema.TextLine(
        title=_("label_issuer", default="Issuer (from the symbol)"), readonly=True, required=False
    )
    year = schema.Int(title=_("label_year", default="Year"), readonly=True, required=False)

    document_type = schema.Choice(
        title=_("label_document_type", default="Document type"),
        description=_(
            "help_document_type",
            default="For an outgoing document, the type its number is drawn for.",
        ),
        vocabulary="hdnd.vocabularies.DocumentTypes",
        required=False,
    )

    family = schema.Choice(
        title=_("label_family", default="Numbering family"),
        vocabulary="hdnd.vocabularies.Family",
        default="party",
        required=True,
    )

    issuing_body = schema.TextLine(
        title=_("label_issuing_body", default="Issuing body"),
        description=_("help_issuing_body", default="As printed, e.g. Thành ủy Hà Nội."),
        required=False,
        max_length=300,
    )

    issue_date = schema.Date(title=_("label_issue_date", default="Date of issue"), required=False)

    title = schema.TextLine(
        title=_("label_subject", default="Subject (trích yếu)"),
        max_length=500,
        required=True,
    )

    description = schema.Text(title=_("label_description", default="Description"), required=False)

    signer = schema.TextLine(title=_("label_signer", default="Signer"), required=False)
    signer_position = schema.TextLine(
        title=_("label_signer_position", default="Signer's position"),
        description=_("help_signer_position", default="e.g. T/M BAN THƯỜNG VỤ, BÍ THƯ"),
        required=False,
    )

    recipients = schema.List(
        title=_("label_recipients", default="Recipients"),
        value_type=schema.TextLine(),
        default=[],
        required=False,
    )

    send_to = schema.List(
        title=_("label_send_to", default="Send electronically to"),
        description=_(
            "help_send_to",
            default="Agencies that receive the issued document over the e-document "
            "exchange (edXML). Never a classified document.",
        ),
        value_type=schema.Choice(vocabulary="hdnd.vocabularies.Agencies"),
        default=[],
        required=False,
    )

    urgency = schema.Choice(
        title=_("label_urgency", default="Urgency"),
        vocabulary="hdnd.vocabularies.Urgency",
        default="normal",
        required=True,
    )

    due_date = schema.Date(
        title=_("label_due_date", default="Reply due"),
        description=_("help_due_date", default="When the document asks for a reply or report."),
        required=False,
    )

    arrival_number = schema.Int(
        title=_("label_arrival_number", default="Arrival number"),
        description=_("help_arrival_number", default="Given by the registry at registration."),
        readonly=True,
        required=False,
    )

    arrival_date = schema.Date(
        title=_("label_arrival_date", default="Arrival date"), required=False
    )

    page_count = schema.Int(
        title=_("label_page_count", default="Pages"), min=0, max=100000, required=False
    )

    channel = schema.Choice(
        title=_("label_channel", default="Channel"),
        vocabulary="hdnd.vocabularies.Channel",
        required=False,
    )

    replaces = RelationList(
        title=_("label_replaces", default="Replaces"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        default=[],
        required=False,
    )
    directives.widget(
        "replaces",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["OfficialDocument"]},
    )

    superseded = schema.Bool(
        title=_("label_superseded", default="Superseded"),
        description=_("help_superseded", default="A newer document replaces this one."),
        readonly=True,
        required=False,
    )

    replaced_by = schema.List(
        title=_("label_replaced_by", default="Replaced by"),
        value_type=schema.URI(),
        readonly=True,
        required=False,
    )

    paper_original = schema.TextLine(
        title=_("label_paper_original", default="Paper original kept at"),
        description=_(
            "help_paper_original",
            default="Where the signed paper original is kept, if there is one "
            "(e.g. Văn thư, tủ 2, hộp 2026-05).",
        ),
        required=False,
    )

    file = NamedBlobFile(
        title=_("label_main_file", default="Main file"),
        description=_("help_main_file", default="The document itself, or the scan of the paper original."),
        required=False,
    )

    # Made by the procedure (signing.py), never typed in.
    signed_file = NamedBlobFile(
        title=_("label_signed_file", default="Digitally signed PDF"),
        description=_("help_signed_file", default="Signed at the signing step; the body's signature added at issue."),
        readonly=True,
        required=False,
    )

    @invariant
    def symbol_is_not_held_twice(data):
        if getattr(data, "symbol", None):
            duplicate = find_duplicate(data)
            if duplicate is not None:
                raise invalid(duplicate)

    @invariant
    def symbol_needs_its_date(data):
        # The date places the number in its series (year or term): without
        # it a second registration of the same document could not be seen.
        if getattr(data, "symbol", None) and not getattr(data, "issue_date", None):
            raise invalid(
                _("error_symbol_without_date", default="issue_date: give the date of issue with the symbol.")
            )

    @invariant
    def does_not_replace_itself(data):
        context = getattr(data, "__context__", None)
        own = IUUID(context, None) if context is not None else None
        targets = [getattr(r, "to_object", None) for r in getattr(data, "replaces", None) or ()]
        if own is not None and own in [IUUID(t, None) for t in targets if t is not None]:
            raise invalid(_("error_replaces_itself", default="replaces: a document cannot replace itself."))


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
        from hdnd.content.numbers import terms

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
    from hdnd.content.numbers import holder

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


def referring(obj, attribute):
    """The items whose relation field `attribute` points at `obj` (the other
    side of a relation), whether or not the user may see them."""
    catalog = queryUtility(ICatalog)
    intids = queryUtility(IIntIds)
    if catalog is None or intids is None:
        return []
    try:
        own = intids.getId(obj)
    except KeyError:
        return []
    found = catalog.findRelations({"to_id": own, "from_attribute": attribute})
    return [r.from_object for r in found if r.from_object is not None]


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


@implementer(IOfficialDocument)
# Container first: with a plain mixin first, the Dexterity (ExtensionClass)
# machinery no longer marks the object with its behaviors' interfaces.
class OfficialDocument(Container, SymbolParts):
    """An official document; the symbol's parts are derived, never stored."""

    @property
    def record_year(self):
        """The year it belongs to: of its issue, else of its arrival."""
        day = getattr(self, "issue_date", None) or getattr(self, "arrival_date", None)
        return day.year if day else None

    def replacing_documents(self):
        """Documents that replace this one (the other side of ``replaces``)."""
        return referring(self, "replaces")

    @property
    def superseded(self):
        # Only replacements the user may see count: another one's existence
        # is not theirs to learn.
        return bool(self.replaced_by)

    @property
    def replaced_by(self):
        """URLs of the replacing documents the current user may see."""
        return [
            doc.absolute_url()
            for doc in self.replacing_documents()
            if api.user.has_permission("View", obj=doc)
        ]
