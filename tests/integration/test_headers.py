"""Security headers on every kind of response: a page, a REST answer, a file
download, a 404 and a refused login; HSTS only over TLS."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.namedfile.file import NamedBlobFile

import pytest
import transaction


EXPECTED = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture
def site(functional_portal, request_factory):
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=functional_portal["van-ban"], type="OfficialDocument", id="mau", title="Mẫu",
                           file=NamedBlobFile(data=b"%PDF-1.4 x", filename="mau.pdf", contentType="application/pdf"))
    transaction.commit()
    return functional_portal.absolute_url(), request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
                                                              api=False), request_factory(api=False)


def test_every_response_carries_the_security_headers(site):
    base, admin, anonymous = site
    responses = {
        "page": admin.get(base, headers={"Accept": "text/html"}),
        "rest": admin.get(base, headers={"Accept": "application/json"}),
        "download": admin.get(f"{base}/van-ban/mau/@@download/file"),
        "not found": anonymous.get(f"{base}/khong-co-trang-nay"),
        "refused": anonymous.get(f"{base}/@users", headers={"Accept": "application/json"}),
    }
    assert [r.status_code for r in responses.values()] == [200, 200, 200, 404, 401]
    for kind, response in responses.items():
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (kind, name)
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy, kind
        assert "Strict-Transport-Security" not in response.headers, kind  # plain HTTP here


def test_hsts_when_the_proxy_says_tls(site):
    base, admin, _ = site
    response = admin.get(base, headers={"Accept": "application/json", "X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- Secure cookies behind TLS (issue 18, item 8) -------------------------------------


def sign_in(request_factory, base, headers):
    api.user.create(email="cv@example.vn", username="chuyenvien-h", password="Mat-khau-dung-2026")
    transaction.commit()
    return request_factory(api=False).post(f"{base}/login", headers={"Accept": "text/html", **headers}, data={
        "__ac_name": "chuyenvien-h", "__ac_password": "Mat-khau-dung-2026", "buttons.login": "Đăng nhập",
        "came_from": ""}, allow_redirects=False)


def set_cookies(response):
    """The Set-Cookie lines, by cookie name."""
    lines = response.raw.headers.getlist("Set-Cookie")
    return {line.split("=", 1)[0]: line for line in lines}


@pytest.mark.parametrize("tls", ["X-Forwarded-Proto", "virtual host"])
def test_the_session_cookie_is_secure_over_tls(site, request_factory, functional_portal, tls):
    """HSTS was sent, and the session cookie went without ``Secure`` (found in review)."""
    base, _, _ = site
    if tls == "X-Forwarded-Proto":
        signed_in = sign_in(request_factory, base, {"X-Forwarded-Proto": "https"})
    else:  # the proxy rewrites to Zope's virtual host monster with an https URL
        from Products.SiteAccess.VirtualHostMonster import manage_addVirtualHostMonster

        app = functional_portal.aq_parent
        if "virtual_hosting" not in app.objectIds():  # a real Zope has one; the tests' has not
            manage_addVirtualHostMonster(app, "virtual_hosting")
            transaction.commit()
        host = base.split("/")[2]
        vhm = base.replace(f"{host}/plone", f"{host}/VirtualHostBase/https/hdnd.example.vn:443/plone/VirtualHostRoot")
        signed_in = sign_in(request_factory, vhm, {})
    cookie = set_cookies(signed_in)["__ac"]
    assert "; Secure" in cookie and "HttpOnly" in cookie, cookie
    # A ticket renewed later (sessions.py) is secure too.
    ticket = cookie.split("=", 1)[1].split(";")[0].strip('"')
    from hdnd.policy.signin import sessions

    old = sessions.RENEW_AFTER
    sessions.RENEW_AFTER = -1
    try:
        renewed = request_factory(api=False).get(f"{base}/@hdnd-two-factor", cookies={"__ac": ticket}, headers={
            "Accept": "application/json", "X-Forwarded-Proto": "https"})
    finally:
        sessions.RENEW_AFTER = old
    assert renewed.status_code == 200
    assert "; Secure" in set_cookies(renewed)["__ac"]


def test_no_secure_cookie_over_plain_http(site, request_factory):
    """Over plain HTTP (a site without TLS) a Secure cookie would never come back."""
    base, _, _ = site
    cookie = set_cookies(sign_in(request_factory, base, {}))["__ac"]
    assert "Secure" not in cookie


# --- Stored files served as stored (issue 18, item 9) ---------------------------------


PAGE = (b"<!DOCTYPE html>\n<html><head><title>Bi\xc3\xaan b\xe1\xba\xa3n</title></head><body>\n"
        b"<form method=\"post\" action=\"/x\"><input name=\"a\"></form>\n<p>T\xe1\xbb\x9d tr\xc3\xacnh</p>\n"
        b"</body></html>\n")


def test_a_downloaded_html_file_is_byte_identical(site, functional_portal):
    """plone.protect wrote its form token into a downloaded HTML file (found in review)."""
    import hashlib

    base, admin, _ = site
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=functional_portal, type="File", id="bien-ban.html", title="Biên bản",
                           file=NamedBlobFile(data=PAGE, filename="bien-ban.html", contentType="text/html"))
        api.content.create(container=functional_portal["van-ban"], type="OfficialDocument", id="trang",
                           title="Trang", file=NamedBlobFile(data=PAGE, filename="trang.html", contentType="text/html"))
    transaction.commit()
    digest = hashlib.sha256(PAGE).hexdigest()
    for path in ("bien-ban.html/@@download/file", "bien-ban.html/@@display-file/file",
                 "van-ban/trang/@@download/file", "van-ban/trang/@@display-file/file"):
        for accept in ("text/html", "*/*"):
            got = admin.get(f"{base}/{path}", headers={"Accept": accept})
            assert got.status_code == 200, path
            assert hashlib.sha256(got.content).hexdigest() == digest, (path, got.content[:400])
    # Pages are still transformed (the form token is still written into Plone's own forms).
    assert "_authenticator" in admin.get(f"{base}/van-ban/trang/@@edit", headers={"Accept": "text/html"}).text
