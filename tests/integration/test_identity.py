"""The office's own identity on every page (issue 20): its emblem and name
in the header instead of Plone's logo, its name and contacts in the footer
instead of "Powered by Plone"; the emblem is set in the organisation
settings (and served as an image that runs nothing)."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.formwidget.namedfile.converter import b64encode_file

import base64
import re
import transaction


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def test_the_header_and_footer_carry_the_office_not_plone(functional_portal, request_factory):
    api.portal.set_registry_record("hdnd.organisation.body_name", "Đảng đoàn HĐND Thành phố")
    api.portal.set_registry_record("hdnd.organisation.organ_telephone", "024 3825 0000")
    transaction.commit()
    base = functional_portal.absolute_url()
    browser = request_factory(api=False)
    browser.headers.update({"Accept-Language": "vi", "Accept": "text/html"})
    html = browser.get(f"{base}/login").text
    logo = re.search(r'<a[^>]*id="portal-logo".*?</a>', html, re.S).group(0)
    assert "Đảng đoàn HĐND Thành phố" in logo and "@@hdnd-emblem" in logo and "plone-logo" not in logo
    footer = html[html.index('id="portal-footer"'):] if 'id="portal-footer"' in html else html
    assert "Đảng đoàn HĐND Thành phố" in footer and "024 3825 0000" in footer
    body = html[html.index("<body"):]
    for plone in ("Powered by Plone", "Plone Foundation", "plone.org", "Open Source CMS"):
        assert plone not in body, plone

    star = browser.get(f"{base}/@@hdnd-emblem")
    assert star.status_code == 200 and star.headers["Content-Type"].startswith("image/svg+xml")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    api.portal.set_registry_record("hdnd.organisation.emblem", b64encode_file("x.svg", svg))
    transaction.commit()
    uploaded = browser.get(f"{base}/@@hdnd-emblem")
    assert uploaded.headers["Content-Disposition"].startswith("attachment")  # never a page that runs it

    # The office sets its own emblem in the organisation settings.
    api.portal.set_registry_record("hdnd.organisation.emblem", b64encode_file("huy-hieu.png", PNG))
    transaction.commit()
    own = browser.get(f"{base}/@@hdnd-emblem")
    assert own.headers["Content-Type"] == "image/png" and own.content == PNG
    admin = request_factory(api=False, basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    form = admin.get(f"{base}/@@hdnd-organisation-controlpanel", headers={"Accept-Language": "vi"}).text
    assert 'name="form.widgets.emblem"' in form and 'type="file"' in form
