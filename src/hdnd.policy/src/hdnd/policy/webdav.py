"""hdnd speaks no WebDAV.

Zope answers WebDAV's methods on every folder, and a PROPFIND lists a
folder's items with their titles by ``listDAVObjects``, which gives an
administrator ``objectValues()`` unfiltered: classified items included,
which no listing of hdnd's may name to someone who may not see them. Nobody
in the office uses WebDAV (the web interface and the REST API do all), so
its methods are refused on every URL, after the gate at traversal (a
hidden item still answers as a missing one).
"""

from zExceptions import MethodNotAllowed


WEBDAV_METHODS = frozenset({"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"})


def refuse(event):
    """IPubAfterTraversal: a WebDAV method is a 405."""
    if event.request.get("REQUEST_METHOD", "GET").upper() in WEBDAV_METHODS:
        raise MethodNotAllowed("hdnd does not speak WebDAV: use the web interface or the REST API.")
