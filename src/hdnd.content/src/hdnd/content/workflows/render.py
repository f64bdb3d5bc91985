"""Write the workflows of definitions.py as GenericSetup definitions and as
the permission table of the docs. Run `make workflows` after changing them;
a test fails when the written files and the definitions disagree."""

from hdnd.content.workflows.definitions import CHAINS
from hdnd.content.workflows.definitions import WORKFLOWS
from hdnd.content.workflows.spec import MANAGED
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr


# (id, description, expression, guard permissions, stored in each history entry)
# As Plone's own workflows: review_history is read, never stored. Stored, it
# was computed before the step was recorded (so @workflow and @history ended
# one step early) and each entry embedded copies of all earlier ones.
VARIABLES = (
    ("action", "Previous transition", "transition/getId|nothing", (), True),
    ("actor", "The ID of the user who performed the previous transition", "user/getId", (), True),
    ("comments", "Comment about the last transition",
     "python:state_change.kwargs.get('comment', '')", (), True),
    ("review_history", "Provides access to workflow history", "state_change/getHistory",
     ("Request review", "Review portal content"), False),
    ("time", "When the previous transition was performed", "state_change/getDateTime", (), True),
)


def definition_xml(workflow):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           "<!-- Generated from hdnd.content.workflows.definitions: do not edit. -->",
           f"<dc-workflow workflow_id={quoteattr(workflow.id)} title={quoteattr(workflow.title)}",
           f"             description={quoteattr(workflow.description)}",
           f"             state_variable=\"review_state\" initial_state={quoteattr(workflow.initial)}",
           "             manager_bypass=\"False\">"]
    out += [f"  <permission>{escape(p)}</permission>" for p in MANAGED]
    for state in workflow.states:
        out.append(f"  <state state_id={quoteattr(state.id)} title={quoteattr(state.title)}>")
        out.append(f"    <description>{escape(state.description)}</description>")
        for transition in workflow.transitions_from(state.id):
            out.append(f"    <exit-transition transition_id={quoteattr(transition.id)} />")
        for permission in MANAGED:
            out.append(f"    <permission-map name={quoteattr(permission)} acquired=\"False\">")
            out += [f"      <permission-role>{escape(r)}</permission-role>"
                    for r in sorted(state.roles(permission))]
            out.append("    </permission-map>")
        out.append("  </state>")
    for t in workflow.transitions:
        out.append(f"  <transition transition_id={quoteattr(t.id)} title={quoteattr(t.title)}")
        out.append(f"              new_state={quoteattr(t.target)} trigger=\"USER\"")
        out.append("              before_script=\"\" after_script=\"\">")
        out.append(f"    <description>{escape(t.description)}</description>")
        out.append(f"    <action url={quoteattr('%(content_url)s/content_status_modify?workflow_action=' + t.id)}"
                   f" category=\"workflow\" icon=\"\">{escape(t.title)}</action>")
        out.append("    <guard>")
        out += [f"      <guard-role>{escape(r)}</guard-role>" for r in t.roles + ("Manager", "Site Administrator")]
        if t.condition:
            out.append(f"      <guard-expression>{escape(t.condition)}</guard-expression>")
        out.append("    </guard>")
        out.append("  </transition>")
    for var_id, description, expression, guard_permissions, stored in VARIABLES:
        out.append(f"  <variable variable_id={quoteattr(var_id)} for_catalog=\"False\""
                   f" for_status=\"{stored}\" update_always=\"{stored}\">")
        out.append(f"    <description>{escape(description)}</description>")
        out.append(f"    <default><expression>{escape(expression)}</expression></default>")
        out.append("    <guard>")
        out += [f"      <guard-permission>{escape(p)}</guard-permission>" for p in guard_permissions]
        out.append("    </guard>")
        out.append("  </variable>")
    out.append("</dc-workflow>")
    return "\n".join(out) + "\n"


def workflows_xml():
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- Generated from hdnd.content.workflows.definitions: do not edit. -->",
           '<object name="portal_workflow" meta_type="Plone Workflow Tool">']
    out += [f'  <object name="{w.id}" meta_type="Workflow" />' for w in WORKFLOWS]
    out.append("  <bindings>")
    for portal_type, chain in CHAINS.items():
        out.append(f'    <type type_id="{portal_type}">')
        if chain:
            out.append(f'      <bound-workflow workflow_id="{chain}" />')
        out.append("    </type>")
    out.append("  </bindings>")
    out.append("</object>")
    return "\n".join(out) + "\n"


def permissions_md():
    """The readable permission table of every workflow."""
    out = ["# Workflows and permissions", "",
           "Generated from `hdnd.content.workflows.definitions` (`make workflows`): do not edit.",
           "A test checks the live site against the same definitions, for every type, state,",
           "role and permission. `see` is View, Access contents information and List folder",
           "contents; `edit` is Modify portal content; `add` is Add portal content (what may be",
           "added is then decided by each type's own add permission).", "",
           "Classified items: an item whose classification (or its dossier's) is Mật, Tối mật",
           "or Tuyệt mật does not follow these tables. Its see/edit/add permissions go to the",
           "roles ClearedReader, ClearedEditor and ClearedContributor, granted only locally to",
           "the people named in its need to know whose clearance is at least its level (edit and",
           "add when their office role may do so in the item's state, as in these tables); no",
           "role held site-wide opens it, administrators' included, and nobody deletes or",
           "shares it (see docs/staff.md, Confidentiality).", ""]
    out += ["## Which workflow each type follows", "", "| type | workflow |", "|---|---|"]
    for portal_type, chain in CHAINS.items():
        if portal_type == "OfficialDocument":  # type name: the table names types and their chains
            chain = "hdnd_incoming_workflow (incoming) / hdnd_outgoing_workflow (outgoing, internal)"
        out.append(f"| {portal_type} | {chain or '(its container’s permissions)'} |")
    for workflow in WORKFLOWS:
        out += ["", f"## {workflow.id} — {workflow.title}", "", workflow.description, ""]
        out += ["| state | see | edit | add |", "|---|---|---|---|"]
        for state in workflow.states:
            cells = [", ".join(state.roles(p)) or "—" for p in ("View", "Modify portal content",
                                                                   "Add portal content")]
            out.append(f"| {state.id} ({state.title}) | " + " | ".join(cells) + " |")
        if workflow.transitions:
            out += ["", "| transition | from | to | who | rule |", "|---|---|---|---|---|"]
            for t in workflow.transitions:
                out.append(f"| {t.id} ({t.title}) | {', '.join(t.source)} | {t.target} | "
                           f"{', '.join(t.roles)} | {t.description or ''} |")
    return "\n".join(out) + "\n"


def outputs(root):
    """{path: text} of every generated file, relative to the repository `root`."""
    profile = root / "src/hdnd.content/src/hdnd/content/profiles/default"
    files = {profile / "workflows.xml": workflows_xml(), root / "docs/permissions.md": permissions_md()}
    for workflow in WORKFLOWS:
        files[profile / "workflows" / workflow.id / "definition.xml"] = definition_xml(workflow)
    return files


if __name__ == "__main__":
    import pathlib
    import sys

    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for path, text in outputs(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
