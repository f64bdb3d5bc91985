"""Upgrade steps of hdnd.policy:default.

Every change to the profile raises the version in metadata.xml and adds a
step here, so that an existing site reaches the state of a new one with
``hdnd setup`` (or the add-ons control panel).
"""

from hdnd.policy import setuphandlers
from plone import api


PROFILE_ID = "profile-hdnd.policy:default"


def reimport(*step_ids):
    """Return an upgrade handler that re-imports the given steps of the profile."""

    def handler(context):
        setup = api.portal.get_tool("portal_setup")
        for step_id in step_ids:
            setup.runImportStepFromProfile(PROFILE_ID, step_id, run_dependencies=False)

    return handler


def register_records(interface, prefix):
    """Add the records of `interface` that are missing. Values already set
    by an administrator are kept: an upgrade never re-imports a profile's
    registry values over them."""
    registry = api.portal.get_tool("portal_registry")
    registry.registerInterface(interface, prefix=prefix)


def to_1001(context):
    """1000 -> 1001: organisation settings and their control panel appeared."""
    from hdnd.content.interfaces import IOrganisationSettings
    from hdnd.content.settings import ORGANISATION_PREFIX

    register_records(IOrganisationSettings, ORGANISATION_PREFIX)
    reimport("controlpanel")(context)


def to_1002(context):
    """1001 -> 1002: the default workflow is set by the profile, the site
    sections give the office's groups their local roles and take only their
    own types, deleting is for administrators, and the lists control panel
    appeared."""
    reimport("workflow", "controlpanel", "rolemap")(context)
    setuphandlers.ensure_structure(api.portal.get())


def to_1003(context):
    """1002 -> 1003: office roles move from the whole site to the sections
    (so that classified items can shut them out), administrators read and
    add in every section, and security officers get the clearances page."""
    setuphandlers.ensure_groups()
    setuphandlers.ensure_structure(api.portal.get())
    reimport("controlpanel")(context)


def to_1004(context):
    """1003 -> 1004: the office's document templates (invitation, agenda,
    minutes, conclusion notice, processing slip, opinion request, ballot,
    registers) in the templates section, which only administrators may add
    to or change; the dashboard's tab."""
    reimport("typeinfo", "rolemap", "actions")(context)
    portal = api.portal.get()
    setuphandlers.ensure_groups()  # the agencies' role becomes site-wide
    setuphandlers.ensure_structure(portal)
    setuphandlers.ensure_templates(portal)


def to_1005(context):
    """1004 -> 1005: the sign-in guard (lockout after repeated failures, the
    password policy) checks every password, with its settings."""
    from hdnd.policy import signin
    from hdnd.policy.interfaces import ISignInSettings

    # Not the registry step: it would reset the organisation's settings.
    api.portal.get_tool("portal_registry").registerInterface(ISignInSettings, prefix="hdnd.signin")
    signin.install(api.portal.get())


def to_1006(context):
    """1005 -> 1006: the second factor, password history and expiry, and
    session limits (the guard checks session tickets; REST tokens are kept
    server-side). Registering the interface again adds the new settings and
    keeps the ones already set. The control panel of these settings and
    each person's "Sign-in security" link."""
    to_1005(context)
    reimport("controlpanel", "actions")(context)


def to_1007(context):
    """1006 -> 1007: one gate for grants. The site's role and group stores
    become hdnd's guarded ones (their data kept), and what was stored before
    the gate is taken away: cleared roles given site-wide, SecurityOfficer or
    a cleared role given as a local role by hand (each audited)."""
    from hdnd.content import grants

    portal = api.portal.get()
    setuphandlers.ensure_grants_gate(portal)
    grants.cleanup(portal)


def to_1008(context):
    """1007 -> 1008: REST tokens read strictly (issue 18): the sign-in guard
    extracts them in place of plone.restapi's plugin, which took the last word
    of any "Bearer …" header as the token (sessions.py)."""
    from hdnd.policy.signin import sessions

    sessions.install(api.portal.get())


def to_1009(context):
    """1008 -> 1009: no write hot spot in the big sections (issue 21): van-ban,
    ho-so and phien-hop become unordered (plone.folder's "unordered" ordering),
    their stored order of every id dropped; the catalog's position index of
    their items is refreshed (it now says nothing)."""
    from hdnd.content import sections
    from hdnd.policy.structure import SITE_STRUCTURE

    portal = api.portal.get()
    catalog = api.portal.get_tool("portal_catalog")
    for section in SITE_STRUCTURE:
        folder = portal.get(section.id)
        if section.ordered or folder is None:
            continue
        if sections.adopt(portal, section.id):
            path = "/".join(folder.getPhysicalPath())
            for brain in catalog.unrestrictedSearchResults(path={"query": path, "depth": 1}):
                obj = brain._unrestrictedGetObject()
                obj.reindexObject(idxs=["getObjPositionInParent"])


def to_1010(context):
    """1009 -> 1010: each person's inbox (issue 20): its tab first in the
    navigation; and every host name themed (Plone leaves 127.0.0.1, the
    address `make run` prints, unthemed)."""
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-hdnd.policy:default", "actions", run_dependencies=False)
    api.portal.set_registry_record("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist", [])


def to_1011(context):
    """1010 -> 1011: the big sections (van-ban, ho-so, phien-hop) become
    hdnd.content.sections.BigSection, a Folder that is not modified nor
    reindexed when an item comes or goes (issue 21; it replaces a patch of
    plone.dexterity's reindexOnModify). Unordered as from 1009."""
    from hdnd.content import sections
    from hdnd.policy.structure import SITE_STRUCTURE

    portal = api.portal.get()
    for section in SITE_STRUCTURE:
        if not section.ordered and section.id in portal.objectIds():
            sections.adopt(portal, section.id)


def to_1012(context):
    """1011 -> 1012: the full-text indexes give every word its own IIBTree
    (hdnd.content.catalogwrites, issue 21): a bucket of the index that held
    a word's documents as a dict could not be merged, so two creates at once
    conflicted, the load test's only conflicts that outlasted Zope's retries."""
    from hdnd.content import catalogwrites

    catalogwrites.adopt_text_indexes(api.portal.get_tool("portal_catalog"))


def to_1013(context):
    """1012 -> 1013: the catalog's path index becomes hdnd's QuietPathIndex
    (hdnd.content.catalogwrites, issue 21): a reindex at an unchanged path
    no longer re-inserts the document into every set of its path, which
    read those sets as current and made every registration conflict with
    the documents created in the same section at the same moment."""
    from hdnd.content import catalogwrites

    catalogwrites.adopt_path_index(api.portal.get_tool("portal_catalog"))


def to_1014(context):
    """1013 -> 1014: what a GET wrote once (issue 21) is written now: the
    settings of every portlet already assigned (plone.portlets made them on
    the first page that showed the portlet), and the password record of
    every account of Plone's own that has none (the sign-in guard noted it
    on the account's first sign-in, which may be a GET)."""
    from hdnd.policy import portlets
    from hdnd.policy.signin import plugin

    portal = api.portal.get()
    portlets.settle_existing(portal)
    plugin.note_existing_accounts(portal)


def to_1015(context):
    """1014 -> 1015: the catalog's metadata records move into a tree at
    BTrees' own bucket size (hdnd.content.catalogwrites.MetadataTree, issue
    21): with the wider buckets a search for one exact number loaded ~120
    records (~84 KB, ~6 ms) to show one."""
    from hdnd.content import catalogwrites

    catalogwrites.adopt_metadata_tree(api.portal.get_tool("portal_catalog"))


def to_1016(context):
    """1015 -> 1016: the settings of portlets assigned on items deeper than a
    section (a dossier's own column), which 1014 did not reach: put there
    before portlets got their settings when added, they were still made by
    the first page that showed them (issue 21: a GET never writes). Loads
    every item once."""
    from hdnd.policy import portlets

    portlets.settle_existing(api.portal.get(), deep=True)


def to_1017(context):
    """1016 -> 1017: the catalog's inner catalog becomes a
    MetadataTreeCatalog (hdnd.content.catalogwrites), whose clear makes a
    MetadataTree again: a clear-and-rebuild (clearFindAndRebuild,
    manage_catalogRebuild, manage_catalogClear) made a plain IOBTree, 240
    wide, undoing 1015; a catalog rebuilt since 1015 gets its tree back."""
    from hdnd.content import catalogwrites

    catalogwrites.adopt_metadata_tree(api.portal.get_tool("portal_catalog"))
