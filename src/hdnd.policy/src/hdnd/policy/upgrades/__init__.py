"""Upgrade steps of hdnd.policy:default.

Every change to the profile raises the version in metadata.xml and adds a
step here, so that an existing site reaches the state of a new one with
``hdnd upgrade`` (or the add-ons control panel).
"""

from hdnd.policy import setuphandlers
from plone import api


PROFILE_ID = "profile-hdnd.policy:default"


def reimport(*step_ids):
    """Return an upgrade handler that re-imports the given steps of the profile."""

    def handler(context):
        setup = api.portal.get_tool("portal_setup")
        for step_id in step_ids:
            setup.runImportStepFromProfile(PROFILE_ID, step_id, run_dependencies=False)

    return handler


# 1000 -> 1001: organisation settings and the control panel appeared.
to_1001 = reimport("plone.app.registry", "controlpanel")


def to_1002(context):
    """1001 -> 1002: the default workflow is set by the profile, the site
    sections give the office's groups their local roles, and the lists
    control panel appeared."""
    reimport("workflow", "controlpanel")(context)
    setuphandlers.ensure_structure(api.portal.get())
