"""``@workflow/<transition>`` that says why a transition is not possible.

plone.restapi answers a transition that is not available with CMF's bare
"No workflow provides the '${action_id}' action."; the office needs to read
which step it tried, from which state, and what it may do instead.
"""

from plone import api
from plone.restapi.services.workflow.transition import WorkflowTransition as Base


class WorkflowTransition(Base):
    def reply(self):
        if self.transition is not None and api.content.get_state(self.context, default=None):
            available = [t["id"] for t in self.wftool.getTransitionsFor(self.context)]
            if self.transition not in available:
                self.request.response.setStatus(400)
                state = api.content.get_state(self.context)
                possible = ", ".join(available) or "none"
                return {
                    "error": {
                        "type": "WorkflowException",
                        "message": f"{self.transition}: not possible for you from state "
                        f"{state} (possible: {possible}).",
                    }
                }
        return super().reply()
