"""The ``hdnd`` command line: configure, create, upgrade and serve the site.

The parser is here; each group of commands is a module of this package
(server, site, audit, numbers, records, package, backup, exchange, sync,
officer, ldap), which imports what its commands need.

    hdnd setup [--demo]   write the instance configuration, create or upgrade
                          the site (and its demo data); safe to re-run
    hdnd serve            serve the site with waitress, with LibreOffice on
                          127.0.0.1 for PDF and DOCX (Ctrl-C stops both)
    hdnd instance         only write the instance configuration
    hdnd zeo              run the ZEO server of the `zeo` profile
    hdnd audit verify     check the audit trail's hash chain (exit 1 if tampered)
    hdnd audit export --csv FILE
                          export the audit trail to CSV
    hdnd numbers reserve --type TB --count 5 --to hdnd-mat --out FILE
    hdnd numbers import FILE
    hdnd numbers report --to hdnd-main --out FILE
                          move Party number reservations between the main
                          and the confidential installation, on media
    hdnd declassify       declassify items whose protection period has run
                          out (run it daily, e.g. from cron)
    hdnd package verify PATH [--eark]
                          check an archive package (or its bag) on its own;
                          --eark: the E-ARK reference validator too
    hdnd remind           remind members of opinion requests due soon, and
                          assignees of tasks due soon or overdue (daily)
    hdnd backup FOLDER    back up the database and blobs while the site runs
                          (repozo and the new blobs; pg_dump for RelStorage)
    hdnd restore FOLDER [--date …]
                          restore it, with the server stopped
    hdnd agency add USER --organ-id ID --name NAME | hdnd agency list
                          the agencies that exchange documents (edXML)
    hdnd agency import FILE --from USER
                          receive many documents as that agency's, in this
                          process (the bulk path of @hdnd-receive-bulk)
    hdnd sync --source URL --target URL --state FILE
                          mirror issued documents and their status between sites
    hdnd ldap configure --uri URI --bind-dn DN --users-base DN [...]
                          staff sign in with their LDAP / Active Directory
                          account (bind password from HDND_LDAP_BIND_PASSWORD)
    hdnd ldap status      check the directory and count the users it shows

Settings come from options or the environment (HDND_PROFILE, HDND_VAR,
HDND_HOST, HDND_PORT, HDND_THREADS, HDND_ADMIN_USER, HDND_ADMIN_PASSWORD,
HDND_ZEO_ADDRESS, HDND_PG_DSN, HDND_RESERVATION_KEY, HDND_OO_PORT), so that `make run`
needs no arguments.

The `confidential` profile is the isolated confidential installation: the
filestorage configuration, and `hdnd setup` makes its new site the
confidential one (hdnd.policy:confidential). It runs on its own machine
with its own HDND_VAR, never on the data of the main installation.
"""

from hdnd.content.core.numbering import NumberingError
from hdnd.content.core.reservations import ReservationError
from hdnd.policy.cli.instance import DEFAULT_ADMIN
from hdnd.policy.cli.instance import iso_date
from hdnd.policy.cli.instance import PROFILES
from zc.lockfile import LockError

import argparse
import importlib
import os
import warnings


class Command:
    """A command's function, named by its module in this package and imported
    when the command runs: the parser (and `hdnd --help`) stays free of Zope
    and Plone, which take seconds to import, and commands that need no
    database (instance, serve, zeo, package verify, sync) do not
    load them."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def resolve(self):
        return getattr(importlib.import_module(f"{__name__}.{self.module}"), self.name)

    def __call__(self, args):
        return self.resolve()(args)

    def __eq__(self, other):
        return isinstance(other, Command) and (self.module, self.name) == (other.module, other.name)

    def __hash__(self):
        return hash((self.module, self.name))

    def __repr__(self):
        return f"Command({self.module!r}, {self.name!r})"


def parser():
    env = os.environ.get
    p = argparse.ArgumentParser(prog="hdnd", description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", choices=PROFILES, default=env("HDND_PROFILE", "filestorage"))
    p.add_argument("--var", default=env("HDND_VAR", "var"), help="data and configuration directory")
    p.add_argument("--host", default=env("HDND_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(env("HDND_PORT", "8080")))
    p.add_argument("--threads", type=int, default=int(env("HDND_THREADS", "4")))
    p.add_argument("--admin-user", default=env("HDND_ADMIN_USER", DEFAULT_ADMIN[0]))
    p.add_argument("--zeo-address", default=env("HDND_ZEO_ADDRESS", "127.0.0.1:8100"))
    p.add_argument(
        "--pg-dsn",
        default=env("HDND_PG_DSN", "dbname=hdnd user=hdnd password=hdnd host=127.0.0.1"),
    )
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("instance", help="write the instance configuration").set_defaults(func=Command("server", "cmd_instance"))
    setup = sub.add_parser("setup", help="create or upgrade the site")
    setup.add_argument("--demo", action="store_true", help="load the demo data (demo only)")
    setup.set_defaults(func=Command("site", "cmd_setup"))
    sub.add_parser("serve", help="serve the site").set_defaults(func=Command("server", "cmd_serve"))
    sub.add_parser("demo-code", help="the demo accounts' current second-factor code").set_defaults(func=Command("site", "cmd_demo_code"))
    sub.add_parser("zeo", help="run the ZEO server (zeo profile)").set_defaults(func=Command("server", "cmd_zeo"))
    audit = sub.add_parser("audit", help="verify or export the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain; exit 1 if tampered")
    verify.add_argument("--site", default="hdnd", help="site id (default hdnd)")
    verify.add_argument(
        "--expect", action="append", default=[], metavar="SEQ:HASH",
        help="a head printed earlier, which must still be in the chain (repeatable)",
    )
    verify.add_argument("--csv", metavar="FILE", help="check an exported CSV file instead of the database")
    verify.set_defaults(func=Command("audit", "cmd_verify"))
    export = audit_sub.add_parser("export", help="export the audit trail to CSV")
    export.add_argument("--site", default="hdnd", help="site id (default hdnd)")
    export.add_argument("--csv", metavar="FILE", required=True, help="the file to write ('-': standard output)")
    export.set_defaults(func=Command("audit", "cmd_export"))
    add_numbers_parser(sub)
    sub.add_parser(
        "declassify", help="declassify items whose protection period has run out (run daily)"
    ).set_defaults(func=Command("records", "cmd_declassify"))
    sub.add_parser(
        "remind", help="remind of opinion requests and tasks due soon or overdue (run daily)"
    ).set_defaults(func=Command("records", "cmd_remind"))
    package = sub.add_parser("package", help="archive packages")
    package_sub = package.add_subparsers(dest="package_command", required=True)
    check = package_sub.add_parser("verify", help="check an archive package or bag (exit 1 if unsound)")
    check.add_argument("path", help="the package's folder (with METS.xml), or a bag's")
    check.add_argument("--eark", action="store_true",
                       help="run the E-ARK reference validator too (its venv: make validators)")
    check.set_defaults(func=Command("package", "cmd_package_verify"))
    backup = sub.add_parser("backup", help="back up the database and its files (while the site runs)")
    backup.add_argument("folder", help="where backups are kept (created; later backups are incremental)")
    backup.add_argument("--keep", type=int, default=int(env("HDND_BACKUP_KEEP", "0") or 0),
                        help="keep only this many full backups (with their increments), and the blob files they need")
    backup.set_defaults(func=Command("backup", "cmd_backup"))
    restore = sub.add_parser("restore", help="restore a backup (with the server stopped)")
    restore.add_argument("folder", help="a folder written by `hdnd backup`")
    restore.add_argument("--date", help="FileStorage: the state at this time, YYYY-MM-DD-hh-mm-ss (UTC)")
    restore.set_defaults(func=Command("backup", "cmd_restore"))
    agency = sub.add_parser("agency", help="agencies that exchange documents with the office")
    agency_sub = agency.add_subparsers(dest="agency_command", required=True)
    add = agency_sub.add_parser("add", help="register an agency's service account")
    add.add_argument("user", help="the account's user id")
    add.add_argument("--organ-id", required=True, help="the agency's electronic organ id, e.g. 000.00.32.H29")
    add.add_argument("--name", required=True, help="the agency's name")
    add.set_defaults(func=Command("exchange", "cmd_agency_add"))
    token = agency_sub.add_parser("token", help="an exchange-only REST token for an agency's service account")
    token.add_argument("user", help="the account's user id")
    token.add_argument("--days", type=int, default=365, help="how long it is valid (1-1095, default 365)")
    token.set_defaults(func=Command("exchange", "cmd_agency_token"))
    agency_sub.add_parser("list", help="the agencies and their organ ids").set_defaults(func=Command("exchange", "cmd_agency_list"))
    imports = agency_sub.add_parser("import", help="receive many documents at once, in this process (an agency's "
                                    "year of documents, a predecessor system's register)")
    imports.add_argument("file", help="JSON: a list of items as @hdnd-receive-bulk takes them (or {\"items\": [...]}), "
                         "or JSON lines, one item a line")
    imports.add_argument("--from", dest="sender", required=True, help="the agency's account: the documents' sender")
    imports.set_defaults(func=Command("exchange", "cmd_agency_import"))
    officer = sub.add_parser("officer", help="security officers (the first one; later ones on the site)")
    officer_sub = officer.add_subparsers(dest="officer_command", required=True)
    for action, text in (("add", "make a user a security officer"), ("remove", "take the role away")):
        one = officer_sub.add_parser(action, help=text)
        one.add_argument("user", help="the user id")
        one.set_defaults(func=Command("officer", "cmd_officer"))
    officer_sub.add_parser("list", help="the security officers").set_defaults(func=Command("officer", "cmd_officer"))
    trust = sub.add_parser("trust", help="the CAs this site trusts (signatures of PDFs and of other sites' envelopes)")
    trust_sub = trust.add_subparsers(dest="trust_command", required=True)
    trust_add = trust_sub.add_parser("add", help="trust the CA certificates of a PEM file")
    trust_add.add_argument("file", help="a PEM file: the other site's CA certificate(s)")
    trust_remove = trust_sub.add_parser("remove", help="stop trusting a CA (by its SHA-256 fingerprint)")
    trust_remove.add_argument("fingerprint")
    trust_sub.add_parser("list", help="the trusted CAs: fingerprint, subject, end of validity")
    trust.set_defaults(func=Command("exchange", "cmd_trust"))
    sync = sub.add_parser("sync", help="mirror issued documents and their status between two hdnd sites")
    sync.add_argument("--source", required=True, help="URL of the site that issues, e.g. http://a:8080/hdnd")
    sync.add_argument("--target", required=True, help="URL of the site that receives")
    sync.add_argument("--state", required=True, help="the client's state file (its cursor)")
    sync.add_argument("--limit", type=int, help="stop after this many outbox messages")
    sync.add_argument("--resend-refused", action="store_true",
                      help="first send again the envelopes the target refused (once the cause is mended)")
    sync.add_argument("--every", type=int, default=0, metavar="SECONDS", help="run again and again")
    sync.set_defaults(func=Command("sync", "cmd_sync"))
    add_ldap_parser(sub)
    return p


def add_numbers_parser(sub):
    numbers = sub.add_parser(
        "numbers", help="number reservations between the main and the confidential installation"
    )
    actions = numbers.add_subparsers(dest="action", required=True)
    reserve = actions.add_parser("reserve", help="main: reserve Party numbers for the confidential installation")
    reserve.add_argument("--type", required=True, help="Party document type, e.g. TB")
    reserve.add_argument("--count", type=int, required=True)
    reserve.add_argument("--to", required=True, help="the confidential installation's id, e.g. hdnd-mat")
    reserve.add_argument("--out", required=True, help="the reservation file to write (a new file)")
    reserve.add_argument("--date", type=iso_date, default=None, help="places the numbers in a term (default today)")
    reserve.set_defaults(func=Command("numbers", "cmd_reserve"))
    imported = actions.add_parser("import", help="import a reservation (confidential) or a report (main)")
    imported.add_argument("file")
    imported.set_defaults(func=Command("numbers", "cmd_import"))
    report = actions.add_parser("report", help="confidential: report the reserved numbers issued")
    report.add_argument("--to", required=True, help="the main installation's id, e.g. hdnd-main")
    report.add_argument("--out", required=True, help="the report file to write (a new file)")
    report.set_defaults(func=Command("numbers", "cmd_report"))


def add_ldap_parser(sub):
    ldap = sub.add_parser("ldap", help="directory sign-in (LDAP / Active Directory)")
    actions = ldap.add_subparsers(dest="ldap_command", required=True)
    configure_ = actions.add_parser(
        "configure", help="sign in with directory accounts (the bind password from HDND_LDAP_BIND_PASSWORD)")
    configure_.add_argument("--uri", required=True, help="ldap://server:389 or ldaps://server:636")
    configure_.add_argument("--bind-dn", required=True, help="the account hdnd reads the directory with")
    configure_.add_argument("--users-base", required=True, help="where the users are, e.g. ou=people,dc=example,dc=vn")
    configure_.add_argument("--kind", default="openldap",
                            help="openldap (uid, inetOrgPerson) or ad (sAMAccountName, user)")
    configure_.add_argument("--login-attr", help="the attribute staff sign in with (default: uid; ad: sAMAccountName)")
    configure_.add_argument("--user-filter", help="LDAP filter of the users to let in, e.g. "
                            "(&(objectClass=inetOrgPerson)(ou=hdnd))")
    configure_.add_argument("--fullname-attr", default="cn")
    configure_.add_argument("--email-attr", default="mail")
    configure_.add_argument("--groups-base", help="also use the directory's groups (read-only), from this base")
    configure_.add_argument("--site", default="hdnd", help="site id (default hdnd)")
    configure_.set_defaults(func=Command("ldap", "cmd_configure"))
    show = actions.add_parser("status", aliases=["test"],
                              help="check the connection and count the users the directory shows")
    show.add_argument("--site", default="hdnd", help="site id (default hdnd)")
    show.set_defaults(func=Command("ldap", "cmd_status"))


def main(argv=None):
    # Imported at run time by the commands' own modules; said once here.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except LockError as error:
        # FileStorage is single-process: a running `hdnd serve` holds it.
        raise SystemExit(
            f"hdnd: the database is in use ({error}); stop the running server first."
        ) from None
    except (ReservationError, NumberingError) as error:
        raise SystemExit(f"hdnd: {error}") from None


if __name__ == "__main__":
    main()
