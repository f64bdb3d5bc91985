"""`hdnd audit verify|export`: the audit trail's hash chain, checked in the
database or in an exported CSV file."""

from hdnd.content.audit import get_log
from hdnd.content.core import audit as chain
from hdnd.policy.cli import database
from pathlib import Path

import sys
import transaction


def cmd_verify(args):
    """Exit 0 and print the number of entries and the head when the chain is
    intact; exit 1 listing the problems when it is not. With --csv, check an
    exported file instead of the database."""
    try:
        expect = [chain.parse_expect(text) for text in args.expect]
    except ValueError as error:
        raise SystemExit(f"hdnd: --expect: {error}")
    if args.csv:
        with open(args.csv, encoding="utf-8", newline="") as stream:
            entries = chain.read_csv(stream)
        problems = chain.verify(entries, expect=expect)
        count, (seq, digest) = len(entries), chain.head_of(entries)
        where = args.csv
    else:
        app = database.open_site(args)
        site = app[args.site]
        try:
            log = get_log(site, create=False)
            if log is None:
                problems, count, (seq, digest) = [], 0, (0, chain.GENESIS)
            else:
                problems = log.verify(expect=expect)
                count = sum(1 for _ in log.iter_entries())
                seq, digest = log.head()
        finally:
            transaction.abort()
            app._p_jar.close()
        where = f"site {args.site}"
    if problems:
        print(f"hdnd: the audit log of {where} has been tampered with ({len(problems)} problems):")
        for problem in problems:
            print(f"  {problem}")
        sys.exit(1)
    print(f"hdnd: the audit log of {where} is intact: {count} entries")
    print(f"hdnd: head {seq}:{digest}")
    print("hdnd: note the head; `hdnd audit verify --expect SEQ:HASH` checks it later")


def cmd_export(args):
    """The whole chain, oldest first, as CSV (UTF-8 with BOM, for Excel);
    `hdnd audit verify --csv FILE` checks the file later."""
    app = database.open_site(args)
    site = app[args.site]
    try:
        log = get_log(site, create=False)
        entries = list(log.iter_entries()) if log is not None else []
        text = chain.to_csv(entries)
    finally:
        transaction.abort()
        app._p_jar.close()
    if args.csv == "-":
        sys.stdout.write(text)
        return
    Path(args.csv).write_text(text, encoding="utf-8", newline="")
    print(f"hdnd: exported {len(entries)} audit entries to {args.csv}")
