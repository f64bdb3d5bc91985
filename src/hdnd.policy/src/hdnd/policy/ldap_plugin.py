"""The directory plugin's class (directory.py): imported only when
pas.plugins.ldap is installed (the ``ldap`` extra)."""

from AccessControl.class_init import InitializeClass
from hdnd.policy.signin.base import PLUGIN_ID as GUARD_ID
from node.ext.ldap.interfaces import ILDAPProps
from pas.plugins.ldap.plugin import LDAPPlugin
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin


class DirectoryPlugin(LDAPPlugin):
    """pas.plugins.ldap's plugin, whose passwords only the sign-in guard asks
    for: it is not an active authentication plugin of its own (PAS would then
    accept a locked login's right password), and pas.plugins.ldap refuses
    every password while it is not one — unless the guard guards it."""

    def is_plugin_active(self, iface):
        if iface is IAuthenticationPlugin:
            keeper = getattr(self._getPAS(), GUARD_ID, None)
            return keeper is not None and self.getId() in keeper.guarded
        return super().is_plugin_active(iface)

    @property
    def _ldap_props(self):
        """Connect twice a second apart, not three times 5 s apart (the
        class's fixed values): when the directory is down, a sign-in must
        not wait for it (Plone's own users' included)."""
        props = ILDAPProps(self)
        props.retry_max, props.retry_delay = 2, 1.0
        return props

    def enumerateUsers(self, id=None, login=None, exact_match=False, sort_by=None, max_results=None, **kw):
        """pas.plugins.ldap takes one id or login, PAS and Plone may pass
        several (``@users?query=``): one search each. (Its error would also
        keep the plugin silent for five minutes.)"""
        for name, value in (("id", id), ("login", login)):
            if value is not None and not isinstance(value, str):
                found = {}
                for one in value:
                    criteria = dict(kw, id=id, login=login, exact_match=exact_match)
                    criteria[name] = one
                    for info in self.enumerateUsers(**criteria):
                        found.setdefault(info["id"], info)
                found = sorted(found.values(), key=lambda info: info["id"])
                return found[:max_results] if max_results else found
        return super().enumerateUsers(id=id, login=login, exact_match=exact_match, sort_by=sort_by,
                                      max_results=max_results, **kw)


InitializeClass(DirectoryPlugin)
