"""Guards and reactions of an official document's transitions (incoming and
outgoing procedures), and the two steps that give numbers: :func:`register`
and :func:`issue`, which the registry desk and the REST services call.

The numbers themselves are drawn by :mod:`hdnd.content.numbers`, which is
handed the document here and knows nothing of workflows. Withdrawing a
document is allowed only while its sender asks for it back: that rule is
the transition's condition in ``workflows/definitions.py`` (the workflow
does not offer the step otherwise), so it has no guard here.
"""

from hdnd.content import numbers
from hdnd.content import signing
from hdnd.content.archive import ArchiveError
from hdnd.content.core.numbering import NumberingError
from hdnd.content.core.signatures import SignatureError
from hdnd.content.i18n import _
from hdnd.content.outbox import refusal
from hdnd.content.transitions import dispatch
from hdnd.content.transitions import missing_metadata
from hdnd.content.transitions import refuse
from hdnd.content.transitions import state_of
from hdnd.content.transitions import take
from hdnd.content.types.processing_slip import IProcessingSlip
from plone import api


def register(document, day=None):
    """The registry's "register" step of an incoming document (REST
    ``@hdnd-register`` and the registry desk): its arrival date, then the
    workflow transition, whose guard checks the document's metadata, then
    the arrival number, drawn last."""
    if day is not None:
        document.arrival_date = day
    take(document, "register")
    # The number last, after the step's work: the counter waits only for
    # the commit (hdnd.content.numbers); the answer carries it.
    numbers.draw_last()
    return document.arrival_number


def issue(document, day=None):
    """The registry's "issue" step of an outgoing or internal document (REST
    ``@hdnd-issue``): the transition, whose guard draws the number and writes
    the symbol, dated ``day`` (else today)."""
    take(document, "issue", issue_date=day)
    return document.symbol


def check_assign(document, event):
    slips = [o for o in document.objectValues() if IProcessingSlip.providedBy(o)]
    if not any(getattr(s, "lead_unit", None) for s in slips):
        refuse(_("refused_assign", default="assign: add a processing slip with a lead unit first."))


def check_register(document, event):
    missing = missing_metadata(document, "register")
    if missing:
        refuse(_("refused_register_metadata", default="register: record the document's ${fields} first.",
                 mapping={"fields": ", ".join(missing)}), fields=missing)
    broken = signing.blocking(document)
    if broken:
        who = f" ({broken['signer']})" if broken["signer"] else ""
        refuse(f"register: {broken['summary']}{who}.")
    try:
        numbers.arrival_number_last(document)
    except NumberingError as error:
        refuse(f"register: {error}")


def check_sign(document, event):
    if not document.signer:
        refuse(_("refused_sign", default="sign: the signer's name is missing (field signer)."))
    _digitally(document, "sign")


def check_issue(document, event):
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
    try:
        (signing.on_sign if transition == "sign" else signing.on_issue)(document)
    except (SignatureError, ArchiveError) as error:
        refuse(f"{transition}: {error}")


def supersede_replaced(document, event):
    """An issued document supersedes the outgoing documents it replaces."""
    for relation in document.replaces or ():
        old = relation.to_object
        if old is not None and state_of(old) == "issued":
            with api.env.adopt_roles(["Manager"]):
                api.content.transition(obj=old, transition="supersede")


GUARDS = {
    "assign": check_assign,
    "register": check_register,
    "sign": check_sign,
    "issue": check_issue,
}
REACTIONS = {
    "issue": supersede_replaced,
}

before = dispatch(GUARDS)
after = dispatch(REACTIONS)
