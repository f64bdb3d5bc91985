"""`hdnd package verify`: an archive package (or its bag) checked on its
own, without the site or Zope."""

from hdnd.content.core.package import validators_python
from hdnd.content.core.package import verify
from pathlib import Path


def cmd_package_verify(args):
    """Check a transfer package without the site: checksums, sizes, every
    file listed, well-formed XML, METS and EAD against their schemas, the
    CSIP/SIP rules, +07:00 times; a bag's manifests; with --eark the E-ARK
    reference validator too (from the validators' venv, `make validators`)."""
    path = Path(args.path)
    if not path.is_dir():
        raise SystemExit(f"hdnd: {path} is not a folder (unzip the package first)")
    python = None
    if args.eark:
        python = validators_python()
        if python is None:
            raise SystemExit("hdnd: no E-ARK validator here: make validators (or set HDND_VALIDATORS_VENV)")
    notes = []
    problems = verify(path, eark_python=python, notes=notes)
    for note in notes:
        print(f"hdnd: note: {note}")
    for problem in problems:
        print(f"hdnd: {problem}")
    if problems:
        raise SystemExit(1)
    checked = " and the E-ARK reference validator's" if python else ""
    print(f"hdnd: {path} is sound (every file present with its SHA-256, the schemas and CSIP rules{checked})")
