"""Generate buildout's versions.cfg from constraints.txt (stdlib only).

constraints.txt is the single source of pins; versions.cfg is its buildout
form, so pip and buildout install the same versions.  Usage, from the repo root:

    python scripts/versions_cfg.py            # write versions.cfg
    python scripts/versions_cfg.py --check    # exit 1 if versions.cfg is stale
    python scripts/versions_cfg.py -          # print to stdout

tests/test_buildout.py fails when versions.cfg and constraints.txt drift apart.
"""

import re
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
VERSIONS_CFG = ROOT / "versions.cfg"

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")

# zc.buildout canonicalises [versions] keys when it looks a pin up, so
# `plone-app-testing = 8.0.2` pins plone.app.testing.  Two keys are the
# exception: before that, buildout tests `'zc.buildout' in versions` and
# `'zc.recipe.egg' in versions` literally and, when absent, adds a default
# `>=` constraint under the dotted name, which then overrides our pin.
# So those two are written with the dotted spelling buildout tests for.
SPELLING = {
    "zc-buildout": "zc.buildout",
    "zc-recipe-egg": "zc.recipe.egg",
}

HEADER = """\
# Generated from constraints.txt by `python scripts/versions_cfg.py` -- do not edit.
# Change the pins in constraints.txt, then re-run the script.
"""


def parse(text):
    """Return [(name, version)] for the `name==version` lines of a constraints file."""
    pins = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if match is None:
            raise ValueError(f"constraints.txt:{number}: not a `name==version` pin: {raw!r}")
        pins.append(match.groups())
    return pins


def render(text):
    pins = parse(text)
    width = max(len(SPELLING.get(name, name)) for name, _ in pins)
    lines = [HEADER, "[versions]"]
    lines += [f"{SPELLING.get(name, name):<{width}} = {version}" for name, version in pins]
    return "\n".join(lines) + "\n"


def main(argv):
    wanted = render(CONSTRAINTS.read_text(encoding="utf-8"))
    if argv[1:] == ["-"]:
        sys.stdout.write(wanted)
    elif argv[1:] == ["--check"]:
        current = VERSIONS_CFG.read_text(encoding="utf-8") if VERSIONS_CFG.exists() else ""
        if current != wanted:
            print("versions.cfg is stale: run `python scripts/versions_cfg.py`", file=sys.stderr)
            return 1
    elif argv[1:] == []:
        VERSIONS_CFG.write_text(wanted, encoding="utf-8")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
