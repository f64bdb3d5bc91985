"""Request bodies: the one reader of JSON bodies for hdnd's services, and
the checks that let no malformed body reach a service as a 5xx.

- :func:`read` is how every hdnd service reads its JSON body: it must be
  ``application/json``, valid JSON, an object at the top (unless the service
  asks for another shape), no deeper than :data:`DEPTH` and no larger than
  its limit. Anything else is a ``zExceptions.BadRequest`` naming the
  problem, which plone.rest renders as 400 ``{"type": "BadRequest",
  "message": "body: …"}`` — or, for another media type, 415
  (:class:`UnsupportedMediaType`), and for a body over its limit, 413
  (:class:`RequestEntityTooLarge`), with the same message (a classic page shows Plone's 400 page). An empty
  body is ``{}``, as plone.restapi's ``json_body`` has it: many POSTs carry
  none.
- :func:`check_json_body` (before the site is traversed, so before
  plone.restapi's token plugin parses the body) and :func:`check_rest_body`
  (after traversal, before the service runs) do the same checks — except
  the media type — once for every REST request with a body, plone.restapi's
  own services included: they read it with
  ``plone.restapi.deserializer.json_body``, which answers a top-level array
  with a DeserializationError and deep nesting with a RecursionError, both
  a 500. A service that reads another kind of body (edXML, TUS chunks)
  provides :class:`IReadsOwnBody`. :class:`DeserializationErrorView` makes
  the DeserializationErrors that still escape (e.g. from the query string
  of ``@querystring-search``) a 400.
- :func:`check_method` (before the site is traversed): a method Zope
  does not serve (``QUERY``, ``FOO``…) is a 405 naming the methods it
  does; Zope's traversal takes any other method for WebDAV and fails with
  an AttributeError, a 500, on every URL.
- :func:`check_form_encoding` (when the request starts): a
  ``multipart/form-data`` request without its ``boundary`` is a 400; Zope's
  form parser would fail on it with a KeyError, a 500, on every URL.
"""

from plone.rest.interfaces import IService
from Products.Five.browser import BrowserView
from zExceptions import BadRequest
from zExceptions import HTTPRequestEntityTooLarge
from zExceptions import HTTPUnsupportedMediaType
from zExceptions import MethodNotAllowed
from zope.interface import Interface

import json


# The largest body a service takes: the exchange receives documents with
# their files in base64 (up to 50 MB each, exchange.MAX_FILE), as plone.restapi
# takes files in POSTs; ordinary services read far less (SMALL).
LIMIT = 128 * 1024 * 1024
SMALL = 1024 * 1024
# Deeper than any body hdnd or Volto sends (Volto's blocks nest a few dozen
# levels at most); far below the depth where parsing or serialising
# recurses into a RecursionError.
DEPTH = 100
JSON_TYPES = ("application/json",)

KINDS = {dict: "an object ({…})", list: "an array ([…])", str: "a string", int: "a number", float: "a number",
         bool: "true or false", type(None): "null"}


class IReadsOwnBody(Interface):
    """A REST service whose body is not (always) a JSON object: it reads
    and checks the body itself (e.g. an edXML envelope)."""


class BodyError(ValueError):
    """What is wrong with a body (the message names it: ``body: …``)."""


class BodyTooLarge(BodyError):
    """A body over its limit: 413."""


# Named as Zope's status table names them: ``response.setStatus(type(error))``
# (plone.rest's and Plone's error views) gives 415 and 413, where zExceptions'
# own HTTP… classes would give 500.
class UnsupportedMediaType(HTTPUnsupportedMediaType):
    """415: a body in a media type the service does not read."""


class RequestEntityTooLarge(HTTPRequestEntityTooLarge):
    """413: a body over the service's limit."""


def kind(value):
    return KINDS.get(type(value), type(value).__name__)


def depth(value):
    """How deeply arrays and objects nest in ``value`` (a scalar: 0),
    without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > DEPTH:
            break
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def nesting(text):
    """How deeply brackets nest in ``text`` read as JSON (strings skipped),
    by one scan and no parsing: for parameters whose reader parses them
    unchecked."""
    deepest = level = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            if level > deepest:
                deepest = level
                if deepest > DEPTH:
                    break
        elif char in "]}":
            level -= 1
    return deepest


def parse(data, top=dict, limit=LIMIT):
    """The JSON value in ``data`` (bytes or text), checked; raises BodyError."""
    if len(data) > limit:
        raise BodyTooLarge(f"body: larger than {limit // 1024} kB")
    try:
        value = json.loads(data)
    except RecursionError:
        raise BodyError(f"body: nested deeper than {DEPTH} levels") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, too long a number
        raise BodyError(f"body: not valid JSON ({error})") from None
    if depth(value) > DEPTH:
        raise BodyError(f"body: nested deeper than {DEPTH} levels")
    if top is not None and not isinstance(value, top):
        wanted = " or ".join(KINDS[t] for t in (top if isinstance(top, tuple) else (top,)))
        raise BodyError(f"body: expected {wanted} at the top, got {kind(value)}")
    return value


def media_type(request):
    return (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()


def is_json(request):
    kind_ = media_type(request)
    return kind_ in JSON_TYPES or kind_.endswith("+json")


def raw(request):
    body = request.get("BODY")
    return body or b""


def read(request, top=dict, limit=SMALL, empty=None):
    """The JSON body of ``request``, checked (see the module). An empty body
    gives ``empty`` (``{}`` unless said otherwise). Raises BadRequest."""
    body = raw(request)
    if not body.strip():
        return {} if empty is None else empty
    if not is_json(request):
        raise UnsupportedMediaType("Content-Type: send the body as application/json")
    try:
        return parse(body, top=top, limit=limit)
    except BodyError as error:
        raise refusal(error) from None


def bad_request(request, message, errors=()):
    """The 400 answer of a REST service: plone.rest's shape for a BadRequest
    (``type``, ``message``) and the fields it names, ``errors``
    [{field, message}], so that a client can mark them."""
    request.response.setStatus(400)
    return {"type": "BadRequest", "message": message, "errors": list(errors)}


def refusal(error):
    """The HTTP error for a :class:`BodyError`: 413 for a body over its
    limit, 400 for anything else."""
    return (RequestEntityTooLarge if isinstance(error, BodyTooLarge) else BadRequest)(str(error))


SOUND = "hdnd.bodies.sound"  # in the request's environ: the JSON body's top-level type, once checked


def check_json_body(site, event):
    """Before the site is traversed, hence before anyone is authenticated:
    a body sent as ``application/json`` is JSON, not too large and not too
    deep. plone.restapi's token plugin parses every such body while it
    looks for credentials, and deep nesting fails there (a RecursionError,
    a 500 for any URL). Its shape is the published service's business
    (:func:`check_rest_body`): the check here answers the same whatever
    the URL, so it tells nothing of what is behind it."""
    request = event.request
    if request.environ.get(FORMLESS):
        raise BadRequest("Content-Type: multipart/form-data needs its boundary")
    check_parameters(request)
    if request.environ.get(SOUND) or not is_json(request):
        return
    body = raw(request)
    if not body.strip():
        return
    try:
        value = parse(body, top=None)
    except BodyError as error:
        raise refusal(error) from None
    request.environ[SOUND] = type(value)


def check_parameters(request):
    """No parameter of the query string or a form nests deeper than a body
    may: plone.restapi reads some as JSON itself (``@querystring-search``'s
    ``query``), where deep nesting is a RecursionError, a 500."""
    for name, value in (request.form or {}).items():
        for text in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(text, str) and text.lstrip()[:1] in ("[", "{") and nesting(text) > DEPTH:
                raise BadRequest(f"{name}: nested deeper than {DEPTH} levels")


def check_rest_body(event):
    """IPubAfterTraversal: a REST service's body is a sound JSON object
    before the service (plone.restapi's or hdnd's) reads it, whatever its
    media type (plone.restapi reads the body as JSON regardless). Registered
    after the traversal and scope gates (hdnd.policy's configure.zcml), so
    that what they refuse is refused the same whatever the body."""
    request = event.request
    published = request.get("PUBLISHED")
    if not IService.providedBy(published) or IReadsOwnBody.providedBy(published):
        return
    body = raw(request)
    if not body.strip():
        return
    checked = request.environ.get(SOUND)
    try:
        if checked is None:
            parse(body, top=dict)
        elif checked is not dict:
            raise BodyError(f"body: expected {KINDS[dict]} at the top, got {KINDS.get(checked, checked.__name__)}")
    except BodyError as error:
        raise refusal(error) from None


FORMLESS = "hdnd.bodies.formless"  # in the environ: the Content-Type Zope could not have parsed


def check_form_encoding(event):
    """IPubStart: a multipart body without its boundary is not given to
    Zope's form parser (ZPublisher's ZopeFieldStorage reads
    ``options["boundary"]``: a KeyError, a 500, on any URL). Its type is
    put aside and :func:`check_json_body` answers 400 when the site is
    traversed (an exception raised at IPubStart itself escapes Zope's error
    handling)."""
    from multipart import parse_options_header

    environ = event.request.environ
    content_type, options = parse_options_header(environ.get("CONTENT_TYPE") or "")
    if content_type.lower() == "multipart/form-data" and not options.get("boundary"):
        environ[FORMLESS] = environ["CONTENT_TYPE"]
        environ["CONTENT_TYPE"] = "application/octet-stream"


def use_xmlrpc(request):
    """IXmlrpcChecker: Zope's built-in XML-RPC takes every POST whose
    Content-Type merely *contains* text/xml and parses its body as a
    method call (an ExpatError, a 500, on anything else). It is left only
    the bodies that can be XML-RPC: media type text/xml, to no REST service
    (a path with "@"). SOAP with attachments (``multipart/related;
    type="text/xml"``, Bkav eDoc's edXML) and an envelope sent as text/xml to
    @hdnd-edxml reach their service."""
    from multipart import parse_options_header

    environ = request.environ
    content_type, _options = parse_options_header(environ.get("CONTENT_TYPE") or "")
    return content_type.lower() == "text/xml" and "/@" not in (environ.get("PATH_INFO") or "")


# What hdnd serves: HTTP's methods (plone.rest's services answer GET, POST,
# PUT, PATCH, DELETE, OPTIONS); PURGE is for caching proxies. Not WebDAV's,
# which Zope would answer on every folder: a PROPFIND lists a folder's items
# with their titles by ``listDAVObjects``, which gives an administrator
# ``objectValues()`` unfiltered, classified items included; nobody in the
# office uses WebDAV (the web interface and the REST API do all).
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE")


def check_method(site, event):
    """Before the site is traversed: a method outside :data:`METHODS` is
    a 405 with the ``Allow`` header, for every URL of the site alike (so it
    tells nothing of what is behind the URL)."""
    request = event.request
    method = (request.get("REQUEST_METHOD") or "GET").upper()
    if method not in METHODS:
        request.response.setHeader("Allow", ", ".join(METHODS))
        raise MethodNotAllowed(f"method: {method} is not served here; use one of {', '.join(METHODS)}")


class DeserializationErrorView(BrowserView):
    """plone.restapi's DeserializationError (a body or query it cannot read)
    on a REST request: a 400 naming the problem, not plone.rest's 500."""

    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "application/json")
        response.setStatus(400, lock=1)
        response.setBody(json.dumps({"type": "BadRequest", "message": str(self.context)}), lock=1)
        # As plone.rest's error view: no login page in answer to an API call.
        response._has_challenged = True
