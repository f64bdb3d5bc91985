"""The organisation control panel: who this installation serves.

The same settings are reachable over REST as ``@controlpanels/hdnd-organisation``.
"""

from hdnd.content.i18n import _
from hdnd.content.interfaces import IOrganisationSettings
from hdnd.content.settings import ORGANISATION_PREFIX
from hdnd.policy.interfaces import IHdndPolicyLayer
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.restapi.controlpanels.interfaces import IControlpanel
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


class OrganisationSettingsForm(RegistryEditForm):
    schema = IOrganisationSettings
    schema_prefix = ORGANISATION_PREFIX
    label = _("label_organisation_settings", default="Organisation")
    description = _(
        "help_organisation_settings",
        default="The body this installation serves, its document symbol "
        "abbreviation and its current committee term.",
    )


OrganisationControlPanel = layout.wrap_form(
    OrganisationSettingsForm, ControlPanelFormWrapper
)


@adapter(Interface, IHdndPolicyLayer)
@implementer(IControlpanel)
class OrganisationConfigletPanel(RegistryConfigletPanel):
    schema = IOrganisationSettings
    schema_prefix = ORGANISATION_PREFIX
    configlet_id = "hdnd-organisation"
    configlet_category_id = "plone-general"
