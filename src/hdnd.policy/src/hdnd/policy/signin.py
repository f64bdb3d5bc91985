"""Sign-in guard: account lockout after repeated failures, and the password
policy (a PAS plugin, ``hdnd_signin``).

Lockout. The plugin is the site's password checker: it asks the user folders
it guards (``source_users``, an LDAP plugin when there is one) and counts
every refused password for a login name — through the login form, ``@login``
and HTTP Basic alike. After ``max_failures`` within ``window`` minutes the
login is locked for ``lock_minutes``: even the right password is refused
(with the same answer as a wrong one: the lock tells an attacker nothing).
An administrator unlocks it (``POST @hdnd-unlock``). Locks, refusals while
locked and unlocks are in the audit trail (failures through the form and
``@login`` are audited by hdnd.content). The counts are written in a
transaction of their own, because a refused request is rolled back.

Passwords. Every password set through Plone (the forms, ``@users``) is
checked: at least ``min_length`` characters, letters and digits, not the
commonest ones.
"""

from AccessControl.class_init import InitializeClass
from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from Products.PluggableAuthService.interfaces.plugins import IValidationPlugin
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from ZODB.POSException import ConflictError
from zope.interface import implementer

import logging
import re
import time
import transaction


logger = logging.getLogger("hdnd.signin")
PLUGIN_ID = "hdnd_signin"
GUARDED = ("source_users",)
_REFUSALS = {}  # login -> when a refusal while locked was last audited (this process)
SETTINGS = {"max_failures": 5, "window": 15, "lock_minutes": 30, "min_length": 12}
COMMON = {"matkhau123456", "password1234", "123456789012", "qwertyuiop12", "admin1234567", "hdnd12345678"}


def setting(name):
    from plone import api

    value = api.portal.get_registry_record(f"hdnd.signin.{name}", default=None)
    return SETTINGS[name] if value is None else value


@implementer(IAuthenticationPlugin, IValidationPlugin)
class SignInGuard(BasePlugin):
    meta_type = "hdnd Sign-in Guard"

    def __init__(self, id=PLUGIN_ID, title="hdnd sign-in guard: lockout and password policy"):
        self._setId(id)
        self.title = title
        self.guarded = GUARDED
        self.attempts = OOBTree()  # login -> {failures: [time], locked_until: time}

    # Lockout --------------------------------------------------------------------------

    def authenticateCredentials(self, credentials):
        login, password = credentials.get("login"), credentials.get("password")
        if not login or password is None:
            return None  # a token or a session ticket: not a password to count
        login = str(login)
        if self.locked_until(login):
            # Audited once a minute per login and process: a locked name
            # hammered by a script must not write on every request.
            if _REFUSALS.get(login, 0) < time.time() - 60:
                _REFUSALS[login] = time.time()
                self._audit("login_refused_locked", login)
            return None
        for plugin_id in self.guarded:
            plugin = getattr(self._getPAS(), plugin_id, None)
            if plugin is None:
                continue
            found = plugin.authenticateCredentials(credentials)
            if found:
                if login in self.attempts:
                    self._write(login, clear=True)
                return found
        if self._known(login) and self._first_time(login):
            # An account to protect (strangers' names are not kept), counted
            # once per request even when Zope retries it after a conflict.
            # The failure itself is audited by hdnd.content's subscriber where
            # the refusal is an answer (the form, @login); the lock always.
            self._write(login, failed=True)
        return None

    def _first_time(self, login):
        from zope.globalrequest import getRequest

        request = getRequest()
        if request is None:
            return True
        # The environment survives ZPublisher's retries (a new request, the same environ).
        counted = request.environ.setdefault("hdnd.signin.counted", set())
        if login in counted:
            return False
        counted.add(login)
        return True

    def _known(self, login):
        for plugin_id in self.guarded:
            plugin = getattr(self._getPAS(), plugin_id, None)
            if plugin is not None and plugin.enumerateUsers(login=login, exact_match=True):
                return True
        return False

    def locked_until(self, login):
        entry = self.attempts.get(login)
        until = entry.get("locked_until", 0) if entry else 0
        return until if until > time.time() else None

    def unlock(self, login):
        if login in self.attempts:
            self._write(login, clear=True)
            self._audit("login_unlocked", login)
            return True
        return False

    def _write(self, login, failed=False, clear=False):
        """Record in a transaction of its own: the request's is rolled back
        when the sign-in fails (401), and must not take the count with it."""
        db = self._p_jar.db() if self._p_jar is not None else None
        if db is None:  # not stored yet (a test building the plugin)
            return self._apply(self, login, failed, clear)
        manager = transaction.TransactionManager()
        site = self._getPAS().aq_parent
        for attempt in range(5):
            connection = db.open(transaction_manager=manager)
            try:
                manager.begin()
                locked = self._apply(connection.get(self._p_oid), login, failed, clear)
                if locked:  # audited with the lock, in the same transaction
                    self._audit("login_locked", login, site=connection.get(site._p_oid))
                manager.commit()
                break
            except ConflictError:  # another process counting the same login: again
                manager.abort()
                if attempt == 4:
                    logger.error("could not record the sign-in of %s", login, exc_info=True)
            except Exception:
                manager.abort()
                logger.error("could not record the sign-in of %s", login, exc_info=True)
                break
            finally:
                connection.close()

    def _apply(self, plugin, login, failed, clear):
        now = time.time()
        if clear:
            plugin.attempts.pop(login, None)
            return False
        entry = plugin.attempts.get(login) or PersistentMapping(failures=[], locked_until=0)
        window = setting("window") * 60
        entry["failures"] = [t for t in entry["failures"] if t > now - window] + [now]
        locked = len(entry["failures"]) >= setting("max_failures")
        if locked:
            entry["locked_until"] = now + setting("lock_minutes") * 60
            entry["failures"] = []
        plugin.attempts[login] = entry
        return locked

    def _audit(self, action, login, site=None):
        try:
            from hdnd.content import audit

            # ``site``: the site as another connection sees it (a separate transaction).
            audit.record(action, site, actor=login[:100], login=login[:100])
        except Exception:  # no site (a bare test) or the audit unavailable: never block a sign-in on it
            logger.info("%s %s", action, login)

    # Password policy ------------------------------------------------------------------

    def validateUserInfo(self, user, set_id, set_info):
        password = (set_info or {}).get("password")
        if password is None:
            return []
        problems = password_problems(password, login=set_id or (user.getUserName() if user else ""))
        return [{"id": "password", "error": problem} for problem in problems]


def password_problems(password, login="", min_length=None):
    """What is wrong with a new password (English sentences; [] if none)."""
    min_length = min_length or setting("min_length")
    problems = []
    if len(password) < min_length:
        problems.append(f"A password needs at least {min_length} characters.")
    if not (re.search(r"[^\W\d_]", password) and re.search(r"\d", password)):
        problems.append("A password needs letters and digits.")
    if password.lower() in COMMON or (login and login.lower() in password.lower()):
        problems.append("This password is too easy to guess.")
    return problems


InitializeClass(SignInGuard)


def install(portal):
    """Put the guard in front: it checks passwords, the guarded user folders
    no longer answer sign-ins by themselves."""
    pas = portal.acl_users
    if PLUGIN_ID not in pas.objectIds():
        pas._setObject(PLUGIN_ID, SignInGuard())
    plugins = pas.plugins
    for interface in (IAuthenticationPlugin, IValidationPlugin):
        if PLUGIN_ID not in plugins.listPluginIds(interface):
            plugins.activatePlugin(interface, PLUGIN_ID)
    for plugin_id in GUARDED:
        if plugin_id in plugins.listPluginIds(IAuthenticationPlugin):
            plugins.deactivatePlugin(IAuthenticationPlugin, plugin_id)


def add_guarded(portal, plugin_id):
    """Put another user folder behind the guard (an LDAP plugin): its
    passwords are then checked, counted and locked like Plone's own."""
    keeper = guard(portal)
    if plugin_id not in keeper.guarded:
        keeper.guarded = tuple(keeper.guarded) + (plugin_id,)
    plugins = portal.acl_users.plugins
    if plugin_id in plugins.listPluginIds(IAuthenticationPlugin):
        plugins.deactivatePlugin(IAuthenticationPlugin, plugin_id)


def guard(portal=None):
    from plone import api

    return getattr((portal or api.portal.get()).acl_users, PLUGIN_ID, None)

