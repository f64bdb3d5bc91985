"""schemathesis (an independent tool) against ``@hdnd-openapi`` on a real
running site: the demo office in the test layer's WSGI server, with real
item paths, as the administrator, as the registry clerk and as an agency's
exchange token. Every answer must be no server error, documented by its
status code, media type and schema. The figures (operations, examples,
failures) are printed in the test output.

schemathesis and its dependencies install into the project's venv with the
project's pins (``constraints.txt``, the ``test`` extra); it runs as its
own process (the ``st`` command line), so nothing of it is imported into
Zope and its report is the one a user of the tool would see."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.dexterity.utils import resolveDottedName
from pathlib import Path

import base64
import json
import os
import re
import subprocess
import sys
import time
import transaction


JSON = {"Accept": "application/json"}
DEMO_PASSWORD = "hdnd-demo-2026"
ST = Path(sys.executable).with_name("st")
# CI-sized: examples per operation; the whole test stays within about 3 min.
EXAMPLES = int(os.environ.get("HDND_ST_EXAMPLES", "6"))
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "schemathesis"
# No 5xx; every status code, media type, header and body as described; and
# an operation described as needing credentials refuses a request without
# them (ignored_auth: the security declared is the security it has).
CHECKS = os.environ.get("HDND_ST_CHECKS") or ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "ignored_auth"])


def registered_for():
    """(service name, method) -> the interface it is registered for, from the
    ZCML: every file of hdnd.content that registers services (services/,
    and the modules that keep theirs beside them, such as ocr.zcml)."""
    import hdnd.content

    zcml = "".join(path.read_text() for path in sorted(Path(hdnd.content.__file__).parent.rglob("*.zcml")))
    found = {}
    for tag in re.findall(r"<plone:service(.*?)/>", zcml, re.S):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        found.setdefault((attrs["name"], attrs["method"].lower()), []).append(attrs["for"])
    return found


def real_items(portal):
    """Interface of a service -> the paths of the demo items that provide it."""
    catalog = api.portal.get_tool("portal_catalog")
    prefix = "/".join(portal.getPhysicalPath()) + "/"
    by_interface = {}
    for interfaces in registered_for().values():
        for dotted in interfaces:
            if dotted not in by_interface:
                iface = resolveDottedName(dotted)
                brains = catalog.unrestrictedSearchResults(object_provides=iface.__identifier__, sort_on="path")
                by_interface[dotted] = [b.getPath()[len(prefix):] for b in brains if b.getPath().startswith(prefix)]
    return by_interface


def concrete(spec, items, visible):
    """The description with each ``{item}`` replaced by a real item of a
    type the operation is registered for, one the user can see (``visible``)
    where there is one (the agency's token sees none: its answers are the
    403s described)."""
    services = registered_for()
    paths = {}
    for path, methods in spec["paths"].items():
        if not path.startswith("/{item}"):
            paths[path] = methods
            continue
        name = path.split("/")[2]
        for method, operation in methods.items():
            candidates = [p for dotted in services[(name, method)] for p in items[dotted]]
            assert candidates, (name, method)
            item = next((p for p in candidates if visible(p)), candidates[0])
            operation = dict(operation, parameters=[p for p in operation.get("parameters", []) if p["name"] != "item"])
            paths.setdefault(path.replace("{item}", item), {})[method] = operation
    return dict(spec, paths=paths)


def run(spec, base, name, auth_header, tmp_path, extra=()):
    location = tmp_path / f"openapi-{name}.json"
    location.write_text(json.dumps(spec))
    report = tmp_path / f"report-{name}.json"
    started = time.monotonic()
    done = subprocess.run(
        [str(ST), "run", str(location), "--url", base, "-H", auth_header, "-H", "Accept: application/json", *extra,
         "--checks", CHECKS, "--max-examples", str(EXAMPLES), "--seed", "2026", "--phases", "examples,coverage,fuzzing",
         "--workers", "1", "--request-timeout", "60", "--report", "json,junit", "--report-json-path", str(report),
         "--report-junit-path", str(tmp_path / f"junit-{name}.xml"), "--no-color"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path)  # its .schemathesis cache there
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.txt").write_text(done.stdout + done.stderr)
    return done, time.monotonic() - started, report


def test_schemathesis_finds_nothing(functional_portal, request_factory, libreoffice, tmp_path, capsys):
    setup = api.portal.get_tool("portal_setup")
    setup.runAllImportStepsFromProfile("profile-hdnd.policy:demo")
    transaction.commit()
    base = functional_portal.absolute_url()
    spec = request_factory(api=False).get(f"{base}/@hdnd-openapi", headers=JSON).json()
    items = real_items(functional_portal)
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)

    def basic(user, password):
        return "Authorization: Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    results = {}
    for name in ("admin", "clerk", "agency"):
        if name == "admin":
            header = basic(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        elif name == "clerk":
            header = basic("vanthu", DEMO_PASSWORD)
        else:
            issued = admin.post(f"{base}/@hdnd-agency-token", headers=JSON, json={"userid": "ubnd-thanhpho", "days": 1})
            assert issued.status_code == 200, issued.text
            header = "Authorization: Bearer " + issued.json()["token"]
        session = request_factory(api=False)
        session.headers.update({**JSON, "Authorization": header.split(": ", 1)[1]})
        seen = {}

        def visible(path):
            if path not in seen:
                seen[path] = session.get(f"{base}/{path}").status_code == 200
            return seen[path]

        results[name] = run(concrete(spec, items, visible), base, name, header, tmp_path)
    # Every change sent with a version the item does not have (hdnd.policy.conditions):
    # each answer - a 412, or what is refused before the condition is looked at - is
    # one the description declares, with its schema.
    changes = concrete(spec, items, lambda path: True)
    changes = dict(changes, paths={path: {m: o for m, o in methods.items() if m != "get"}
                                   for path, methods in changes["paths"].items() if set(methods) - {"get"}})
    results["stale"] = run(changes, base, "stale", basic(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), tmp_path,
                           extra=("-H", 'If-Match: "0000000000000001"'))
    figures = {}
    for name, (done, seconds, report) in results.items():
        data = json.loads(report.read_text()) if report.exists() else {}
        cases = data.get("test_cases", {})
        figures[name] = {"operations": data.get("operations", {}).get("tested"),
                         "examples": cases.get("generated"), "failures": cases.get("with_failures"),
                         "errors": len(data.get("errors", ())), "seconds": round(seconds)}
    version = subprocess.run([str(ST), "--version"], capture_output=True, text=True).stdout.strip().split()[-1]
    with capsys.disabled():
        print(f"\nschemathesis {version} against @hdnd-openapi, {EXAMPLES} examples per operation, checks {CHECKS}:")
        for name, row in figures.items():
            print(f"  as {name:6}: {row['operations']} operations, {row['examples']} examples, "
                  f"{row['failures']} failures, {row['errors']} errors ({row['seconds']} s)")
        for name, (done, _seconds, _report) in results.items():
            if done.returncode:
                print(f"\n===== schemathesis as {name} =====\n" + done.stdout[-8000:])
    for name, (done, seconds, report) in results.items():
        assert done.returncode == 0 and figures[name]["failures"] == 0 and figures[name]["errors"] == 0, (
            name, figures[name], done.stdout[-3000:], done.stderr[-2000:])
        described = changes if name == "stale" else spec
        assert figures[name]["operations"] == len([m for ms in described["paths"].values() for m in ms]), figures[name]
