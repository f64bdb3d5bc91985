"""hdnd's control panels: the organisation (who this installation serves),
the office's lists (danh mục) and sign-in security (lockout, passwords,
second factor, sessions). All are registry forms, reachable over REST as
``@controlpanels/hdnd-organisation``, ``hdnd-lists`` and ``hdnd-signin``.
"""

from hdnd.content.i18n import _
from hdnd.content.interfaces import IOrganisationSettings
from hdnd.content.interfaces import IVocabularySettings
from hdnd.content.settings import ORGANISATION_PREFIX
from hdnd.content.vocabularies import REGISTRY_PREFIX as LISTS_PREFIX
from hdnd.policy.interfaces import IHdndPolicyLayer
from hdnd.policy.interfaces import ISignInSettings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.formwidget.namedfile.widget import NamedImageFieldWidget
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

    def updateFields(self):
        super().updateFields()
        # The emblem is uploaded as Plone's site logo is (base64 in the registry).
        self.fields["emblem"].widgetFactory = NamedImageFieldWidget


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


class ListsSettingsForm(RegistryEditForm):
    schema = IVocabularySettings
    schema_prefix = LISTS_PREFIX
    label = _("label_lists_settings", default="Lists")
    description = _(
        "help_lists_settings",
        default="Document types, issuing bodies, units, urgency, classification "
        "and retention periods offered in forms and checked on input.",
    )


ListsControlPanel = layout.wrap_form(ListsSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IHdndPolicyLayer)
@implementer(IControlpanel)
class ListsConfigletPanel(RegistryConfigletPanel):
    schema = IVocabularySettings
    schema_prefix = LISTS_PREFIX
    configlet_id = "hdnd-lists"
    configlet_category_id = "plone-general"


class SignInSettingsForm(RegistryEditForm):
    schema = ISignInSettings
    schema_prefix = "hdnd.signin"
    label = _("label_signin_settings", default="Sign-in security")
    description = _(
        "help_signin_settings",
        default="Lockout after wrong passwords, password rules and expiry, who must use a second "
        "factor, and how long sessions last. Changes apply at once.",
    )


SignInControlPanel = layout.wrap_form(SignInSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IHdndPolicyLayer)
@implementer(IControlpanel)
class SignInConfigletPanel(RegistryConfigletPanel):
    schema = ISignInSettings
    schema_prefix = "hdnd.signin"
    configlet_id = "hdnd-signin"
    configlet_category_id = "plone-users"
