"""The ZMI is closed on an hdnd instance.

Zope's management screens show what Plone's pages and hdnd's gates never
would: a folder's ``manage_main`` lists every item's id, classified ones
included; the catalog's screens list every path and an item's indexed
metadata (its title); the root can export the whole site. A Zope
administrator would learn there of what no administrator may see (domain
§5). Operators run the ``hdnd`` command on the server instead (setup,
upgrades, backups, officers, agencies), which needs no web screen.

Decided on what is published — a method or template of Zope's whose name
begins with ``manage`` — after the gate at traversal (a hidden item still
answers as a missing one).
"""

from zExceptions import Forbidden


def _name(published):
    name = getattr(published, "__name__", None)
    if not isinstance(name, str):
        name = getattr(getattr(published, "__func__", None), "__name__", "")
    return name or ""


def refuse(event):
    """IPubAfterTraversal: a management screen or action is a 403."""
    request = event.request
    if _name(request.get("PUBLISHED")).startswith("manage"):
        raise Forbidden("The ZMI is closed on hdnd: operators use the hdnd command on the server.")
