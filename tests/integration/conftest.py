from hdnd.content.docgen.libreoffice import stop
from hdnd.policy.testing import HDND_API_TESTING
from hdnd.policy.testing import HDND_INTEGRATION_TESTING
from hdnd.policy.testing import OFFICE_PORT
from hdnd.policy.testing import start_libreoffice
from pytest_plone import fixtures_factory

import pytest


# "functional" runs a real WSGI server, so pytest-plone's request_factory
# (REST over HTTP) works against it.
globals().update(
    fixtures_factory(
        (
            (HDND_INTEGRATION_TESTING, "integration"),
            (HDND_API_TESTING, "functional"),
        )
    )
)


@pytest.fixture(scope="session")
def libreoffice():
    """The tests' LibreOffice on 127.0.0.1 (CI installs it: these tests run, never skip)."""
    process = start_libreoffice()
    yield OFFICE_PORT
    stop(process)
