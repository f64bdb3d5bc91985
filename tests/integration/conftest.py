from hdnd.policy.testing import HDND_API_TESTING
from hdnd.policy.testing import HDND_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


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
