"""A document registered in bulk is the document registered singly (issue 21).

The bulk path (exchange.receive_many, behind ``@hdnd-receive-bulk`` and the
in-process import) takes shortcuts to go faster: the type's creation checks
asked once per batch, the catalog's wrapper reading each attribute once per
indexing, the documents committed a part at a time. This test is what proves
the shortcuts honest: the same item sent once through ``exchange.receive``
and once in a bulk of several gives two documents that differ only where two
documents must (id, UID, times, the idempotency key and the number sent):
same stored attributes, catalog index values and metadata columns, workflow
state and history, permissions, status replies, audit entry and feed entry;
registered, each takes the next arrival number."""

from Acquisition import aq_base
from hdnd.content import audit
from hdnd.content import changes
from hdnd.content import exchange
from hdnd.content.transitions.documents import register
from datetime import date
from datetime import datetime
from DateTime import DateTime
from persistent import Persistent
from persistent.list import PersistentList
from plone import api

import json
import pytest
import re
import transaction


SENDER = "ubnd-giong"
# What two documents differ by, by nature: where they are, when they were made, what was sent to tell them apart.
OWN = {"id", "_plone.uuid", "creation_date", "modification_date", "idempotency_key", "symbol", "_hdnd_number_parts",
}
OWN_INDEXES = {"UID", "id", "getId", "path", "created", "modified", "Date", "effective", "effectiveRange",
               "cmf_uid", "sync_uid", "number"}  # number: the symbol's number as an integer, checked apart
OWN_COLUMNS = {"UID", "id", "getId", "created", "modified", "CreationDate", "ModificationDate", "Date", "EffectiveDate",
               "effective", "getURL", "getPath", "cmf_uid", "sync_uid"}


def item(key, number):
    return {"idempotency_key": key, "symbol": f"{number}/UBND-VP", "issuing_body": "UBND Thành phố",
            "title": "Công văn về việc báo cáo kết quả giám sát", "issue_date": "2026-11-20",
            "description": "Trích yếu, gửi các cơ quan liên quan.", "urgency": "normal", "page_count": 3,
            "recipients": "Thường trực HĐND"}


def without_number(value, number):
    """A value with the number sent written as N (the symbol's number shows
    in the symbol, the full text and the identity key)."""
    if isinstance(value, str):
        return re.sub(rf"(?<!\d){number}(?!\d)", "N", value)
    if isinstance(value, (list, tuple)):
        return type(value)(without_number(v, number) for v in value)
    return value


def plain(value, number):
    """A stored value as plain data to compare: persistent mappings, lists
    and trees by their contents, times as a mark (when, not what)."""
    if isinstance(value, (DateTime, datetime, date)):
        return "<time>"
    if hasattr(value, "items") and callable(value.items):
        return {k: "<time>" if k == "time" else plain(v, number) for k, v in value.items()}
    if isinstance(value, (list, tuple, PersistentList)):
        return [plain(v, number) for v in value]
    if isinstance(value, Persistent):
        value._p_activate()
        return (type(value).__name__, {k: plain(v, number) for k, v in vars(value).items() if not k.startswith("_v_")})
    return without_number(value, number)


def stored(obj, number):
    aq_base(obj)._p_activate()  # a ghost after the commit has no state to read
    state = dict(vars(aq_base(obj)))
    return {k: plain(v, number) for k, v in state.items() if k not in OWN and not k.startswith("_v_")}


def history(obj):
    return [{k: v for k, v in entry.items() if k != "time"}
            for entries in obj.workflow_history.values() for entry in entries]


def catalog_record(obj, number):
    catalog = api.portal.get_tool("portal_catalog")
    rid = catalog.getrid("/".join(obj.getPhysicalPath()))
    indexes = {k: without_number(v, number) for k, v in catalog.getIndexDataForRID(rid).items() if k not in OWN_INDEXES}
    columns = {k: without_number(v, number) for k, v in catalog.getMetadataForRID(rid).items() if k not in OWN_COLUMNS}
    return indexes, columns


def number_indexed(obj):
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.getIndexDataForRID(catalog.getrid("/".join(obj.getPhysicalPath())))["number"]


def audit_entry(obj):
    log = audit._log(api.portal.get()).seal_mine()
    [entry] = [e for e in log.entries(action="received_from_agency") if e["target_uid"] == api.content.get_uuid(obj)]
    return {k: v for k, v in entry.items() if k not in ("seq", "hash", "prev_hash", "time", "target_uid", "target_path")
            } | {"details": {k: v for k, v in (entry.get("details") or {}).items() if k != "key"}}


def feed_entries(obj):
    log = changes.sealed(changes.log())
    uid = api.content.get_uuid(obj)
    return [{k: v for k, v in e.items() if k not in ("seq", "time", "uid", "path")}
            for e in log.entries.values() if e["uid"] == uid]


def test_a_document_received_in_bulk_is_the_one_received_singly(functional_portal):
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    api.user.create(email="giong@example.vn", username=SENDER, password="giong-pass-12345")
    api.group.add_user(groupname="agencies", username=SENDER)
    api.user.create(email="vanthu@example.vn", username="vanthu-giong", password="giong-pass-12345")
    api.group.add_user(groupname="registry-clerks", username="vanthu-giong")
    transaction.commit()
    with api.env.adopt_user(username=SENDER):
        single, created = exchange.receive(item("mot", 7001), SENDER)
        assert created
        transaction.commit()
        results = exchange.receive_many([item(f"lo-{n}", 7002 + n) for n in range(30)], SENDER,
                                        commit_every=exchange.PART)
        transaction.commit()
    assert [r["created"] for r in results] == [True] * 30
    section = functional_portal["van-ban"]
    bulk = section[results[0]["@id"].rsplit("/", 1)[-1]]
    last = section[results[-1]["@id"].rsplit("/", 1)[-1]]  # in the second part: after a commit inside the call

    for other, number in ((bulk, 7002), (last, 7031)):
        assert other.symbol == f"{number}/UBND-VP" and other is not single
        assert stored(other, number) == stored(single, 7001)
        assert api.content.get_state(other) == api.content.get_state(single) == "received"
        assert history(other) == history(single) and len(history(single)) == 1
        for permission in ("View", "Modify portal content", "Access contents information", "Delete objects"):
            assert other.rolesOfPermission(permission) == single.rolesOfPermission(permission), permission
        assert other.get_local_roles() == single.get_local_roles()
        assert catalog_record(other, number) == catalog_record(single, 7001)
        assert number_indexed(other) == number and number_indexed(single) == 7001
        assert [{k: v for k, v in s.items() if k != "time"} for s in exchange.status_of(other)] == \
            [{k: v for k, v in s.items() if k != "time"} for s in exchange.status_of(single)]
        assert audit_entry(other) == audit_entry(single)
        assert feed_entries(other) == feed_entries(single) and feed_entries(single)

    # The catalog's own words: what differs is only the number.
    catalog = api.portal.get_tool("portal_catalog")
    words = {}
    for obj, number in ((single, 7001), (bulk, 7002)):
        rid = catalog.getrid("/".join(obj.getPhysicalPath()))
        data = catalog.getIndexDataForRID(rid)
        words[number] = ({k: without_number(data[k], number) for k in ("SearchableText", "sortable_title")},
                         without_number(data["symbol"], number))
    assert words[7001] == words[7002]

    # Registered, each takes the next arrival number, from the same counter.
    with api.env.adopt_user(username="vanthu-giong"):
        numbers = [register(obj, date(2026, 11, 22)) for obj in (single, bulk)]
    transaction.commit()
    assert numbers == [1, 2] and (single.arrival_number, bulk.arrival_number) == (1, 2)
    assert api.content.get_state(bulk) == api.content.get_state(single) == "registered"
    assert history(bulk) == history(single) and len(history(single)) == 2
    assert catalog_record(bulk, 7002)[0]["arrival_number"] == 2


def test_the_catalog_reads_through_hdnds_wrapper_what_it_reads_through_plones(portal):
    """indexwrapper.MemoizingIndexableWrapper (each name read once per
    indexing, the indexers that say what they read skipped where the item
    cannot have it) gives every index and metadata column the value Plone's
    own wrapper gives, the second ask as the first; a missing name stays
    missing. On items of several types: hdnd's indexes for other types' names
    are skipped on a document and read on the items that have them (a task's
    lead unit and deadline, a programme's year, a programme item's month), an
    attribute set on the item's own state outside its schemas is read, and an
    item of a document named like an index stays an item."""
    from datetime import date
    from hdnd.content.indexwrapper import MemoizingIndexableWrapper
    from plone.indexer.interfaces import IIndexableObject
    from plone.indexer.wrapper import IndexableObjectWrapper
    from Products.PluginIndexes.util import safe_callable
    from zope.component import getMultiAdapter

    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="incoming",
                                      title="Công văn về việc giám sát", description="Trích yếu",
                                      symbol="12/UBND-VP", issuing_body="UBND Thành phố", page_count=2)
        registered = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="incoming",
                                        title="Chỉ thị", symbol="35-CT/TU", issue_date=date(2026, 1, 10))
        task = api.content.create(container=registered, type="Task", title="Nhiệm vụ", lead_unit="van-phong",
                                  deadline=date(2026, 2, 1))
        programme = api.content.create(container=portal["chuong-trinh-cong-tac"], type="WorkProgramme",
                                       title="Chương trình công tác", year=2026)
        planned = api.content.create(container=programme, type="ProgrammeItem", title="Nội dung tháng một",
                                     planned_month=1, lead_unit="van-phong")
        dossier = api.content.create(container=portal["ho-so"], type="Dossier", title="Hồ sơ")
        api.content.create(container=registered, type="Task", id="assignee", title="Một mục tên như một chỉ mục")
    registered.arrival_number = 5  # what registering sets: state, not a schema default
    registered.retention = "10"  # another type's field, on this item's own state
    assert type(getMultiAdapter((document, catalog), IIndexableObject)) is MemoizingIndexableWrapper

    def read(wrapper, name):
        try:
            value = getattr(wrapper, name)
        except AttributeError:
            return "<missing>"
        if not safe_callable(value):
            return value
        try:
            return value()
        except Exception as error:  # an item named like an index: rendering it needs a request
            return f"<{type(error).__name__}>"

    names = set(catalog.indexes()) | set(catalog.schema())
    names |= {attr for index in catalog._catalog.indexes.values() for attr in (index.getIndexSourceNames() or ())}
    found = {}
    for item in (document, registered, task, programme, planned, dossier):
        plones, hdnds = IndexableObjectWrapper(item, catalog), MemoizingIndexableWrapper(item, catalog)
        read_once = {name: read(hdnds, name) for name in sorted(names)}
        assert read_once == {name: read(plones, name) for name in sorted(names)}, item.portal_type
        assert {name: read(hdnds, name) for name in sorted(names)} == read_once
        found[item.portal_type if item is not registered else "registered"] = read_once
    assert found["OfficialDocument"]["Title"] == "Công văn về việc giám sát"
    assert found["OfficialDocument"]["lead_unit"] == found["OfficialDocument"]["programme_year"] == "<missing>"
    assert (found["registered"]["arrival_number"], found["registered"]["retention"]) == (5, "10")
    assert found["registered"]["assignee"] == "<AttributeError>"  # the item, called (Plone's wrapper too)
    assert (found["Task"]["lead_unit"], found["Task"]["deadline"]) == ("van-phong", date(2026, 2, 1))
    assert found["WorkProgramme"]["programme_year"] == 2026 and found["ProgrammeItem"]["planned_month"] == 1
    assert read(hdnds, "no_such_name") == read(hdnds, "no_such_name") == "<missing>"


def test_the_in_process_import_takes_any_number_in_calls_of_the_bulk(functional_portal, monkeypatch, tmp_path):
    """exchange.receive_all (``hdnd agency import``): calls of receive_many
    of at most MOST items (here 4, so that 10 items make three calls), each
    committed; a refusal names the item counted from the first, keeps the
    calls before it, and the same items sent again complete the import."""
    from hdnd.policy.cli.exchange import read_items

    monkeypatch.setattr(exchange, "MOST", 4)
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    api.user.create(email="nhap@example.vn", username="ubnd-nhap", password="nhap-pass-12345")
    api.group.add_user(groupname="agencies", username="ubnd-nhap")
    transaction.commit()
    items = [item(f"cu-{n}", 8000 + n) for n in range(10)]
    items[9] = dict(items[9], classification="mat")  # refused: classified documents are not sent this way
    lines = tmp_path / "so-cu.jsonl"
    lines.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    assert read_items(lines) == items

    def received():
        return sum(1 for o in functional_portal["van-ban"].objectValues() if getattr(o, "sent_by", None) == "ubnd-nhap")

    with api.env.adopt_user(username="ubnd-nhap"):
        with pytest.raises(exchange.BulkError) as refused:
            exchange.receive_all(read_items(lines), "ubnd-nhap")
    assert [f["index"] for f in refused.value.failures] == [9]
    assert received() == 8  # the two calls before the refused one
    items[9] = item("cu-9", 8009)
    with api.env.adopt_user(username="ubnd-nhap"):
        results = exchange.receive_all(items, "ubnd-nhap")
    assert [r["index"] for r in results] == list(range(10))
    assert [r["created"] for r in results] == [False] * 8 + [True] * 2
    assert received() == 10


def test_hdnds_catalog_values_of_a_document_are_plones(portal):
    """catalogvalues: getObjSize, image_scales and the names of other types'
    behaviors, asked of an official document directly, are what Plone's own
    code computes by walking every field (a document with files, one
    without)."""
    from hdnd.content import catalogvalues
    from plone.namedfile.file import NamedBlobFile
    from Products.CMFPlone.CatalogTool import getObjSize as plones_size
    from Products.CMFPlone.image_scales.adapters import ImageScales as PlonesScales
    from zope.globalrequest import getRequest

    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        bare = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="incoming",
                                  title="Công văn không kèm tệp", symbol="13/UBND-VP")
        filed = api.content.create(container=portal["van-ban"], type="OfficialDocument", direction="incoming",
                                   title="Công văn kèm tệp", symbol="14/UBND-VP",
                                   file=NamedBlobFile(data=b"x" * 5000, filename="cv.pdf", contentType="application/pdf"),
                                   signed_file=NamedBlobFile(data=b"y" * 2500000, filename="ky.pdf",
                                                             contentType="application/pdf"))
    for document, size in ((bare, "0 KB"), (filed, "2.4 MB")):
        assert document.getSize() == catalogvalues.size_of(document)
        assert catalogvalues.getObjSize(document, catalog)() == plones_size(document, catalog)() == size
        assert catalogvalues.ImageScales(document, getRequest())() == PlonesScales(document, getRequest())() == {}
        rid = catalog.getrid("/".join(document.getPhysicalPath()))
        assert catalog.getMetadataForRID(rid)["getObjSize"] == size
        for name in catalogvalues.NOT_DOCUMENT_NAMES:
            with pytest.raises(AttributeError):
                getattr(document, name)  # what the catalog met before: a miss, acquisition included
            with pytest.raises(AttributeError):
                catalogvalues.__dict__["absent_" + name](document, catalog)()
    assert catalogvalues.sized_fields(filed) == catalogvalues.sized_fields(bare)
    assert [name for _schema, name in catalogvalues.sized_fields(filed)] == ["file", "signed_file"]


def test_a_bulk_refuses_each_item_as_a_single_receive_does(functional_portal):
    """The fields an item does not send are validated once per batch
    (exchange._deserialize): a later item, checked without plone.restapi's
    validate_all, is still refused for its own fields, for the schemas'
    invariants (a symbol without its date, a number another document holds)
    and for a required field sent empty, with the errors a single receive
    gives; and a batch refused creates nothing."""
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    api.user.create(email="loi@example.vn", username="ubnd-loi", password="loi-pass-12345")
    api.group.add_user(groupname="agencies", username="ubnd-loi")
    transaction.commit()
    with api.env.adopt_user(username="ubnd-loi"):
        exchange.receive(item("giu-so", 9100), "ubnd-loi")
        transaction.commit()
    bad = [item("tot-0", 9000),
           dict(item("loi-1", 9001), urgency="som"),  # not in the vocabulary
           {k: v for k, v in item("loi-2", 9002).items() if k != "issue_date"},  # invariant: the date
           item("loi-3", 9100),  # invariant: the number is held
           dict(item("loi-4", 9004), page_count="ba"),  # not an integer
           dict(item("loi-5", 9005), recipients=None),  # null for a field that is not required: accepted
           item("tot-6", 9006)]
    singly = {}
    for n, sent in enumerate(bad):
        with api.env.adopt_user(username="ubnd-loi"):
            try:
                exchange.receive(sent, "ubnd-loi", dry=True)
            except exchange.ExchangeError as error:
                singly[n] = sorted(e["field"] for e in error.errors)
        transaction.abort()
    assert sorted(singly) == [1, 2, 3, 4]
    with api.env.adopt_user(username="ubnd-loi"):
        with pytest.raises(exchange.BulkError) as refused:
            exchange.receive_many(bad, "ubnd-loi", commit_every=exchange.PART)
    transaction.abort()
    assert {f["index"]: sorted(e["field"] for e in f["errors"]) for f in refused.value.failures} == singly
    assert not [o for o in functional_portal["van-ban"].objectValues() if getattr(o, "sent_by", None) == "ubnd-loi"
                and o.idempotency_key != "giu-so"]
