"""The sign-in guard itself: the PAS plugin ``hdnd_signin`` (lockout, the
second factor at sign-in, the password policy; see the package), and its
installation in front of the user folders it guards."""


from AccessControl.class_init import InitializeClass
from AccessControl.SecurityManagement import getSecurityManager
from AuthEncoding import AuthEncoding
from BTrees.OOBTree import OOBTree
from hdnd.content import audit
from hdnd.content import bodies
from hdnd.policy.signin import credentials
from hdnd.policy.signin import passwords
from hdnd.policy.signin import sessions
from hdnd.policy.signin.base import guard
from hdnd.policy.signin.base import guard_for
from hdnd.policy.signin.base import GUARDED
from hdnd.policy.signin.base import PLONE_USERS
from hdnd.policy.signin.base import PLUGIN_ID
from hdnd.policy.signin.base import setting
from hdnd.policy.signin.base import STORES
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from Products.PlonePAS.interfaces.plugins import IUserManagement
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from Products.PluggableAuthService.interfaces.plugins import IExtractionPlugin
from Products.PluggableAuthService.interfaces.plugins import IValidationPlugin
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from ZODB.POSException import ConflictError
from zope.globalrequest import getRequest
from zope.interface import implementer

import logging
import re
import time
import transaction


logger = logging.getLogger("hdnd.signin")
_REFUSALS = {}  # login -> when a refusal while locked was last audited (this process)


class Refused(Exception):
    """A change given to ``_commit`` finds the committed state says no."""


@implementer(IAuthenticationPlugin, IExtractionPlugin, IValidationPlugin, IUserManagement)
class SignInGuard(BasePlugin):
    meta_type = "hdnd Sign-in Guard"

    def __init__(self, id=PLUGIN_ID, title="hdnd sign-in guard: lockout, second factor, password policy"):
        self._setId(id)
        self.title = title
        self.guarded = GUARDED
        self.attempts = OOBTree()  # login -> {failures: [time], locked_until: time}
        self.factors = OOBTree()  # userid -> {secret, last_step, recovery: [hash], enrolled} or {pending}
        self.passwords = OOBTree()  # userid -> {changed: time, history: [hash]}
        self.signed_out = OOBTree()  # userid -> sessions started before this second are over

    def store(self, name):
        """One of STORES, created on first use (a guard installed before it existed)."""
        if getattr(self, name, None) is None:
            setattr(self, name, OOBTree())
        return getattr(self, name)

    def peek(self, name, key):
        """Read without creating anything (a GET must not write)."""
        tree = getattr(self, name, None)
        return tree.get(key) if tree is not None else None

    def extractCredentials(self, request):
        """REST tokens, strictly (sessions.extract), in place of plone.restapi's plugin."""
        return sessions.extract(self, request)

    # Lockout --------------------------------------------------------------------------

    def authenticateCredentials(self, credentials):
        if credentials.get("source") == "plone.session":  # a browser session's ticket
                return sessions.authenticate(self, credentials)
        if "token" in credentials and credentials.get("extractor") == self.getId():  # a REST token
                return sessions.authenticate_token(self, credentials)
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
                if not self._second_factor(found[0], login):
                    return None
                if login in self.attempts:
                    self._write(login, clear=True)
                if self.peek("passwords", found[0]) is None and plugin_id == PLONE_USERS:
                    # An account made before the guard noted new accounts
                    # (on_user_created; an upgrade step notes the others): its
                    # age counts from now, and it may not come back.
                    self._commit(lambda plugin, site: plugin._note_password(found[0], password))
                return found
        if self._known(login=login) and self._first_time(login):
            # An account to protect (strangers' names are not kept), counted
            # once per request even when Zope retries it after a conflict.
            # The failure itself is audited by hdnd.content's subscriber where
            # the refusal is an answer (the form, @login); the lock always.
            self._write(login, failed=True)
        return None

    def _second_factor(self, userid, login):
        """True when ``userid`` needs no code or gave a good one."""
        entry = self.peek("factors", userid)
        if not entry or not entry.get("secret"):
            return True  # not enrolled (pending.py keeps those who must enrol to enrolment)
        request = getRequest()
        if changing_own_password(request, userid):
            return True
        memo = request_memo(request)
        if userid in memo.setdefault("factor_ok", set()):
            return True  # the same request, retried after a conflict: the code was spent by it
        code = factor_code(request)
        if not code:
            tell(request, "needed")
            return False
        step = credentials.totp_step(entry["secret"], code, entry.get("last_step", 0))
        used = None if step else credentials.recovery_index(code, entry.get("recovery", ()))
        if step is None and used is None:
            tell(request, "wrong")
            if self._first_time(login):
                self._write(login, failed=True)
            return False

        def spend(plugin, site):
            # Checked again on the committed state: two requests racing with one code, one wins.
            kept = plugin.factors[userid]
            if step:
                if kept.get("last_step", 0) >= step:
                    raise Refused
                kept["last_step"] = step
            else:
                if not kept["recovery"][used]:
                    raise Refused
                kept["recovery"][used] = None
                self._audit("second_factor_recovery_used", login, site=site)

        if not self._commit(spend):
            tell(request, "wrong")
            return False
        memo["factor_ok"].add(userid)
        return True

    def _first_time(self, login):
        request = getRequest()
        if request is None:
            return True
        counted = request_memo(request).setdefault("counted", set())
        if login in counted:
            return False
        counted.add(login)
        return True

    def _known(self, only=None, **criteria):
        """Is there such a user (``login=`` or ``id=``) in the guarded folders, or in ``only``?"""
        for plugin_id in only or self.guarded:
            plugin = getattr(self._getPAS(), plugin_id, None)
            if plugin is not None and plugin.enumerateUsers(exact_match=True, **criteria):
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
        def count(plugin, site):
            if self._apply(plugin, login, failed, clear):  # audited with the lock, in the same transaction
                self._audit("login_locked", login, site=site)

        self._commit(count)

    def _commit(self, change):
        """Run ``change(plugin, site)`` in a transaction of its own: the
        request's is rolled back when the sign-in fails (401), and must not
        take the count with it; a GET that signs in must not write either.
        Returns whether it was committed (``change`` raises Refused to say no)."""
        db = self._p_jar.db() if self._p_jar is not None else None
        if db is None:  # not stored yet (a test building the plugin)
            try:
                change(self, None)
            except Refused:
                return False
            return True
        manager = transaction.TransactionManager()
        site = self._getPAS().aq_parent
        for attempt in range(5):
            connection = db.open(transaction_manager=manager)
            try:
                manager.begin()
                change(connection.get(self._p_oid), connection.get(site._p_oid))
                manager.commit()
                return True
            except Refused:
                manager.abort()
                return False
            except ConflictError:  # another process writing the same record: again
                manager.abort()
                if attempt == 4:
                    logger.error("could not record a sign-in", exc_info=True)
            except Exception:
                manager.abort()
                logger.error("could not record a sign-in", exc_info=True)
                return False
            finally:
                connection.close()
        return False

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
            # ``site``: the site as another connection sees it (a separate transaction).
            audit.record(action, site, actor=login[:100], login=login[:100])
        except Exception:  # no site (a bare test) or the audit unavailable: never block a sign-in on it
            logger.info("%s %s", action, login)

    # Password policy ------------------------------------------------------------------

    def validateUserInfo(self, user, set_id, set_info):
        password = (set_info or {}).get("password")
        if password is None:
            return []
        # Plone validates a new password without saying whose it is.
        userid = (user.getId() if user else set_id) or password_owner(getRequest())
        problems = self.problems(password, userid, login=set_id or (user.getUserName() if user else ""))
        return [{"id": "password", "error": problem} for problem in problems]

    def problems(self, password, userid, login=""):
        """The password rules, and the history of ``userid`` when known."""
        problems = password_problems(password, login=login or userid or "")
        record = self.peek("passwords", userid) if userid else None
        if record and any(_matches(password, old) for old in record.get("history", ())):
            problems.append(f"This password was one of the last {setting('password_history')}; choose a new one.")
        return problems

    def doChangeUser(self, user_id, password):
        """Hear a password change (PlonePAS's userSetPassword asks every
        user manager): keep its hash and date. Not a user of ours: not ours to note."""
        # Plone's own users only: a directory's passwords age and change in the directory.
        if not self._known(only=(PLONE_USERS,), id=user_id):
            raise RuntimeError(f"{user_id} is not one of Plone's own users")
        self._note_password(user_id, password)
        try:
            audit.record("password_changed", None, login=user_id)  # by whoever is signed in
        except Exception:  # no site (a bare test): never block a password change on it
            logger.info("password_changed %s", user_id)

    def doDeleteUser(self, login):
        raise KeyError(login)  # users live in the guarded folders; their records go with PrincipalDeleted

    def _note_password(self, user_id, password):
        passwords = self.store("passwords")
        record = passwords.get(user_id) or PersistentMapping(history=PersistentList())
        record["changed"] = time.time()
        if password:
            record["history"] = PersistentList(
                [credentials.password_digest(password)] + list(record["history"]))[: max(setting("password_history"), 0)]
        passwords[user_id] = record

    def note_account(self, user_id):
        """A new account of Plone's own user folder: its password's age counts
        from now, and its hash (as the user folder keeps it) starts its history,
        so that its first sign-in has nothing left to note."""
        users = getattr(self._getPAS(), PLONE_USERS, None)
        stored = users._user_passwords.get(user_id) if users is not None else None
        if stored is None:
            return
        record = PersistentMapping(changed=time.time(), history=PersistentList())
        record["history"].append(stored.decode("ascii") if isinstance(stored, bytes) else stored)
        self.store("passwords")[user_id] = record

    def password_expired(self, user_id):
        days = setting("password_max_days")
        record = self.peek("passwords", user_id)
        return bool(days and record and record["changed"] < time.time() - days * 86400)

    def forget(self, user_id):
        """A deleted user: nothing of theirs is kept."""
        for name in STORES[1:]:
            tree = getattr(self, name, None)
            if tree is not None and user_id in tree:
                del tree[user_id]


def request_memo(request):
    """What the guard remembers of one request, across ZPublisher's retries
    after a conflict: a retry is a new request built from the server's
    original environ (``_orig_env``), not from the scrubbed copy in
    ``request.environ``, so the memo lives in the former."""
    if request is None:
        return {}
    environ = getattr(request, "_orig_env", None)
    if environ is None:
        environ = request.environ
    return environ.setdefault("hdnd.signin", {})


def changing_own_password(request, userid):
    """The signed-in person retyping their current password to change it
    (Plone's form, ``@users/<id>/reset-password``): the factor was given at
    sign-in, and those forms have no code field."""
    if request is None or getSecurityManager().getUser().getId() != userid:
        return False
    path = (request.get("PATH_INFO") or "").rstrip("/")
    return path.endswith(("/@@change-password", "/change-password", "/reset-password"))


def password_problems_for(password, userid):
    """What is wrong with ``password`` as ``userid``'s new one ([] if none)."""
    keeper = guard()
    return keeper.problems(password, userid) if keeper is not None else password_problems(password, userid or "")


def password_owner(request):
    """Whose password is being set, when Plone does not say: the user the URL
    names (``@users/<id>``, ``…/reset-password``), the form's ``userid`` (the
    password-reset and user forms), or the signed-in person on their own
    change-password page; None when it cannot be known."""
    if request is None:
        return None
    parts = [part for part in (request.get("PATH_INFO") or "").split("/") if part]
    if "@users" in parts[:-1]:
        return parts[parts.index("@users") + 1]
    userid = request.form.get("userid")
    if isinstance(userid, str) and userid:
        return userid
    if parts and parts[-1].lstrip("@") == "change-password":
        return getSecurityManager().getUser().getId()
    return None


def tell(request, reason):
    """Why a password was not enough, for the login form's message."""
    if request is not None:
        request.environ["hdnd.signin.factor"] = reason


def factor_code(request):
    """The one-time or recovery code sent with a password, if any."""
    if request is None:
        return None
    code = request.form.get("__ac_otp") or request.getHeader("X-Hdnd-Otp")
    if not code and "json" in (request.getHeader("Content-Type") or ""):  # @login's body
        try:  # the one reader; a body that is not sound JSON carries no code
            body = bodies.parse(request.get("BODY") or b"{}")
        except bodies.BodyError:
            body = None
        code = body.get("otp") if isinstance(body, dict) else None
    return str(code).strip() if code else None


def password_problems(password, login="", min_length=None):
    """What is wrong with a new password (English sentences; [] if none)."""
    min_length = min_length or setting("min_length")
    problems = []
    if len(password) < min_length:
        problems.append(f"A password needs at least {min_length} characters.")
    if not (re.search(r"[^\W\d_]", password) and re.search(r"\d", password)):
        problems.append("A password needs letters and digits.")
    # zxcvbn and the common (Vietnamese) passwords. Plone asks with an empty
    # password for the rules to show on its forms (@@forced-password-change):
    # the rules above say what one needs, "too easy" would say nothing more.
    if password and passwords.too_easy(password, login):
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
    for interface in (IAuthenticationPlugin, IValidationPlugin, IUserManagement):
        if PLUGIN_ID not in plugins.listPluginIds(interface):
            plugins.activatePlugin(interface, PLUGIN_ID)
    for plugin_id in GUARDED:
        if plugin_id in plugins.listPluginIds(IAuthenticationPlugin):
            plugins.deactivatePlugin(IAuthenticationPlugin, plugin_id)
    keeper = pas[PLUGIN_ID]
    for name in STORES:
        keeper.store(name)
    sessions.install(portal)


def add_guarded(portal, plugin_id):
    """Put another user folder behind the guard (an LDAP plugin): its
    passwords are then checked, counted and locked like Plone's own."""
    keeper = guard(portal)
    if plugin_id not in keeper.guarded:
        keeper.guarded = tuple(keeper.guarded) + (plugin_id,)
    plugins = portal.acl_users.plugins
    if plugin_id in plugins.listPluginIds(IAuthenticationPlugin):
        plugins.deactivatePlugin(IAuthenticationPlugin, plugin_id)


def _matches(password, stored):
    """Is ``password`` the one ``stored`` hashes: the guard's own digest, or
    the user folder's (AuthEncoding: "{SSHA}…"), kept when the account was made."""
    if stored.startswith("{"):
        return AuthEncoding.pw_validate(stored.encode("ascii"), password.encode("utf-8"))
    return credentials.matches(password, stored)


def note_existing_accounts(portal):
    """The accounts of Plone's own user folder that have no password record
    (made before on_user_created): noted as new ones are."""
    keeper = guard(portal)
    users = getattr(portal.acl_users, PLONE_USERS, None)
    if keeper is None or users is None:
        return
    for user_id in list(users.listUserIds()):
        if keeper.peek("passwords", user_id) is None:
            keeper.note_account(user_id)


def on_user_created(event):
    """IPrincipalCreatedEvent (PAS adds an account: Plone's form, POST @users,
    api.user.create): the password is noted now, in the transaction that
    makes the account, not on the account's first sign-in — which may be a
    GET, and a GET never writes (issue 21)."""
    keeper = guard_for()  # None for an account of the Zope root's user folder
    if keeper is not None and keeper.peek("passwords", event.principal.getId()) is None:
        keeper.note_account(event.principal.getId())


def on_user_deleted(event):
    keeper = guard()
    if keeper is not None:
        keeper.forget(event.principal)


