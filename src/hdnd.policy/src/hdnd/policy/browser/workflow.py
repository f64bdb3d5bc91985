"""Taking a step from the state menu: a step the procedure refuses (no
processing slip yet, no signer, a key that cannot sign…) brings the person
back to the item with the reason, instead of an error page. Nothing of the
step is kept: the refusal has doomed the transaction."""

from plone.app.content.browser.content_status_modify import ContentStatusModifyView
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.statusmessages.interfaces import IStatusMessage

import transaction


class StatusModifyView(ContentStatusModifyView):
    def __call__(self, workflow_action=None, *args, **kwargs):
        try:
            return super().__call__(workflow_action, *args, **kwargs)
        except WorkflowException as refusal:
            transaction.doom()
            # The reason is written for REST too ("assign: …"); the page says it without the step's id.
            reason = str(refusal).removeprefix(f"{workflow_action}: ")
            IStatusMessage(self.request).add(reason, type="error")
            return self.request.response.redirect(f"{self.context.absolute_url()}/view")
