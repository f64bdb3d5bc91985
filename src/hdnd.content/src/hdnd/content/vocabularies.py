"""Vocabularies of hdnd.

The lists an office maintains (document types, issuing bodies, units,
urgency and classification titles, retention periods) live in the registry
as ``token|title`` lines, editable by a site administrator in the
"hdnd: danh mục" control panel; their defaults are below. Fixed enumerations
that are part of the REST contract (direction, channel, meeting kind…) are
plain vocabularies in code with translated titles.
"""

from hdnd.content.core.levels import CLASSIFICATION
from hdnd.content.core.levels import CLASSIFICATION_TITLES
from hdnd.content.core.levels import URGENCY
from hdnd.content.core.levels import URGENCY_TITLES
from hdnd.content.core import status
from hdnd.content.core.symbols import PARTY_DOC_TYPES
from hdnd.content.core.symbols import STATE_DOC_TYPES
from hdnd.content.i18n import _
from plone.registry.interfaces import IRegistry
from zope.component import queryUtility
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


REGISTRY_PREFIX = "hdnd.vocabularies"


def lines(pairs):
    return [f"{token}|{title}" for token, title in pairs]


def _document_types():
    seen = {}
    for abbreviation, title in PARTY_DOC_TYPES + STATE_DOC_TYPES:
        seen.setdefault(abbreviation, title)
    return list(seen.items())


DEFAULTS = {
    "document_types": lines(_document_types()),
    "issuers": lines(
        [
            ("TW", "Ban Chấp hành Trung ương Đảng"),
            ("BCT", "Bộ Chính trị"),
            ("BBT", "Ban Bí thư"),
            ("BTCTW", "Ban Tổ chức Trung ương"),
            ("BTGDVTW", "Ban Tuyên giáo và Dân vận Trung ương"),
            ("TU", "Thành ủy"),
            ("BTVTU", "Ban Thường vụ Thành ủy"),
            ("VPTU", "Văn phòng Thành ủy"),
            ("ĐĐHĐND", "Đảng đoàn HĐND Thành phố"),
            ("HĐND", "HĐND Thành phố"),
            ("UBND", "UBND Thành phố"),
            ("QH", "Quốc hội"),
            ("CP", "Chính phủ"),
        ]
    ),
    "units": lines(
        [
            ("thuong-truc-hdnd", "Thường trực HĐND Thành phố"),
            ("van-phong", "Văn phòng Đoàn ĐBQH và HĐND Thành phố"),
            ("phong-tong-hop", "Phòng Tổng hợp"),
            ("phong-cong-tac-hdnd", "Phòng Công tác HĐND"),
            ("phong-hcqt", "Phòng Hành chính - Tổ chức - Quản trị"),
            ("ban-phap-che", "Ban Pháp chế HĐND"),
            ("ban-kt-ns", "Ban Kinh tế - Ngân sách HĐND"),
            ("ban-vh-xh", "Ban Văn hóa - Xã hội HĐND"),
            ("ban-do-thi", "Ban Đô thị HĐND"),
            ("ubnd-tp", "UBND Thành phố"),
        ]
    ),
    "urgency": lines((token, URGENCY_TITLES[token]) for token in URGENCY),
    "classification": lines((token, CLASSIFICATION_TITLES[token]) for token in CLASSIFICATION),
    "retention": lines(
        [
            ("permanent", "Vĩnh viễn"),
            ("70", "70 năm"),
            ("50", "50 năm"),
            ("20", "20 năm"),
            ("10", "10 năm"),
            ("5", "5 năm"),
        ]
    ),
    # Retention by the heading of a dossier code (01.TCCB -> TCCB): the
    # default for a dossier opened without one.
    "retention_schedule": lines(
        [
            ("TH", "permanent"),
            ("TCCB", "70"),
            ("ĐH", "permanent"),
            ("CTCT", "permanent"),
            ("GS", "20"),
            ("CĐ", "20"),
            ("TĐKT", "10"),
            ("VP", "20"),
        ]
    ),
}


def parse_lines(values):
    """``["NQ|Nghị quyết", ...]`` -> ``[("NQ", "Nghị quyết"), ...]``; a line
    without ``|`` is its own title; blank lines and duplicates are dropped."""
    seen = {}
    for line in values or ():
        token, _sep, title = line.partition("|")
        token = token.strip()
        if token and token not in seen:
            seen[token] = title.strip() or token
    return list(seen.items())


def registry_pairs(name):
    registry = queryUtility(IRegistry)
    values = None
    if registry is not None:
        values = registry.get(f"{REGISTRY_PREFIX}.{name}")
    return parse_lines(values if values is not None else DEFAULTS[name])


def _vocabulary(pairs):
    # SimpleTerm escapes non-ASCII tokens ("QĐ" -> "Q\\u0110"); REST clients
    # may send either the token or the value itself.
    return SimpleVocabulary([SimpleTerm(value=token, title=title) for token, title in pairs])


def registry_vocabulary(name):
    @provider(IVocabularyFactory)
    def factory(context=None):
        return _vocabulary(registry_pairs(name))

    return factory


DocumentTypesVocabulary = registry_vocabulary("document_types")
IssuersVocabulary = registry_vocabulary("issuers")
UnitsVocabulary = registry_vocabulary("units")
def levels_vocabulary(name, tokens):
    """Urgency and classification: their order is law and their tokens are
    code (edXML priority, clearance), so the registry may rename the levels
    but never add, drop or reorder them."""

    defaults = dict(parse_lines(DEFAULTS[name]))

    @provider(IVocabularyFactory)
    def factory(context=None):
        titles = dict(registry_pairs(name))
        return _vocabulary([(token, titles.get(token) or defaults[token]) for token in tokens])

    return factory


UrgencyVocabulary = levels_vocabulary("urgency", URGENCY)
ClassificationVocabulary = levels_vocabulary("classification", CLASSIFICATION)
RetentionVocabulary = registry_vocabulary("retention")


def fixed_vocabulary(pairs):
    vocabulary = _vocabulary(pairs)

    @provider(IVocabularyFactory)
    def factory(context=None):
        return vocabulary

    return factory


DirectionVocabulary = fixed_vocabulary(
    [
        ("incoming", _("direction_incoming", default="Incoming")),
        ("outgoing", _("direction_outgoing", default="Outgoing")),
        ("internal", _("direction_internal", default="Internal")),
    ]
)
ChannelVocabulary = fixed_vocabulary(
    [
        ("party", _("channel_party", default="Party network")),
        ("state", _("channel_state", default="State platform")),
        ("paper", _("channel_paper", default="Paper")),
        ("email", _("channel_email", default="E-mail")),
        ("internal", _("channel_internal", default="Internal")),
    ]
)
FamilyVocabulary = fixed_vocabulary(
    [
        ("party", _("family_party", default="Party (05-QĐ/TU)")),
        ("state", _("family_state", default="State administrative (05/QĐ-UBND)")),
        ("letter", _("family_letter", default="State official letter (12/UBND-VX)")),
        ("legal", _("family_legal", default="Legal normative (23/2024/NQ-HĐND)")),
    ]
)
MeetingKindVocabulary = fixed_vocabulary(
    [
        ("periodic", _("meeting_periodic", default="Periodic")),
        ("thematic", _("meeting_thematic", default="Thematic")),
        ("extraordinary", _("meeting_extraordinary", default="Extraordinary")),
    ]
)
BallotKindVocabulary = fixed_vocabulary(
    [
        ("open", _("ballot_open", default="Open (per member)")),
        ("secret", _("ballot_secret", default="Secret (counts only)")),
    ]
)
TaskStatusVocabulary = fixed_vocabulary(
    [
        (status.NOT_STARTED, _("status_not_started", default="Not started")),
        (status.IN_PROGRESS, _("status_in_progress", default="In progress")),
        (status.DONE_ON_TIME, _("status_done_on_time", default="Done on time")),
        (status.DONE_LATE, _("status_done_late", default="Done late")),
        (status.OVERDUE, _("status_overdue", default="Overdue")),
    ]
)
