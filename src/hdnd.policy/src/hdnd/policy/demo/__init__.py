"""Demo data: a living office for `make run`. Demo only — never production.

Applied by the ``hdnd.policy:demo`` profile (``hdnd setup --demo``). Every
step is idempotent: re-running keeps what is there and adds what is missing.
Each feature of hdnd adds its own realistic content in a module here.
"""

from hdnd.policy.demo import archive
from hdnd.policy.demo import exchange
from hdnd.policy.demo import meetings
from hdnd.policy.demo import programme
from hdnd.policy.demo import records
from hdnd.policy.demo import users
from AccessControl.users import UnrestrictedUser
from plone import api


def load(context=None):
    """Post-handler of hdnd.policy:demo (whoever applies the profile).

    Runs as an administrator of its own: workflow guards read the roles of
    the user (adopted roles would not pass them). Classified demo content is
    created as the cleared person who owns it (records.ensure_classified).
    """
    from hdnd.content import grants

    portal = api.portal.get()
    # Only `hdnd setup --demo` (the system) makes the demo security officer:
    # an administrator applying this profile through the web would otherwise
    # get a security officer whose password the README prints.
    officers = grants.is_system()
    loader = UnrestrictedUser("hdnd-demo-loader", "", ["Manager"], []).__of__(portal.acl_users)
    with api.env.adopt_user(user=loader):
        users.ensure_users(officers=officers)
        exchange.ensure_agencies()
        records.ensure_records()
        meetings.ensure_meetings()
        programme.ensure_programme()
        archive.ensure_archive()
        exchange.ensure_exchange()
