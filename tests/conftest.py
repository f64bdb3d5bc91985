"""Shared test set-up. Plone layers live in tests/integration/conftest.py so
that the plain-Python unit tests import no Zope at all."""

import os


# Compile the .po catalogs when Zope loads them (as the deployment profiles do).
os.environ.setdefault("zope_i18n_compile_mo_files", "true")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def mets_schema():
    """The METS schema (shipped with metsrw), its XLink import read from
    tests/resources instead of loc.gov: validation works offline."""
    from pathlib import Path

    import lxml.etree
    import metsrw

    xlink = str(Path(__file__).parent / "resources" / "xlink.xsd")

    class Local(lxml.etree.Resolver):
        def resolve(self, url, pubid, context):
            return self.resolve_filename(xlink, context) if url.endswith("xlink.xsd") else None

    parser = lxml.etree.XMLParser()
    parser.resolvers.add(Local())
    schema = Path(metsrw.__file__).parent / "resources" / "mets.xsd"
    return lxml.etree.XMLSchema(lxml.etree.parse(str(schema), parser))


@pytest.fixture(scope="session")
def eark():
    """Run the E-ARK reference validator (eark-validator, pinned in
    constraints-validators.txt) on a package: ``eark(path)`` gives its
    findings (dicts with level, rule, message). It lives in its own venv
    (.venv-validators, made by `make validators`, or here if missing)
    because it pins lxml 5.1.0 against Plone's lxml 6, and runs offline
    with the vocabularies it ships (hdnd/content/core/earkcheck.py)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from hdnd.content.core import earkcheck

    top = Path(__file__).resolve().parent.parent
    venv = Path(os.environ.get("HDND_VALIDATORS_VENV", top / ".venv-validators"))
    python = venv / "bin" / "python"
    if not (venv / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-c", str(top / "constraints-validators.txt"),
                        "eark-validator"], check=True)
        (venv / ".installed").touch()

    def run(path):
        done = subprocess.run([str(python), earkcheck.__file__, str(path)], capture_output=True, text=True,
                              timeout=300)
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        assert lines and "summary" in lines[-1], done.stdout + done.stderr
        return lines[:-1]

    run.python = python
    return run


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    """A PKCS#11 token (SoftHSM, Debian's softhsm2) for the whole run: one
    token ``hdnd`` (PIN 1234); ``put(p12, passphrase, label)`` stores a key
    and its certificate on it. One per run, because the PKCS#11 library reads
    its configuration once per process."""
    import subprocess

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "hdnd", "--pin", "1234", "--so-pin", "5678"],
                   check=True, capture_output=True)

    def put(p12, passphrase, label, id):
        import pkcs11
        from pkcs11 import Attribute
        from pkcs11 import CertificateType
        from pkcs11 import ObjectClass

        key, certificate, _others = pkcs12.load_key_and_certificates(p12, passphrase.encode())
        pem = root / f"{label}.pem"
        pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "hdnd", "--label", label, "--id", id,
                        "--pin", "1234"], check=True, capture_output=True)
        pem.unlink()  # the key lives on the token only
        token = pkcs11.lib(SOFTHSM).get_token(token_label="hdnd")
        with token.open(rw=True, user_pin="1234") as session:
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: bytes.fromhex(id),
                Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: certificate.subject.public_bytes(),
            })
        return f"pkcs11:module={SOFTHSM};token=hdnd;object={label}"

    return put
