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
the terms are the ones of the validator's own release. Its METS reading is
also given whole files (see _whole_documents: it fails on packages of more
than a few hundred files otherwise).

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


def _whole_documents():
    """eark-validator 1.1.3 reads each METS file entry on iterparse's *start*
    event (MetsFiles.from_file), when its FLocat child has been parsed only
    if it lay in the same 32 KB chunk: past a few hundred files it fails with
    AttributeError. Its parses are given the whole file as one chunk, so
    every element is complete when its events come; no rule changes."""
    from lxml import etree

    iterparse = etree.iterparse

    class Whole:
        def __init__(self, path):
            self.name = str(path)
            with open(path, "rb") as stream:
                self.data = stream.read()

        def read(self, size=-1):
            data, self.data = self.data, b""
            return data

    def whole_iterparse(source, *args, **kwargs):
        if isinstance(source, (str, os.PathLike)) and os.path.isfile(source):
            source = Whole(source)
        return iterparse(source, *args, **kwargs)

    etree.iterparse = whole_iterparse


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: earkcheck.py PACKAGE", file=sys.stderr)
        return 2
    _offline_vocabularies()
    _whole_documents()
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
