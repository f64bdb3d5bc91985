"""The ``hdnd`` command line: configure, create, upgrade and serve the site.

    hdnd setup [--demo]   write the instance configuration, create or upgrade
                          the site (and its demo data); safe to re-run
    hdnd serve            serve the site with waitress (Ctrl-C stops it)
    hdnd instance         only write the instance configuration
    hdnd zeo              run the ZEO server of the `zeo` profile

Settings come from options or the environment (HDND_PROFILE, HDND_VAR,
HDND_HOST, HDND_PORT, HDND_THREADS, HDND_ADMIN_USER, HDND_ADMIN_PASSWORD,
HDND_ZEO_ADDRESS, HDND_PG_DSN), so that `make run` needs no arguments.
"""

from pathlib import Path

import argparse
import os
import logging
import shutil
import sys
import warnings


PROFILES = ("filestorage", "zeo", "relstorage")
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

    from hdnd.policy.site import ensure_admin
    from hdnd.policy.site import ensure_site

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
    site, created = ensure_site(app, demo=args.demo)
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
        print("  demo users   see README.md (password: hdnd-demo unless HDND_DEMO_PASSWORD was set)")
    print()


def cmd_serve(args):
    # Rewritten each time, so that --port, --host or a profile change apply.
    zope_ini = write_instance(args).with_name("zope.ini")
    runwsgi = shutil.which("runwsgi", path=str(Path(sys.executable).parent)) or "runwsgi"
    print(f"hdnd: serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    os.execv(runwsgi, [runwsgi, str(zope_ini)])


def cmd_zeo(args):
    write_instance(args)
    zeo_conf = data_dir(args) / "etc" / "zeo.conf"
    if not zeo_conf.exists():
        raise SystemExit("hdnd: the zeo server belongs to the `zeo` profile (--profile zeo)")
    runzeo = shutil.which("runzeo", path=str(Path(sys.executable).parent)) or "runzeo"
    os.execv(runzeo, [runzeo, "-C", str(zeo_conf)])


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
    sub.add_parser("zeo", help="run the ZEO server (zeo profile)").set_defaults(func=cmd_zeo)
    return p


def main(argv=None):
    from zc.lockfile import LockError

    args = parser().parse_args(argv)
    try:
        args.func(args)
    except LockError as error:
        # FileStorage is single-process: a running `hdnd serve` holds it.
        raise SystemExit(
            f"hdnd: the database is in use ({error}); stop the running server first."
        ) from None


if __name__ == "__main__":
    main()
