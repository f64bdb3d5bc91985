"""A big section chooses the ids Plone chooses (issue 21).

sectionnames.BigSectionNameChooser answers "free" at once for a plain name
that nothing reaches and that is no index, column, alias nor reserved word,
and asks Plone's check_id of every other name. Here both choosers are asked
of every name check_id has a rule for — the site's items, tools and skins,
the application's objects, the catalog's indexes and columns, the method
aliases, the reserved words, an item of the section, names with characters
that are refused — and of free names, each also with "-1" after it: the same
verdict and message every time, and the same ids chosen from titles."""

from hdnd.content.sectionnames import BigSectionNameChooser
from hdnd.content.sections import BigSection
from plone import api
from plone.app.content.namechooser import NormalizingNameChooser
from zope.component import getAdapter
from zope.container.interfaces import INameChooser


def names_with_rules(portal, section):
    app = portal.aq_parent
    catalog = api.portal.get_tool("portal_catalog")
    skins = api.portal.get_tool("portal_skins")
    names = set(portal.objectIds()) | set(app.objectIds()) | set(catalog.indexes()) | set(catalog.schema())
    names |= set(api.portal.get_tool("portal_types").getTypeInfo(section).getMethodAliases())
    for layer in skins.objectValues():
        names |= set(getattr(layer, "objectIds", lambda: ())())
    names |= {"login", "layout", "plone", "zip", "properties", "index_html", "syndication_information", "view",
              "edit", "title", "id", "getId", "absolute_url", "REQUEST", "manage", "aq_parent", "_p_jar", "a__",
              ".", "..", "@@view", "++resource", "có-dấu", "a b", "a--b", "-a", "a-", "", "van-ban",
              "bao-cao-ket-qua-giam-sat", "cong-van-so-12", "2026", "x"}
    names |= set(section.objectIds())
    return sorted(names | {f"{n}-1" for n in names if n})


def test_a_big_section_finds_free_what_plone_finds_free(portal):
    section = portal["van-ban"]
    assert isinstance(section.aq_base, BigSection)
    assert type(getAdapter(section, INameChooser)) is BigSectionNameChooser
    with api.env.adopt_roles(["Manager"]):
        taken = api.content.create(container=section, type="OfficialDocument", direction="incoming",
                                   title="Báo cáo kết quả giám sát")
        document = api.content.create(container=section, type="OfficialDocument", direction="incoming",
                                      title="Công văn số 12")
    assert taken.getId() == "bao-cao-ket-qua-giam-sat"
    names = names_with_rules(portal, section)
    assert len(names) > 300  # the site's skins, tools, indexes: what check_id has rules for
    ours = BigSectionNameChooser(section)._getCheckId(document)
    plones = NormalizingNameChooser(section)._getCheckId(document)
    differ = {n: (ours(n, 1), plones(n, 1)) for n in names if ours(n, 1) != plones(n, 1)}
    assert differ == {}
    refused = [n for n in names if plones(n, 1)]
    assert "portal_catalog" in refused and "view" in refused and "symbol" in refused and "login" in refused
    assert "bao-cao-ket-qua-giam-sat" in refused and "cong-van-so-12-1" not in refused

    # Ids chosen from titles, as Plone chooses them.
    for title in ("Báo cáo kết quả giám sát", "Công văn số 12", "Symbol", "View", "Login", "Portal catalog",
                  "Văn bản", "Layout", "Created", "Thông báo kết luận"):
        document.title = title
        assert BigSectionNameChooser(section).chooseName(None, document) == \
            NormalizingNameChooser(section).chooseName(None, document), title
    document.title = "Báo cáo kết quả giám sát"
    assert BigSectionNameChooser(section).chooseName(None, document) == "bao-cao-ket-qua-giam-sat-1"
