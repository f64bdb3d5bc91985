"""Search that fits Vietnamese: with or without diacritics ("nghi quyet"
finds "Nghị quyết", "de an" finds "Đề án"), in metadata and in the text of
attached PDF, DOCX and ODT files; never a classified item for who may not
see it."""

from hdnd.content.clearance import set_clearance
from hdnd.content.docgen.odt import build
from hdnd.content.docgen.odt import p
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile

import contextlib
import io
import pytest
import subprocess
import zipfile


def docx(text):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f'<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')
    return out.getvalue()


def pdf(text, tmp_path):
    """A real PDF, made by LibreOffice from an ODT."""
    source = tmp_path / "in.odt"
    source.write_bytes(build(p(text)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    return (tmp_path / "in.pdf").read_bytes()


@pytest.fixture
def records(portal, tmp_path):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    folder = portal["van-ban"]
    doc = api.content.create(container=folder, type="OfficialDocument", id="nq-12", direction="incoming",
                             title="Nghị quyết về Đề án phát triển đô thị", symbol="12-NQ/TU",
                             issuing_body="Thành ủy")
    doc.file = NamedBlobFile(pdf("Quy hoạch Khu công nghệ cao Hòa Lạc giai đoạn 2026 - 2030", tmp_path),
                             filename="nq-12.pdf", contentType="application/pdf")
    doc.reindexObject()
    api.content.create(container=doc, type="File", id="phu-luc", title="Phụ lục",
                       file=NamedBlobFile(docx("Danh mục dự án trường mầm non Tây Hồ"), filename="phu-luc.docx",
                                          contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    api.content.create(container=folder, type="OfficialDocument", id="bc-odt", direction="incoming",
                       title="Báo cáo tổng hợp",
                       file=NamedBlobFile(build(p("Kiến nghị về chợ đầu mối Đông Anh")), filename="bc.odt",
                                          contentType="application/vnd.oasis.opendocument.text"))
    set_clearance(TEST_USER_ID, "mat")
    api.content.create(container=folder, type="OfficialDocument", id="mat-1", direction="incoming",
                       title="Đề án nhân sự MẬT", classification="mat", need_to_know=[TEST_USER_ID],
                       file=NamedBlobFile(docx("Phương án bố trí cán bộ Đông Anh"), filename="mat.docx",
                                          contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    return folder


def found(query):
    return sorted(b.getId for b in api.portal.get_tool("portal_catalog")(SearchableText=query))


def test_with_and_without_diacritics_in_metadata(records):
    for query in ("nghi quyet", "Nghị quyết", "NGHI QUYET", "de an", "Đề án", "do thi", "12-NQ/TU", "thanh uy",
                  "Thành ủy", "Thanh ủy"):
        assert "nq-12" in found(query), query


def test_words_starting_beyond_latin_b_are_found_without_diacritics(records):
    # Plone's lexicon keeps "Ủy", "ổn", "ứng" as typed: hdnd indexes a bare copy too.
    api.content.create(container=records, type="OfficialDocument", id="ubnd", direction="incoming",
                       title="Ủy ban nhân dân ổn định ứng dụng")
    for query in ("uy ban", "Ủy ban", "on dinh", "ung dung", "ỨNG DỤNG"):
        assert found(query) == ["ubnd"], query


def test_the_upgrade_reindexes_the_full_text(records):
    from hdnd.content.upgrades import to_1002

    to_1002(None)
    assert found("Hoa Lac") == ["nq-12"]


def test_in_the_text_of_attached_files(records):
    assert found("Hoa Lac") == ["nq-12"]  # in the PDF
    assert found("công nghệ cao") == ["nq-12"]
    assert found("mam non Tay Ho") == ["nq-12", "phu-luc"]  # the DOCX attachment, and its document
    assert found("cho dau moi") == ["bc-odt"]  # in the ODT
    assert found("Đông Anh") == ["bc-odt", "mat-1"]


def test_nobody_finds_a_classified_file_text_they_may_not_see(records):
    setRoles(api.portal.get(), TEST_USER_ID, ["Member"])
    api.user.create(email="cv@example.vn", username="cv-search", password="search-pass-1")
    api.group.add_user(groupname="specialists", username="cv-search")
    with api.env.adopt_user(username="cv-search"):
        assert found("Đông Anh") == ["bc-odt"]
        assert found("bo tri can bo") == []


def test_facets_count_only_what_the_user_may_see_and_searches_are_saved(functional_portal, request_factory):
    import transaction
    from datetime import date

    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "mat")
    folder = portal["van-ban"]
    for n, (year, issuer) in enumerate([(2025, "TU"), (2026, "TU"), (2026, "HĐND"), (2026, "TW")], 1):
        api.content.create(container=folder, type="OfficialDocument", id=f"kh-{n}", direction="incoming",
                           title=f"Kế hoạch giám sát {n}", symbol=f"{n}-KH/{issuer}", issue_date=date(year, 3, n))
    api.content.create(container=folder, type="OfficialDocument", id="kh-mat", direction="incoming",
                       title="Kế hoạch giám sát nhân sự", symbol="9-KH/TU", issue_date=date(2026, 3, 9),
                       classification="mat", need_to_know=[TEST_USER_ID])
    api.user.create(email="cv@example.vn", username="cv-facets", password="facets-pass-1")
    api.group.add_user(groupname="specialists", username="cv-facets")
    transaction.commit()
    session = request_factory(basic_auth=("cv-facets", "facets-pass-1"), api=False)
    base = portal.absolute_url()
    JSON = {"Accept": "application/json"}
    result = session.get(f"{base}/@hdnd-search", headers=JSON, params={"SearchableText": "ke hoach giam sat"}).json()
    assert result["items_total"] == 4  # not the classified fifth
    assert result["facets"]["record_year"] == {"2025": 1, "2026": 3}
    assert result["facets"]["issuer"] == {"TU": 2, "HĐND": 1, "TW": 1}
    assert result["facets"]["portal_type"] == {"OfficialDocument": 4}
    narrowed = session.get(f"{base}/@hdnd-search", headers=JSON,
                           params={"SearchableText": "ke hoach", "record_year": "2026", "issuer": "TU"}).json()
    assert [i["symbol"] for i in narrowed["items"]] == ["02-KH/TU"]  # the canonical symbol
    bad = session.get(f"{base}/@hdnd-search", headers=JSON, params={"owner": "x"})
    assert bad.status_code == 400 and bad.json()["message"].startswith("owner: not a search filter")
    year = session.get(f"{base}/@hdnd-search", headers=JSON, params={"record_year": "năm nay"})
    assert year.status_code == 400 and year.json()["message"].startswith("record_year:")

    saved = session.post(f"{base}/@hdnd-saved-searches", headers=JSON,
                         json={"name": "Kế hoạch 2026", "query": {"SearchableText": "ke hoach", "record_year": "2026"}})
    assert saved.status_code == 200, saved.text
    assert session.get(f"{base}/@hdnd-saved-searches", headers=JSON).json()["items"] == [
        {"name": "Kế hoạch 2026", "query": {"SearchableText": "ke hoach", "record_year": "2026"}}]
    other = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    assert other.get(f"{base}/@hdnd-saved-searches", headers=JSON).json()["items"] == []  # each their own
    refused = session.post(f"{base}/@hdnd-saved-searches", headers=JSON, json={"name": "x", "query": {"foo": 1}})
    assert refused.status_code == 400 and refused.json()["message"].startswith("foo:")
    gone = session.delete(f"{base}/@hdnd-saved-searches", headers=JSON, params={"name": "Kế hoạch 2026"})
    assert gone.json()["items"] == []


def naive_counts(query):
    """The facet counts as an independent oracle: the asking user's catalog
    search (plain, no counting in it), each brain's own metadata read one by
    one (the record year, which has no metadata column, from the brain's
    index data)."""
    from hdnd.content import search

    catalog = api.portal.get_tool("portal_catalog")
    counts = {name: {} for name in search.FACETS}
    for brain in catalog(**search.query_of(query)):
        values = {name: getattr(brain, name, None) for name in ("portal_type", "review_state", "issuer", "document_type")}
        values["record_year"] = catalog.getIndexDataForRID(brain.getRID()).get("record_year")
        for name, value in values.items():
            if value is not None and value != "" and type(value).__name__ != "Missing":
                counts[name][str(value)] = counts[name].get(str(value), 0) + 1
    return counts


@pytest.mark.parametrize("counting", ["index sets", "each hit"])
def test_facet_counts_are_those_of_the_hits_the_user_may_see(portal, monkeypatch, counting):
    """Counted from the index's value -> ids sets (many hits) or from each
    hit's value (few): both the counts of the brains the user's own search
    finds, a classified record counted only for who holds the clearance."""
    from datetime import date
    from hdnd.content import search

    monkeypatch.setattr(search, "INTERSECT_FROM", 0 if counting == "index sets" else 2)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "mat")
    folder = portal["van-ban"]
    made = [(2024, "TU", "KH", "dv-a", True), (2025, "TU", "NQ", "dv-a", False), (2025, "HĐND", "KH", "dv-b", True),
            (2026, "TW", "BC", "dv-b", False), (2026, "TU", "KH", "dv-a", True), (2026, "HĐND", "", "dv-b", False)]
    for n, (year, issuer, kind, unit, register) in enumerate(made, 1):
        doc = api.content.create(container=folder, type="OfficialDocument", id=f"gs-{n}", direction="incoming",
                                 title=f"Kế hoạch giám sát chuyên đề {n}", symbol=f"{n}-{kind or 'CV'}/{issuer}",
                                 issue_date=date(year, 4, n), document_type=kind or None, lead_unit=unit,
                                 issuing_body="Thành ủy")
        if register:
            api.content.transition(obj=doc, transition="register")
    # Classified, of a year, issuer and unit no other record has: seen and counted only with clearance.
    api.content.create(container=folder, type="OfficialDocument", id="gs-mat", direction="incoming",
                       title="Kế hoạch giám sát nhân sự", symbol="7-KL/UBKT", issue_date=date(2023, 4, 7),
                       document_type="KL", classification="mat", need_to_know=[TEST_USER_ID], lead_unit="dv-c")
    api.content.create(container=portal["ho-so"], type="Dossier", id="hs-giam-sat", title="Hồ sơ giám sát 2026")
    api.content.create(container=folder, type="OfficialDocument", id="other", direction="incoming",
                       title="Báo cáo tài chính", symbol="9-BC/TU", issue_date=date(2026, 1, 9), document_type="BC")
    api.user.create(email="cv-counts@example.vn", username="cv-counts", password="counts-pass-1")
    api.group.add_user(groupname="specialists", username="cv-counts")

    queries = [{"SearchableText": "giam sat"}, {"SearchableText": "ke hoach giam sat", "record_year": "2026"},
               {"SearchableText": "giam sat", "lead_unit": "dv-b"}, {"issuer": "TU"}, {"portal_type": "OfficialDocument"}]
    seen = {}
    for who in (TEST_USER_ID, "cv-counts"):
        with api.env.adopt_user(username=who) if who != TEST_USER_ID else contextlib.nullcontext():
            for query in queries:
                found = search.find(query)
                expected = naive_counts(query)
                assert found["facets"] == expected, (who, query)
                assert found["total"] == sum(expected["portal_type"].values())
                seen[who, query.get("SearchableText"), tuple(sorted(query))] = found
    cleared = seen[TEST_USER_ID, "giam sat", ("SearchableText",)]
    not_cleared = seen["cv-counts", "giam sat", ("SearchableText",)]
    # The oracle agrees with itself on what matters: the classified record is
    # counted for the cleared user and for no one else.
    assert cleared["facets"]["record_year"]["2023"] == 1 and cleared["facets"]["issuer"]["UBKT"] == 1
    assert "2023" not in not_cleared["facets"]["record_year"] and "UBKT" not in not_cleared["facets"]["issuer"]
    assert cleared["total"] == not_cleared["total"] + 1 == 8
    assert cleared["facets"]["portal_type"] == {"OfficialDocument": 7, "Dossier": 1}
    assert cleared["facets"]["document_type"] == {"KH": 3, "NQ": 1, "BC": 1, "KL": 1}  # an empty type left out
    assert sum(cleared["facets"]["review_state"].values()) == 8 and len(cleared["facets"]["review_state"]) >= 2


def test_a_page_of_the_search_is_the_catalogs_newest_first(portal):
    """Only the page asked is sorted (and those before it), in the order the
    catalog's own sort gives; the total is every hit."""
    from hdnd.content import search

    setRoles(portal, TEST_USER_ID, ["Manager"])
    for n in range(7):
        api.content.create(container=portal["van-ban"], type="OfficialDocument", id=f"tt-{n}", direction="incoming",
                           title=f"Tờ trình thẩm tra {n}")
    catalog = api.portal.get_tool("portal_catalog")
    for n, doc_id in enumerate(["tt-3", "tt-0", "tt-6", "tt-1", "tt-5", "tt-2", "tt-4"]):
        doc = portal["van-ban"][doc_id]
        doc.setModificationDate(f"2026/0{n + 1}/15 09:00:00 GMT+7")
        doc.reindexObject(idxs=["modified"])
    expected = [b.getId for b in catalog(SearchableText="to trinh tham tra", sort_on="modified", sort_order="descending")]
    assert expected == ["tt-4", "tt-2", "tt-5", "tt-1", "tt-6", "tt-0", "tt-3"]
    found = search.find({"SearchableText": "to trinh tham tra", "b_start": 2, "b_size": 3})
    assert found["total"] == 7
    assert [b.getId for b in found["brains"][2:5]] == expected[2:5]
    assert search.search({"SearchableText": "to trinh tham tra", "b_start": 6, "b_size": 3})["items_total"] == 7
    assert [i["title"] for i in search.search({"SearchableText": "to trinh tham tra", "b_start": 6})["items"]] == [
        "Tờ trình thẩm tra 3"]
