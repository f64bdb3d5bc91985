"""The content model: types, derived symbol parts, relations, vocabularies."""

from datetime import date
from hdnd.content.vocabularies import registry_pairs
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.event import notify
from zope.i18n import translate
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectModifiedEvent
from zope.schema.interfaces import IVocabularyFactory

import pytest


TYPES = (
    "Dossier", "OfficialDocument", "Task", "ProgressReport", "Meeting", "AgendaItem",
    "OpinionRequest", "Ballot", "ProcessingSlip", "WorkProgramme", "ProgrammeItem",
)


@pytest.fixture
def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return portal


def document(container, **fields):
    fields.setdefault("title", "Văn bản")
    if fields.get("symbol"):
        fields.setdefault("issue_date", date(2026, 1, 15))
    return api.content.create(container=container, type="OfficialDocument", **fields)


def relation(obj):
    return RelationValue(getUtility(IIntIds).getId(obj))


def test_every_type_is_installed_with_a_vietnamese_title(portal):
    types = api.portal.get_tool("portal_types")
    for name in TYPES:
        assert name in types.objectIds()
    title = types["Dossier"].Title()
    assert translate(title, domain="hdnd", target_language="vi") == "Hồ sơ công việc"


def test_a_whole_office_tree_can_be_built(manager):
    dossier = api.content.create(container=manager["ho-so"], type="Dossier", title="Hồ sơ Kỳ họp thứ 5")
    directive = document(dossier, title="Chỉ thị về tăng cường công tác kiểm tra", symbol="15-CT/TU")
    slip = api.content.create(container=directive, type="ProcessingSlip", title="Phiếu xử lý")
    task = api.content.create(container=directive, type="Task", title="Xây dựng kế hoạch")
    report = api.content.create(container=task, type="ProgressReport", title="Báo cáo tháng 3")
    meeting = api.content.create(
        container=manager["phien-hop"], type="Meeting", title="Phiên họp định kỳ tháng 3",
        start=__import__("datetime").datetime(2026, 3, 27, 8, 0),
    )
    item = api.content.create(container=meeting, type="AgendaItem", title="Cho ý kiến dự thảo")
    ballot = api.content.create(container=item, type="Ballot", title="Biểu quyết", question="Tán thành?")
    request = api.content.create(
        container=manager["phien-hop"], type="OpinionRequest", title="Xin ý kiến",
        question="Đồng ý?", reply_deadline=__import__("datetime").datetime(2026, 4, 3, 17, 0),
    )
    programme = api.content.create(
        container=manager["chuong-trinh-cong-tac"], type="WorkProgramme", title="Chương trình 2026", year=2026
    )
    programme_item = api.content.create(container=programme, type="ProgrammeItem", title="Sơ kết", planned_month=6)
    for obj, portal_type in [
        (dossier, "Dossier"), (directive, "OfficialDocument"), (slip, "ProcessingSlip"),
        (task, "Task"), (report, "ProgressReport"), (meeting, "Meeting"), (item, "AgendaItem"),
        (ballot, "Ballot"), (request, "OpinionRequest"), (programme, "WorkProgramme"),
        (programme_item, "ProgrammeItem"),
    ]:
        assert obj.portal_type == portal_type


def test_contained_types_are_not_addable_everywhere(manager):
    with pytest.raises(Exception):
        api.content.create(container=manager["ho-so"], type="Ballot", title="x", question="y")
    with pytest.raises(Exception):
        api.content.create(container=manager["ho-so"], type="Task", title="x")


@pytest.mark.parametrize(
    "symbol, number, doc_type, issuer, year",
    [
        ("5858-QĐ/TU", 5858, "QĐ", "TU", None),
        ("Số 12-HD/BTCTW", 12, "HD", "BTCTW", None),
        ("01/CTr-HĐND", 1, "CTr", "HĐND", None),
        ("12/UBND-VX", 12, None, "UBND", None),
        ("97/2019/QH14", 97, None, "QH14", 2019),
    ],
)
def test_symbol_parts_are_derived(manager, symbol, number, doc_type, issuer, year):
    doc = document(manager["van-ban"], symbol=symbol, issue_date=date(2026, 2, 3))
    assert (doc.number, doc.doc_type, doc.issuer, doc.year) == (number, doc_type, issuer, year)
    catalog = api.portal.get_tool("portal_catalog")
    assert [b.getObject() for b in catalog(number=number, issuer=issuer)] == [doc]


def test_symbol_is_validated_with_a_clear_message(manager):
    from hdnd.content.types.document import IOfficialDocument
    from zope.schema import ValidationError

    field = IOfficialDocument["symbol"]
    with pytest.raises(ValidationError) as error:
        field.validate("05-XYZ/TU")
    assert error.value.doc() == "symbol: Symbol '05-XYZ/TU' has an unknown Party document type 'XYZ'"
    field.validate("05-QC/TU")


def test_replaces_is_kept_both_ways(manager):
    old = document(manager["van-ban"], title="Quy định cũ", symbol="3003-QĐ/TU")
    new = document(manager["van-ban"], title="Quy định mới", symbol="5858-QĐ/TU", replaces=[relation(old)])
    notify(ObjectModifiedEvent(new))
    assert old.superseded is True
    assert old.replacing_documents() == [new]
    assert old.replaced_by == [new.absolute_url()]
    assert new.superseded is False
    assert [r.to_object for r in new.replaces] == [old]


def test_one_document_in_two_dossiers_without_a_copy(manager):
    folder = manager["ho-so"]
    doc = document(manager["van-ban"], title="Kết luận 46-KL/TW", symbol="46-KL/TW")
    first = api.content.create(container=folder, type="Dossier", title="Hồ sơ A", documents=[relation(doc)])
    second = api.content.create(container=folder, type="Dossier", title="Hồ sơ B", documents=[relation(doc)])
    assert first.filed_documents() == [doc]
    assert second.filed_documents() == [doc]
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog(portal_type="OfficialDocument", symbol="46-KL/TW")) == 1


def test_attachments_do_not_inherit_document_indexes(manager):
    doc = document(manager["van-ban"], direction="incoming", symbol="05-QC/TU")
    api.content.create(container=doc, type="File", title="Phụ lục")
    catalog = api.portal.get_tool("portal_catalog")
    assert [b.portal_type for b in catalog(direction="incoming")] == ["OfficialDocument"]


def test_vocabularies_come_from_the_registry(manager):
    units = getUtility(IVocabularyFactory, "hdnd.vocabularies.Units")(manager)
    assert "ban-phap-che" in units
    api.portal.set_registry_record(
        "hdnd.vocabularies.units", ["ban-moi|Ban mới", "van-phong|Văn phòng"]
    )
    units = getUtility(IVocabularyFactory, "hdnd.vocabularies.Units")(manager)
    assert [t.value for t in units] == ["ban-moi", "van-phong"]
    assert units.getTerm("ban-moi").title == "Ban mới"
    assert ("permanent", "Vĩnh viễn") in registry_pairs("retention")


def test_document_types_from_the_registry_drive_symbol_parsing(manager):
    from hdnd.content.types.document import check_symbol
    from zope.schema import ValidationError

    check_symbol("05-QC/TU")
    api.portal.set_registry_record("hdnd.vocabularies.document_types", ["NQ|Nghị quyết"])
    with pytest.raises(ValidationError):
        check_symbol("05-QC/TU")


def test_task_status_follows_reports_and_completion(manager):
    directive = document(manager["van-ban"], title="Chỉ thị")
    task = api.content.create(container=directive, type="Task", title="Nhiệm vụ", deadline=date(2999, 1, 1))
    assert task.status == "not_started"
    api.content.create(container=task, type="ProgressReport", title="Đã triển khai")
    assert task.status == "in_progress"
    task.completed_on = date(2998, 12, 31)
    assert task.status == "done_on_time"
    task.deadline = date(2000, 1, 1)
    task.completed_on = None
    assert task.status == "overdue"


def test_index_names_agree_in_code_zcml_and_profile():
    from hdnd.content import indexers
    from pathlib import Path

    import re

    package = Path(indexers.__file__).parent
    zcml = set(re.findall(r'<adapter name="([a-z_]+)" factory=".indexers', (package / "configure.zcml").read_text()))
    catalog = set(re.findall(r'<index name="([a-z_]+)"', (package / "profiles/default/catalog.xml").read_text()))
    assert set(indexers.INDEXED) == zcml == catalog


def test_symbol_is_found_however_it_was_typed_and_legal_years_are_not_programmes(manager):
    doc = document(manager["van-ban"], symbol="Số 23 / 2024 / nq - hđnd", issue_date=date(2024, 12, 10))
    catalog = api.portal.get_tool("portal_catalog")
    assert [b.getObject() for b in catalog(symbol="23/2024/NQ-HĐND")] == [doc]
    assert not catalog(programme_year=2024)


def test_a_document_cannot_replace_itself(manager):
    from hdnd.content.types.document import IOfficialDocument
    from z3c.form.validator import Data
    from zope.interface.exceptions import Invalid

    doc = document(manager["van-ban"], symbol="05-QC/TU")
    data = Data(IOfficialDocument, {"replaces": [relation(doc)], "symbol": None}, doc)
    with pytest.raises(Invalid, match="replaces"):
        IOfficialDocument.validateInvariants(data)
