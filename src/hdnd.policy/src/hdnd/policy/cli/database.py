"""Opening the configured database in this process, as `zconsole run`
does, and running a command's work in its site."""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.users import system
from hdnd.policy.cli.instance import data_dir
from hdnd.policy.cli.instance import log_to
from hdnd.policy.cli.instance import write_instance
from hdnd.policy.site import SITE_ID
from pathlib import Path
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest
from Zope2.Startup.run import make_wsgi_app

import transaction
import Zope2


def open_app(zope_conf: Path):
    """Start Zope in this process, as `zconsole run` does, and return the app."""
    make_wsgi_app({}, str(zope_conf))
    app = makerequest(Zope2.app())
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    return app


def open_site(args):
    """Open the configured database and its hdnd site (`--site`, default
    hdnd), as `setup` does; the site is ``app[site_id]``."""
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
