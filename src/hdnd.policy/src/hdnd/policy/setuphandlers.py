"""Install steps of the hdnd site policy. Every step is idempotent: the
profile may be re-applied to a running site without duplicating anything."""

from hdnd.content import catalogwrites
from hdnd.content import sections
from hdnd.policy import portlets
from hdnd.policy import signin
from hdnd.policy.roles import OFFICE_ROLES
from hdnd.policy.roles import ROLE_OF_GROUP
from hdnd.policy.signin import plugin as signin_plugin
from hdnd.policy.structure import ADMINISTRATORS
from hdnd.policy.structure import SITE_STRUCTURE
from plone import api
from plone.base.interfaces.constrains import ENABLED
from plone.base.interfaces.constrains import ISelectableConstrainTypes
from Products.CMFPlone.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        # The demo profile is applied by `hdnd setup --demo`, never from the
        # add-ons control panel of a production site.
        return ["hdnd.policy:demo", "hdnd.policy:confidential", "hdnd.content:default"]


def post_install(context):
    """Post-install handler of hdnd.policy:default."""
    portal = api.portal.get()
    ensure_grants_gate(portal)
    ensure_groups()
    ensure_structure(portal)
    catalogwrites.adopt_text_indexes(api.portal.get_tool("portal_catalog"))
    catalogwrites.adopt_path_index(api.portal.get_tool("portal_catalog"))
    catalogwrites.adopt_metadata_tree(api.portal.get_tool("portal_catalog"))
    ensure_templates(portal)
    signin.install(portal)
    portlets.settle_existing(portal)  # Plone's own portlets: their settings now, not on a GET (issue 21)
    signin_plugin.note_existing_accounts(portal)  # accounts made before the guard: noted now, not at a first sign-in


def ensure_grants_gate(portal):
    """The site's role and group stores become hdnd's guarded ones: every
    grant of a role or membership passes one gate and is audited
    (hdnd.content.grants)."""
    from hdnd.content import grants

    grants.install(portal)


def ensure_templates(portal):
    """The office's document templates, in the templates section."""
    from hdnd.content.docgen.install import ensure_templates as install

    return install(portal["mau-van-ban"])


def ensure_groups():
    """One group per office role; only site-wide roles are given globally
    (the others on the sections, by ensure_structure)."""
    from hdnd.content import grants

    portal_roles = api.portal.get_tool("acl_users").portal_role_manager
    for office_role in OFFICE_ROLES:
        group = api.group.get(groupname=office_role.group)
        if group is None:
            group = api.group.create(
                groupname=office_role.group,
                title=office_role.title,
                description=office_role.description,
            )
        if office_role.site_wide:
            # The profile's one fixed grant of a guarded role (SecurityOfficer
            # to its own group), made as the system whoever applies the
            # profile: the grants gate lets only security officers give it.
            with grants.as_system():
                api.group.grant_roles(group=group, roles=[office_role.role])
        elif office_role.role in portal_roles.getRolesForPrincipal(group):
            # Sites from before 1003 gave every office role site-wide.
            portal_roles.removeRoleFromPrincipal(office_role.role, office_role.group)


def ensure_structure(portal):
    # As Manager: the type constraints accept only types the current user
    # may add, and an upgrade may be run by a site administrator.
    with api.env.adopt_roles(["Manager"]):
        for section in SITE_STRUCTURE:
            ensure_section(portal, section)


def ensure_section(portal, section):
    if section.id not in portal.objectIds():
        api.content.create(
            container=portal,
            type="Folder",
            id=section.id,
            title=section.title,
            description=section.description,
        )
    if not section.ordered:
        sections.adopt(portal, section.id)
    folder = portal[section.id]
    constraints = ISelectableConstrainTypes(folder)
    constraints.setConstrainTypesMode(ENABLED)
    constraints.setLocallyAllowedTypes(list(section.allowed_types))
    constraints.setImmediatelyAddableTypes(list(section.allowed_types))
    grants = dict(section.local_roles, **ADMINISTRATORS)
    for group, roles in grants.items():
        office = (ROLE_OF_GROUP[group],) if group in ROLE_OF_GROUP else ()
        folder.manage_setLocalRoles(group, sorted(set(roles) | set(office)))
    folder.reindexObjectSecurity()
