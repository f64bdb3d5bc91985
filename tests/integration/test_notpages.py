"""Names that are not pages answer 404/400, not 500 (hdnd.content.notpages):
each family once, as a browser and a REST client would meet them, and the
same views asked properly still working."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import pytest
import requests
import transaction


@pytest.mark.server
def test_not_pages_answer_4xx(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    document = api.content.create(container=portal["van-ban"], type="OfficialDocument", id="vb-np",
                                  title="Văn bản", direction="incoming")
    transaction.commit()
    admin = requests.Session()
    admin.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    anonymous = requests.Session()
    site, item = portal.absolute_url(), document.absolute_url()
    asked = {}
    for who, session in (("admin", admin), ("anonymous", anonymous)):
        for path, expected in (
            # parts of other pages, helpers: no page of their own
            (f"{site}/@@mail_password_template", 404), (f"{item}/@@ploneform-macros", 404),
            (f"{item}/@@pas_member", 404), (f"{item}/@@update_version_on_edit", 404),
            # failing on the way to them (no __call__, a helper that fails as it is made)
            (f"{item}/@@+", 404), (f"{site}/@@+rule", 404), (f"{item}/@@babel_utils", 404),
            # a view without the input it needs: 400
            (f"{item}/@@download-version", 400), (f"{item}/@@version-view", 400),
            (f"{item}/@@download-version?version_id=999", 404), (f"{item}/@@revertversion?version_id=999", 404),
            (f"{item}/@@version_file_view?version_id=1", 404), (f"{item}/@@version_image_view", 404),
            (f"{site}/@@customizezpt.html", 400), (f"{item}/@@updateSharingInfo", 404),
            (f"{site}/@@folder_constraintypes_form", 404), (f"{site}/@@workflow-policies-controlpanel", 404),
            # without its sub-path, or where what it works on is absent
            (f"{site}/@@redirect-to-uuid", 404), (f"{item}/@@text-transform", 404),
            (f"{item}/@@site-logo", 404), (f"{site}/@@plone_ldapusers", 404), (f"{site}/@@plone_ldapcontrolpanel", 404),
            (f"{site}/@@plone_ldapinspector", 404), (f"{site}/@@plone_ldapgroups", 404),
            (f"{site}/@@plone_ldapnodeattributes", 404),
            # namespaces with a name they have not, a portlet column by itself
            (f"{site}/++dashboard++", 404), (f"{site}/++skin++", 404), (f"{item}/++contextportlets++", 404),
            (f"{site}/++dashboard++plone.dashboard1+{SITE_OWNER_NAME}", 404),
        ):
            answer = session.get(path, allow_redirects=False)
            asked[who, path] = answer.status_code
            assert answer.status_code == expected or (who == "anonymous" and answer.status_code in (302, 401)), (
                who, path, answer.status_code, answer.text[:300])
            if path.endswith("download-version") and answer.status_code == 400:  # names what is missing
                answer = session.get(path, headers={"Accept": "application/json"}, allow_redirects=False)
                assert answer.status_code == 400 and "version_id" in answer.text, answer.text[:300]
    # The same views asked properly still answer.
    answer = admin.get(f"{site}/@@redirect-to-uuid/{api.content.get_uuid(document)}", allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/vb-np"), answer.status_code
    answer = admin.get(f"{site}/@@forced-password-change", allow_redirects=False)
    assert answer.status_code == 200, answer.text[:300]
    for path in (f"{item}/@@sharing", f"{site}/van-ban/@@folder_constraintypes_form"):
        answer = admin.get(path, allow_redirects=False)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    # The wrapped portlet namespace and the adding view as a step still lead to a portlet's add form.
    answer = admin.get(f"{site}/++contextportlets++plone.leftcolumn/+/portlets.Navigation", allow_redirects=False)
    assert answer.status_code == 200, answer.status_code
    answer = admin.get(f"{site}/++contextportlets++plone.leftcolumn/+", allow_redirects=False)
    assert answer.status_code == 404, answer.status_code
    print(asked)


def test_an_empty_password_is_too_easy():
    """Plone asks the password rules with an empty password (to show them);
    zxcvbn failed on it (IndexError), a 500 on @@forced-password-change."""
    from hdnd.policy.signin import passwords
    from hdnd.policy.signin.plugin import password_problems

    assert passwords.too_easy("")
    problems = password_problems("", min_length=12)
    assert problems and "too easy" not in " ".join(problems)
