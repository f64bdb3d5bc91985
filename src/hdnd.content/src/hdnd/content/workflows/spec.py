"""The shape of a workflow as people read it: states, who may do what in
each, and transitions with who may take them. Plain Python: the GenericSetup
definitions, the permission table in the docs and the permission-matrix test
are all generated from the same objects (see definitions.py)."""

from dataclasses import dataclass
from dataclasses import field


VIEW = "View"
ACCESS = "Access contents information"
MODIFY = "Modify portal content"
ADD = "Add portal content"
LIST = "List folder contents"
MANAGED = (VIEW, ACCESS, LIST, MODIFY, ADD)


@dataclass(frozen=True)
class State:
    id: str
    title: str  # Vietnamese, as the office says it
    description: str
    see: tuple  # roles with View, Access contents information, List folder contents
    edit: tuple = ()  # roles with Modify portal content
    add: tuple = ()  # roles with Add portal content (the type's add permission decides what)

    def roles(self, permission):
        if permission in (VIEW, ACCESS, LIST):
            return self.see
        if permission == MODIFY:
            return self.edit
        if permission == ADD:
            return self.add
        raise KeyError(permission)


@dataclass(frozen=True)
class Transition:
    id: str
    title: str
    source: tuple
    target: str
    roles: tuple  # who may take it (the domain's own guards, in Python: docs/developers.md, Guards)
    description: str = ""
    # A TALES guard expression: the transition is not even offered unless it
    # holds (for conditions that are not refusals, e.g. a recall was asked).
    condition: str = ""
    # Taken when something went wrong or changed (send back, return, reopen,
    # recall…): nobody's work waits on it (the dashboard's "waiting for me").
    exception: bool = False


@dataclass(frozen=True)
class Workflow:
    id: str
    title: str
    description: str
    initial: str
    states: tuple
    transitions: tuple
    types: tuple = field(default=())

    def state(self, state_id):
        return next(s for s in self.states if s.id == state_id)

    def allowed(self, state_id, permission, role):
        """The expected answer of the permission matrix."""
        return role in self.state(state_id).roles(permission)

    def transitions_from(self, state_id):
        return [t for t in self.transitions if state_id in t.source]
