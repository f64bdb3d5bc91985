"""Access to hdnd's registry settings."""

from hdnd.content.interfaces import IOrganisationSettings
from plone.registry.interfaces import IRegistry
from Products.CMFPlone.interfaces import IPloneSiteRoot
from zope.component import adapter
from zope.component import getUtility
from zope.interface import implementer


ORGANISATION_PREFIX = "hdnd.organisation"


def organisation_settings():
    """The organisation settings of the current site (a registry proxy)."""
    registry = getUtility(IRegistry)
    return registry.forInterface(IOrganisationSettings, prefix=ORGANISATION_PREFIX)


@adapter(IPloneSiteRoot)
@implementer(IOrganisationSettings)
def site_organisation_settings(site):
    """``IOrganisationSettings(site)``: z3c.form validates the schema's
    invariants against it when a form or a REST PATCH changes only some of
    the fields."""
    return organisation_settings()
