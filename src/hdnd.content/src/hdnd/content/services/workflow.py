"""``@workflow/<transition>`` that says why a transition is not possible.

plone.restapi answers a transition that is not available with CMF's bare
"No workflow provides the '${action_id}' action."; the office needs to read
which step it tried, from which state, and what it may do instead. A step
refused for missing metadata (hdnd.content.transitions.REQUIRED_METADATA) also lists the
fields, as ``errors`` [{field, message}] like hdnd's other 400s; a step taken
answers with the state reached and the action (plone.restapi's answer).
"""

from hdnd.content.transitions import MissingMetadata
from plone import api
from plone.restapi.services.workflow.transition import WorkflowTransition as Base


class WorkflowTransition(Base):
    missing = ()

    def recurse_transition(self, *args, **kwargs):
        try:
            return super().recurse_transition(*args, **kwargs)
        except MissingMetadata as refusal:
            self.missing = refusal.fields
            raise

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
        answer = super().reply()
        if self.missing and isinstance(answer, dict) and isinstance(answer.get("error"), dict):
            message = answer["error"]["message"]
            answer["error"]["errors"] = [{"field": name, "message": message} for name in self.missing]
        return answer
