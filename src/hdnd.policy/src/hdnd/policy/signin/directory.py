"""Directory sign-in: staff sign in with their LDAP / Active Directory
account (pas.plugins.ldap, the ``ldap`` extra of hdnd.policy).

``configure()`` adds (or updates) the plugin ``ldap`` in the site's
acl_users: users from the directory are found by the user search, their
full name and e-mail come from the directory, and their passwords are
checked behind the sign-in guard (``plugin``), so wrong passwords are counted
and lock the login exactly like Plone's own. Plone's own users keep working,
and keep working when the directory server is down.

A directory user gets no hdnd role by being in the directory: an
administrator adds them to hdnd groups, as for any user. With a groups base
the directory's groups are Plone groups too (read-only), which an
administrator may give roles.

The command line (``hdnd ldap configure|status``) is hdnd.policy.cli.ldap.
"""

from hdnd.policy.signin.plugin import add_guarded



PLUGIN_ID = "ldap"
PASSWORD_VARIABLE = "HDND_LDAP_BIND_PASSWORD"
# OpenLDAP's inetOrgPerson, and Active Directory's person users.
KINDS = {
    "openldap": {"login_attr": "uid", "rdn_attr": "uid", "object_class": "inetOrgPerson",
                 "user_filter": "(objectClass=inetOrgPerson)", "group_class": "groupOfNames"},
    "ad": {"login_attr": "sAMAccountName", "rdn_attr": "cn", "object_class": "user",
           "user_filter": "(&(objectCategory=person)(objectClass=user))", "group_class": "group"},
}


def available():
    try:
        import pas.plugins.ldap  # noqa: F401
    except ImportError:
        return False
    return True


def configure(portal, uri, bind_dn, bind_password, users_base, kind="openldap", login_attr=None,
              user_filter=None, fullname_attr="cn", email_attr="mail", groups_base=None,
              plugin_id=PLUGIN_ID):
    """Add or update the directory plugin and put it behind the sign-in guard."""
    # pas.plugins.ldap (and node.ext.ldap) come with the optional `ldap`
    # extra: imported only when a directory is configured.
    from hdnd.policy.ldap_plugin import DirectoryPlugin
    from node.ext.ldap.scope import SUBTREE
    from Products.PlonePAS.interfaces.group import IGroupIntrospection
    from Products.PluggableAuthService.interfaces import plugins as pas

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    preset = KINDS[kind]
    login_attr = login_attr or preset["login_attr"]
    rdn_attr = preset["rdn_attr"] if login_attr == preset["login_attr"] else login_attr
    acl_users = portal.acl_users
    if plugin_id not in acl_users.objectIds():
        acl_users._setObject(plugin_id, DirectoryPlugin(plugin_id, title="Directory sign-in (LDAP)"))
    plugin = acl_users[plugin_id]
    settings = plugin.settings
    settings.update({
        "server.uri": uri,
        "server.user": bind_dn,
        "server.password": bind_password,
        "server.conn_timeout": 5,
        "server.op_timeout": 30,
        "users.baseDN": users_base,
        "users.scope": SUBTREE,
        "users.queryFilter": user_filter or preset["user_filter"],
        "users.objectClasses": [preset["object_class"]],
        # The id is in the property sheet under its own name too (pas.plugins.ldap expects it).
        "users.attrmap": {"rdn": rdn_attr, "id": login_attr, "login": login_attr, login_attr: login_attr,
                          "fullname": fullname_attr, "email": email_attr},
        "users.memberOfSupport": False,
        "groups.baseDN": groups_base or users_base,
        "groups.scope": SUBTREE,
        "groups.queryFilter": f"(objectClass={preset['group_class']})",
        "groups.objectClasses": [preset["group_class"]],
        "groups.attrmap": {"rdn": "cn", "id": "cn", "title": "cn", "description": "description"},
    })
    plugin._p_changed = True
    for name in ("_v_ldaperror_timeout", "_v_ldaperror_msg"):  # a new server: try it at once
        plugin.__dict__.pop(name, None)
    wanted = [pas.IUserEnumerationPlugin, pas.IPropertiesPlugin]
    group_interfaces = [pas.IGroupEnumerationPlugin, pas.IGroupsPlugin, IGroupIntrospection]
    if groups_base:
        wanted += group_interfaces
    plugins = acl_users.plugins
    for interface in wanted:
        if plugin_id not in plugins.listPluginIds(interface):
            plugins.activatePlugin(interface, plugin_id)
    # The directory's name and e-mail before the empty ones Plone keeps for every user.
    plugins.movePluginsTop(pas.IPropertiesPlugin, [plugin_id])
    for interface in group_interfaces:
        if not groups_base and plugin_id in plugins.listPluginIds(interface):
            plugins.deactivatePlugin(interface, plugin_id)
    add_guarded(portal, plugin_id)
    return plugin


def status(portal, plugin_id=PLUGIN_ID):
    """Whether the directory answers, and how many users it shows:
    {"configured", "uri", "users_base", "ok", "users", "error"}."""
    from node.ext.ldap.interfaces import ILDAPGroupsConfig
    from node.ext.ldap.interfaces import ILDAPUsersConfig
    from node.ext.ldap.ugm import Ugm

    plugin = getattr(portal.acl_users, plugin_id, None)
    if plugin is None:
        return {"configured": False, "ok": False, "error": "no directory configured (hdnd ldap configure)"}
    props, users = plugin._ldap_props, ILDAPUsersConfig(plugin)
    found = {"configured": True, "uri": props.uri, "users_base": users.baseDN, "ok": False, "users": None,
             "error": None}
    try:  # directly, not through the plugin, which hides errors (and waits 5 minutes after one)
        ugm = Ugm("status", props=props, ucfg=users, gcfg=ILDAPGroupsConfig(plugin))
        found["users"] = len(ugm.users.search())
        found["ok"] = True
    except Exception as error:  # ldap.SERVER_DOWN, INVALID_CREDENTIALS, NO_SUCH_OBJECT...
        found["error"] = _describe(error)
    return found


def _describe(error):
    detail = error.args[0] if error.args else error
    if isinstance(detail, dict):
        detail = "; ".join(str(detail[key]) for key in ("desc", "info") if detail.get(key))
    return f"{type(error).__name__}: {detail}"
