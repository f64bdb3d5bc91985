"""Security headers on every response hdnd serves — pages, REST answers,
downloads and error pages — set once, here, before the response leaves.

- Content-Security-Policy: only this site's scripts, styles, images, fonts
  and frames (Plone's classic UI still needs inline scripts and styles),
  no plugins, forms posting only here, and no framing by other sites;
- X-Frame-Options (older browsers), X-Content-Type-Options, a referrer
  that never leaves the site, no camera, microphone or location;
- Strict-Transport-Security when the request came over TLS (directly or
  through a proxy that says so): never on plain HTTP, where it would be
  ignored, or would lock a site without TLS out of its own browsers.
- ``Secure`` on every cookie set over TLS — the session cookie (``__ac``,
  also when renewed) above all, which went without it while HSTS was sent
  (found in review). plone.session's own ``secure`` setting is one for all
  requests, so a site reached both ways (a proxy with TLS, the server's own
  port without) could not have it; here it follows the request. Over plain
  HTTP cookies stay as they are, or a site without TLS could not sign in.

And a stored file is served as stored: ``@@download`` and ``@@display-file``
(plone.namedfile's views, for File and for every file field) switch Plone's
transform chain off for their response, as plone.transformchain provides
(``plone.transformchain.disable``). Otherwise plone.protect writes its form
token into a downloaded HTML file that has a ``<form>`` (and the theme may
rewrite it), so what is downloaded is not what was filed (found in review).
"""

from plone.transformchain.interfaces import DISABLE_TRANSFORM_REQUEST_KEY
from ZPublisher.cookie import convertCookieParameter

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def over_tls(request):
    if request.get("SERVER_URL", "").startswith("https://"):
        return True
    return (request.get_header("X-Forwarded-Proto") or "").lower() == "https"


def add_headers(event):
    request = event.request
    response = request.response
    for name, value in HEADERS.items():
        response.setHeader(name, value)
    if over_tls(request):
        response.setHeader("Strict-Transport-Security", HSTS)
        secure_cookies(response)


def secure_cookies(response):
    """Mark every cookie the response sets ``Secure`` (the request came over TLS)."""
    key, value = convertCookieParameter("secure", True)
    for cookie in (getattr(response, "cookies", None) or {}).values():
        cookie[key] = value


def is_stored_file(published):
    """plone.namedfile's @@download and @@display-file (and their subclasses)."""
    from Acquisition import aq_base
    from plone.namedfile.browser import Download

    return isinstance(aq_base(published), Download)


def serve_as_stored(event):
    """IPubAfterTraversal: no transform (plone.protect's token, the theme) on a stored file."""
    request = event.request
    if is_stored_file(request.get("PUBLISHED")):
        request.environ[DISABLE_TRANSFORM_REQUEST_KEY] = True
