"""`hdnd sync`: mirror issued documents and their status between two sites,
over REST (no database of its own)."""

from hdnd.policy.sync import Site
from hdnd.policy.sync import State
from hdnd.policy.sync import Sync
from hdnd.policy.sync import SyncError

import os
import time


def cmd_sync(args):
    """Mirror what the source site issued to the target, and the statuses back."""
    def account(side):
        token = os.environ.get(f"HDND_SYNC_{side}_TOKEN")
        if token:
            return {"token": token}
        user = os.environ.get(f"HDND_SYNC_{side}_USER")
        password = os.environ.get(f"HDND_SYNC_{side}_PASSWORD")
        if not user or not password:
            raise SystemExit(f"hdnd: set HDND_SYNC_{side}_TOKEN, or HDND_SYNC_{side}_USER and "
                             f"HDND_SYNC_{side}_PASSWORD (the {side.lower()} site's agency account; "
                             "never on the command line)")
        return {"user": user, "password": password}

    source = Site(args.source, **account("SOURCE"))
    target = Site(args.target, **account("TARGET"))
    while True:
        state = State(args.state)
        try:
            counts = Sync(source, target, state, log=lambda line: print(f"hdnd: {line}", flush=True)).run(args.limit, resend=args.resend_refused)
        except SyncError as error:
            if not args.every:
                raise SystemExit(f"hdnd: sync stopped, resumes from cursor {state.cursor}: {error}") from None
            print(f"hdnd: sync stopped, retrying in {args.every} s: {error}", flush=True)
        else:
            print("hdnd: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + f"; cursor {state.cursor}",
                  flush=True)
        if not args.every:
            return
        time.sleep(args.every)
