"""Test layers of hdnd (plone.app.testing).

HDND_FIXTURE loads the ZCML of both packages and applies hdnd.policy:default
on the test site, the same profile a real site gets.
"""

from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import socket
import tempfile


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The tests' own LibreOffice (started by the tests that convert documents,
# see start_libreoffice), on a free port so that a running `hdnd serve`
# does not answer in its place.
OFFICE_PORT = free_port()
OFFICE_DIR = tempfile.mkdtemp(prefix="hdnd-office-")


def start_libreoffice():
    from hdnd.content.docgen import libreoffice

    return libreoffice.start(OFFICE_PORT, OFFICE_DIR)


class HdndLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import collective.documentgenerator
        import hdnd.content
        import hdnd.policy
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=collective.documentgenerator)
        self.loadZCML(package=hdnd.content)
        self.loadZCML(package=hdnd.policy)

    def setUpPloneSite(self, portal):
        self.applyProfile(portal, "hdnd.policy:default")
        from hdnd.content.docgen import libreoffice
        from hdnd.content.docgen.install import configure_libreoffice

        configure_libreoffice(libreoffice.uno_python(f"{OFFICE_DIR}/uno"), OFFICE_PORT)


HDND_FIXTURE = HdndLayer()

HDND_INTEGRATION_TESTING = IntegrationTesting(
    bases=(HDND_FIXTURE,), name="hdnd:Integration"
)
HDND_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(HDND_FIXTURE,), name="hdnd:Functional"
)
# REST and browser tests talk HTTP to a real WSGI server (waitress).
HDND_API_TESTING = FunctionalTesting(
    bases=(HDND_FIXTURE, WSGI_SERVER_FIXTURE), name="hdnd:API"
)
