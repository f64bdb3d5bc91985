"""Upgrade steps of hdnd.content:default (see hdnd.policy.upgrades for the
rule: every change to the profile raises its version and adds a step)."""

from Acquisition import aq_base
from hdnd.content.security import protect
from plone import api
from Products.CMFCore.interfaces import IFolderish

import logging
import transaction


PROFILE_ID = "profile-hdnd.content:default"
logger = logging.getLogger("hdnd.content.upgrades")


def to_1001(context):
    """1000 -> 1001: the workflows of the dossier procedure, the rules of
    classified items, the installation settings and the secret document
    stub. Re-import those steps, recompute every item's permissions, then
    protect the classified ones."""
    setup = api.portal.get_tool("portal_setup")
    for step in ("rolemap", "plone.app.registry", "typeinfo", "workflow"):
        setup.runImportStepFromProfile(PROFILE_ID, step, run_dependencies=False)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        classification=["mat", "toi_mat", "tuyet_mat"]
    ):
        protect(brain._unrestrictedGetObject())


def to_1002(context):
    """1001 -> 1002: the full text of documents, dossiers and files (their
    attached PDF, DOCX and ODT, and a copy without diacritics) is searched,
    and records have a year (a search facet): add the index, reindex. The
    file plan (danh mục hồ sơ) appears: its types, workflow and add
    permissions."""
    from hdnd.content.interfaces import IVocabularySettings

    setup = api.portal.get_tool("portal_setup")
    for step in ("catalog", "rolemap", "typeinfo", "workflow"):
        setup.runImportStepFromProfile(PROFILE_ID, step, run_dependencies=False)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    # The retention schedule appears; lists an administrator edited are kept.
    api.portal.get_tool("portal_registry").registerInterface(IVocabularySettings, prefix="hdnd.vocabularies")
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type=["OfficialDocument", "Dossier", "File", "Meeting"]):
        brain._unrestrictedGetObject().reindexObject(idxs=["SearchableText", "record_year"])


def to_1003(context):
    """1002 -> 1003: exchange with other agencies by edXML, and digital
    signatures. The body's electronic organ id and contact records and the
    signing settings appear (values an administrator set are kept); incoming
    documents gain the *withdrawn* state of a recall the office accepts. No existing state changed, so no item's permissions
    need recomputing."""
    from hdnd.content.interfaces import IOrganisationSettings
    from hdnd.content.interfaces import ISigningSettings
    from hdnd.content.settings import ORGANISATION_PREFIX

    registry = api.portal.get_tool("portal_registry")
    registry.registerInterface(IOrganisationSettings, prefix=ORGANISATION_PREFIX)
    # Digital signatures: the keys and trust roots, empty (paper) until set.
    registry.registerInterface(ISigningSettings, prefix="hdnd.signing")
    api.portal.get_tool("portal_setup").runImportStepFromProfile(PROFILE_ID, "workflow", run_dependencies=False)


def to_1004(context):
    """1003 -> 1004: a dossier's default view is its page (hdnd-dossier-view:
    documents, slips, tasks, meetings, timeline). Re-import the types; a
    dossier whose layout someone chose keeps it."""
    api.portal.get_tool("portal_setup").runImportStepFromProfile(PROFILE_ID, "typeinfo", run_dependencies=False)


def strip_nested_histories(obj, workflow_ids):
    """Remove the ``review_history`` copies stored in each entry of
    ``obj``'s history under `workflow_ids`; every entry stays, in order.
    Whether anything changed."""
    histories = getattr(aq_base(obj), "workflow_history", None)
    if not histories:
        return False
    changed = False
    for wf_id in workflow_ids:
        entries = histories.get(wf_id)
        if not entries or not any("review_history" in entry for entry in entries):
            continue
        histories[wf_id] = tuple(
            {k: v for k, v in entry.items() if k != "review_history"} for entry in entries
        )
        changed = True
    if changed:
        histories._p_changed = True  # a PersistentMapping on Plone's items; a dict on old ones
        obj._p_changed = True
    return changed


def to_1005(context):
    """1004 -> 1005: the workflow history right for every type. The hdnd
    workflows stored ``review_history`` in each step (for_status): computed
    before the step was recorded, so ``@workflow/<transition>``, ``@workflow``
    and ``@history`` ended one step early, and every entry embedded copies of
    all earlier ones (``@history`` failed on some). Re-import the workflows
    (it is now read, never stored, as in Plone's own) and remove the copies
    from every item's history; every entry is kept, in order."""
    from hdnd.content.workflows.definitions import WORKFLOWS

    api.portal.get_tool("portal_setup").runImportStepFromProfile(PROFILE_ID, "workflow", run_dependencies=False)
    workflow_ids = [w.id for w in WORKFLOWS]
    portal = api.portal.get()
    repaired = 0
    # Every object, catalogued or not, classified ones included: a walk of
    # the site's containers (unrestricted: this is the upgrade, not a user).
    strip_nested_histories(portal, workflow_ids)
    todo = list(portal.contentValues())
    seen = 0
    while todo:
        obj = todo.pop()
        if strip_nested_histories(obj, workflow_ids):
            repaired += 1
        if IFolderish.providedBy(obj):
            todo.extend(obj.objectValues())
        seen += 1
        if seen % 1000 == 0:
            transaction.savepoint(optimistic=True)
    logger.info("Workflow histories repaired on %d item(s)", repaired)
    return repaired


def to_1006(context):
    """1005 -> 1006: registry clerks may add processing slips (Chuyển xử lý
    from the incoming document's page: the office's proposal; the leader
    writes the instruction and assigns). Re-import the role map."""
    api.portal.get_tool("portal_setup").runImportStepFromProfile(PROFILE_ID, "rolemap", run_dependencies=False)


def to_1007(context):
    """1006 -> 1007: the organisation settings gain the office's emblem
    (issue 20: its name and emblem in every page's header and footer).
    Re-import the registry so that the record exists; values are kept."""
    api.portal.get_tool("portal_setup").runImportStepFromProfile(PROFILE_ID, "plone.app.registry",
                                                                 run_dependencies=False)


def to_1008(context):
    """1007 -> 1008: office files are previewed from a PDF the preview
    worker makes (hdnd.content.previews, issue 20), no longer converted in
    the request that shows the page. Queue the office files filed before,
    committing every 500 items (a large site is not one transaction); the
    work page says "being prepared" until the worker has done them."""
    from hdnd.content import previews

    seen, queued = previews.queue_existing(api.portal.get(), commit=transaction.commit)
    logger.info("previews: %s documents and files looked at, %s office files queued", seen, queued)


def to_1009(context):
    """1008 -> 1009: secret document stubs follow hdnd_secret_stub_workflow
    (one state, no transition; seen by the registry clerks, the records
    managers and administrators) instead of the site's default workflow,
    under which every member of staff holding Reader on Văn bản saw them and
    whoever could publish could make them public. Import the workflows,
    put every existing stub in the new workflow's only state (whatever
    state the old one had it in: a published stub becomes unpublished),
    recompute its permissions and reindex what the catalog filters on.
    The old workflow's history stays on the stub, as history."""
    from DateTime import DateTime
    from hdnd.content.workflows.definitions import SECRET_STUB

    api.portal.get_tool("portal_setup").runImportStepFromProfile(PROFILE_ID, "workflow", run_dependencies=False)
    tool = api.portal.get_tool("portal_workflow")
    workflow = tool[SECRET_STUB.id]
    catalog = api.portal.get_tool("portal_catalog")
    moved = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="SecretDocumentStub"):
        stub = brain._unrestrictedGetObject()
        if tool.getStatusOf(SECRET_STUB.id, stub) is None:
            tool.setStatusOf(SECRET_STUB.id, stub, {
                "action": None, "actor": api.user.get_current().getId(), "time": DateTime(),
                "comments": "Upgrade 1009: the workflow of secret document stubs",
                "review_state": SECRET_STUB.initial,
            })
        workflow.updateRoleMappingsFor(stub)
        stub.reindexObject(idxs=["review_state", "allowedRolesAndUsers"])
        moved += 1
    logger.info("secret document stubs moved to %s: %d", SECRET_STUB.id, moved)
    return moved


def to_1010(context):
    """1009 -> 1010: each of hdnd's types gets an icon where Plone 6 looks
    for one (the icon resolver's contenttype/<type> records, registry/icons.xml),
    and its FTI's icon_expr names that record. Before, the navigation, folder
    contents and listings asked for contenttype/officialdocument and so on,
    found nothing and showed Plone's blank page icon. Re-import the registry
    (other records keep their values) and the types."""
    setup = api.portal.get_tool("portal_setup")
    for step in ("plone.app.registry", "typeinfo"):
        setup.runImportStepFromProfile(PROFILE_ID, step, run_dependencies=False)
