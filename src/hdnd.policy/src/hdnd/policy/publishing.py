"""What the publisher is about to call, for the checks that run after
traversal (pending.py, scopes.py).

They decide on the object published — a named view, a REST service, a static
file — never on the text of the URL: Zope resolves ``..``, plone.rest serves
``++api++`` paths, and a service takes further path segments as parameters,
so a URL can name one thing and publish another.
"""

from plone.rest.interfaces import IService
from zope.browserresource.interfaces import IResource


def published_name(request):
    """The name of the view or REST service being published (a service's
    without its method and media type, e.g. ``@hdnd-outbox``), or None."""
    published = request.get("PUBLISHED")
    name = getattr(published, "__name__", None)
    if not isinstance(name, str):
        return None
    if IService.providedBy(published):
        prefix = getattr(request, "_rest_service_id", None) or ""
        return name[len(prefix):] if prefix and name.startswith(prefix) else None
    return name


def is_service(request):
    return IService.providedBy(request.get("PUBLISHED"))


def is_static(request):
    """A file of the site's look (CSS, scripts, icons): nothing of anyone's."""
    published = request.get("PUBLISHED")
    if IResource.providedBy(published):
        return True
    module = type(published).__module__ or ""
    # plone.resource (++plone++, ++theme++) and Plone's bundles (++webresource++)
    return module.startswith(("plone.resource.", "Products.CMFPlone.resources."))
