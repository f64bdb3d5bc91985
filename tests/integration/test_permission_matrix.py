"""The permission matrix: for every type, state, role and permission, the live
site gives the answer of the workflow definitions — the same definitions the
GenericSetup files and docs/permissions.md are generated from."""

from hdnd.content.clearance import set_clearance
from hdnd.content.workflows import render
from hdnd.content.workflows.definitions import CHAINS
from hdnd.content.workflows.definitions import INCOMING
from hdnd.content.workflows.definitions import OUTGOING
from hdnd.content.workflows.definitions import by_id
from hdnd.content.workflows.spec import MANAGED
from pathlib import Path
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import createContentInContainer

import datetime
import pytest


ROOT = Path(__file__).resolve().parents[2]
ROLES = (
    "DelegationLeader", "DelegationMember", "OfficeHead", "Specialist", "RegistryClerk",
    "RecordsManager", "SecurityOfficer", "Agency", "Reader", "Contributor", "Editor", "Owner",
    "Member", "Authenticated", "Anonymous", "Manager", "Site Administrator",
)
CONTAINERS = {
    "Dossier": ("ho-so", {}),
    "Task": (None, {}),
    "Meeting": ("phien-hop", {"start": datetime.datetime(2026, 3, 26, 8)}),
    "OpinionRequest": ("phien-hop", {"question": "?", "reply_deadline": datetime.datetime(2026, 4, 1, 17)}),
    "Ballot": (None, {"question": "?"}),
    "WorkProgramme": ("chuong-trinh-cong-tac", {"year": 2026}),
    "FilePlan": ("luu-tru", {"year": 2026}),
    "TransferBatch": ("luu-tru", {}),
    "DestructionList": ("luu-tru", {}),
    # Made only by importing a report (numbers.reservations), never added by hand.
    "SecretDocumentStub": ("van-ban", {"symbol": "01-TB/ĐĐHĐND", "issue_date": datetime.date(2026, 3, 2),
                                       "document_classification": "mat", "document_type": "TB",
                                       "held_at": "hdnd-mat"}),
}


def test_generated_files_match_the_definitions():
    for path, text in render.outputs(ROOT).items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `make workflows`"


def cases():
    for portal_type, chain in CHAINS.items():
        if portal_type in CONTAINERS:
            workflow = by_id(chain)
            for state in workflow.states:
                yield portal_type, None, workflow, state.id
    for direction, workflow in (("incoming", INCOMING), ("outgoing", OUTGOING), ("internal", OUTGOING)):
        for state in workflow.states:
            yield "OfficialDocument", direction, workflow, state.id


@pytest.fixture
def make(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")

    def factory(portal_type, direction):
        if portal_type == "OfficialDocument":
            return api.content.create(container=portal["van-ban"], type=portal_type, title="x",
                                      direction=direction)
        folder, fields = CONTAINERS[portal_type]
        if portal_type == "SecretDocumentStub":  # not addable in the section: as the import makes it
            return createContentInContainer(portal[folder], portal_type, checkConstraints=False, title="x",
                                            **fields)
        if folder is None:  # contained types
            parent = (
                api.content.create(container=portal["van-ban"], type="OfficialDocument", title="p")
                if portal_type == "Task"
                else api.content.create(container=portal["phien-hop"], type="Meeting", title="p",
                                        start=datetime.datetime(2026, 3, 26, 8))
            )
            return api.content.create(container=parent, type=portal_type, title="x", **fields)
        return api.content.create(container=portal[folder], type=portal_type, title="x", **fields)

    return factory


@pytest.mark.parametrize(
    "portal_type, direction, workflow, state",
    list(cases()),
    ids=[f"{c[0]}-{c[1] or ''}-{c[3]}" for c in cases()],
)
def test_matrix(make, portal_type, direction, workflow, state):
    obj = make(portal_type, direction)
    tool = api.portal.get_tool("portal_workflow")
    assert [w.id for w in tool.getWorkflowsFor(obj)] == [workflow.id]
    tool.setStatusOf(workflow.id, obj, {"review_state": state, "action": None, "actor": "test",
                                         "comments": "", "time": None})
    tool[workflow.id].updateRoleMappingsFor(obj)
    assert api.content.get_state(obj) == state
    known = {p[0] for p in obj.ac_inherited_permissions(1)}
    for permission in MANAGED:
        if permission not in known:
            continue
        granted = {r["name"] for r in obj.rolesOfPermission(permission) if r["selected"]}
        for role in ROLES:
            expected = workflow.allowed(state, permission, role)
            assert (role in granted) == expected, (permission, role, state)
        assert not obj.acquiredRolesAreUsedBy(permission)
