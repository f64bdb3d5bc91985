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
