"""What a workflow transition does besides changing the state: the domain's
guards (refusals with a sentence naming what is missing) and reactions.

The states and transitions themselves are plain data in ``workflows/``
(who may take a step is checked by the workflow). Here:

- one module per domain holds its guards and reactions as two tables,
  ``GUARDS`` and ``REACTIONS`` (transition id -> function(obj, event)):
  :mod:`.documents`, :mod:`.records` (dossiers, transfers, destruction),
  :mod:`.tasks`, :mod:`.ballots`;
- ``configure.zcml`` beside them is the one place that registers what
  reacts to a transition (these tables, and the other packages' reactions:
  exchange status replies, the outbox, ballots, opinion requests, access
  and security);
- :func:`take` is the one way code takes a step (the registry desk,
  ``@hdnd-register``, ``@hdnd-issue``, edXML recalls), so that every client
  meets the same guards.

A refused transition raises WorkflowException with a sentence naming what is
missing; plone.restapi answers it with a 400. The transaction is doomed
first, so that nothing done before the refusal (a number drawn) is kept.
"""

from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.globalrequest import getRequest
from zope.i18n import translate

import transaction


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


def take(obj, transition, **kwargs):
    """Take ``transition`` on ``obj`` through the workflow tool, so that its
    guards and reactions run; a refusal is the guard's WorkflowException
    with its reason (plone.api would replace it with "Invalid transition").
    Keyword arguments reach the guards as the event's ``kwargs``."""
    api.portal.get_tool("portal_workflow").doActionFor(obj, transition, **kwargs)


def transition_id(event):
    return event.transition.id if event.transition is not None else None


def dispatch(table):
    """The event subscriber that runs ``table``'s function for the event's
    transition (IBefore/IAfterTransitionEvent), if it has one."""

    def subscriber(obj, event):
        function = table.get(transition_id(event))
        if function is not None:
            function(obj, event)

    return subscriber
