"""OfficialDocument (văn bản): incoming, outgoing or internal.

Folderish: it holds its attachments, processing slips and (for a directive)
tasks. The symbol is stored as printed and read into its parts on demand,
so the parts can never disagree with it (hdnd.content.numbers.identity
reads them, and says which numbers are held). Numbers are given by
:mod:`hdnd.content.numbers` at registration or issue, never to a draft.
"""

from hdnd.content.core import symbols
from hdnd.content.i18n import _
from hdnd.content.numbers.identity import find_duplicate
from hdnd.content.numbers.identity import parse
from hdnd.content.numbers.identity import SymbolParts
from hdnd.content.validation import FieldError
from hdnd.content.validation import invalid
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

    # Set by "Trả lời" on an incoming document (hdnd.content.replies); the
    # incoming document lists its replies through the relation catalog.
    in_reply_to = RelationChoice(
        title=_("label_in_reply_to", default="In reply to"),
        description=_("help_in_reply_to", default="The incoming document this one answers."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    directives.widget(
        "in_reply_to",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["OfficialDocument"], "maximumSelectionSize": 1},
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


@implementer(IOfficialDocument)
# Container first: with a plain mixin first, the Dexterity (ExtensionClass)
# machinery no longer marks the object with its behaviors' interfaces.
class OfficialDocument(Container, SymbolParts):
    """An official document; the symbol's parts are derived, never stored."""

    def reindexObjectSecurity(self, skip_self=False):
        """CMF's, less its catalog search when it cannot find anything: a
        document not yet in the catalog (created in this transaction, its
        whole record pending in the indexing queue, which reads the security
        at commit) and holding nothing has no entry the search could find.
        The workflow asks it of every new document (its initial state): a
        document received in bulk paid a catalog query for nothing (issue 21)."""
        catalog = self._getCatalogTool()
        if catalog is not None and not self.objectIds() and \
                catalog.getrid("/".join(self.getPhysicalPath())) is None:
            return
        super().reindexObjectSecurity(skip_self=skip_self)

    @property
    def record_year(self):
        """The year it belongs to: of its issue, else of its arrival."""
        day = getattr(self, "issue_date", None) or getattr(self, "arrival_date", None)
        return day.year if day else None

    def replies(self):
        """The documents answering this one (the other side of ``in_reply_to``)
        that the current user may see."""
        return [doc for doc in referring(self, "in_reply_to") if api.user.has_permission("View", obj=doc)]

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
