"""Create and upgrade the hdnd Plone site, non-interactively and idempotently.

`hdnd setup` calls :func:`ensure_site` against the configured database; the
tests call it on a test database. Running it again on an existing site keeps
all data: it only applies pending upgrade steps and, if asked, fills in
missing demo data.
"""

from plone.distribution.api import site as site_api
from Products.CMFCore.utils import getToolByName
from zope.component.hooks import setSite

import logging


logger = logging.getLogger("hdnd")

SITE_ID = "hdnd"
SITE_TITLE = "Đảng đoàn HĐND Thành phố"
POLICY_PROFILE = "hdnd.policy:default"
DEMO_PROFILE = "hdnd.policy:demo"
# The isolated confidential installation (domain §5), on top of the policy.
CONFIDENTIAL_PROFILE = "hdnd.policy:confidential"
# Every hdnd profile with upgrade steps, dependencies first.
UPGRADED_PROFILES = ("hdnd.content:default", POLICY_PROFILE)


def ensure_admin(app, username, password, reset_password=False):
    """Make sure the Zope root has a Manager called `username`.

    The password is set when the user is created, or when `reset_password`
    is true (an operator gave one explicitly); otherwise it is left alone so
    that a changed password survives restarts.
    """
    users = app.acl_users  # the Zope root's plain user folder
    user = users.getUser(username)
    if user is None:
        users._doAddUser(username, password, ["Manager"], [])
        logger.info("Created Zope administrator %r", username)
    elif reset_password:
        users._doChangeUser(username, password, user.getRoles(), user.getDomains())
        logger.info("Reset the password of Zope administrator %r", username)


class SetupError(Exception):
    """A site that cannot be set up as asked (the message says why)."""


def ensure_site(app, site_id=SITE_ID, title=SITE_TITLE, demo=False, confidential=False):
    """Return ``(site, created)``: the hdnd site, created if missing; with
    ``confidential``, the confidential installation."""
    if confidential and demo:
        raise SetupError("the confidential installation takes no demo data (no --demo)")
    created = site_id not in app.objectIds()
    if created:
        logger.info("Creating Plone site %r (Classic UI)", site_id)
        site = site_api.create(
            app,
            "classic",
            {
                "site_id": site_id,
                "title": title,
                "default_language": "vi",
                "portal_timezone": "Asia/Ho_Chi_Minh",
                "setup_content": False,
            },
        )
    else:
        site = app[site_id]
    setSite(site)
    install_policy(site)
    if confidential:
        install_confidential(site, created)
    if demo:
        from hdnd.content.installation import is_confidential

        if is_confidential():
            raise SetupError("this is the confidential installation: it takes no demo data")
        setup = getToolByName(site, "portal_setup")
        logger.info("Loading demo data")
        setup.runAllImportStepsFromProfile(f"profile-{DEMO_PROFILE}")
    return site, created


def install_policy(site):
    """Install hdnd.policy on a new site, or upgrade it on an existing one."""
    setup = getToolByName(site, "portal_setup")
    installed = setup.getLastVersionForProfile(POLICY_PROFILE)
    if installed == "unknown":
        logger.info("Installing %s", POLICY_PROFILE)
        setup.runAllImportStepsFromProfile(f"profile-{POLICY_PROFILE}")
        return
    for profile in UPGRADED_PROFILES:
        if setup.listUpgrades(profile):
            version = ".".join(setup.getLastVersionForProfile(profile))
            logger.info("Upgrading %s from %s", profile, version)
            setup.upgradeProfile(profile)


def install_confidential(site, created):
    """Make a new site the confidential installation; once, so that settings
    an administrator changed later are kept. An existing main site is never
    turned into it: the confidential installation has its own machine and
    data directory."""
    setup = getToolByName(site, "portal_setup")
    if setup.getLastVersionForProfile(CONFIDENTIAL_PROFILE) != "unknown":
        return
    if not created:
        raise SetupError(
            "this data directory holds a main installation; the confidential installation "
            "needs its own machine and data directory (HDND_VAR)"
        )
    logger.info("Making %r the confidential installation (%s)", site.getId(), CONFIDENTIAL_PROFILE)
    setup.runAllImportStepsFromProfile(f"profile-{CONFIDENTIAL_PROFILE}")
