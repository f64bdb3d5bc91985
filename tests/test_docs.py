"""The documentation tells the truth about the tree it ships with:

- docs/rest.md names every operation of ``@hdnd-openapi`` (hdnd.content.openapi),
  and every ``@hdnd-…`` endpoint it names is in the description;
- every file, folder, module and ``make`` target that README.md and docs/*.md
  name in code exists (and so does every ``make`` target the code cites);
- ``make workflows`` renders what is committed;
- every link between the documents reaches an existing file and heading.

Plain Python, no Zope: milliseconds."""

from hdnd.content import openapi
from pathlib import Path

import re
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
REST = ROOT / "docs" / "rest.md"
PACKAGES = {"content": ROOT / "src/hdnd.content/src/hdnd/content", "policy": ROOT / "src/hdnd.policy/src/hdnd/policy"}
TOP = ("src/", "tests/", "bench/", "scripts/", "profiles/", "docs/", ".ci/")


def operations():
    """("GET", "/{item}/@hdnd-export"), … as the description has them."""
    return [(method.upper(), path) for path, methods in openapi.PATHS.items() for method in methods]


def endpoint_names():
    return {next(part for part in path.split("/") if part.startswith("@")) for _, path in operations()}


def test_the_rest_reference_names_every_operation_of_the_description():
    text = REST.read_text(encoding="utf-8")
    missing = [f"| `{method} {path}` | {openapi.PATHS[path][method.lower()]['summary']} | … | … |"
               for method, path in operations() if f"`{method} {path}`" not in text]
    assert operations() and not missing, "docs/rest.md, section Endpoints, lacks:\n" + "\n".join(missing)


def test_every_endpoint_the_rest_reference_names_is_described():
    named = set(re.findall(r"(?<![@\w-])@hdnd-[a-z0-9-]*[a-z0-9]", REST.read_text(encoding="utf-8")))
    assert len(named) > 30
    assert not named - endpoint_names(), f"docs/rest.md names endpoints @hdnd-openapi lacks: {sorted(named - endpoint_names())}"


def code_of(text):
    """The text inside inline code spans and fenced code blocks."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    return fenced + re.findall(r"`([^`\n]+)`", prose)


def make_targets():
    return set(re.findall(r"^([A-Za-z][\w.-]*):", (ROOT / "Makefile").read_text(), flags=re.M))


def exists(base, relative):
    relative = relative.rstrip("/")
    return bool(list(base.glob(relative))) if "*" in relative else (base / relative).exists()


def path_exists(token):
    """Whether a path-like token names something in the tree (None: not a path of ours);
    a test's node id (``tests/x.py::test_y``) names a function the file defines."""
    token = token.rstrip(".,;:)")
    if "::" in token:
        path, _, test = token.partition("::")
        found = path_exists(path)
        return found and bool(re.search(rf"^\s*def {re.escape(test)}\(", (ROOT / path).read_text(), flags=re.M))
    if "<" in token or "…" in token or "{" in token:
        return None
    if token.startswith(TOP):
        return exists(ROOT, token)
    match = re.match(r"hdnd/(content|policy)/(.+)", token)
    if match:
        return exists(PACKAGES[match.group(1)], match.group(2))
    if token.startswith("core/"):
        return exists(PACKAGES["content"], token)
    if token.startswith("locales/"):
        return any((package / token).exists() for package in PACKAGES.values())
    return None


def module_exists(dotted):
    """``hdnd.content.core.symbols``, or a name in a module (``….exchange_enabled()``)."""
    parts = dotted.rstrip("()").split(".")
    base = PACKAGES[parts[1]]
    for end in range(len(parts), 2, -1):
        path = base.joinpath(*parts[2:end])
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists() or path.is_dir():
            return end >= len(parts) - 1  # at most one name after the module
    return False


def references(text):
    for code in code_of(text):
        commands = re.sub(r"(?:^|\s)#.*$", "", code, flags=re.M)  # a shell comment's words are prose
        for target in re.findall(r"(?:^|[\s;&|(])make ([a-z][\w-]*)", commands, flags=re.M):
            yield "make", target
        for token in re.split(r"[\s'\"=(),]+", code):
            if path_exists(token) is not None:
                yield "path", token
        for dotted in re.findall(r"(?<![\w.])hdnd\.(?:content|policy)(?:\.\w+)+(?:\(\))?", code):
            yield "module", dotted


def test_every_path_module_and_make_target_the_documents_name_exists():
    targets = make_targets()
    assert {"run", "test", "workflows", "i18n", "bench"} <= targets
    wrong, seen = [], 0
    for doc in DOCS:
        for kind, name in references(doc.read_text(encoding="utf-8")):
            seen += 1
            ok = {"make": lambda n: n in targets, "path": path_exists, "module": module_exists}[kind](name)
            if not ok:
                wrong.append(f"{doc.relative_to(ROOT)}: {kind} {name}")
    assert seen > 80, seen
    assert not wrong, "\n".join(wrong)


def test_every_make_target_the_code_cites_exists():
    targets = make_targets()
    wrong = []
    for path in [*ROOT.glob("src/*/src/hdnd/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("scripts/*"),
                 ROOT / "Makefile"]:
        if path.is_file():
            for target in re.findall(r"`make ([a-z][\w-]*)`", path.read_text(encoding="utf-8", errors="replace")):
                if target not in targets:
                    wrong.append(f"{path.relative_to(ROOT)}: make {target}")
    assert not wrong, "\n".join(wrong)


def test_make_workflows_renders_what_is_committed(tmp_path):
    recipe = subprocess.run(["make", "-n", "-W", ".venv/.installed", "workflows"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    line = next(line for line in recipe.splitlines() if "hdnd.content.workflows.render" in line)
    assert line.endswith(" .")  # it writes into the working tree; here into tmp_path instead
    subprocess.run([sys.executable, "-m", "hdnd.content.workflows.render", str(tmp_path)], check=True,
                   capture_output=True)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "permissions.md" for p in written) and len(written) > 5
    for path in written:
        committed = ROOT / path.relative_to(tmp_path)
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), f"{committed} is stale"


def slug(heading):
    """GitHub's anchor of a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path):
    text = re.sub(r"^```[^\n]*\n.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {slug(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}


def test_every_link_between_the_documents_reaches_a_file_and_heading():
    wrong, seen = [], 0
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            seen += 1
            path, _, fragment = target.partition("#")
            linked = (doc.parent / path).resolve() if path else doc
            if not linked.exists():
                wrong.append(f"{doc.relative_to(ROOT)}: {target} (no such file)")
            elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
                wrong.append(f"{doc.relative_to(ROOT)}: {target} (no such heading)")
    assert seen > 30, seen
    assert not wrong, "\n".join(wrong)
