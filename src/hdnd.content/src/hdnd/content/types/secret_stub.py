"""SecretDocumentStub: on the main installation, "secret document no. … issued".

Secret documents live on the separate confidential installation (domain §5);
the main one may hold only this metadata stub, so that its outgoing register
accounts for every number of the shared Party series. A stub holds the
symbol, date of issue, the document's classification level
(``document_classification``), document type and where the document is
held, and a title made from the symbol: never the subject, the signer, the
recipients or a file.

Stubs are made by importing a report of the confidential installation
(:func:`hdnd.content.numbers.reservations.import_report`), not by hand.
"""

from hdnd.content.i18n import _
from hdnd.content.numbers.identity import SymbolParts
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class ISecretDocumentStub(model.Schema):
    title = schema.TextLine(
        title=_("label_stub_title", default="Title"),
        description=_("help_stub_title", default="Made from the symbol; a stub never holds the subject."),
        required=True,
    )

    symbol = schema.TextLine(
        title=_("label_symbol", default="Number and symbol"),
        required=True,
    )

    issue_date = schema.Date(title=_("label_issue_date", default="Date of issue"), required=True)

    # Not "classification": that is an item's own level, which the security
    # machinery enforces; the stub itself is not secret (domain §5 allows it
    # on the main installation), it records the level of the document.
    document_classification = schema.Choice(
        title=_("label_document_classification", default="Classification of the document"),
        vocabulary="hdnd.vocabularies.Classification",
        required=True,
    )

    document_type = schema.Choice(
        title=_("label_document_type", default="Document type"),
        vocabulary="hdnd.vocabularies.DocumentTypes",
        required=True,
    )

    held_at = schema.TextLine(
        title=_("label_held_at", default="Held at"),
        description=_(
            "help_held_at",
            default="The installation that holds the secret document, e.g. hdnd-mat.",
        ),
        required=True,
    )


@implementer(ISecretDocumentStub)
class SecretDocumentStub(Item, SymbolParts):
    """The symbol's parts and identity are derived, as on OfficialDocument,
    so the catalog finds a stub by symbol and number like a document."""

    def in_secret_series(self):
        # Secret Party documents share the series of the others; secret
        # State documents have their own (identity_key knows which).
        return True
