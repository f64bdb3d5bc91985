"""The ``hdnd`` command line: configure, create, upgrade and serve the site.

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

from datetime import date
from pathlib import Path

import argparse
import json
import os
import logging
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings


PROFILES = ("filestorage", "zeo", "relstorage", "confidential")
DEFAULT_ADMIN = ("admin", "admin")


def find_home():
    """The project directory, which holds the deployment profiles."""
    candidates = []
    if os.environ.get("HDND_HOME"):
        candidates.append(Path(os.environ["HDND_HOME"]))
    candidates.append(Path.cwd())
    # An editable install: src/hdnd.policy/src/hdnd/policy/cli.py
    candidates.append(Path(__file__).resolve().parents[5])
    for path in candidates:
        if (path / "profiles" / "zope.ini.in").exists():
            return path
    raise SystemExit(
        "hdnd: cannot find the deployment profiles (profiles/zope.ini.in); "
        "run from the project directory or set HDND_HOME."
    )


def data_dir(args, home=None) -> Path:
    """VAR, relative to the project directory (not to where the command runs),
    so that `hdnd serve` from anywhere serves the same site."""
    var = Path(args.var)
    return var if var.is_absolute() else (home or find_home()) / var


def write_private(path: Path, text: str):
    """Configuration may hold passwords (the PostgreSQL DSN): owner only."""
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def render(template: Path, values: dict) -> str:
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{%s}}" % key, str(value))
    if "{{" in text:
        raise SystemExit(f"hdnd: {template} has a placeholder this command does not know")
    return text


def write_instance(args) -> Path:
    """Render the chosen profile into VAR/etc; return the path of zope.conf."""
    home = find_home()
    var = data_dir(args, home)
    etc = var / "etc"
    for sub in ("etc", "log", "cache", "filestorage", "blobstorage", "blobcache", "zeo"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    values = {
        "VAR": var,
        "HOST": args.host,
        "PORT": args.port,
        "THREADS": args.threads,
        "ZEO_ADDRESS": args.zeo_address,
        "PG_DSN": args.pg_dsn,
    }
    profiles = home / "profiles"
    conf = render(profiles / "common.conf.in", values)
    conf += "\n" + render(profiles / args.profile / "storage.conf.in", values)
    write_private(etc / "zope.conf", conf)
    write_private(etc / "zope.ini", render(profiles / "zope.ini.in", values))
    zeo = profiles / args.profile / "zeo.conf.in"
    if zeo.exists():
        write_private(etc / "zeo.conf", render(zeo, values))
    return etc / "zope.conf"


def open_app(zope_conf: Path):
    """Start Zope in this process, as `zconsole run` does, and return the app."""
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import system
    from Testing.makerequest import makerequest
    from Zope2.Startup.run import make_wsgi_app
    from zope.globalrequest import setRequest

    import Zope2

    make_wsgi_app({}, str(zope_conf))
    app = makerequest(Zope2.app())
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    return app


def cmd_instance(args):
    print(f"hdnd: wrote {write_instance(args)}")


def log_to(var: Path):
    """Everything to var/log/setup.log; hdnd's own progress to the console too."""
    logging.basicConfig(
        filename=str(var / "log" / "setup.log"),
        level=logging.INFO,
        format="%(asctime)s %(levelname)s [%(name)s] %(message)s",
    )
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter("hdnd: %(message)s"))
    logging.getLogger("hdnd").addHandler(console)
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated")


def cmd_setup(args):
    import transaction

    from hdnd.content.installation import set_reservation_key
    from hdnd.policy.site import ensure_admin
    from hdnd.policy.site import ensure_site
    from hdnd.policy.site import SetupError

    zope_conf = write_instance(args)
    log_to(data_dir(args))
    app = open_app(zope_conf)
    password = os.environ.get("HDND_ADMIN_PASSWORD")
    ensure_admin(
        app,
        args.admin_user,
        password or DEFAULT_ADMIN[1],
        reset_password=bool(password),
    )
    transaction.commit()
    try:
        site, created = ensure_site(app, demo=args.demo, confidential=args.profile == "confidential")
    except SetupError as error:
        raise SystemExit(f"hdnd: {error}") from None
    if os.environ.get("HDND_RESERVATION_KEY"):
        # The key shared with the other installation, never on the command line.
        set_reservation_key(os.environ["HDND_RESERVATION_KEY"])
    # Protection periods also run out while nobody runs `hdnd declassify`.
    from hdnd.content.security import declassify_expired

    for path in declassify_expired():
        print(f"hdnd: declassified {path} (protection period over)")
    configure_documents(args)
    if args.demo:
        from hdnd.policy.demo.signatures import ensure_keys

        ensure_keys(data_dir(args) / "keys")
    transaction.commit()
    app._p_jar.close()
    state = "created" if created else "upgraded (existing data kept)"
    print(f"hdnd: site {site.getId()} {state}; profile {args.profile}, data in {data_dir(args)}")
    print_banner(args, site.getId(), password)


def print_banner(args, site_id, password):
    login = args.admin_user
    shown = "(as set in HDND_ADMIN_PASSWORD)" if password else DEFAULT_ADMIN[1]
    print()
    print(f"  hdnd is at   http://{args.host}:{args.port}/{site_id}")
    print(f"  log in as    {login} / {shown}")
    if args.demo:
        from hdnd.policy.demo.users import DEMO_FACTOR_SECRET

        print("  demo users   see README.md (password: hdnd-demo-2026 unless HDND_DEMO_PASSWORD was set)")
        print(f"  2nd factor   demo users with a clearance: add the key {DEMO_FACTOR_SECRET} to an")
        print("               authenticator app, or type the code `hdnd demo-code` prints")
    print()


def cmd_demo_code(args):
    """The code an authenticator app with the demo key shows now (no database needed)."""
    from hdnd.policy.credentials import current_code
    from hdnd.policy.demo.users import DEMO_FACTOR_SECRET

    print(current_code(DEMO_FACTOR_SECRET))


def configure_documents(args):
    """Point document generation at this instance's LibreOffice (the port of
    HDND_OO_PORT) and at a UNO-enabled Python that can import appy."""
    from hdnd.content.docgen import libreoffice
    from hdnd.content.docgen.install import configure_libreoffice

    configure_libreoffice(libreoffice.uno_python(data_dir(args) / "uno"), libreoffice.port())


def start_libreoffice(args):
    from hdnd.content.docgen import libreoffice

    if libreoffice.soffice() is None:
        print("hdnd: LibreOffice is not installed: documents generate as ODT only "
              "(apt-get install libreoffice-writer-nogui python3-uno)", flush=True)
        return None
    port = libreoffice.port()
    process = libreoffice.start(port, data_dir(args), wait=0)
    print(f"hdnd: LibreOffice {'started' if process else 'already running'} on 127.0.0.1:{port}", flush=True)
    return process


def cmd_serve(args):
    from hdnd.content.docgen import libreoffice

    # Rewritten each time, so that --port, --host or a profile change apply.
    zope_ini = write_instance(args).with_name("zope.ini")
    runwsgi = shutil.which("runwsgi", path=str(Path(sys.executable).parent)) or "runwsgi"
    office = start_libreoffice(args)
    print(f"hdnd: serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    # Its own session: Ctrl-C reaches this process, which passes it on once,
    # then stops LibreOffice when the server has stopped.
    server = subprocess.Popen([runwsgi, str(zope_ini)], start_new_session=True)

    def forward(signum, frame):
        server.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    try:
        code = server.wait()
    finally:
        libreoffice.stop(office)
    raise SystemExit(0 if code in (0, -signal.SIGINT, -signal.SIGTERM) else code)


def cmd_zeo(args):
    write_instance(args)
    zeo_conf = data_dir(args) / "etc" / "zeo.conf"
    if not zeo_conf.exists():
        raise SystemExit("hdnd: the zeo server belongs to the `zeo` profile (--profile zeo)")
    runzeo = shutil.which("runzeo", path=str(Path(sys.executable).parent)) or "runzeo"
    os.execv(runzeo, [runzeo, "-C", str(zeo_conf)])


def open_site(args):
    """Open the configured database and its hdnd site (`--site`, default
    hdnd), as `setup` does; the site is ``app[site_id]``."""
    from hdnd.policy.site import SITE_ID
    from zope.component.hooks import setSite

    site_id = getattr(args, "site", None) or SITE_ID
    zope_conf = write_instance(args)
    log_to(data_dir(args))
    app = open_app(zope_conf)
    if site_id not in app.objectIds():
        app._p_jar.close()
        raise SystemExit(f"hdnd: there is no site {site_id!r} in {data_dir(args)} yet: run `hdnd setup` first")
    setSite(app[site_id])
    return app


def in_site(args, work, out=None):
    """Run ``work()`` in the site and commit; with ``out``, write the text it
    returns to that new file first, so that numbers are never taken without
    their file (the file is removed if the commit fails)."""
    import transaction

    if out is not None and out.exists():
        raise SystemExit(f"hdnd: {out} exists; a reservation file is never overwritten")
    app = open_site(args)
    written = False
    try:
        result = work()
        if out is not None:
            with open(out, "x", encoding="utf-8") as stream:
                written = True
                stream.write(result)
        transaction.commit()
    except BaseException:
        transaction.abort()
        if written:
            out.unlink(missing_ok=True)
        raise
    finally:
        app._p_jar.close()
    return result


def _numbers_of(text):
    from hdnd.content.core.reservations import number_ranges

    payload = json.loads(text)
    return payload, number_ranges(payload["numbers"])


def cmd_numbers_reserve(args):
    from hdnd.content.numbers import reservations

    out = Path(args.out)
    text = in_site(args, lambda: reservations.reserve(args.type, args.count, args.date, args.to), out)
    payload, numbers = _numbers_of(text)
    _party, issuer, doc_type, term = payload["key"]
    print(f"hdnd: reserved {numbers} of {doc_type}/{issuer} (term {term}) for {payload['to']} in {out}")
    print(f"hdnd: carry it to {payload['to']} and run `hdnd numbers import {out.name}` there")


def cmd_numbers_import(args):
    from hdnd.content.core.reservations import number_ranges
    from hdnd.content.numbers import reservations

    path = Path(args.file)
    try:
        text = path.read_bytes()
    except OSError as error:
        raise SystemExit(f"hdnd: cannot read {path}: {error.strerror}") from None
    kind, result = in_site(args, lambda: reservations.import_file(text))
    if kind == "reservation":
        key = result["key"]
        print(
            f"hdnd: received {number_ranges(result['numbers'])} of {key[2]}/{key[1]} "
            f"(term {key[3]}) from {result['from']}; {result['left']} reserved numbers of {key[2]} left"
        )
    else:
        symbols = ", ".join(stub.symbol for stub in result)
        print(f"hdnd: secret document stubs recorded ({len(result)}): {symbols}")


def cmd_numbers_report(args):
    from hdnd.content.numbers import reservations

    out = Path(args.out)
    text = in_site(args, lambda: reservations.report(args.to), out)
    payload = json.loads(text)
    symbols = ", ".join(entry["symbol"] for entry in payload["issued"])
    print(f"hdnd: reported the numbers issued ({symbols}) to {payload['to']} in {out}")
    print(f"hdnd: carry it to {payload['to']} and run `hdnd numbers import {out.name}` there")


def iso_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


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
    reserve.set_defaults(func=cmd_numbers_reserve)
    imported = actions.add_parser("import", help="import a reservation (confidential) or a report (main)")
    imported.add_argument("file")
    imported.set_defaults(func=cmd_numbers_import)
    report = actions.add_parser("report", help="confidential: report the reserved numbers issued")
    report.add_argument("--to", required=True, help="the main installation's id, e.g. hdnd-main")
    report.add_argument("--out", required=True, help="the report file to write (a new file)")
    report.set_defaults(func=cmd_numbers_report)


def cmd_declassify(args):
    """Declassify what has reached the end of its protection period (daily)."""
    from hdnd.content.security import declassify_expired

    done = in_site(args, declassify_expired)
    print(f"hdnd: {len(done)} item(s) declassified at the end of their protection period")
    for path in done:
        print(f"  {path}")


def cmd_remind(args):
    """E-mail reminders for opinion requests due within two days, and for
    tasks due within three days or overdue (daily)."""
    from hdnd.content.consultation import remind_due
    from hdnd.content.tracking import remind_tasks

    from hdnd.content.mail import MailError

    try:
        reminded, tasks = in_site(args, lambda: (remind_due(), remind_tasks()))
    except MailError as error:
        raise SystemExit(f"hdnd: {error}") from None
    for url, members in reminded.items():
        print(f"hdnd: reminded {len(members)} member(s) about {url}")
    for url, kind in tasks.items():
        print(f"hdnd: reminded the assignee of {url} ({'overdue' if kind == 'overdue' else 'due soon'})")


def cmd_audit_verify(args):
    """Exit 0 and print the number of entries and the head when the chain is
    intact; exit 1 listing the problems when it is not. With --csv, check an
    exported file instead of the database."""
    from hdnd.content.core import audit as chain

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
        import transaction

        from hdnd.content.audit import get_log

        app = open_site(args)
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


def cmd_audit_export(args):
    """The whole chain, oldest first, as CSV (UTF-8 with BOM, for Excel);
    `hdnd audit verify --csv FILE` checks the file later."""
    import transaction

    from hdnd.content.audit import get_log
    from hdnd.content.core import audit as chain

    app = open_site(args)
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


def cmd_package_verify(args):
    """Check a transfer package without the site: checksums, sizes, every
    file listed, well-formed XML, METS and EAD against their schemas, the
    CSIP/SIP rules, +07:00 times; a bag's manifests; with --eark the E-ARK
    reference validator too (from the validators' venv, `make validators`)."""
    from hdnd.content.core.package import validators_python
    from hdnd.content.core.package import verify

    path = Path(args.path)
    if not path.is_dir():
        raise SystemExit(f"hdnd: {path} is not a folder (unzip the package first)")
    python = None
    if args.eark:
        python = validators_python()
        if python is None:
            raise SystemExit("hdnd: no E-ARK validator here: make validators (or set HDND_VALIDATORS_VENV)")
    notes = []
    problems = verify(path, eark_python=python, notes=notes)
    for note in notes:
        print(f"hdnd: note: {note}")
    for problem in problems:
        print(f"hdnd: {problem}")
    if problems:
        raise SystemExit(1)
    checked = " and the E-ARK reference validator's" if python else ""
    print(f"hdnd: {path} is sound (every file present with its SHA-256, the schemas and CSIP rules{checked})")


def cmd_agency_add(args):
    """Register an agency's service account (created when it does not exist;
    its password from HDND_AGENCY_PASSWORD, else a new one printed once)."""
    import secrets

    from hdnd.content.agencies import AgencyError
    from hdnd.content.agencies import register

    from plone import api

    given = os.environ.get("HDND_AGENCY_PASSWORD")
    password = given
    while not password:  # a new one that the password policy accepts
        drawn = secrets.token_urlsafe(18)
        password = drawn if any(c.isdigit() for c in drawn) and any(c.isalpha() for c in drawn) else None

    def work():
        new = api.user.get(username=args.user) is None
        register(args.user, args.organ_id, args.name, password=password)
        return new

    try:
        created = in_site(args, work)
    except (AgencyError, ValueError) as error:  # ValueError: the password policy
        raise SystemExit(f"hdnd: {error}") from None
    print(f"hdnd: {args.user} is the account of {args.name} ({args.organ_id})")
    if created and not given:
        print(f"hdnd: its password (shown once): {password}")


def cmd_agency_token(args):
    """An exchange-only token for an agency's service account, printed once."""
    from hdnd.policy.scopes import ScopeError
    from hdnd.policy.scopes import issue

    try:
        token, expires = in_site(args, lambda: issue(args.user, args.days))
    except ScopeError as error:
        raise SystemExit(f"hdnd: {error}") from None
    print(f"hdnd: the exchange token of {args.user}, valid until "
          f"{time.strftime('%Y-%m-%d', time.gmtime(expires))} (shown once; "
          f"`POST @hdnd-sign-out-everywhere {{\"userid\": \"{args.user}\"}}` withdraws it):")
    print(token)


def cmd_agency_list(args):
    from hdnd.content.agencies import agencies

    for user_id, organ_id, name in in_site(args, agencies):
        print(f"{user_id}\t{organ_id}\t{name}")


def cmd_officer(args):
    """Security officers: the first one is made here, by whoever runs the
    server (later ones by a security officer, on the site). Runs as the
    system, through the grants gate, and is audited like any grant."""
    from hdnd.content.grants import OFFICER_GROUP

    from plone import api

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

    found = in_site(args, work)
    if args.officer_command == "list":
        for user_id in found:
            print(user_id)
    else:
        done = "is now" if args.officer_command == "add" else "is no longer"
        print(f"hdnd: {args.user} {done} a security officer (recorded in the audit trail)")


def cmd_trust(args):
    """The CAs whose certificates this site trusts (registry
    hdnd.signing.trust_roots): PDF signatures and the edXML envelopes other
    sites send are checked against them. ``add`` appends the certificates of
    a PEM file (each once), ``remove`` takes one out by its SHA-256
    fingerprint, ``list`` shows them; audited."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization

    from plone import api

    RECORD = "hdnd.signing.trust_roots"

    def parse(pem):
        try:
            return x509.load_pem_x509_certificates(pem.encode("ascii")) if pem.strip() else []
        except ValueError as error:
            raise SystemExit(f"hdnd: not PEM certificates ({error})") from None

    def fingerprint(cert):
        return cert.fingerprint(hashes.SHA256()).hex()

    def describe(cert):
        return f"{fingerprint(cert)}\t{cert.subject.rfc4514_string()}\tuntil {cert.not_valid_after_utc:%Y-%m-%d}"

    added = []
    if args.trust_command == "add":
        try:
            added = parse(Path(args.file).read_text(encoding="ascii"))
        except OSError as error:
            raise SystemExit(f"hdnd: cannot read {args.file} ({error.strerror})") from None
        except UnicodeDecodeError:
            raise SystemExit(f"hdnd: {args.file} is not a PEM file") from None
        if not added:
            raise SystemExit(f"hdnd: {args.file} holds no certificate")
        not_ca = [c for c in added if not _is_ca(c)]
        if not_ca:
            raise SystemExit(f"hdnd: {not_ca[0].subject.rfc4514_string()} is not a CA certificate: trust the CA "
                             "that issued the other site's key (`openssl pkcs12 -in KEY.p12 -cacerts -nokeys`)")

    def work():
        from hdnd.content import audit

        trusted = parse(api.portal.get_registry_record(RECORD, default="") or "")
        if args.trust_command == "list":
            return trusted
        if args.trust_command == "add":
            known = {fingerprint(c) for c in trusted}
            new = [c for c in added if fingerprint(c) not in known]
            trusted += new
            changed = new
        else:
            changed = [c for c in trusted if fingerprint(c) == args.fingerprint.lower().replace(":", "")]
            if not changed:
                raise SystemExit(f"hdnd: no trusted certificate has the fingerprint {args.fingerprint}")
            trusted = [c for c in trusted if c not in changed]
        pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in trusted)
        api.portal.set_registry_record(RECORD, pem)
        for cert in changed:
            audit.record("trust_" + args.trust_command, None, subject=cert.subject.rfc4514_string(),
                         fingerprint=fingerprint(cert))
        return changed

    found = in_site(args, work)
    if args.trust_command == "list":
        for cert in found:
            print(describe(cert))
        return
    verb = "now trusted" if args.trust_command == "add" else "no longer trusted"
    for cert in found:
        print(f"hdnd: {verb}: {describe(cert)}")
    if not found:
        print("hdnd: nothing changed (already trusted)")


def _is_ca(cert):
    from cryptography import x509

    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return cert.issuer == cert.subject


def cmd_sync(args):
    """Mirror what the source site issued to the target, and the statuses back."""
    import time

    from hdnd.policy.sync import Site
    from hdnd.policy.sync import State
    from hdnd.policy.sync import Sync
    from hdnd.policy.sync import SyncError

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


def _storage_files(args):
    """The FileStorage and blob directory of this profile's data, or None
    (RelStorage keeps both in PostgreSQL)."""
    var = data_dir(args)
    if args.profile == "relstorage":
        return None
    if args.profile == "zeo":  # on the machine of the ZEO server
        return var / "zeo" / "Data.fs", var / "zeo" / "blobstorage"
    return var / "filestorage" / "Data.fs", var / "blobstorage"


def _mirror(source: Path, target: Path):
    """Copy the blob files ``target`` lacks. Blobs are never changed once
    written, so a file already there is the same file; none is removed, so
    that an older database backup still finds its blobs."""
    copied = 0
    for path in source.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(source)
            if not destination.exists() or destination.stat().st_size != path.stat().st_size:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                copied += 1
    return copied


def _run(command):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hdnd: {Path(str(command[0])).name} failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def cmd_backup(args):
    """Back up the database and its files into a folder, while the site runs:
    repozo (full, then incremental) and the new blobs for FileStorage and
    ZEO; pg_dump for RelStorage."""
    target = Path(args.folder)
    target.mkdir(parents=True, exist_ok=True)
    files = _storage_files(args)
    if files is None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        dump = target / f"hdnd-{stamp}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", dump, "--dbname", args.pg_dsn])
        print(f"hdnd: PostgreSQL dumped to {dump} ({dump.stat().st_size} bytes)")
        if args.keep:
            for old in sorted(target.glob("hdnd-*.dump"))[:-args.keep]:
                old.unlink()
                print(f"hdnd: removed {old.name} (--keep {args.keep})")
        return
    data, blobs = files
    if not data.exists():
        raise SystemExit(f"hdnd: there is no database at {data}")
    (target / "filestorage").mkdir(exist_ok=True)
    # repozo names its files by the second (UTC); two backups in one second
    # would sort the increment before the full backup and lose it on recovery.
    while any(p.name.startswith(time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime()))
              for p in (target / "filestorage").iterdir()):
        time.sleep(0.2)
    repozo = Path(sys.executable).with_name("repozo")
    # The database first, then the blobs: every blob the backup refers to
    # exists by the time the blobs are copied.
    started = time.time()
    _run([repozo, "--backup", "--quick", "--gzip", "--repository", target / "filestorage", "--file", data])
    copied = _mirror(blobs, target / "blobstorage")
    print(f"hdnd: database backed up in {target / 'filestorage'}, {copied} new blob file(s) in {target / 'blobstorage'}")
    gone = _note_gone_blobs(blobs, target / "blobstorage", started)
    if args.keep:
        _age_out(target, gone, args.keep)


GONE = ".hdnd-gone.json"


def _note_gone_blobs(live: Path, kept: Path, now):
    """Blob files the backup holds that the live database no longer has (a
    pack after a destruction removed them), with when a backup first saw
    them gone: {relative path: time}."""
    import json

    path = kept.parent / GONE  # beside the blobs: a restore copies blobstorage/ back
    gone = json.loads(path.read_text()) if path.exists() else {}
    for found in kept.rglob("*.blob"):
        name = str(found.relative_to(kept))
        if not (live / name).exists():
            gone.setdefault(name, now)
    gone = {n: t for n, t in gone.items() if (kept / n).exists() and not (live / n).exists()}
    path.write_text(json.dumps(gone, indent=0, sort_keys=True))
    return gone


def _age_out(target: Path, gone, keep):
    """Keep the ``keep`` newest full backups (each with its increments);
    remove older ones, then the blob files only they still needed: those
    gone from the live database before the oldest full backup kept."""
    import calendar
    import json

    folder = target / "filestorage"
    stamp = re.compile(r"(\d{4}(?:-\d\d){5})\.")
    fulls = sorted(p.name[:19] for p in folder.glob("*.fsz")) + sorted(p.name[:19] for p in folder.glob("*.fs"))
    fulls = sorted(set(fulls))
    if len(fulls) <= keep:
        return
    oldest = fulls[-keep]
    removed = 0
    for path in folder.iterdir():
        found = stamp.match(path.name)
        if found and found.group(1) < oldest:
            path.unlink()
            removed += 1
    since = calendar.timegm(time.strptime(oldest, "%Y-%m-%d-%H-%M-%S"))
    blobs = target / "blobstorage"
    # repozo names a backup by the second it began, after the run that saw
    # the blob gone had begun: compare whole seconds (a fraction of the same
    # second kept the blob, whenever repozo did not cross into the next one).
    pruned = [name for name, when in gone.items() if int(when) <= since]
    for name in pruned:
        (blobs / name).unlink(missing_ok=True)
        try:
            (blobs / name).parent.rmdir()  # the object's folder, once empty
        except OSError:
            pass
    (target / GONE).write_text(json.dumps({n: t for n, t in gone.items() if n not in pruned}, indent=0, sort_keys=True))
    print(f"hdnd: kept the {keep} newest full backup(s) (from {oldest} UTC): removed {removed} older file(s) "
          f"and {len(pruned)} blob file(s) the live database no longer has")


def cmd_restore(args):
    """Restore a folder written by `hdnd backup` (the server stopped): the
    database as of the last backup (or --date), and its blobs."""
    source = Path(args.folder)
    files = _storage_files(args)
    if files is None:
        dumps = sorted(source.glob("hdnd-*.dump"))
        if not dumps:
            raise SystemExit(f"hdnd: no hdnd-*.dump in {source}")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", args.pg_dsn, dumps[-1]])
        print(f"hdnd: PostgreSQL restored from {dumps[-1]}")
        return
    data, blobs = files
    if not (source / "filestorage").is_dir():
        raise SystemExit(f"hdnd: {source} holds no backup (no filestorage/ folder)")
    lock = Path(f"{data}.lock")
    if lock.exists():
        import zc.lockfile

        try:
            zc.lockfile.LockFile(str(lock)).close()
        except zc.lockfile.LockError:
            raise SystemExit("hdnd: the database is in use; stop the server before restoring") from None
    if args.date and not re.fullmatch(r"\d{4}(-\d\d){5}", args.date):
        raise SystemExit("hdnd: --date is YYYY-MM-DD-hh-mm-ss (UTC), e.g. 2026-11-20-08-00-00")
    if not (source / "blobstorage").is_dir():
        raise SystemExit(f"hdnd: {source} holds no blobstorage/ folder: not a complete backup")
    data.parent.mkdir(parents=True, exist_ok=True)
    # Kept aside until the recovery has worked: a failed restore loses nothing.
    aside = [(path, path.with_name(path.name + ".before-restore")) for path in data.parent.glob(data.name + "*")
             if not path.name.endswith(".before-restore")]
    for path, kept in aside:
        kept.unlink(missing_ok=True)
        path.replace(kept)
    repozo = Path(sys.executable).with_name("repozo")
    try:
        _run([repozo, "--recover", "--repository", source / "filestorage", "--output", data]
             + (["--date", args.date] if args.date else []))
    except SystemExit:
        for path, kept in aside:
            kept.replace(path)
        raise
    if blobs.exists():
        kept = blobs.with_name(blobs.name + ".before-restore")
        if kept.exists():
            shutil.rmtree(kept)
        blobs.replace(kept)
    _mirror(source / "blobstorage", blobs)
    print(f"hdnd: restored {data} and {blobs} from {source} (the previous files kept as *.before-restore)")


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
    sub.add_parser("instance", help="write the instance configuration").set_defaults(func=cmd_instance)
    setup = sub.add_parser("setup", help="create or upgrade the site")
    setup.add_argument("--demo", action="store_true", help="load the demo data (demo only)")
    setup.set_defaults(func=cmd_setup)
    sub.add_parser("serve", help="serve the site").set_defaults(func=cmd_serve)
    sub.add_parser("demo-code", help="the demo accounts' current second-factor code").set_defaults(func=cmd_demo_code)
    sub.add_parser("zeo", help="run the ZEO server (zeo profile)").set_defaults(func=cmd_zeo)
    audit = sub.add_parser("audit", help="verify or export the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain; exit 1 if tampered")
    verify.add_argument("--site", default="hdnd", help="site id (default hdnd)")
    verify.add_argument(
        "--expect", action="append", default=[], metavar="SEQ:HASH",
        help="a head printed earlier, which must still be in the chain (repeatable)",
    )
    verify.add_argument("--csv", metavar="FILE", help="check an exported CSV file instead of the database")
    verify.set_defaults(func=cmd_audit_verify)
    export = audit_sub.add_parser("export", help="export the audit trail to CSV")
    export.add_argument("--site", default="hdnd", help="site id (default hdnd)")
    export.add_argument("--csv", metavar="FILE", required=True, help="the file to write ('-': standard output)")
    export.set_defaults(func=cmd_audit_export)
    add_numbers_parser(sub)
    sub.add_parser(
        "declassify", help="declassify items whose protection period has run out (run daily)"
    ).set_defaults(func=cmd_declassify)
    sub.add_parser(
        "remind", help="remind of opinion requests and tasks due soon or overdue (run daily)"
    ).set_defaults(func=cmd_remind)
    package = sub.add_parser("package", help="archive packages")
    package_sub = package.add_subparsers(dest="package_command", required=True)
    check = package_sub.add_parser("verify", help="check an archive package or bag (exit 1 if unsound)")
    check.add_argument("path", help="the package's folder (with METS.xml), or a bag's")
    check.add_argument("--eark", action="store_true",
                       help="run the E-ARK reference validator too (its venv: make validators)")
    check.set_defaults(func=cmd_package_verify)
    backup = sub.add_parser("backup", help="back up the database and its files (while the site runs)")
    backup.add_argument("folder", help="where backups are kept (created; later backups are incremental)")
    backup.add_argument("--keep", type=int, default=int(env("HDND_BACKUP_KEEP", "0") or 0),
                        help="keep only this many full backups (with their increments), and the blob files they need")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup (with the server stopped)")
    restore.add_argument("folder", help="a folder written by `hdnd backup`")
    restore.add_argument("--date", help="FileStorage: the state at this time, YYYY-MM-DD-hh-mm-ss (UTC)")
    restore.set_defaults(func=cmd_restore)
    agency = sub.add_parser("agency", help="agencies that exchange documents with the office")
    agency_sub = agency.add_subparsers(dest="agency_command", required=True)
    add = agency_sub.add_parser("add", help="register an agency's service account")
    add.add_argument("user", help="the account's user id")
    add.add_argument("--organ-id", required=True, help="the agency's electronic organ id, e.g. 000.00.32.H29")
    add.add_argument("--name", required=True, help="the agency's name")
    add.set_defaults(func=cmd_agency_add)
    token = agency_sub.add_parser("token", help="an exchange-only REST token for an agency's service account")
    token.add_argument("user", help="the account's user id")
    token.add_argument("--days", type=int, default=365, help="how long it is valid (1-1095, default 365)")
    token.set_defaults(func=cmd_agency_token)
    agency_sub.add_parser("list", help="the agencies and their organ ids").set_defaults(func=cmd_agency_list)
    officer = sub.add_parser("officer", help="security officers (the first one; later ones on the site)")
    officer_sub = officer.add_subparsers(dest="officer_command", required=True)
    for action, text in (("add", "make a user a security officer"), ("remove", "take the role away")):
        one = officer_sub.add_parser(action, help=text)
        one.add_argument("user", help="the user id")
        one.set_defaults(func=cmd_officer)
    officer_sub.add_parser("list", help="the security officers").set_defaults(func=cmd_officer)
    trust = sub.add_parser("trust", help="the CAs this site trusts (signatures of PDFs and of other sites' envelopes)")
    trust_sub = trust.add_subparsers(dest="trust_command", required=True)
    trust_add = trust_sub.add_parser("add", help="trust the CA certificates of a PEM file")
    trust_add.add_argument("file", help="a PEM file: the other site's CA certificate(s)")
    trust_remove = trust_sub.add_parser("remove", help="stop trusting a CA (by its SHA-256 fingerprint)")
    trust_remove.add_argument("fingerprint")
    trust_sub.add_parser("list", help="the trusted CAs: fingerprint, subject, end of validity")
    trust.set_defaults(func=cmd_trust)
    sync = sub.add_parser("sync", help="mirror issued documents and their status between two hdnd sites")
    sync.add_argument("--source", required=True, help="URL of the site that issues, e.g. http://a:8080/hdnd")
    sync.add_argument("--target", required=True, help="URL of the site that receives")
    sync.add_argument("--state", required=True, help="the client's state file (its cursor)")
    sync.add_argument("--limit", type=int, help="stop after this many outbox messages")
    sync.add_argument("--resend-refused", action="store_true",
                      help="first send again the envelopes the target refused (once the cause is mended)")
    sync.add_argument("--every", type=int, default=0, metavar="SECONDS", help="run again and again")
    sync.set_defaults(func=cmd_sync)
    from hdnd.policy import directory

    directory.add_parser(sub)
    return p


def main(argv=None):
    from hdnd.content.core.numbering import NumberingError
    from hdnd.content.core.reservations import ReservationError
    from zc.lockfile import LockError

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
