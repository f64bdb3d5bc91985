"""Interfaces and registry schemas of the hdnd domain."""

from hdnd.content.i18n import _
from hdnd.content.validation import check_issuer_code
from hdnd.content.validation import check_order
from zope import schema
from zope.interface import Interface
from zope.interface import invariant
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

import datetime


class IHdndContentLayer(IDefaultBrowserLayer):
    """Browser layer of hdnd.content, registered by its profile."""


class IOrganisationSettings(Interface):
    """Who the installation serves.

    Bodies are restructured and one installation may serve another committee
    or council (domain §1), so none of this is a constant: the registry holds
    it and the organisation control panel edits it.
    """

    body_name = schema.TextLine(
        title=_("label_body_name", default="Body name"),
        description=_(
            "help_body_name",
            default="Full name of the body, as printed in document headers.",
        ),
        default="Đảng đoàn Hội đồng nhân dân Thành phố",
    )

    parent_body = schema.TextLine(
        title=_("label_parent_body", default="Superior Party committee"),
        description=_(
            "help_parent_body",
            default="Printed above the body name in Party document headers.",
        ),
        default="Đảng bộ Thành phố",
        required=False,
    )

    symbol_abbreviation = schema.TextLine(
        title=_("label_symbol_abbreviation", default="Symbol abbreviation"),
        description=_(
            "help_symbol_abbreviation",
            default="The issuer part of the body's document symbols, "
            "e.g. ĐĐHĐND in 05-TB/ĐĐHĐND.",
        ),
        default="ĐĐHĐND",
    )

    place_name = schema.TextLine(
        title=_("label_place_name", default="Place of issue"),
        description=_(
            "help_place_name",
            default="The place printed before the date of issue.",
        ),
        default="Thành phố",
    )

    term_label = schema.TextLine(
        title=_("label_term_label", default="Committee term"),
        description=_(
            "help_term_label",
            default="Party document numbers run per type for the whole term.",
        ),
        default="2025-2030",
    )

    term_start = schema.Date(
        title=_("label_term_start", default="Term start"),
        default=datetime.date(2025, 10, 1),
    )

    term_end = schema.Date(
        title=_("label_term_end", default="Term end"),
        default=datetime.date(2030, 9, 30),
    )

    # The body's address in e-document exchange (edXML From/To, domain §7).
    organ_id = schema.ASCIILine(
        title=_("label_organ_id", default="Electronic organ id"),
        description=_(
            "help_organ_id",
            default="The body's code in the e-document exchange (mã định danh), "
            "e.g. 000.00.31.H29. Documents are exchanged only once it is set.",
        ),
        default="",
        required=False,
    )

    organ_address = schema.TextLine(
        title=_("label_organ_address", default="Address"), default="", required=False
    )

    organ_email = schema.TextLine(
        title=_("label_organ_email", default="E-mail"), default="", required=False
    )

    organ_telephone = schema.TextLine(
        title=_("label_organ_telephone", default="Telephone"), default="", required=False
    )

    emblem = schema.Bytes(
        title=_("label_emblem", default="Emblem"),
        description=_(
            "help_emblem",
            default="The office's emblem, shown with its name in the header and footer of every page "
            "(PNG, JPEG or SVG). Without one, a plain star.",
        ),
        required=False,
    )

    @invariant
    def abbreviation_is_a_code(data):
        # An invariant, not a field constraint: registry records keep no
        # constraints, the forms and REST check the schema's invariants.
        check_issuer_code(getattr(data, "symbol_abbreviation", None))

    @invariant
    def term_is_ordered(data):
        check_order(
            data, "term_start", "term_end",
            _("error_term_order", default="The term must end after it starts."),
        )


def _lines_field(name, title, description):
    from hdnd.content.vocabularies import DEFAULTS

    return schema.List(
        title=title,
        description=description,
        value_type=schema.TextLine(),
        default=list(DEFAULTS[name]),
        required=False,
    )


_LINES_HELP = _(
    "help_vocabulary_lines",
    default="One entry per line as code|title, e.g. NQ|Nghị quyết. "
    "Codes are stored on documents: change titles freely, codes with care.",
)


class IVocabularySettings(Interface):
    """The office's editable lists (danh mục), as ``code|title`` lines."""

    document_types = _lines_field(
        "document_types", _("label_document_types", default="Document types"), _LINES_HELP
    )
    issuers = _lines_field("issuers", _("label_issuers", default="Issuing bodies"), _LINES_HELP)
    units = _lines_field("units", _("label_units", default="Units"), _LINES_HELP)
    urgency = _lines_field("urgency", _("label_urgency", default="Urgency"), _LINES_HELP)
    classification = _lines_field(
        "classification", _("label_classification", default="Classification"), _LINES_HELP
    )
    retention = _lines_field(
        "retention", _("label_retention_periods", default="Retention periods"), _LINES_HELP
    )
    retention_schedule = _lines_field(
        "retention_schedule",
        _("label_retention_schedule", default="Retention schedule"),
        _(
            "help_retention_schedule",
            default="The default retention of a dossier by the heading of its code, as heading|retention, "
            "e.g. TCCB|70 for 01.TCCB; a dossier opened without a retention takes it.",
        ),
    )


class IVotingSettings(Interface):
    """How the delegation decides (domain §4)."""

    quorum = schema.TextLine(
        title=_("label_quorum", default="Attendance quorum"),
        description=_(
            "help_quorum",
            default="The share of incumbent members who must be present, as a fraction "
            "(2/3 by default). Decisions always need more than half of all incumbent members.",
        ),
        default="2/3",
    )


class ISigningSettings(Interface):
    """Digital signatures (hdnd.content.signing): keys on the server's disk,
    set by the administrator; the trust roots received signatures are checked
    against. Empty keys: documents are signed on paper as before."""

    signer_key = schema.TextLine(
        title=_("label_signer_key", default="Signer's key (PKCS#12 file)"),
        description=_(
            "help_signer_key",
            default="Path on the server of the .p12 file of the leader who signs, "
            "e.g. /srv/hdnd/keys/bi-thu.p12 (readable by hdnd only).",
        ),
        default="",
        required=False,
    )
    signer_passphrase = schema.Password(
        title=_("label_signer_passphrase", default="Its passphrase"), default="", required=False
    )
    body_key = schema.TextLine(
        title=_("label_body_key", default="Body's key (PKCS#12 file)"),
        description=_(
            "help_body_key",
            default="The body's certificate, added by the registry when a document is "
            "issued, and signing the edXML envelopes it sends.",
        ),
        default="",
        required=False,
    )
    body_passphrase = schema.Password(
        title=_("label_body_passphrase", default="Its passphrase"), default="", required=False
    )
    trust_roots = schema.Text(
        title=_("label_trust_roots", default="Trusted certification authorities"),
        description=_(
            "help_trust_roots",
            default="PEM certificates of the root CAs whose signatures are trusted on "
            "received documents and envelopes.",
        ),
        default="",
        required=False,
    )
