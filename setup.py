"""hdnd: records and work management for a Party delegation office, on Plone 6.2.

The project distribution: it installs both packages (src/hdnd.content,
src/hdnd.policy), the `hdnd` command line, and the extras for the other
deployment profiles and for the tests. Install it with the pins:

    pip install -c constraints.txt -e src/hdnd.content -e src/hdnd.policy -e ".[test]"

(`make run` and `make test` do exactly that.)
"""

from setuptools import setup


setup(
    name="hdnd",
    version="0.1.0.dev0",
    description="Records and work management for a Party delegation office, on Plone 6.2",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="GPL-2.0-or-later",
    python_requires=">=3.11",
    packages=[],
    py_modules=[],
    install_requires=[
        "hdnd.content",
        "hdnd.policy",
        "ZEO",
        "setuptools<82",
    ],
    extras_require={
        # PostgreSQL through RelStorage (the `relstorage` deployment profile).
        "relstorage": ["RelStorage[postgresql]", "psycopg2"],
        # Directory sign-in (LDAP / Active Directory): `make ldap`.
        "ldap": ["hdnd.policy[ldap]"],
        "test": [
            "RelStorage[postgresql]",
            "psycopg2",
            "aiosmtpd",
            # The directory sign-in, tested against a real slapd.
            "hdnd.policy[ldap]",
            # Independent checks of archive packages: the BagIt library, and
            # the METS schema shipped with metsrw. The E-ARK reference validator
            # (eark-validator, pinned in constraints.txt and constraints-validators.txt)
            # pins lxml 5.1.0 against Plone's lxml 6, so it is not here: `make validators`
            # (or the tests' `eark` fixture) installs it in .venv-validators.
            "bagit",
            "metsrw",
            # Property-based runs against the REST endpoints (no input gives a 5xx).
            "hypothesis",
            # The REST contract: schemathesis against @hdnd-openapi on a real site, and
            # openapi-spec-validator on the description (pinned in constraints.txt).
            "schemathesis",
            "openapi-spec-validator",
            "i18ndude",
            "plone.app.testing",
            "plone.testing",
            "pytest",
            "pytest-plone",
            "requests",
            # The browser tests (tests/integration/browser) drive Debian's chromium through its chromedriver.
            "selenium",
            "zope.pytestlayer",
        ],
    },
    entry_points={"console_scripts": ["hdnd = hdnd.policy.cli:main"]},
)
