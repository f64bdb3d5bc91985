"""`hdnd declassify` and `hdnd remind`: the daily work on the site's records."""

from hdnd.content.consultation import remind_due
from hdnd.content.mail import MailError
from hdnd.content.security import declassify_expired
from hdnd.content.tracking import remind_tasks
from hdnd.policy.cli import database


def cmd_declassify(args):
    """Declassify what has reached the end of its protection period (daily)."""
    done = database.in_site(args, declassify_expired)
    print(f"hdnd: {len(done)} item(s) declassified at the end of their protection period")
    for path in done:
        print(f"  {path}")


def cmd_remind(args):
    """E-mail reminders for opinion requests due within two days, and for
    tasks due within three days or overdue (daily)."""
    try:
        reminded, tasks = database.in_site(args, lambda: (remind_due(), remind_tasks()))
    except MailError as error:
        raise SystemExit(f"hdnd: {error}") from None
    for url, members in reminded.items():
        print(f"hdnd: reminded {len(members)} member(s) about {url}")
    for url, kind in tasks.items():
        print(f"hdnd: reminded the assignee of {url} ({'overdue' if kind == 'overdue' else 'due soon'})")
