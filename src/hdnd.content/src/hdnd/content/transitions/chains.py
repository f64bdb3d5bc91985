"""An official document follows the incoming or the outgoing procedure by its
direction (one type, two workflows): this adapter picks the chain."""

from hdnd.content.types.document import IOfficialDocument
from hdnd.content.workflows.definitions import INCOMING
from hdnd.content.workflows.definitions import OUTGOING
from plone.base.interfaces import IWorkflowChain
from Products.CMFCore.interfaces import IWorkflowTool
from zope.component import adapter
from zope.interface import implementer


@adapter(IOfficialDocument, IWorkflowTool)
@implementer(IWorkflowChain)
def document_chain(document, workflow_tool):
    if getattr(document, "direction", None) == "incoming":
        return (INCOMING.id,)
    return (OUTGOING.id,)
