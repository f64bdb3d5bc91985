"""What is registered for an item, read from the component registry: every
browser view, plone.restapi service and ``++namespace++`` traverser.

The gates that must reach everything a URL can name (test_hidden's attack
surface, test_gets_write_nothing's GETs) enumerate it here, once, so a view
or service added later is asked without anyone listing it, and both gates
agree on what a view and a service are.
"""

from zope.component import getSiteManager
from zope.interface import providedBy
from zope.publisher.interfaces.browser import IBrowserRequest
from zope.traversing.interfaces import ITraversable


# plone.restapi names a service "<METHOD>_<type>_<subtype>_<name>"
# (GET_application_json_@search, HEAD_application_json_ for the item itself).
HTTP_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")


def all_adapters(registry, seen=None):
    """The adapters of a registry and of the registries it stacks on (the
    test layers stack theirs on the global one, the site's on both)."""
    seen = set() if seen is None else seen
    if id(registry) in seen:
        return
    seen.add(id(registry))
    yield from registry.registeredAdapters()
    for base in registry.__bases__:
        yield from all_adapters(base, seen)


def registered(context):
    """(views, services, namespaces) registered for ``context``: the names of
    browser views, the (method, name) of REST services, the names of
    traversal namespaces."""
    provided = providedBy(context)
    views, services, namespaces = set(), set(), set()
    for registration in all_adapters(getSiteManager(context)):
        required, name = registration.required, registration.name
        if not name or len(required) != 2 or not provided.isOrExtends(required[0]):
            continue
        if registration.provided is ITraversable:
            namespaces.add(name)
        elif required[1].isOrExtends(IBrowserRequest):
            method, _sep, rest = name.partition("_")
            if method not in HTTP_METHODS:
                views.add(name)
            elif rest.count("_") >= 2:  # <type>_<subtype>_<name>
                services.add((method, rest.split("_", 2)[2]))
    return views, services, namespaces
