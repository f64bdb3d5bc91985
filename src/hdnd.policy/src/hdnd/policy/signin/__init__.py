"""Sign-in: the guard (a PAS plugin, ``hdnd_signin``: account lockout after
repeated failures, the second factor, the password policy) and what it
relies on, one module each:

- ``base``: the guard's id, its settings, finding it;
- ``plugin``: the guard itself and its installation;
- ``sessions``: how long a sign-in lasts (browser tickets, REST tokens);
- ``factors``: who must enrol a second factor, enrolment and codes;
- ``credentials``: one-time codes and recovery codes (plain Python);
- ``passwords``: how easy a password is to guess;
- ``scopes``: what an agency's exchange token opens;
- ``directory``: staff signing in with their LDAP / AD account.

This package's own face is the guard's: ``signin.guard()``,
``signin.setting()``, ``signin.install()``… (below).

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

Second factor. A user who has enrolled an authenticator app (``factors``)
signs in with password *and* a one-time code — the login form's code field,
``"otp"`` in ``@login``'s body, or the ``X-Hdnd-Otp`` header — or with one of
their recovery codes. A code works once. A wrong code counts as a failed
sign-in; a missing one does not (it is the form's second step). Who *must*
enrol (clearance holders, administrators) is ``factors``'s rule; until they
have, pending.py lets them reach only the enrolment page.

Passwords. Every password set through Plone (the forms, ``@users``) is
checked: at least ``min_length`` characters, letters and digits, not too
easy to guess (``passwords``: zxcvbn's estimate and the commonest passwords,
Vietnamese ones included), none of the user's last ``password_history``. The guard is
also a user-management plugin so that it hears every password change
(``userSetPassword``): it keeps salted hashes of the last ones and the date,
from which a password expires after ``password_max_days``.
"""

# The guard's public face. SignInGuard must stay importable from here: the
# guard stored in every site's acl_users was pickled as
# hdnd.policy.signin.SignInGuard.
from hdnd.policy.signin.base import GUARDED  # noqa: F401
from hdnd.policy.signin.base import guard  # noqa: F401
from hdnd.policy.signin.base import guard_for  # noqa: F401
from hdnd.policy.signin.base import PLONE_USERS  # noqa: F401
from hdnd.policy.signin.base import PLUGIN_ID  # noqa: F401
from hdnd.policy.signin.base import setting  # noqa: F401
from hdnd.policy.signin.base import SETTINGS  # noqa: F401
from hdnd.policy.signin.base import STORES  # noqa: F401
from hdnd.policy.signin.plugin import add_guarded  # noqa: F401
from hdnd.policy.signin.plugin import changing_own_password  # noqa: F401
from hdnd.policy.signin.plugin import factor_code  # noqa: F401
from hdnd.policy.signin.plugin import install  # noqa: F401
from hdnd.policy.signin.plugin import on_user_deleted  # noqa: F401
from hdnd.policy.signin.plugin import password_owner  # noqa: F401
from hdnd.policy.signin.plugin import password_problems  # noqa: F401
from hdnd.policy.signin.plugin import password_problems_for  # noqa: F401
from hdnd.policy.signin.plugin import Refused  # noqa: F401
from hdnd.policy.signin.plugin import request_memo  # noqa: F401
from hdnd.policy.signin.plugin import SignInGuard  # noqa: F401
from hdnd.policy.signin.plugin import tell  # noqa: F401
