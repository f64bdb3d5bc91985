"""`hdnd ldap configure|status`: staff sign in with their directory account
(the directory plugin itself is hdnd.policy.signin.directory). The
parser (in the package) does not import the directory module: it would load Plone."""

from hdnd.policy.signin import directory
from hdnd.policy.cli import database
from plone import api

import os


def _need_plugin():
    if not directory.available():
        raise SystemExit("hdnd: directory sign-in needs pas.plugins.ldap: "
                         "pip install -c constraints.txt -e 'src/hdnd.policy[ldap]', or make ldap "
                         "(docs/operations.md, Directory sign-in)")


def cmd_configure(args):
    _need_plugin()
    if args.kind not in directory.KINDS:
        raise SystemExit(f"hdnd: --kind is one of {', '.join(sorted(directory.KINDS))}")
    password = os.environ.get(directory.PASSWORD_VARIABLE)
    if password is None:
        raise SystemExit(f"hdnd: set {directory.PASSWORD_VARIABLE} to the bind password (never on the command line)")

    def work():
        directory.configure(
            api.portal.get(), args.uri, args.bind_dn, password, args.users_base, kind=args.kind,
            login_attr=args.login_attr, user_filter=args.user_filter, fullname_attr=args.fullname_attr,
            email_attr=args.email_attr, groups_base=args.groups_base)
        return directory.status(api.portal.get())

    report(database.in_site(args, work))


def cmd_status(args):
    _need_plugin()
    found = database.in_site(args, lambda: directory.status(api.portal.get()))
    report(found)
    if not found["ok"]:
        raise SystemExit(1)


def report(found):
    if not found["configured"]:
        print(f"hdnd: {found['error']}")
    elif found["ok"]:
        print(f"hdnd: directory {found['uri']} answers: {found['users']} users under {found['users_base']}")
    else:
        print(f"hdnd: directory {found['uri']} does not answer: {found['error']}")
