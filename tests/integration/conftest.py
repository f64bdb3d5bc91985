from hdnd.content.docgen.libreoffice import stop
from hdnd.policy.testing import HDND_API_TESTING
from hdnd.policy.testing import HDND_INTEGRATION_TESTING
from hdnd.policy.testing import OFFICE_PORT
from hdnd.policy.testing import start_libreoffice
from plone import api
from pytest_plone import fixtures_factory

import pytest
import transaction


PASSWORD = "browser-pass-2026"  # every test person's (the browser tests sign in with it)


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


@pytest.fixture
def people(functional_portal, request_factory):
    """Create people of the office, each in a group (or none), and sign them
    in over HTTP: ``people({"vanthu-b": ("Lê Thị Ánh", "registry-clerks"),
    "tv-1": "delegation-members", "tv-2": None})`` answers ``{userid: a
    requests session as that person}`` (the plain one, not the REST API's)."""

    def create(members):
        for user, member in members.items():
            fullname, group = member if isinstance(member, tuple) else (None, member)
            api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD,
                            properties={"fullname": fullname} if fullname else None)
            if group:
                api.group.add_user(groupname=group, username=user)
        transaction.commit()
        return {user: request_factory(basic_auth=(user, PASSWORD), api=False) for user in members}

    return create
