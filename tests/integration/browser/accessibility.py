"""axe-core in the browser tests: the pages staff meet must show no critical
and no serious violation of WCAG 2.0/2.1 A and AA (issue 20).

axe-core comes from npm, pinned in tests/axe/package.json and its lock file;
``make test`` installs it with ``npm ci`` (its cache under var/npm-cache), and
the tests read it from tests/axe/node_modules, so a run needs no network. Run
without make, the helper installs it the same way once, preferring the cache."""

from pathlib import Path

import json
import subprocess


ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "tests" / "axe"
AXE = PACKAGE / "node_modules" / "axe-core" / "axe.min.js"
CACHE = ROOT / "var" / "npm-cache"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("critical", "serious")


def axe_source():
    if not AXE.exists():
        command = ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--cache", str(CACHE)]
        done = subprocess.run(command, cwd=PACKAGE, capture_output=True, text=True)
        if done.returncode or not AXE.exists():
            raise RuntimeError(f"axe-core is not installed (make test runs {' '.join(command)} in tests/axe):\n"
                               f"{done.stdout}{done.stderr}")
    return AXE.read_text(encoding="utf-8")


def run_axe(driver, context=None, source=None):
    """Inject axe-core into the page the driver shows, run it with the WCAG
    2.0/2.1 A and AA rules and answer its violations (axe's own dicts: id,
    impact, help, nodes with target and failureSummary)."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(source or axe_source())
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(arguments[0] || document, {runOnly: {type: 'tag', values: arguments[1]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify({violations: r.violations, version: axe.version})),"
        "      e => done(JSON.stringify({error: String(e)})));",
        context, TAGS)
    result = json.loads(result)
    if "error" in result:
        raise RuntimeError(f"axe-core failed on {driver.current_url}: {result['error']}")
    return result["violations"]


def describe(violations):
    """One line a violation, then the elements concerned (their CSS path and why)."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])})")
        for node in violation["nodes"][:6]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))} — {summary[:300]}")
    return "\n".join(lines)


def failing(violations):
    return [v for v in violations if v.get("impact") in FAILING]
