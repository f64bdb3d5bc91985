"""What happens at the transitions of the procedure, and the domain's guards
with their messages (roles are checked by the workflow itself).

A refused transition raises WorkflowException with a sentence naming what is
missing; plone.restapi answers it with a 400. The transaction is doomed
first, so that nothing done before the refusal (a number drawn) is kept.
"""

from datetime import date
from hdnd.content import numbers
from hdnd.content.core.numbering import NumberingError
from hdnd.content.i18n import _
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.globalrequest import getRequest
from zope.i18n import translate

import transaction


CLOSED_TASK_STATES = ("accepted",)
SETTLED_DOCUMENT_STATES = ("issued", "recalled", "superseded", "filed", "done", "returned", "withdrawn")


# What a step needs recorded on the item (domain §3 metadata; the README's
# procedure). Checked here, in the workflow, so that every client taking the
# step meets the one rule: REST (@workflow, @hdnd-register, @hdnd-issue), the
# state menu, the registry desk, documents received by edXML or in bulk,
# scripts and the demo data.
REQUIRED_METADATA = {
    # An incoming document: its symbol, issuing body, date of issue, subject.
    ("OfficialDocument", "register"): ("symbol", "issuing_body", "issue_date", "title"),
    # An outgoing one: the signer (name and position), type and subject; the
    # number, symbol and date of issue are given by the step itself.
    ("OfficialDocument", "issue"): ("signer", "signer_position", "document_type", "title"),
    # A dossier: its code and retention (its end date is set by the step).
    ("Dossier", "close"): ("dossier_code", "retention"),
}


class MissingMetadata(WorkflowException):
    """A refusal naming the fields (``fields``) the step needs first."""

    def __init__(self, message, fields=()):
        if isinstance(message, MissingMetadata):
            # CMF's workflow tool raises exc_type(exc) again: keep what it carried.
            message, fields = message.args[0], message.fields
        super().__init__(message, tuple(fields))
        self.fields = tuple(fields)

    def __str__(self):
        return str(self.args[0])


def missing_metadata(obj, transition):
    """The fields `transition` needs that `obj` lacks, in the rule's order."""
    missing = []
    for name in REQUIRED_METADATA.get((getattr(obj, "portal_type", None), transition), ()):
        value = getattr(obj, name, None)
        if value is None or (isinstance(value, str) and not value.strip()) or value in ((), []):
            missing.append(name)
    return missing


def refuse(message, fields=()):
    transaction.doom()
    message = translate(message, context=getRequest())
    if fields:
        raise MissingMetadata(message, fields)
    raise WorkflowException(message)


def state_of(obj):
    return api.content.get_state(obj=obj, default=None)


def before_document_transition(document, event):
    transition = event.transition.id if event.transition else None
    if transition == "assign":
        slips = [o for o in document.objectValues() if o.portal_type == "ProcessingSlip"]
        if not any(getattr(s, "lead_unit", None) for s in slips):
            refuse(_("refused_assign", default="assign: add a processing slip with a lead unit first."))
    elif transition == "register":
        from hdnd.content import signing

        missing = missing_metadata(document, "register")
        if missing:
            refuse(_("refused_register_metadata", default="register: record the document's ${fields} first.",
                     mapping={"fields": ", ".join(missing)}), fields=missing)
        broken = signing.blocking(document)
        if broken:
            who = f" ({broken['signer']})" if broken["signer"] else ""
            refuse(f"register: {broken['summary']}{who}.")
        try:
            numbers.take_arrival_number(document)
        except NumberingError as error:
            refuse(f"register: {error}")
    elif transition == "sign":
        if not document.signer:
            refuse(_("refused_sign", default="sign: the signer's name is missing (field signer)."))
        _digitally(document, "sign")
    elif transition == "withdraw":
        if not getattr(document, "recall_requested", None):
            refuse(_("refused_withdraw", default="withdraw: only when its sender asked to recall it."))
    elif transition == "issue":
        from hdnd.content.outbox import refusal

        problem = refusal(document)
        if problem:
            refuse(f"issue: {problem}")
        missing = missing_metadata(document, "issue")
        if missing:
            refuse(_("refused_issue", default="issue: a document is issued only with its ${fields}.",
                     mapping={"fields": ", ".join(missing)}), fields=missing)
        try:
            # A date of issue may come with the transition (@hdnd-issue, the
            # demo data); otherwise today.
            numbers.take_number(document, event.kwargs.get("issue_date"))
        except NumberingError as error:
            refuse(f"issue: {error}")
        _digitally(document, "issue")


def _digitally(document, transition):
    """The digital signature of the step, before the state changes: a key
    that cannot be used refuses the step with its reason."""
    from hdnd.content import signing
    from hdnd.content.archive import ArchiveError
    from hdnd.content.core.signatures import SignatureError

    try:
        (signing.on_sign if transition == "sign" else signing.on_issue)(document)
    except (SignatureError, ArchiveError) as error:
        refuse(f"{transition}: {error}")


def after_document_transition(document, event):
    if event.transition is None or event.transition.id != "issue":
        return
    # An issued document supersedes the outgoing documents it replaces.
    for relation in document.replaces or ():
        old = relation.to_object
        if old is not None and state_of(old) == "issued":
            with api.env.adopt_roles(["Manager"]):
                api.content.transition(obj=old, transition="supersede")


def before_dossier_transition(dossier, event):
    if event.transition is None or event.transition.id != "close":
        return
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(dossier.getPhysicalPath())

    def open_work(brains):
        tasks = [b for b in brains if b.portal_type == "Task" and b.review_state not in CLOSED_TASK_STATES]
        drafts = [
            b for b in brains
            if b.portal_type == "OfficialDocument" and b.direction in ("outgoing", "internal")
            and b.review_state not in SETTLED_DOCUMENT_STATES
        ]
        return tasks, drafts

    missing = missing_metadata(dossier, "close")
    if missing:
        refuse(_("refused_close_metadata", default="close: complete the dossier's ${fields} first.",
                 mapping={"fields": ", ".join(missing)}), fields=missing)
    open_tasks, drafts = open_work(catalog.unrestrictedSearchResults(path=path))
    seen_tasks, seen_drafts = open_work(catalog.searchResults(path=path))
    # Drafts filed here by reference count as the dossier's own (the README's
    # "no unissued drafts"): a closed dossier is frozen with what it references.
    from hdnd.content.archive import referenced_drafts

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


def after_dossier_transition(dossier, event):
    if event.transition is not None and event.transition.id == "close" and dossier.end_date is None:
        # Retention and transfer count from the day the work ended.
        dossier.end_date = date.today()
        dossier.reindexObject()


def before_transfer_transition(batch, event):
    if event.transition is None or event.transition.id != "accept":
        return
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


def after_transfer_transition(batch, event):
    if event.transition is None or event.transition.id != "accept":
        return
    for relation in batch.dossiers or ():
        if relation.to_object is not None:
            api.content.transition(obj=relation.to_object, transition="transfer")


DESTRUCTION_PAPERS = {"appraise": "council_minutes", "authorize": "authority_appraisal", "decide": "decision"}


def before_destruction_transition(listing, event):
    transition = event.transition.id if event.transition else None
    paper = DESTRUCTION_PAPERS.get(transition)
    if paper and not getattr(listing, paper, None):
        refuse(_("refused_destruction_paper", default="${transition}: record ${field} first.",
                 mapping={"transition": transition, "field": paper}))
    if transition == "destroy":
        from hdnd.content.archive import check_destroyable

        dossiers = [r.to_object for r in (listing.dossiers or ()) if r.to_object is not None]
        if not dossiers:
            refuse(_("refused_destruction_empty", default="destroy: the list holds no dossier."))
        for dossier in dossiers:
            try:
                check_destroyable(dossier)
            except ValueError as error:
                refuse(f"destroy: {dossier.getId()}: {error}")


def after_destruction_transition(listing, event):
    if event.transition is None or event.transition.id != "destroy":
        return
    from hdnd.content.archive import destroy

    decision = f"{listing.decision} (danh mục: {listing.title})"
    for relation in list(listing.dossiers or ()):
        if relation.to_object is not None:
            destroy(relation.to_object, decision)


def after_task_transition(task, event):
    transition = event.transition.id if event.transition else None
    if transition == "accept" and not task.completed_on:
        task.completed_on = date.today()
    elif transition == "reopen":
        task.completed_on = None
    if transition in ("accept", "reopen"):
        task.reindexObject(idxs=["completed_on"])
