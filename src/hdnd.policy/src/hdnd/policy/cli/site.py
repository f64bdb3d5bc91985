"""`hdnd setup` (create or upgrade the site, its demo data) and `hdnd
demo-code` (the demo accounts' second-factor code)."""

from hdnd.content.docgen import libreoffice
from hdnd.content.docgen.install import configure_libreoffice
from hdnd.content.installation import set_reservation_key
from hdnd.content.security import declassify_expired
from hdnd.policy.cli import database
from hdnd.policy.cli.instance import data_dir
from hdnd.policy.cli.instance import DEFAULT_ADMIN
from hdnd.policy.cli.instance import log_to
from hdnd.policy.cli.instance import write_instance
from hdnd.policy.demo.signatures import ensure_keys
from hdnd.policy.demo.users import DEMO_FACTOR_SECRET
from hdnd.policy.signin.credentials import current_code
from hdnd.policy.site import ensure_admin
from hdnd.policy.site import ensure_site
from hdnd.policy.site import SetupError

import os
import transaction


def cmd_setup(args):
    zope_conf = write_instance(args)
    log_to(data_dir(args))
    app = database.open_app(zope_conf)
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
    for path in declassify_expired():
        print(f"hdnd: declassified {path} (protection period over)")
    configure_documents(args)
    if args.demo:
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
        print("  demo users   see README.md (password: hdnd-demo-2026 unless HDND_DEMO_PASSWORD was set)")
        print(f"  2nd factor   demo users with a clearance: add the key {DEMO_FACTOR_SECRET} to an")
        print("               authenticator app, or type the code `hdnd demo-code` prints")
    print()


def cmd_demo_code(args):
    """The code an authenticator app with the demo key shows now (no database needed)."""
    print(current_code(DEMO_FACTOR_SECRET))


def configure_documents(args):
    """Point document generation at this instance's LibreOffice (the port of
    HDND_OO_PORT) and at a UNO-enabled Python that can import appy."""
    configure_libreoffice(libreoffice.uno_python(data_dir(args) / "uno"), libreoffice.port())
