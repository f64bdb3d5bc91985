"""Where an instance lives and its configuration: the project's deployment
profiles rendered into VAR/etc. Plain Python: the commands that need no
database (instance, serve, zeo) use only this."""

from datetime import date
from pathlib import Path

import argparse
import logging
import os
import warnings


PROFILES = ("filestorage", "zeo", "relstorage", "confidential")


DEFAULT_ADMIN = ("admin", "admin")


def find_home():
    """The project directory, which holds the deployment profiles."""
    candidates = []
    if os.environ.get("HDND_HOME"):
        candidates.append(Path(os.environ["HDND_HOME"]))
    candidates.append(Path.cwd())
    # An editable install: src/hdnd.policy/src/hdnd/policy/cli/instance.py
    candidates.append(Path(__file__).resolve().parents[6])
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


def iso_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None
