"""What an item is, asked of its interfaces, not of its type name (issues 20, 25).

Plain Python: every module of hdnd.content and hdnd.policy is parsed (not
imported), and each comparison (``==``, ``!=``, ``in``, ``not in``) of a
``portal_type`` — ``obj.portal_type``, ``getattr(obj, "portal_type", …)``, or
a variable named ``portal_type`` — fails this test, unless a comment saying
``# type name: <why>`` is on its line or the line above.

Why: a rule written as ``obj.portal_type == "OfficialDocument"`` leaves out a
new type that is a document too (provides ``IOfficialDocument``, from
hdnd.content.types.*, or a behavior's interface), and nothing says so; asked as
``IOfficialDocument.providedBy(obj)`` it holds for every type that provides
it. A comparison that is about the name itself keeps it, and says why: a
catalog brain (it carries the ``portal_type`` metadata, not the object's
interfaces), a type name compared with another one read from data (an
imported sheet's row), a generated table that names types.
"""

from pathlib import Path

import ast
import pytest


ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src/hdnd.content/src", ROOT / "src/hdnd.policy/src"]
MARK = "# type name:"
OPERATORS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def is_portal_type(node):
    if isinstance(node, ast.Attribute):
        return node.attr == "portal_type"
    if isinstance(node, ast.Name):
        return node.id == "portal_type"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
        return len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value == "portal_type"
    return False


def unmarked_comparisons(text, name="<source>"):
    """[(line, source line)] of the portal_type comparisons in ``text`` with no mark."""
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text, name)):
        if not isinstance(node, ast.Compare) or not any(isinstance(op, OPERATORS) for op in node.ops):
            continue
        if not any(is_portal_type(side) for side in [node.left, *node.comparators]):
            continue
        around = lines[max(node.lineno - 2, 0):node.end_lineno]
        if not any(MARK in line for line in around):
            found.append((node.lineno, lines[node.lineno - 1].strip()))
    return sorted(found)


def test_no_item_is_told_apart_by_its_type_name():
    offences = []
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")):
            for line, text in unmarked_comparisons(path.read_text(encoding="utf-8"), str(path)):
                offences.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert not offences, (
        "Ask the item's interface (IOfficialDocument.providedBy(obj), hdnd.content.types.*; "
        "plone.app.contenttypes' IFile, IFolder) instead of its portal_type, or say why the name "
        f"itself is meant with a '{MARK} …' comment on the line or the line above:\n" + "\n".join(offences))


@pytest.mark.parametrize("code", [
    'if obj.portal_type == "Task":\n    pass\n',
    'ok = getattr(aq_base(parent), "portal_type", None) in ("OfficialDocument", "Dossier")\n',
    'ok = "Ballot" != context.portal_type\n',
    'portal_type = obj.portal_type\nif portal_type not in KINDS:\n    pass\n',
    'found = [o for o in items\n         if o.portal_type == "File"]\n',
    '# type name: far above does not count\n\n\nok = obj.portal_type == "File"\n',
])
def test_the_check_finds_a_comparison_by_type_name(code):
    assert unmarked_comparisons(code)


@pytest.mark.parametrize("code", [
    'ok = obj.portal_type == "Task"  # type name: a catalog brain\n',
    '# type name: the row names the type it creates\nok = obj.portal_type != wanted\n',
    'ok = ITask.providedBy(obj)\n',
    'catalog(portal_type="Task")\n',
    'title = TITLES.get(obj.portal_type)\n',
    'ok = obj.portal_type is None\n',
])
def test_the_check_lets_pass_an_interface_a_query_or_a_marked_name(code):
    assert not unmarked_comparisons(code)
