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
