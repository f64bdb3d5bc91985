"""Guards and reactions of the records' transitions: closing a dossier,
accepting a transfer to the archive, and the steps of a destruction list."""

from datetime import date
from hdnd.content.archive import check_destroyable
from hdnd.content.archive import destroy
from hdnd.content.archive import referenced_drafts
from hdnd.content.i18n import _
from hdnd.content.transitions import dispatch
from hdnd.content.transitions import missing_metadata
from hdnd.content.transitions import refuse
from hdnd.content.transitions import state_of
from hdnd.content.transitions import transition_id
from hdnd.content.workflows.definitions import CLOSED_TASK_STATES
from hdnd.content.workflows.definitions import SETTLED_DOCUMENT_STATES
from plone import api


# --- dossiers ----------------------------------------------------------------


def _open_work(brains):
    # type name: catalog brains carry the portal_type metadata, not the objects' interfaces
    tasks = [b for b in brains if b.portal_type == "Task" and b.review_state not in CLOSED_TASK_STATES]
    drafts = [
        b for b in brains  # type name: a catalog brain, as above
        if b.portal_type == "OfficialDocument" and b.direction in ("outgoing", "internal")
        and b.review_state not in SETTLED_DOCUMENT_STATES
    ]
    return tasks, drafts


def check_close(dossier, event):
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(dossier.getPhysicalPath())
    missing = missing_metadata(dossier, "close")
    if missing:
        refuse(_("refused_close_metadata", default="close: complete the dossier's ${fields} first.",
                 mapping={"fields": ", ".join(missing)}), fields=missing)
    open_tasks, drafts = _open_work(catalog.unrestrictedSearchResults(path=path))
    seen_tasks, seen_drafts = _open_work(catalog.searchResults(path=path))
    # Drafts filed here by reference count as the dossier's own (the README's
    # "no unissued drafts"): a closed dossier is frozen with what it references.
    held = {b.getPath() for b in drafts}
    referenced = [d for d in referenced_drafts(dossier) if "/".join(d.getPhysicalPath()) not in held]
    drafts = drafts + referenced
    seen_drafts = seen_drafts + [d for d in referenced if api.user.has_permission("View", obj=d)]
    if (len(open_tasks), len(drafts)) != (len(seen_tasks), len(seen_drafts)):
        # Work the user may not see blocks the close: say so without counting it.
        refuse(_("refused_close_hidden", default="close: the dossier still has open work."))
    if open_tasks or drafts:
        refuse(
            _(
                "refused_close",
                default="close: the dossier still has ${tasks} open task(s) and ${drafts} unissued draft(s).",
                mapping={"tasks": len(open_tasks), "drafts": len(drafts)},
            )
        )


def date_the_end(dossier, event):
    if dossier.end_date is None:
        # Retention and transfer count from the day the work ended.
        dossier.end_date = date.today()
        dossier.reindexObject()


DOSSIER_GUARDS = {"close": check_close}
DOSSIER_REACTIONS = {"close": date_the_end}


# --- transfers to the archive ------------------------------------------------


def check_accept(batch, event):
    missing = [name for name in ("handover_date", "received_by") if not getattr(batch, name, None)]
    if missing:
        refuse(_("refused_accept_metadata", default="accept: the hand-over record needs ${fields}.",
                 mapping={"fields": ", ".join(missing)}))
    dossiers = [r.to_object for r in (batch.dossiers or ()) if r.to_object is not None]
    if not dossiers:
        refuse(_("refused_accept_empty", default="accept: the transfer holds no dossier."))
    open_ones = [d.getId() for d in dossiers if state_of(d) != "closed"]
    if open_ones:
        refuse(_("refused_accept_open", default="accept: only closed dossiers are transferred (${dossiers}).",
                 mapping={"dossiers": ", ".join(open_ones)}))


def transfer_dossiers(batch, event):
    for relation in batch.dossiers or ():
        if relation.to_object is not None:
            api.content.transition(obj=relation.to_object, transition="transfer")


TRANSFER_GUARDS = {"accept": check_accept}
TRANSFER_REACTIONS = {"accept": transfer_dossiers}


# --- destruction lists -------------------------------------------------------


DESTRUCTION_PAPERS = {"appraise": "council_minutes", "authorize": "authority_appraisal", "decide": "decision"}


def check_paper(listing, event):
    transition = transition_id(event)
    paper = DESTRUCTION_PAPERS[transition]
    if not getattr(listing, paper, None):
        refuse(_("refused_destruction_paper", default="${transition}: record ${field} first.",
                 mapping={"transition": transition, "field": paper}))


def check_destroy(listing, event):
    dossiers = [r.to_object for r in (listing.dossiers or ()) if r.to_object is not None]
    if not dossiers:
        refuse(_("refused_destruction_empty", default="destroy: the list holds no dossier."))
    for dossier in dossiers:
        try:
            check_destroyable(dossier)
        except ValueError as error:
            refuse(f"destroy: {dossier.getId()}: {error}")


def destroy_dossiers(listing, event):
    decision = f"{listing.decision} (danh mục: {listing.title})"
    for relation in list(listing.dossiers or ()):
        if relation.to_object is not None:
            destroy(relation.to_object, decision)


DESTRUCTION_GUARDS = dict({name: check_paper for name in DESTRUCTION_PAPERS}, destroy=check_destroy)
DESTRUCTION_REACTIONS = {"destroy": destroy_dossiers}


before_dossier = dispatch(DOSSIER_GUARDS)
after_dossier = dispatch(DOSSIER_REACTIONS)
before_transfer = dispatch(TRANSFER_GUARDS)
after_transfer = dispatch(TRANSFER_REACTIONS)
before_destruction = dispatch(DESTRUCTION_GUARDS)
after_destruction = dispatch(DESTRUCTION_REACTIONS)
