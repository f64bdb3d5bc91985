"""Every hdnd content type has what docs/developers.md's checklist of a new
type asks (issue 25). The types are read from the profile
(hdnd.content:default's types.xml), not from a list here, so a type added
there is held to every item at once:

1. fti          types/<Type>.xml: factory, class and schema that import, a
                translated title and description
2. workflow     an entry in workflows.definitions.CHAINS ("" for none: the
                container's permissions), bound so in the generated workflows.xml
3. add          its own add permission hdnd.Add<Type>, declared in
                permissions.zcml and granted in the rolemap
4. place        somewhere to add it: a section of the site (hdnd.policy's
                structure) or a container type that allows it
5. matrix       in docs/permissions.md; a type with a workflow of its own also
                in the live permission-matrix test (its CONTAINERS)
6. classified   the hdnd.classification behavior (so the hidden gate, need to
                know and the leak probes cover it), or a recorded reason why
                it is never classified
7. upgrade      the profile version it came with (SINCE), whose upgrade step
                imports typeinfo and rolemap for sites made before
8. i18n         its title and description in the Vietnamese and English catalogs
9. docs         a row in docs/rest.md's content model

Plain Python and XML: no Zope site is made."""

from hdnd.content.workflows.definitions import CHAINS
from i18ndude.catalog import MessageCatalog
from pathlib import Path
from xml.etree import ElementTree

import ast
import functools
import importlib
import pytest
import re


ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "src/hdnd.content/src/hdnd/content"
PROFILE = CONTENT / "profiles/default"
POLICY = ROOT / "src/hdnd.policy/src/hdnd/policy"

# The profile version each type came with: its upgrade step (to that version)
# imports the types and the rolemap on sites made before. A new type: raise
# profiles/default/metadata.xml, add the step (docs/developers.md), add it here.
SINCE = {
    1000: ("Dossier", "OfficialDocument", "Task", "ProgressReport", "Meeting", "AgendaItem", "OpinionRequest",
           "Ballot", "ProcessingSlip", "WorkProgramme", "ProgrammeItem"),
    1001: ("SecretDocumentStub",),
    1002: ("FilePlan", "FilePlanHeading", "TransferBatch", "DestructionList"),
}

# Types without the hdnd.classification behavior, and why.
NEVER_CLASSIFIED = {
    "FilePlan": "the year's list of dossier headings; each dossier carries its own classification",
    "FilePlanHeading": "a heading of the file plan; the dossier it opens carries its own classification",
    "TransferBatch": "a list of closed dossiers; a classified dossier's files stay out of its package",
    "DestructionList": "a list of dossiers; each carries its own classification",
    "SecretDocumentStub": "holds only what may be known of a secret document (its number); the document lives "
                          "on the confidential installation",
}

# Types no one adds by hand: code creates them where they belong.
MADE_BY_CODE = {"SecretDocumentStub": "hdnd numbers import (numbers.reservations) puts them in van-ban"}

# Gaps the checklist found and nobody has closed yet: strict expected failures,
# so closing one turns its test red until it is removed from here.
GAPS = {}

I18N = "{http://xml.zope.org/namespaces/i18n}translate"


def types():
    root = ElementTree.parse(PROFILE / "types.xml").getroot()
    return [o.get("name") for o in root.findall("object") if o.get("meta_type") == "Dexterity FTI"]


@functools.cache
def fti(portal_type):
    root = ElementTree.parse(PROFILE / "types" / f"{portal_type}.xml").getroot()
    properties = {}
    for prop in root.findall("property"):
        elements = prop.findall("element")
        properties[prop.get("name")] = [e.get("value") for e in elements] if elements else (prop.text or "")
        if prop.get(I18N) is not None:
            properties.setdefault("translated", []).append(prop.get("name"))
    return properties


@functools.cache
def catalog(lang):
    return MessageCatalog(filename=str(CONTENT / "locales" / lang / "LC_MESSAGES" / "hdnd.po"))


def literal(path, name):
    """The value of a module-level assignment `name = <literal>` in a file."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value) if not isinstance(node.value, ast.Dict) else {
                ast.literal_eval(k): None for k in node.value.keys}
    raise LookupError(f"{name} in {path}")


def check_fti(portal_type):
    properties = fti(portal_type)
    assert properties["factory"] == portal_type
    for key in ("klass", "schema"):
        module, _, name = properties[key].rpartition(".")
        assert module.startswith("hdnd.content.types."), properties[key]
        assert hasattr(importlib.import_module(module), name), properties[key]
    assert {"title", "description"} <= set(properties.get("translated", [])), "title and description translated"


def check_workflow(portal_type):
    assert portal_type in CHAINS, f"{portal_type} has no entry in hdnd.content.workflows.definitions.CHAINS"
    bindings = ElementTree.parse(PROFILE / "workflows.xml").getroot().find("bindings")
    (bound,) = [t for t in bindings.findall("type") if t.get("type_id") == portal_type]
    assert [w.get("workflow_id") for w in bound.findall("bound-workflow")] == ([CHAINS[portal_type]]
                                                                               if CHAINS[portal_type] else [])


def check_add(portal_type):
    permission = fti(portal_type)["add_permission"]
    assert permission == f"hdnd.Add{portal_type}"
    zcml = (CONTENT / "permissions.zcml").read_text(encoding="utf-8")
    assert f'<permission id="{permission}" title="hdnd: Add {portal_type}" />' in zcml
    rolemap = ElementTree.parse(PROFILE / "rolemap.xml").getroot()
    (granted,) = [p for p in rolemap.iter("permission") if p.get("name") == f"hdnd: Add {portal_type}"]
    roles = {r.get("name") for r in granted.findall("role")}
    assert {"Manager", "Site Administrator"} <= roles
    if portal_type not in MADE_BY_CODE:
        assert roles - {"Manager", "Site Administrator"}, "no office role may add it"


def check_place(portal_type):
    if portal_type in MADE_BY_CODE:
        return
    from hdnd.policy.structure import SITE_STRUCTURE

    places = [s.id for s in SITE_STRUCTURE if portal_type in s.allowed_types]
    places += [t for t in types() if portal_type in (fti(t).get("allowed_content_types") or [])]
    assert places, f"{portal_type} can be added nowhere"


def check_matrix(portal_type):
    table = (ROOT / "docs/permissions.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| {portal_type} \| ", table, flags=re.M), f"{portal_type} not in docs/permissions.md"
    if CHAINS.get(portal_type) and portal_type != "OfficialDocument":  # documents: by direction, in the test
        containers = literal(ROOT / "tests/integration/test_permission_matrix.py", "CONTAINERS")
        assert portal_type in containers, "not in tests/integration/test_permission_matrix.py CONTAINERS"


def check_classified(portal_type):
    behaviors = fti(portal_type).get("behaviors") or []
    assert ("hdnd.classification" in behaviors) != (portal_type in NEVER_CLASSIFIED), (
        "the hdnd.classification behavior, or a reason in NEVER_CLASSIFIED (not both)")


def check_upgrade(portal_type):
    (version,) = [v for v, names in SINCE.items() if portal_type in names] or [None]
    assert version, f"{portal_type} is not in SINCE: give it the profile version it comes with"
    current = int(ElementTree.parse(PROFILE / "metadata.xml").getroot().findtext("version"))
    assert version <= current
    if version == min(SINCE):
        return  # installed with the profile
    zcml = ElementTree.parse(CONTENT / "upgrades.zcml").getroot()
    (step,) = [s for s in zcml if s.get("profile") == "hdnd.content:default" and s.get("destination") == str(version)]
    handler = step.get("handler").rpartition(".")[2]
    tree = ast.parse((CONTENT / "upgrades.py").read_text(encoding="utf-8"))
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == handler]
    imported = {n.value for n in ast.walk(function) if isinstance(n, ast.Constant)}
    assert {"typeinfo", "rolemap"} <= imported, f"upgrade step to {version} imports typeinfo and rolemap"


def check_i18n(portal_type):
    properties = fti(portal_type)
    for lang in ("vi", "en"):
        for key in ("title", "description"):
            msgid = properties[key]
            assert msgid in catalog(lang) and catalog(lang)[msgid].msgstr, f"{lang}: {msgid!r}"
    assert catalog("vi")[properties["title"]].msgstr != properties["title"], "a Vietnamese title"


def check_docs(portal_type):
    rest = (ROOT / "docs/rest.md").read_text(encoding="utf-8")
    model = rest[rest.index("## Content model"):]
    assert re.search(rf"^\| `{portal_type}`", model, flags=re.M), f"{portal_type} not in docs/rest.md's content model"


CHECKS = {name[len("check_"):]: f for name, f in globals().items() if name.startswith("check_")}


def cases():
    for portal_type in types():
        for name in CHECKS:
            marks = [pytest.mark.xfail(strict=True, reason=GAPS[portal_type, name])] if (portal_type, name) in GAPS else []
            yield pytest.param(portal_type, name, id=f"{portal_type}-{name}", marks=marks)


def test_types_are_read_from_the_profile():
    assert len(types()) >= 16 and "Dossier" in types()
    assert len(CHECKS) == 9
    assert set(NEVER_CLASSIFIED) | set(MADE_BY_CODE) | {t for t, _ in GAPS} <= set(types())
    assert {t for names in SINCE.values() for t in names} <= set(types()), "SINCE names a type the profile lacks"


@pytest.mark.parametrize("portal_type, check", list(cases()))
def test_checklist(portal_type, check):
    CHECKS[check](portal_type)
