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
"""

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
