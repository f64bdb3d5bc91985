"""Conditional requests on an item (issue 21), as RFC 9110 section 13 has them.

A GET of an item answers its ``ETag`` and ``Last-Modified``
(:mod:`hdnd.policy.versions`). With them a client of another agency may:

- make any change conditional: ``If-Match`` / ``If-Unmodified-Since`` (and
  ``If-None-Match``) on every unsafe method on an item - PATCH, DELETE,
  ``@workflow/<transition>``, hdnd's ``@hdnd-*`` POSTs, ``@lock``,
  ``@sharing``, ``@copy`` / ``@move``, a form posted to one of its pages,
  WebDAV... A precondition that does not hold answers 412 with a JSON body
  naming the header, and nothing runs (the transaction is aborted).
- revalidate what it holds: ``If-None-Match`` / ``If-Modified-Since`` on
  the item's GET or HEAD (``Accept: application/json``) answer 304 with no
  body and the same ``ETag``.

Where: one subscriber of IPubAfterTraversal (``gate``), not a list of
services: whatever is published, the item is the innermost content object
the request went through (an item's REST service, its ``@workflow``, a view
of it, its own WebDAV method). It runs after the gates that decide whether
the requester may send this request at all (hdnd.content.hidden answers a
hidden item as a missing one before any of these, then Zope's own
validation, the token scopes, CSRF; configure.zcml's order), and before the
gates that read the request's body, as RFC 9110 13.2.1 orders it: a
precondition is evaluated before the content is processed.

The 304 is the item's GET service's (``Get``, ``Head`` below): only that
answer is the representation the ETag stands for; a page or another GET
service of the item (its summary, its export) shows more than the item, so
a GET of them never answers 304.

Comparison (RFC 9110 8.8.3.2): If-Match is strong (a weak ``W/"…"`` tag
never matches), If-None-Match is weak; ``*`` matches any item that exists
(every item reached here exists). HTTP dates have whole seconds: a change in
the same second as the date counts as not after it (the ETag has no such
blind spot). An invalid date is ignored (RFC 9110 13.1.3, 13.1.4).
"""

from email.utils import formatdate
from email.utils import parsedate_to_datetime
from hdnd.content.hidden import traversed
from hdnd.content.interfaces import IHdndContentLayer
from hdnd.policy.versions import changed_at
from hdnd.policy.versions import etag
from plone.restapi.services import _no_content_marker
from plone.restapi.services.content.get import ContentGet
from zExceptions import HTTPPreconditionFailed

import json


# RFC 9110 9.2.1: the safe methods (and WebDAV's reading ones, RFC 4918).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND"})
NOT_MODIFIED = "not modified"


def _tags(value):
    """The entity tags of an If-Match / If-None-Match value, as sent."""
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def _weak_equal(a, b):
    return a.removeprefix("W/") == b.removeprefix("W/")


def _date(value):
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None  # not an HTTP date (those are GMT)
    return when.timestamp()


def evaluate(obj, request, method):
    """RFC 9110 13.2.2, in its order, for ``obj`` as the request's target.

    Returns None (go on), NOT_MODIFIED (a GET or HEAD: answer 304) or
    ``(header, message)`` of a precondition that failed (answer 412)."""
    if_match = request.getHeader("If-Match")
    if_none_match = request.getHeader("If-None-Match")
    # The ETag only when a tag is asked: every GET of an item comes here.
    current = etag(obj) if if_match or if_none_match else None
    if if_match:
        tags = _tags(if_match)
        if "*" not in tags and current not in tags:  # strong: a weak tag equals nothing
            return "If-Match", (
                f"If-Match: the item's version is no longer {if_match} (its ETag is now another); "
                "nothing was changed. GET it again, apply your change to what it holds now "
                "and send that with the new ETag.")
    else:
        since = request.getHeader("If-Unmodified-Since")
        limit = _date(since) if since else None
        when = changed_at(obj)
        if limit is not None and when is not None and int(when) > limit:
            return "If-Unmodified-Since", (
                f"If-Unmodified-Since: the item changed at {formatdate(when, usegmt=True)}, "
                f"after {since}; nothing was changed. GET it again and retry.")
    if if_none_match:
        tags = _tags(if_none_match)
        if "*" in tags or any(_weak_equal(tag, current) for tag in tags):
            if method in ("GET", "HEAD"):
                return NOT_MODIFIED
            return "If-None-Match", (
                f"If-None-Match: the item exists with the version {current}, which {if_none_match} "
                "matches; nothing was changed.")
    elif method in ("GET", "HEAD"):
        since = request.getHeader("If-Modified-Since")
        limit = _date(since) if since else None
        when = changed_at(obj)
        if limit is not None and when is not None and int(when) <= limit:
            return NOT_MODIFIED
    return None


class PreconditionFailed(HTTPPreconditionFailed):
    """A precondition of the request does not hold for its item: 412."""

    def __init__(self, header, message):
        super().__init__(message)
        self.header = header
        self.message = message


def body(header, message):
    return {"error": {"type": "PreconditionFailed", "header": header, "message": message}}


def item_of(request):
    """The item a request is on: the innermost content object it went
    through (the site root for the site's own services)."""
    found = traversed(request)
    return found[-1] if found else None


def gate(event):
    """IPubAfterTraversal: an unsafe request whose precondition does not hold
    for its item is refused with a 412 before anything runs."""
    request = event.request
    method = (request.get("REQUEST_METHOD") or "GET").upper()
    if method in SAFE_METHODS or not IHdndContentLayer.providedBy(request):
        return
    if not any(request.getHeader(name) for name in
               ("If-Match", "If-Unmodified-Since", "If-None-Match")):
        return  # nothing asked: nothing read
    obj = item_of(request)
    if obj is None:
        return
    failed = evaluate(obj, request, method)
    if failed is not None and failed != NOT_MODIFIED:
        raise PreconditionFailed(*failed)


class PreconditionFailedView:
    """The error view of :class:`PreconditionFailed`, for a REST client and a
    browser alike: 412 with the JSON body PATCH has always answered."""

    def __init__(self, context, request):
        self.context, self.request = context, request

    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "application/json")
        response.setStatus(412, lock=1)
        response.setBody(json.dumps(body(self.context.header, self.context.message)), lock=1)
        response._has_challenged = True  # as plone.rest's error view: no login page
        return response.body


def head_without_body(event):
    """IPubBeforeCommit and IPubBeforeAbort: the answer to a HEAD has GET's
    headers and no body (RFC 9110 9.3.2), errors included. Zope sets an
    error view's body for HEAD as for GET, and waitress sends it: on a
    kept-alive connection the client then reads that body as the start of
    its next answer. The length stays what GET's body would have."""
    request = event.request
    if request.get("REQUEST_METHOD") != "HEAD":
        return
    response = request.response
    body = getattr(response, "body", b"")
    if isinstance(body, bytes) and body:  # a stream (a file's) is the server's to leave unsent
        if not response.getHeader("Content-Length"):
            response.setHeader("Content-Length", str(len(body)))
        response.body = b""


# -- the item's own GET and HEAD: the answer the ETag stands for

class Get(ContentGet):
    """GET of an item, with its version as ETag and its time as Last-Modified;
    a conditional GET (If-None-Match, If-Modified-Since) of an item that has
    not changed answers 304 with no body (``evaluate`` above)."""

    def reply(self):
        response = self.request.response
        found = evaluate(self.context, self.request, self.request.get("REQUEST_METHOD", "GET").upper())
        if found == NOT_MODIFIED:
            self._validators()
            return self.reply_no_content(status=304)
        if found is not None:  # If-Match on a GET (RFC 9110 13.1.1 allows it)
            response.setStatus(412)
            return body(*found)
        result = self.full()
        if response.getStatus() == 200:
            self._validators()
        return result

    def full(self):
        return super().reply()

    def _validators(self):
        response = self.request.response
        response.setHeader("ETag", etag(self.context))
        when = changed_at(self.context)
        if when is not None:
            response.setHeader("Last-Modified", formatdate(when, usegmt=True))
        # With validators and no Cache-Control a cache may keep the answer and
        # reuse it unasked (heuristic freshness, RFC 9111 4.2.2). It is one
        # person's (what they may see): no shared cache stores it; a client's
        # own asks again each time - a 304 when nothing changed. The same URL
        # answers the page to a browser: the media type is part of the key.
        response.setHeader("Cache-Control", "private, no-cache")
        response.setHeader("Vary", "Accept")


class Head(Get):
    """HEAD of an item (``Accept: application/json``): GET's status and
    headers - its validators, its media type and the length its body would
    have (RFC 9110 9.3.2) - and no body."""

    def full(self):
        result = super().full()
        text = json.dumps(result, indent=2, sort_keys=True, separators=(", ", ": "))  # as render() would
        response = self.request.response
        response.setHeader("Content-Type", self.content_type)
        response.setHeader("Content-Length", str(len(text.encode("utf-8"))))
        return _no_content_marker
