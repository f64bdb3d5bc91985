"""`hdnd officer add|remove|list`: the first security officer."""

from hdnd.content.grants import OFFICER_GROUP
from hdnd.policy.cli import database
from plone import api


def cmd_officer(args):
    """Security officers: the first one is made here, by whoever runs the
    server (later ones by a security officer, on the site). Runs as the
    system, through the grants gate, and is audited like any grant."""
    def work():
        if args.officer_command == "list":
            return sorted(api.group.get(groupname=OFFICER_GROUP).getGroupMemberIds())
        if api.user.get(userid=args.user) is None:
            raise SystemExit(f"hdnd: there is no user {args.user!r}")
        if args.officer_command == "add":
            api.group.add_user(groupname=OFFICER_GROUP, username=args.user)
        else:
            api.group.remove_user(groupname=OFFICER_GROUP, username=args.user)
        return None

    found = database.in_site(args, work)
    if args.officer_command == "list":
        for user_id in found:
            print(user_id)
    else:
        done = "is now" if args.officer_command == "add" else "is no longer"
        print(f"hdnd: {args.user} {done} a security officer (recorded in the audit trail)")
