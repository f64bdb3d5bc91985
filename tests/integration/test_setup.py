"""The hdnd.policy profile installs a working hdnd site."""

from Acquisition import aq_base
from hdnd.policy.roles import OFFICE_ROLES
from hdnd.policy.structure import SITE_STRUCTURE
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from Products.CMFPlone.utils import get_installer

import datetime
import pytest
import time


POLICY = "hdnd.policy:default"


def test_policy_and_dependencies_installed(portal):
    installer = get_installer(portal)
    for product in ("hdnd.policy", "plone.restapi", "collective.documentgenerator"):
        assert installer.is_product_installed(product), product
    setup = api.portal.get_tool("portal_setup")
    assert setup.getLastVersionForProfile("hdnd.content:default") == ("1010",)
    assert setup.listUpgrades("hdnd.content:default") == []


def test_profile_version_is_current_and_nothing_pending(portal):
    setup = api.portal.get_tool("portal_setup")
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert setup.listUpgrades(POLICY) == []


def test_upgrade_steps_bring_an_old_site_to_the_current_version(portal):
    from hdnd.policy.site import install_policy

    setup = api.portal.get_tool("portal_setup")
    registry = api.portal.get_tool("portal_registry")
    # A site of version 1000: no organisation settings, no section roles...
    setup.setLastVersionForProfile(POLICY, "1000")
    for name in [r for r in registry.records.keys() if r.startswith("hdnd.organisation.")]:
        del registry.records[name]
    api.group.revoke_roles(groupname="specialists", obj=portal["ho-so"], roles=["Contributor"])
    # ...whose administrator has chosen a title that must survive.
    api.portal.set_registry_record("plone.site_title", "Đảng đoàn HĐND tỉnh")
    # ...with no document templates, which anyone could add.
    templates = portal["mau-van-ban"]
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(objects=[templates[i] for i in templates.objectIds()])
    portal.portal_types["ConfigurablePODTemplate"].add_permission = "cmf.AddPortalContent"
    assert [step["dest"] for step in setup.listUpgrades(POLICY)] == [("1001",), ("1002",), ("1003",), ("1004",), ("1005",), ("1006",), ("1007",), ("1008",), ("1009",), ("1010",), ("1011",), ("1012",), ("1013",), ("1014",), ("1015",), ("1016",), ("1017",)]

    # ...whose sessions plone.session checked by itself, with REST tokens kept nowhere,
    # and a guard from before the second factor (no stores for it, no settings).
    from hdnd.policy import signin
    from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin

    pas = portal.acl_users
    pas.plugins.activatePlugin(IAuthenticationPlugin, "session")
    pas.jwt_auth.store_tokens = False
    for store in ("factors", "passwords", "signed_out"):
        delattr(pas[signin.PLUGIN_ID], store)
    for name in ("hdnd.signin.idle_minutes", "hdnd.signin.require_second_factor"):
        del registry.records[name]
    api.portal.set_registry_record("hdnd.signin.max_failures", 7)  # an office's own choice
    # ...and plone.restapi's plugin reading REST tokens by itself (any "Bearer … <token>").
    from Products.PluggableAuthService.interfaces.plugins import IExtractionPlugin

    pas.plugins.deactivatePlugin(IExtractionPlugin, signin.PLUGIN_ID)
    pas.plugins.activatePlugin(IExtractionPlugin, "jwt_auth")

    # ...whose role and group stores were PlonePAS's own, with a cleared role
    # given site-wide and SecurityOfficer as a local role before the grants gate.
    from hdnd.content import grants
    from Products.PlonePAS.plugins.group import GroupManager
    from Products.PlonePAS.plugins.role import GroupAwareRoleManager

    pas.portal_role_manager.__class__ = GroupAwareRoleManager
    pas.source_groups.__class__ = GroupManager
    pas.portal_role_manager._principal_roles["specialists"] = ("ClearedReader",)
    portal["van-ban"].manage_setLocalRoles("nguoi-ngoai", ["SecurityOfficer", "Reader"])

    # ...where Plone left 127.0.0.1, the address `make run` prints, unthemed.
    api.portal.set_registry_record("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist", ["127.0.0.1"])

    install_policy(portal)  # what `hdnd setup` does on an existing site

    assert api.portal.get_registry_record("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist") == []

    assert isinstance(pas.portal_role_manager, grants.GuardedRoleManager)
    assert isinstance(pas.source_groups, grants.GuardedGroupManager)
    assert "ClearedReader" not in pas.portal_role_manager._principal_roles["specialists"]
    assert dict(portal["van-ban"].get_local_roles())["nguoi-ngoai"] == ("Reader",)

    assert "session" not in pas.plugins.listPluginIds(IAuthenticationPlugin)
    assert signin.PLUGIN_ID in pas.plugins.listPluginIds(IExtractionPlugin)
    assert "jwt_auth" not in pas.plugins.listPluginIds(IExtractionPlugin)
    assert "jwt_auth" in pas.plugins.listPluginIds(IAuthenticationPlugin)  # what @login looks for
    assert pas.jwt_auth.store_tokens and pas.jwt_auth.token_timeout == 10 * 3600
    assert all(getattr(pas[signin.PLUGIN_ID], store) is not None for store in signin.STORES)
    assert api.portal.get_registry_record("hdnd.signin.idle_minutes") == 30
    assert api.portal.get_registry_record("hdnd.signin.require_second_factor") is True
    assert api.portal.get_registry_record("hdnd.signin.max_failures") == 7

    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert "giay-moi" in templates.objectIds() and "so-van-ban-den" in templates.objectIds()
    assert portal.portal_types["ConfigurablePODTemplate"].add_permission == "hdnd.ManageTemplates"
    assert api.portal.get_registry_record("hdnd.organisation.term_label") == "2025-2030"
    assert api.portal.get_registry_record("plone.site_title") == "Đảng đoàn HĐND tỉnh"
    assert "Contributor" in api.group.get_roles(groupname="specialists", obj=portal["ho-so"])


def test_big_sections_keep_no_list_of_every_id(portal):
    # A new site: the sections that grow by thousands are unordered.
    from zope.annotation.interfaces import IAnnotations

    for section in SITE_STRUCTURE:
        folder = portal[section.id]
        assert (folder.getOrdering().__class__.__name__ == "UnorderedOrdering") is (not section.ordered), section.id
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.content.create(container=portal["van-ban"], type="OfficialDocument", id="a", title="A")
    assert "plone.folder.ordered.order" not in IAnnotations(portal["van-ban"])
    assert "a" in portal["van-ban"].objectIds()


def test_a_big_section_is_not_modified_when_an_item_comes_or_goes(portal):
    # Its own class (not a patch of plone.dexterity): adding or removing an
    # item leaves the section's modification date and catalog record alone,
    # an edit of the section itself still reindexes it.
    from hdnd.content.sections import BigSection
    from zope.lifecycleevent import modified

    import transaction

    setRoles(portal, TEST_USER_ID, ["Manager"])
    catalog = api.portal.get_tool("portal_catalog")
    for section in SITE_STRUCTURE:
        assert (type(aq_base(portal[section.id])) is BigSection) is (not section.ordered), section.id
    documents = portal["van-ban"]
    path = "/".join(documents.getPhysicalPath())
    transaction.savepoint()
    before = (documents.modified(), catalog.getMetadataForUID(path)["modified"])
    api.content.create(container=documents, type="OfficialDocument", id="a", title="A")
    api.content.delete(documents["a"])
    assert (documents.modified(), catalog.getMetadataForUID(path)["modified"]) == before
    # An ordinary folder still is (plone.dexterity's reindexOnModify).
    folder = api.content.create(container=portal, type="Folder", id="thu-muc", title="Thư mục")
    folder.setModificationDate(before[0] - 1)
    folder.reindexObject()
    api.content.create(container=folder, type="Document", id="p", title="P")
    assert folder.modified() > before[0] - 1
    # The section's own edit reindexes it.
    documents.title = "Văn bản (sửa)"
    modified(documents)
    assert catalog(path={"query": path, "depth": 0})[0].Title == "Văn bản (sửa)"


def test_upgrade_to_1011_gives_a_big_section_its_class_for_good(functional_portal):
    from hdnd.content.sections import BigSection
    from plone.app.contenttypes.content import Folder

    import transaction

    portal = functional_portal
    setup = api.portal.get_tool("portal_setup")
    documents = portal["van-ban"]
    # A section from before 1011: a Folder, as the portal's BTree names it.
    del portal._tree["van-ban"]
    documents.__class__ = Folder
    documents._p_changed = True
    portal._tree["van-ban"] = documents
    setup.setLastVersionForProfile(POLICY, "1010")
    transaction.commit()
    other = portal._p_jar.db().open()
    try:
        assert type(aq_base(other.get(portal._p_oid)._tree["van-ban"])) is Folder
    finally:
        other.close()
    setup.upgradeProfile(POLICY)
    transaction.commit()
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert type(aq_base(portal["van-ban"])) is BigSection
    # Read from the storage by another connection: the portal's BTree names
    # the new class too (else the section would load as a Folder again).
    other = portal._p_jar.db().open()
    try:
        assert type(aq_base(other.get(portal._p_oid)._tree["van-ban"])) is BigSection
    finally:
        other.close()


def test_full_text_indexes_keep_no_dict_in_their_buckets(portal):
    # Every word's documents in an IIBTree of their own (a dict inside a
    # bucket makes the bucket unmergeable: two creates at once conflict).
    from hdnd.content.catalogwrites import MergeableOkapiIndex
    from Products.ZCTextIndex.OkapiIndex import OkapiIndex

    catalog = api.portal.get_tool("portal_catalog")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.content.create(container=portal["van-ban"], type="OfficialDocument", id="a", title="Từ hiếm xyzzy")
    texts = [i for i in catalog._catalog.indexes.values() if isinstance(getattr(aq_base(i), "index", None), OkapiIndex)]
    assert {i.getId() for i in texts} >= {"SearchableText", "Title", "Description"}
    for index in texts:
        assert type(index.index) is MergeableOkapiIndex and index._index_factory is MergeableOkapiIndex, index.getId()
        assert not [v for v in index.index._wordinfo.values() if isinstance(v, dict)], index.getId()
    assert [b.getId for b in catalog(SearchableText="xyzzy")] == ["a"]
    catalog.manage_clearIndex(["Title"])  # cleared (or rebuilt): the same kind of index again
    assert type(catalog._catalog.indexes["Title"].index) is MergeableOkapiIndex


def test_upgrade_to_1012_makes_full_text_indexes_mergeable(portal):
    from BTrees.IIBTree import IIBTree
    from hdnd.content.catalogwrites import MergeableOkapiIndex
    from Products.ZCTextIndex.OkapiIndex import OkapiIndex

    setup = api.portal.get_tool("portal_setup")
    catalog = api.portal.get_tool("portal_catalog")
    index = catalog._catalog.indexes["Title"]
    index.index.__class__, index._index_factory = OkapiIndex, OkapiIndex  # as before 1012
    index.index._wordinfo[12345] = {1: 10, 2: 20}
    setup.setLastVersionForProfile(POLICY, "1011")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert type(index.index) is MergeableOkapiIndex and index._index_factory is MergeableOkapiIndex
    assert isinstance(index.index._wordinfo[12345], IIBTree) and dict(index.index._wordinfo[12345]) == {1: 10, 2: 20}


def test_path_index_leaves_its_trees_alone_on_a_reindex_at_the_same_path(functional_portal):
    # A reindex at an unchanged path writes nothing and reads nothing as
    # current in the path index (a registration no longer conflicts with
    # documents created in the same section: tests/unit/test_catalogwrites).
    from hdnd.content.catalogwrites import QuietPathIndex

    import transaction

    portal = functional_portal
    catalog = api.portal.get_tool("portal_catalog")
    index = catalog._catalog.indexes["path"]
    assert type(aq_base(index)) is QuietPathIndex
    setRoles(portal, TEST_USER_ID, ["Manager"])
    document = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="a", title="a")
    transaction.commit()
    catalog.catalog_object(document)  # as a reindex does, at once
    assert index._p_jar._readCurrent == {} and not index._p_changed
    assert [b.getId for b in catalog(path={"query": "/".join(portal["van-ban"].getPhysicalPath()), "depth": 1},
                                      id="a")] == ["a"]


def test_upgrade_to_1013_makes_the_path_index_quiet(portal):
    from Products.ExtendedPathIndex.ExtendedPathIndex import ExtendedPathIndex
    from hdnd.content.catalogwrites import QuietPathIndex

    setup = api.portal.get_tool("portal_setup")
    catalog = api.portal.get_tool("portal_catalog")
    aq_base(catalog._catalog.indexes["path"]).__class__ = ExtendedPathIndex  # as before 1013
    setup.setLastVersionForProfile(POLICY, "1012")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert type(aq_base(catalog._catalog.indexes["path"])) is QuietPathIndex


def test_catalog_metadata_buckets_hold_stock_sizes(functional_portal):
    # A search reads its brains' metadata a bucket at a time: with the wide
    # IOBTree buckets (hdnd.content.catalogwrites.widen_buckets) one exact
    # number loaded ~120 records of ~700 bytes (~6 ms cold). The metadata
    # tree keeps BTrees' own 60; creates still go through the wide classes
    # everywhere else.
    from BTrees.IOBTree import IOBTree
    from hdnd.content.catalogwrites import MetadataTree

    import transaction

    portal = functional_portal
    catalog = api.portal.get_tool("portal_catalog")
    data = catalog._catalog.data
    assert type(data) is MetadataTree and IOBTree.max_leaf_size > MetadataTree.max_leaf_size == 60
    setRoles(portal, TEST_USER_ID, ["Manager"])
    for n in range(150):
        api.content.create(container=portal["van-ban"], type="OfficialDocument", id=f"m{n}", title=f"m {n}")
    transaction.commit()
    sizes, bucket = [], data._firstbucket
    while bucket is not None:
        sizes.append(len(bucket))
        bucket = bucket._next
    assert len(data) >= 150 and max(sizes) <= 60, sizes
    brain = catalog(id="m77")[0]
    assert brain.Title == "m 77" and brain.getObject().getId() == "m77"


def test_upgrade_to_1015_moves_the_catalog_metadata_to_stock_buckets(portal):
    from BTrees.IOBTree import IOBTree
    from hdnd.content.catalogwrites import MetadataTree

    setup = api.portal.get_tool("portal_setup")
    catalog = api.portal.get_tool("portal_catalog")
    inner = catalog._catalog
    before = dict(inner.data)
    wide = IOBTree()
    wide.update(before)
    inner.data = wide  # as before 1015
    setup.setLastVersionForProfile(POLICY, "1014")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert type(inner.data) is MetadataTree and dict(inner.data) == before
    assert catalog(portal_type="OfficialDocument") is not None


def test_catalog_metadata_tree_survives_a_clear_and_rebuild(portal):
    """Every way of emptying the catalog ends in its inner catalog's clear,
    which in ZCatalog makes a plain IOBTree (240 wide here): the metadata
    tree comes back as a MetadataTree, with every record and search."""
    from hdnd.content.catalogwrites import MetadataTree
    from Products.CMFCore.indexing import processQueue

    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-xd", title="Xây dựng lại")
    processQueue()
    catalog = api.portal.get_tool("portal_catalog")
    paths = sorted(catalog._catalog.uids)
    for rebuild in (catalog.clearFindAndRebuild, catalog.manage_catalogRebuild,
                    lambda: catalog.refreshCatalog(clear=1), catalog.manage_catalogClear):
        rebuild()
        assert type(catalog._catalog.data) is MetadataTree, rebuild
    assert len(catalog) == 0  # the last one only clears
    catalog.clearFindAndRebuild()
    processQueue()  # the rebuild's reindexing waits in the indexing queue
    assert sorted(catalog._catalog.uids) == paths
    assert [b.Title for b in catalog(id="vb-xd")] == ["Xây dựng lại"]


def test_upgrade_to_1017_keeps_the_metadata_tree_through_a_rebuild(portal):
    """A site whose catalog was rebuilt after 1015 (a plain inner catalog, its
    metadata back in a plain IOBTree): 1017 gives both back, and the next
    rebuild keeps the tree."""
    from BTrees.IOBTree import IOBTree
    from hdnd.content.catalogwrites import MetadataTree
    from hdnd.content.catalogwrites import MetadataTreeCatalog
    from Products.CMFCore.indexing import processQueue
    from Products.ZCatalog.Catalog import Catalog

    catalog = api.portal.get_tool("portal_catalog")
    before = dict(catalog._catalog.data)
    old = Catalog.__new__(Catalog)  # as before 1017, rebuilt
    old.__setstate__(aq_base(catalog._catalog).__getstate__())
    old.data = IOBTree()
    old.data.update(before)
    catalog._catalog = old
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(POLICY, "1016")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert type(aq_base(catalog._catalog)) is MetadataTreeCatalog and type(catalog._catalog.data) is MetadataTree
    assert dict(catalog._catalog.data) == before
    everything = catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath()))
    assert len(everything) == len(before) > 0 and everything[0].getPath()
    catalog.clearFindAndRebuild()
    processQueue()
    assert type(catalog._catalog.data) is MetadataTree and len(catalog._catalog.data) == len(before)


def test_upgrade_to_1009_makes_an_ordered_section_unordered(portal):
    from zope.annotation.interfaces import IAnnotations

    setup = api.portal.get_tool("portal_setup")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    documents = portal["van-ban"]
    documents.setOrdering("")  # a site from before 1009
    for name in ("a", "b"):
        api.content.create(container=documents, type="OfficialDocument", id=name, title=name)
    assert list(IAnnotations(documents)["plone.folder.ordered.order"]) == ["a", "b"]
    setup.setLastVersionForProfile(POLICY, "1008")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert documents.getOrdering().__class__.__name__ == "UnorderedOrdering"
    assert "plone.folder.ordered.order" not in IAnnotations(documents)
    assert "plone.folder.ordered.pos" not in IAnnotations(documents)
    assert sorted(documents.objectIds()) == ["a", "b"]
    assert sorted(b.getId for b in api.content.find(context=documents, depth=1)) == ["a", "b"]


def test_content_upgrade_to_1003_adds_exchange_and_signing_settings_and_the_withdrawn_state(portal):
    setup = api.portal.get_tool("portal_setup")
    registry = api.portal.get_tool("portal_registry")
    api.portal.set_registry_record("hdnd.organisation.body_name", "Đảng đoàn HĐND tỉnh")
    for name in [r for r in registry.records.keys() if r.startswith(("hdnd.organisation.organ_", "hdnd.signing."))]:
        del registry.records[name]
    workflow = api.portal.get_tool("portal_workflow")["hdnd_incoming_workflow"]
    workflow.states.manage_delObjects(["withdrawn"])
    workflow.transitions.manage_delObjects(["withdraw"])
    setup.setLastVersionForProfile("hdnd.content:default", "1002")

    setup.upgradeProfile("hdnd.content:default")

    assert setup.getLastVersionForProfile("hdnd.content:default") == ("1010",)
    assert api.portal.get_registry_record("hdnd.organisation.organ_id") == ""
    assert api.portal.get_registry_record("hdnd.signing.signer_key") == ""  # signed on paper until set
    assert api.portal.get_registry_record("hdnd.organisation.body_name") == "Đảng đoàn HĐND tỉnh"
    assert "withdrawn" in workflow.states.objectIds() and "withdraw" in workflow.transitions.objectIds()


def test_upgrade_keeps_settings_an_administrator_changed(portal):
    setup = api.portal.get_tool("portal_setup")
    api.portal.set_registry_record("hdnd.organisation.symbol_abbreviation", "ĐĐ-HĐND")
    setup.setLastVersionForProfile(POLICY, "1000")
    setup.upgradeProfile(POLICY)
    assert api.portal.get_registry_record("hdnd.organisation.symbol_abbreviation") == "ĐĐ-HĐND"


def test_vietnamese_first_english_available(portal):
    assert api.portal.get_registry_record("plone.default_language") == "vi"
    assert api.portal.get_registry_record("plone.available_languages") == ["vi", "en"]
    assert api.portal.get_registry_record("plone.use_cookie_negotiation") is True


def test_time_zone(portal):
    assert api.portal.get_registry_record("plone.portal_timezone") == "Asia/Ho_Chi_Minh"
    assert api.portal.get_registry_record("plone.available_timezones") == ["Asia/Ho_Chi_Minh"]


def test_organisation_settings(portal):
    get = api.portal.get_registry_record
    assert get("hdnd.organisation.body_name") == "Đảng đoàn Hội đồng nhân dân Thành phố"
    assert get("hdnd.organisation.symbol_abbreviation") == "ĐĐHĐND"
    assert get("hdnd.organisation.term_start") == datetime.date(2025, 10, 1)
    assert get("hdnd.organisation.term_end") == datetime.date(2030, 9, 30)
    assert get("plone.site_title") == "Đảng đoàn HĐND Thành phố"


def test_roles_and_groups(portal):
    assert set(r.role for r in OFFICE_ROLES) <= set(portal.validRoles())
    role_manager = api.portal.get_tool("acl_users").portal_role_manager
    for office_role in OFFICE_ROLES:
        group = api.group.get(groupname=office_role.group)
        assert group is not None, office_role.group
        assert group.getProperty("title") == office_role.title
        site_wide = office_role.role in role_manager.getRolesForPrincipal(group)
        # Office roles live on the sections, where a classified item can block them.
        assert site_wide == office_role.site_wide, office_role.role
    assert "Specialist" in api.group.get_roles(groupname="specialists", obj=portal["van-ban"])


def test_site_structure_has_vietnamese_titles(portal):
    for section in SITE_STRUCTURE:
        folder = portal[section.id]
        assert folder.portal_type == "Folder"
        assert folder.title == section.title
    assert portal["ho-so"].title == "Hồ sơ công việc"


def test_reapplying_the_profile_keeps_everything_once(portal):
    uids = {s.id: api.content.get_uuid(portal[s.id]) for s in SITE_STRUCTURE}
    groups = len(api.group.get_groups())
    setup = api.portal.get_tool("portal_setup")
    setup.runAllImportStepsFromProfile(f"profile-{POLICY}")
    assert {s.id: api.content.get_uuid(portal[s.id]) for s in SITE_STRUCTURE} == uids
    assert len(api.group.get_groups()) == groups
    assert len(portal.objectIds()) == len(set(portal.objectIds()))


def test_control_panel_is_registered_for_managers(portal, http_request):
    actions = [a.getAction(portal)["id"] for a in api.portal.get_tool("portal_controlpanel").listActions()]
    assert "hdnd-organisation" in actions
    setRoles(portal, TEST_USER_ID, ["Manager"])
    view = api.content.get_view("hdnd-organisation-controlpanel", portal, http_request)
    html = view()
    assert "form.widgets.symbol_abbreviation" in html
    assert "ĐĐHĐND" in html


def test_control_panel_refused_to_staff(portal):
    from AccessControl import Unauthorized
    from zExceptions import Unauthorized as ZUnauthorized

    setRoles(portal, TEST_USER_ID, ["Member", "Specialist"])
    with pytest.raises((Unauthorized, ZUnauthorized)):
        portal.restrictedTraverse("@@hdnd-organisation-controlpanel")


def test_vietnamese_catalog_is_loaded(portal):
    from hdnd.content.i18n import _
    from zope.i18n import translate

    label = _("label_symbol_abbreviation", default="Symbol abbreviation")
    assert translate(label, target_language="vi") == "Chữ viết tắt trong ký hiệu"
    assert translate(label, target_language="en") == "Symbol abbreviation"


def test_sections_give_each_group_its_local_roles(portal):
    for section in SITE_STRUCTURE:
        folder = portal[section.id]
        for group, roles in section.local_roles.items():
            assert set(roles) <= set(api.group.get_roles(groupname=group, obj=folder)), (section.id, group)
    assert "Contributor" not in api.group.get_roles(groupname="specialists", obj=portal["luu-tru"])


def test_sections_take_only_their_own_types(portal):
    from plone.base.interfaces.constrains import ISelectableConstrainTypes

    setRoles(portal, TEST_USER_ID, ["Manager"])
    allowed = [t.getId() for t in ISelectableConstrainTypes(portal["van-ban"]).allowedContentTypes()]
    assert allowed == ["OfficialDocument"]
    from plone.api.exc import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="Allowed types are:\nDossier"):
        api.content.create(container=portal["ho-so"], type="Document", title="Trang tự do")


def test_only_administrators_delete(portal):
    from Products.CMFCore.permissions import DeleteObjects

    roles = {r["name"] for r in portal.rolesOfPermission(DeleteObjects) if r["selected"]}
    assert roles == {"Manager", "Site Administrator"}


def test_upgrade_to_1014_writes_what_a_get_wrote_once(portal):
    """A site from before 1014: Plone's portlets without their settings
    (plone.portlets made them on the first page that showed them) and an
    account without a password record (noted on its first sign-in, maybe a
    GET); the upgrade writes both, and the old password still may not come back."""
    from hdnd.policy import signin
    from hdnd.policy.portlets import _mappings
    from plone.portlets.constants import ASSIGNMENT_SETTINGS_KEY
    from zope.annotation.interfaces import IAnnotations

    setup = api.portal.get_tool("portal_setup")
    api.user.create(email="cu@example.vn", username="tai-khoan-cu", password="Mat-khau-cu-2025")
    keeper = signin.guard()
    del keeper.passwords["tai-khoan-cu"]  # as before 1014
    assignments = [a for mapping in _mappings(portal) for a in mapping.values()]
    assert assignments
    for assignment in assignments:
        IAnnotations(assignment).pop(ASSIGNMENT_SETTINGS_KEY, None)
    setup.setLastVersionForProfile(POLICY, "1013")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert all(ASSIGNMENT_SETTINGS_KEY in IAnnotations(a) for a in assignments)
    assert time.time() - keeper.passwords["tai-khoan-cu"]["changed"] < 60
    assert keeper.problems("Mat-khau-cu-2025", "tai-khoan-cu") and not keeper.problems("Mat-khau-moi-2026", "tai-khoan-cu")


def test_upgrade_to_1016_settles_portlets_on_items_deeper_than_a_section(portal):
    """A site from before 1016 whose portlets on items deeper than a section
    (put there before they got their settings when added) have no settings:
    1014 settled the root's and the sections' only, so the first page that
    showed a dossier's own portlet wrote them. 1016 reaches every depth."""
    from plone.app.portlets.portlets import navigation
    from plone.portlets.constants import ASSIGNMENT_SETTINGS_KEY
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.annotation.interfaces import IAnnotations
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    setRoles(portal, TEST_USER_ID, ["Manager"])
    dossier = api.content.create(container=portal["ho-so"], type="Dossier", id="hs-sau", title="Hồ sơ")
    document = api.content.create(container=dossier, type="OfficialDocument", id="vb-sau", title="Văn bản",
                                  direction="incoming")
    slip = api.content.create(container=document, type="ProcessingSlip", title="Phiếu")
    manager = getUtility(IPortletManager, name="plone.leftcolumn")
    deep = []
    for item in (dossier, document, slip):  # depth 2, 3 and 4 below the root
        mapping = getMultiAdapter((item, manager), IPortletAssignmentMapping)
        mapping["dieu-huong"] = navigation.Assignment()
        deep.append(mapping["dieu-huong"])
        IAnnotations(deep[-1]).pop(ASSIGNMENT_SETTINGS_KEY)  # settled when added, but not before 1014
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(POLICY, "1015")
    setup.upgradeProfile(POLICY)
    assert setup.getLastVersionForProfile(POLICY) == ("1017",)
    assert [ASSIGNMENT_SETTINGS_KEY in IAnnotations(a) for a in deep] == [True, True, True]
    # The walk reaches every item the catalog knows (classified or not), at every depth.
    from hdnd.policy.portlets import _items

    walked = {"/".join(item.getPhysicalPath()) for item in _items(portal, every=7)}
    catalog = api.portal.get_tool("portal_catalog")
    indexed = {b.getPath() for b in catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath()))}
    assert len(indexed) > 20 and indexed <= walked, sorted(indexed - walked)
    assert "/".join(slip.getPhysicalPath()) in walked
