"""Demo data: a living office for `make run`. Demo only — never production.

Applied by the ``hdnd.policy:demo`` profile (``hdnd setup --demo``). Every
step is idempotent: re-running keeps what is there and adds what is missing.
Each feature of hdnd adds its own realistic content in a module here.
"""

from hdnd.policy.demo import meetings
from hdnd.policy.demo import programme
from hdnd.policy.demo import records
from hdnd.policy.demo import users
from plone import api


def load(context=None):
    """Post-handler of hdnd.policy:demo (whoever applies the profile)."""
    with api.env.adopt_roles(["Manager"]):
        users.ensure_users()
        records.ensure_records()
        meetings.ensure_meetings()
        programme.ensure_programme()
