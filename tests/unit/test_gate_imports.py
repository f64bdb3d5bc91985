"""The traversal gate (hdnd.content.hidden) runs on every request and every
error page: what it calls is imported with the module, not inside the
functions on each call (hdnd.content.notpages was, to avoid an import
circle that was not there: notpages imports no hdnd module; the circles
test, tests/test_import_cycles.py, counts imports inside functions too)."""

from pathlib import Path

import ast


HIDDEN = Path(__file__).resolve().parents[2] / "src/hdnd.content/src/hdnd/content/hidden.py"
PER_REQUEST = ("check", "error_view")  # the IPubAfterTraversal subscriber and the exception view


def test_the_gate_imports_nothing_per_request():
    tree = ast.parse(HIDDEN.read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(PER_REQUEST) <= set(functions)
    late = [(name, node.lineno, ast.unparse(node)) for name in PER_REQUEST
            for node in ast.walk(functions[name]) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert not late, late
