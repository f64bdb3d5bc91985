"""Run the E-ARK reference validator (eark-validator, pinned in
constraints-validators.txt) on a package, offline, and print its findings as
JSON lines.

This file imports nothing of hdnd: it runs under the Python of the separate
validators' virtual environment (eark-validator pins lxml 5.1.0, Plone's
pins lxml 6), as ``<venv>/bin/python earkcheck.py PACKAGE``; hdnd's verifier
(:func:`hdnd.content.core.package.verify`) and the tests call it so.

eark-validator 1.1.3 downloads four CSIP vocabularies from
earkcsip.dilcis.eu when it is imported; the same vocabularies ship inside
the package (``eark_validator/ipxml/resources/vocabs``), and this script
answers those downloads with the shipped copies, so no network is needed and
the terms are the ones of the validator's own release.

Output: one JSON object per finding,
``{"level": "ERROR"|"WARNING"|"INFO", "rule": "CSIP12", "message": …, "location": …}``,
then ``{"summary": {"structure": …, "errors": n, "warnings": n}}``.
Exit status 0 when there is no error, 1 otherwise.
"""

import importlib.util
import io
import json
import os
import sys
import urllib.request


def _offline_vocabularies():
    spec = importlib.util.find_spec("eark_validator")
    folder = os.path.join(list(spec.submodule_search_locations)[0], "ipxml", "resources", "vocabs")
    online = urllib.request.urlopen

    def urlopen(url, *args, **kwargs):
        name = str(getattr(url, "full_url", url)).rsplit("/", 1)[-1]
        local = os.path.join(folder, name)
        if os.path.isfile(local):
            with open(local, "rb") as stream:
                return io.BytesIO(stream.read())
        raise OSError(f"eark-validator asked for {url}; only the vocabularies it ships are read (offline)")

    urllib.request.urlopen = urlopen
    return online


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: earkcheck.py PACKAGE", file=sys.stderr)
        return 2
    _offline_vocabularies()
    from pathlib import Path

    from eark_validator.packages import PackageValidator
    from eark_validator.specifications.specification import SpecificationVersion

    report = PackageValidator(Path(argv[0]), SpecificationVersion.V2_1_0).validation_report
    errors = warnings = 0
    findings = []
    for message in report.structure.messages:
        findings.append(("structure", message))
    if report.metadata is not None:
        for results in (report.metadata.schema_results, report.metadata.schematron_results):
            for message in (results.messages if results is not None else ()):
                findings.append(("metadata", message))
    for _part, message in findings:
        level = str(getattr(message.severity, "value", message.severity)).upper()
        errors += level == "ERROR"
        warnings += level in ("WARN", "WARNING")
        print(json.dumps({
            "level": level, "rule": getattr(message, "rule_id", None) or "",
            "message": getattr(message, "message", "") or "",
            "location": str(getattr(message, "location", "") or ""),
        }, ensure_ascii=False))
    structure = str(getattr(report.structure.status, "value", report.structure.status))
    print(json.dumps({"summary": {"structure": structure, "errors": errors, "warnings": warnings}}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
