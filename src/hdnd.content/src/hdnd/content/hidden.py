"""The one gate at traversal: a classified item that the requester may not
see does not exist for them, by any URL (domain §5); nor does a secret
document stub (see ``_hides``).

Zope asks an item's own protection only when the item itself, or a method
of it, is published. Plone registers many public views for every object
(``@@plone_context_state``, ``@@breadcrumbs_view``…), plone.restapi adds
services, and ``++namespace++`` traversers reach further: each of them,
traversed *through* a hidden item, would answer about it. So the rule is
applied to the traversal itself, whatever is published at its end:

- ``check`` (IPubAfterTraversal) looks at every content object the request
  went through. If one is classified and the authenticated requester has no
  View on it, the request is answered as a URL that does not exist: the same
  NotFound, raised as if traversal had stopped at that name, so Plone's and
  plone.rest's error pages render in the context of the container (never in
  the hidden item's) with the URL a missing item would give.
- Some requests fail before that event: Zope refuses to validate the
  requester for what was published (anonymous on the item's page → 401, or a
  redirect to the login form), or traversal beyond the item raises (a view
  that wants a sub-path, a namespace with no such name). ``error_view``
  answers those exactly as ``check`` does when the traversal went through a
  classified item, since whoever failed validation there is nobody who may
  see it; any other error goes to the view that would have answered it.

A person named on a document is not always named on its classified dossier:
a classified item is passed over on the way to something deeper in it that
the requester does see (its id is in the URL they were given; its title and
state are not shown).
"""

from AccessControl import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SpecialUsers import nobody
from Acquisition import aq_base
from Acquisition import aq_chain
from Acquisition import aq_inner
from Acquisition import aq_parent
from hdnd.content import notpages
from hdnd.content.interfaces import IHdndContentLayer
from hdnd.content.security import is_classified_item
from hdnd.content.types.secret_stub import ISecretDocumentStub
from plone.app.uuid.utils import uuidToObject
from plone.outputfilters.browser.resolveuid import ResolveUIDView
from plone.rest.cors import lookup_preflight_service_id
from plone.rest.errors import ErrorHandling
from plone.rest.interfaces import IAPIRequest
from plone.rest.negotiation import lookup_service_id
from Products.CMFCore.interfaces import IContentish
from urllib.parse import quote
from webdav.NullResource import NullResource
from zExceptions import NotFound
from zExceptions import Unauthorized
from zope.component import getSiteManager
from zope.interface import Interface
from zope.interface import noLongerProvides
from zope.interface import providedBy
from ZPublisher.interfaces import IPubAfterTraversal


LAST = "hdnd.hidden.last"  # the hidden (or missing) name ended the URL


def _content(obj):
    """The content object a traversed thing stands for (a view or a REST
    service stands for its context), or None."""
    for candidate in (obj, getattr(obj, "context", None)):
        if candidate is not None and IContentish.providedBy(candidate):
            return candidate
    return None


def traversed(request):
    """The content objects the request went through, outermost first."""
    parents = list(reversed(request.get("PARENTS") or ()))
    published = request.get("PUBLISHED")
    seen, found = set(), []
    for obj in parents + ([published] if published is not None else []):
        content = _content(obj)
        if content is not None and id(aq_base(content)) not in seen:
            seen.add(id(aq_base(content)))
            found.append(content)
    return found


def _hides(obj):
    """Whether ``obj`` does not exist for whoever may not see it: a
    classified item, and a secret document stub, whose being there tells
    that a secret document was issued (its number is in its URL); the
    people its workflow names see it (hdnd_secret_stub_workflow)."""
    return is_classified_item(obj) or ISecretDocumentStub.providedBy(obj)


def _may_see(obj, validated):
    return validated and bool(getSecurityManager().checkPermission("View", obj))


def hidden_in(request, validated=True):
    """The outermost classified item on the request's way that the requester
    may not see (and sees nothing beneath), or None.

    ``validated`` is False when Zope refused the requester: then nobody who
    may see a classified item is asking."""
    chain = traversed(request)
    for index, obj in enumerate(chain):
        if not _hides(obj) or _may_see(obj, validated):
            continue
        # Passed over on the way to a deeper item the requester sees, that it holds.
        inner = aq_inner(obj)
        if any(_may_see(deeper, validated) and _holds(inner, deeper) for deeper in chain[index + 1:]):
            continue
        return obj
    return None


def _holds(container, obj):
    base = aq_base(container)
    return any(aq_base(item) is base for item in aq_chain(aq_inner(obj))[1:])


def _as_missing(request, hidden):
    """Leave the request as if traversal had stopped at the hidden item's
    name: its parents end at the container, its URL at the name. Returns the
    NotFound a missing item raises."""
    parents = request["PARENTS"]
    forward = list(reversed(parents))
    published = request.get("PUBLISHED")
    if published is not None:
        forward.append(published)
    position = next(
        (i for i, obj in enumerate(forward) if aq_base(_content(obj) or obj) is aq_base(hidden)), None)
    url = request.get("URL", "")
    if position is not None:
        url = _url_of(url, hidden, deeper=len(forward) - position - 1)
        parents[:] = list(reversed(forward[:position])) or parents[-1:]
    else:
        parents[:] = [aq_parent(aq_inner(hidden))] + [p for p in parents if _content(p) is None][-1:]
    # HEAD of a missing last name publishes WebDAV's NullResource (see _Locked).
    request.other[LAST] = request.get("ACTUAL_URL", "").rstrip("/") == url.rstrip("/")
    request["URL"] = url
    request["PUBLISHED"] = parents[0]
    # Traversal that ended gave the response the item's URL as the page's
    # <base>; a missing name never ends a traversal, so its page has none.
    request.response.setBase(None)
    if IAPIRequest.providedBy(request) and "/++api++" not in url and not _asks_for_api(request):
        # ++api++ came after the hidden name: traversal never got there.
        noLongerProvides(request, IAPIRequest)
    # Traversal stops at a missing name before anyone is validated, so its
    # NotFound is rendered for nobody in particular (no traceback for an
    # administrator, the nearest context anonymous may see): so is this one.
    request.other.pop("AUTHENTICATED_USER", None)
    newSecurityManager(None, nobody)
    return NotFound(url)


def _asks_for_api(request):
    """Whether plone.rest takes the request for its own by its method and
    headers alone, as it decides when the request starts."""
    method = request.get("REQUEST_METHOD", "GET")
    if method == "OPTIONS" and request.getHeader("Origin", False):
        return lookup_preflight_service_id(request.getHeader("Access-Control-Request-Method", None)) is not None
    return lookup_service_id(method, request.getHeader("Accept", "text/html")) is not None


def _url_of(url, hidden, deeper):
    """The request's URL cut after the hidden item's name. Each of the
    ``deeper`` objects traversed beyond the item added a step to the URL; a
    traversal that failed added one more, for the name it could not find."""
    steps = url.split("/")
    name = quote(hidden.getId())
    end = len(steps) - 1 - deeper
    while end > 0 and steps[end] != name:
        end -= 1
    return "/".join(steps[:end + 1]) if end > 0 else url


def check(event):
    """IPubAfterTraversal: answer as a missing URL for a hidden item.

    Subscribed to every publication event (IPubEvent), and acting on
    IPubAfterTraversal only, so that it runs before the subscribers of
    IPubAfterTraversal itself (zope.component calls the less specific
    first): no other answer — plone.caching's 304 to a conditional GET, a
    cache rule's header, a token scope's 403 — comes first to tell that
    something is there."""
    if not IPubAfterTraversal.providedBy(event):
        return
    request = event.request
    hidden = hidden_in(request)
    if hidden is not None:
        raise _as_missing(request, hidden)
    # Then what is published: a name that is no page, or is asked without
    # the input it needs, answers 404/400 rather than failing with a 500.
    notpages.refuse(request)


def error_view(exception, request):
    """The exception view of every error on an hdnd site: a NotFound's for a
    request that failed on its way through a classified item the requester
    may not see (Zope's refusal to validate them — a 401, a redirect to the
    login form — or any error of the traversal beyond the item: each would
    tell that something is there), the usual one otherwise."""
    refused = request.get("AUTHENTICATED_USER") is None
    hidden = hidden_in(request, validated=not refused)
    if hidden is not None:
        not_found = _as_missing(request, hidden)
    elif _missing_head(exception, request):
        request.other[LAST] = True
        not_found = NotFound(request.get("URL", ""))
    else:
        # A name that is no page, failing on the way to it: a missing URL
        # (Zope has set the status from the error: _Locked makes it 404).
        not_found = notpages.not_a_page(exception, request)
        if not_found is None:
            return _usual_view(exception, request)
    view = _usual_view(not_found, request)
    return _Locked(view, request) if view is not None else None


def _missing_head(exception, request):
    """HEAD of a missing name: Zope publishes a WebDAV NullResource for it,
    whose HEAD challenges a requester that is not signed in (401) and tells
    the others 404 — which told a bad password from a good one, and would
    tell a hidden item from a missing one. It answers as GET does: 404."""
    published = request.get("PUBLISHED")
    return (_head(request) and isinstance(exception, Unauthorized)
            and isinstance(getattr(published, "__self__", published), NullResource))


def _head(request):
    return request.get("REQUEST_METHOD") == "HEAD"


def _usual_view(exception, request):
    """The view that answers ``exception`` where hdnd has nothing to hide:
    the one registered for the request without hdnd's layer, which is what
    this view is registered for."""
    if isinstance(exception, NotFound) and IAPIRequest.providedBy(request):
        return NotFoundErrorHandling(exception, request)
    spec = providedBy(request) - IHdndContentLayer
    factory = getSiteManager().adapters.lookup((providedBy(exception), spec), Interface, name="index.html")
    return factory(exception, request) if factory is not None else None


class _Locked:
    """Renders the NotFound's view, then keeps the response a 404: Zope goes
    on to challenge the Unauthorized (a 401, a redirect to the login form)
    after the exception view has answered; a challenged, locked response is
    left alone (plone.rest's error view does the same)."""

    def __init__(self, view, request):
        self.view = view
        self.request = request

    @property
    def __parent__(self):
        return self.view.__parent__

    @__parent__.setter
    def __parent__(self, parent):
        # Zope sets the first of the request's parents, which _as_missing
        # has made the hidden item's container.
        self.view.__parent__ = parent

    def __call__(self):
        response = self.request.response
        response.setStatus(404)
        body = self.view()
        if body is None:  # plone.rest's view writes the body itself
            body = response.body
        if body and not response.getHeader("Content-Type"):
            response.setHeader("Content-Type", "text/html")
        if body and not _head(self.request):
            body = _transformed(self.request, body)
        if _head(self.request):
            body = ""
            if self.request.get(LAST) and not IAPIRequest.providedBy(self.request):
                # As WebDAV's NullResource answers HEAD of a missing name;
                # a REST HEAD (hdnd.policy.conditions.Head) of one is
                # plone.rest's NotFound, with no such header.
                response.setHeader("Accept-Ranges", "none")
        response.setStatus(404, lock=1)
        response.setBody(body, lock=1)
        response._has_challenged = True
        return body


def _transformed(request, body):
    """``body`` as Plone's transforms (the theme, above all) leave a missing
    item's page: they run at the end of the request, when the locked body
    below refuses them; unthemed, a hidden item's page told a browser
    (Accept: text/html) that it was not a missing one."""
    from plone.transformchain.zpublisher import applyTransform

    result = applyTransform(request, body)
    if result is None or isinstance(result, (str, bytes)):
        return body if result is None else result
    return "".join(part.decode("utf-8") if isinstance(part, bytes) else part for part in result)


class NotFoundErrorHandling(ErrorHandling):
    """plone.rest's answer to a NotFound, without the traceback it gives
    administrators: a missing URL has none worth reading, and the gate's
    NotFound is raised elsewhere than traversal's, which the traceback would
    tell an administrator looking for what is hidden."""

    def render_traceback(self, exception):
        return None


class ResolveUID(ResolveUIDView):
    """``resolveuid/<uid>`` finds its item by the catalog, unrestricted, and
    redirects to it: for a hidden item that told its path to anyone. It says
    of a hidden uid what it says of one that names nothing."""

    def __call__(self):
        item = uuidToObject(self.uuid, unrestricted=True)
        if item is not None and _hides(item) and not _may_see(item, True):
            raise NotFound("The link you followed is broken")
        return super().__call__()
