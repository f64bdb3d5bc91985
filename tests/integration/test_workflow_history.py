"""The workflow history right for every type (issue 19): each step is in
``@workflow`` and ``@history`` as soon as it is taken, ``@workflow/<transition>``
answers with the state reached and the action taken, no entry embeds copies of
the earlier ones, and upgrade 1005 repairs the histories stored before."""

from hdnd.content.workflows.definitions import WORKFLOWS
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID

import json
import pytest
import transaction


JSON = {"Accept": "application/json"}
CONTENT = "hdnd.content:default"


def test_every_hdnd_workflow_reads_the_history_and_never_stores_it(portal):
    """As in Plone's own workflows: review_history is computed when read,
    action, actor, comments and time are stored with each step."""
    tool = api.portal.get_tool("portal_workflow")
    for definition in WORKFLOWS:
        variables = tool[definition.id].variables
        history = variables["review_history"]
        assert (history.for_status, history.update_always) == (False, False), definition.id
        for name in ("action", "actor", "comments", "time"):
            assert variables[name].for_status and variables[name].update_always, (definition.id, name)


@pytest.mark.parametrize("portal_type, container, fields, steps", [
    ("OfficialDocument", "van-ban", {"direction": "outgoing", "document_type": "TB"}, ("submit", "approve")),
    ("OfficialDocument", "van-ban", {"direction": "incoming", "symbol": "36-CT/TU", "issuing_body": "Thành ủy",
                                     "issue_date": "2026-11-20"}, ("register", "return_to_sender")),
    ("Dossier", "ho-so", {}, ("start", "submit")),
])
def test_each_step_is_the_last_entry_at_once_and_embeds_nothing(portal, portal_type, container, fields, steps):
    from datetime import date

    setRoles(portal, TEST_USER_ID, ["Manager"])
    values = {k: date.fromisoformat(v) if k == "issue_date" else v for k, v in fields.items()}
    obj = api.content.create(container=portal[container], type=portal_type, title="Lịch sử", **values)
    tool = api.portal.get_tool("portal_workflow")
    for n, step in enumerate(steps, start=2):
        tool.doActionFor(obj, step, comment=f"bước {step}")
        history = tool.getInfoFor(obj, "review_history")
        assert len(history) == n
        assert (history[-1]["action"], history[-1]["comments"]) == (step, f"bước {step}")
        assert history[-1]["review_state"] == api.content.get_state(obj)
    [(wf_id, entries)] = [(k, v) for k, v in obj.workflow_history.items() if k.startswith("hdnd_")]
    assert [e["action"] for e in entries] == [None, *steps]
    assert not any("review_history" in e for e in entries)


def test_rest_transition_answers_the_state_reached_and_history_is_whole(functional_portal, request_factory):
    """A draft submitted with a comment and approved, as the Zope
    administrator: ``@workflow/submit`` answers review/submit (not draft/None),
    ``@workflow`` and ``@history`` end with the approval, and ``@history``
    answers (it failed with "unhashable type: 'dict'")."""
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    created = admin.post(f"{functional_portal.absolute_url()}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "outgoing", "document_type": "TB",
        "title": "Thông báo lịch làm việc tháng 12/2026"})
    assert created.status_code == 201, created.text
    url = created.json()["@id"]

    submitted = admin.post(f"{url}/@workflow/submit", headers=JSON, json={"comment": "Kính trình chánh văn phòng"})
    assert submitted.status_code == 200, submitted.text
    answer = submitted.json()
    assert (answer["review_state"], answer["action"]) == ("review", "submit")
    assert answer["comments"] == "Kính trình chánh văn phòng" and answer["title"]
    approved = admin.post(f"{url}/@workflow/approve", headers=JSON, json={})
    assert (approved.json()["review_state"], approved.json()["action"]) == ("format_check", "approve")

    workflow = admin.get(f"{url}/@workflow", headers=JSON).json()
    assert [h["action"] for h in workflow["history"]] == [None, "submit", "approve"]
    assert workflow["state"]["id"] == "format_check"
    history = admin.get(f"{url}/@history", headers=JSON)
    assert history.status_code == 200, history.text
    steps = [h for h in history.json() if h["type"] == "workflow"]
    assert steps[0]["transition_title"]  # the latest first, as plone.restapi lists them
    assert [h["review_state"] for h in steps][:2] == ["format_check", "review"]

    transaction.begin()
    entries = functional_portal["van-ban"][url.rsplit("/", 1)[-1]].workflow_history["hdnd_outgoing_workflow"]
    assert len(entries) == 3 and not any("review_history" in e for e in entries)
    sizes = [len(json.dumps(e, default=str)) for e in entries]
    assert max(sizes) - min(sizes) < 100  # an entry no longer grows with the history before it


def old_history(steps):
    """A history as the former definition stored it: each entry with copies
    of all earlier ones, themselves with theirs."""
    entries = []
    for n, (action, state) in enumerate(steps):
        entry = {"action": action, "actor": "vanthu", "comments": f"c{n}", "review_state": state,
                 "time": f"2026/11/{20 + n}"}
        if n:
            entry["review_history"] = [dict(e) for e in entries]
        entries.append(entry)
    return tuple(entries)


def test_upgrade_1005_repairs_every_history_and_keeps_every_entry(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    tool = api.portal.get_tool("portal_workflow")
    setup = api.portal.get_tool("portal_setup")
    dossier = api.content.create(container=portal["ho-so"], type="Dossier", title="Hồ sơ cũ")
    task = api.content.create(container=dossier, type="Task", title="Nhiệm vụ cũ")
    incoming = api.content.create(container=portal["van-ban"], type="OfficialDocument", title="Văn bản cũ",
                                  direction="incoming")
    old = {
        dossier: ("hdnd_dossier_workflow", old_history([(None, "open"), ("start", "in_progress"),
                                                        ("submit", "submitted"), ("decide", "decided")])),
        task: ("hdnd_task_workflow", old_history([(None, "assigned"), ("start", "in_progress")])),
        incoming: ("hdnd_incoming_workflow", old_history([(None, "received"), ("register", "registered"),
                                                          ("assign", "assigned")])),
    }
    for obj, (wf_id, entries) in old.items():
        obj.workflow_history[wf_id] = entries
        # Another workflow's history (not hdnd's) is left as it is.
        obj.workflow_history["plone_workflow"] = ({"action": None, "review_state": "private",
                                                   "review_history": []},)
    assert len(json.dumps(old[dossier][1])) > 600  # copies of copies
    for definition in WORKFLOWS:  # the former definition
        variable = tool[definition.id].variables["review_history"]
        variable.for_status = variable.update_always = True
    setup.setLastVersionForProfile(CONTENT, "1004")

    setup.upgradeProfile(CONTENT, "1005")

    assert setup.getLastVersionForProfile(CONTENT) == ("1005",)
    for definition in WORKFLOWS:
        assert tool[definition.id].variables["review_history"].for_status is False
    for obj, (wf_id, entries) in old.items():
        repaired = obj.workflow_history[wf_id]
        assert [(e["action"], e["review_state"], e["comments"]) for e in repaired] == [
            (e["action"], e["review_state"], e["comments"]) for e in entries]
        assert not any("review_history" in e for e in repaired)
        assert obj.workflow_history["plone_workflow"][0]["review_history"] == []
        # The history reads whole again, ending with its last step.
        assert tool.getInfoFor(obj, "review_history")[-1]["action"] == entries[-1]["action"]
    assert len(json.dumps(dossier.workflow_history["hdnd_dossier_workflow"])) < 450
