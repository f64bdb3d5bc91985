"""Test layers of hdnd (plone.app.testing).

HDND_FIXTURE loads the ZCML of both packages and applies hdnd.policy:default
on the test site, the same profile a real site gets.
"""

from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE


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
