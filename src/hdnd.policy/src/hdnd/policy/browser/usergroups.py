"""Plone's user control panel as hdnd's administrators see it, on this site's
layer (usergroups.zcml): the same views, with templates copied from Plone 6.2
and mended where axe-core (WCAG 2.1 AA) found them failing; Plone's code is
unchanged.

- ``@@usergroup-userprefs`` (the users and their roles): each role checkbox
  had no name (critical, one for every role of every person: 53 for three
  people); each now reads "<role> - <person>", the role in Vietnamese. The
  table, wider than a phone, made the page scroll 694 px sideways: it now
  scrolls in a box of its own, which a keyboard reaches. "Remove", "Apply
  changes" and the checkboxes' tooltips were English.
- ``@@usergroup-groupprefs`` (the groups and their roles): the same, with
  228 nameless checkboxes for the site's groups and 744 px sideways.
- ``@@usergroup-usermembership`` (a person's groups): a nameless checkbox a
  group (12 critical).
- ``@@user-information`` and ``@@user-preferences`` (one person's details):
  their tabs were list items outside any list (serious).
"""

from hdnd.content.i18n import _
from plone.app.users.browser.personalpreferences import PersonalPreferencesConfiglet
from plone.app.users.browser.userdatapanel import UserDataConfiglet
from Products.CMFPlone.controlpanel.browser.usergroups_groupsoverview import GroupsOverviewControlPanel
from Products.CMFPlone.controlpanel.browser.usergroups_usermembership import UserMembershipControlPanel
from Products.CMFPlone.controlpanel.browser.usergroups_usersoverview import UsersOverviewControlPanel
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate
from zope.i18nmessageid import Message


def _person(entry):
    """A person's (or a group's) name as the overview lists it."""
    return (entry.get("fullname") or entry.get("title") or entry.get("login") or entry.get("userid")
            or entry.get("groupid"))


class Labels:
    """Names of the overviews' checkboxes; their templates are given in usergroups.zcml."""

    def role_label(self, role, user):
        """The name of one role checkbox: the role (as Plone's column heads
        show it, translated in Plone's domain) and the person."""
        title = translate(role, domain="plone", context=self.request)
        return translate(_("label_role_of_person", default="${role} - ${person}",
                           mapping={"role": title, "person": _person(user)}), context=self.request)

    def person_label(self, kind, user):
        """The tooltip (and name) of a person's reset and remove checkboxes."""
        return translate(Message(PERSON_LABELS[kind], mapping={"person": _person(user)}), context=self.request)


PERSON_LABELS = {
    "reset": _("label_reset_password_of", default="Reset the password of ${person}"),
    "remove": _("label_remove_user", default="Remove the user ${person}"),
    "remove-group": _("label_remove_group", default="Remove the group ${person}"),
}
GROUP_LABELS = {
    "leave": _("label_leave_group", default="Take out of ${group}"),
    "join": _("label_join_group", default="Add to ${group}"),
}


class UsersOverview(Labels, UsersOverviewControlPanel):
    """The users overview."""


class UserMembership(UserMembershipControlPanel):
    """A person's groups: the checkboxes to take them out of a group or add
    them to one had no name (critical, one a group)."""

    def group_label(self, kind, group):
        return translate(Message(GROUP_LABELS[kind], mapping={"group": group}), context=self.request)


class GroupsOverview(Labels, GroupsOverviewControlPanel):
    """The groups overview: a nameless checkbox for every role of every
    group (228 for the site's groups), 744 px sideways on a phone."""


TEMPLATE = ViewPageTemplateFile("templates/account_configlet.pt")


class UserData(UserDataConfiglet):
    template = TEMPLATE


class UserPreferences(PersonalPreferencesConfiglet):
    template = TEMPLATE
