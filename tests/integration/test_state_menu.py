"""A step taken from the state menu that the procedure refuses brings the
person back to the item with the reason (not an error page), and changes
nothing; an allowed step goes through."""

from datetime import date
from hdnd.policy.testing import as_system
from plone import api
from plone.testing.zope import Browser

import re
import transaction


PASSWORD = "state-menu-pass-1"


def test_a_refused_step_says_why_on_the_item(functional_portal, functional):
    api.user.create(email="lanhdao-sm@example.vn", username="lanhdao-sm", password=PASSWORD)
    api.group.add_user(groupname="delegation-leaders", username="lanhdao-sm")
    with as_system(functional_portal):
        document = api.content.create(container=functional_portal["van-ban"], type="OfficialDocument",
                                      title="Chỉ thị về công tác kiểm tra", symbol="36-CT/TU",
                                      issuing_body="Thành ủy", issue_date=date(2026, 11, 20))
        api.content.transition(obj=document, transition="register")
    transaction.commit()
    browser = Browser(functional["app"])
    browser.addHeader("Authorization", f"Basic lanhdao-sm:{PASSWORD}")
    browser.open(document.absolute_url())
    assign = re.search(r'href="([^"]+workflow_action=assign[^"]*)"', browser.contents).group(1)
    browser.open(assign.replace("&amp;", "&"))  # no processing slip yet
    assert browser.headers["status"].startswith("200")
    assert browser.url == f"{document.absolute_url()}/view"
    message = browser.contents.split('class="portalMessage', 1)[1].split("</div>", 1)[0]
    assert "alert-danger" in message
    assert "cần có phiếu xử lý ghi đơn vị chủ trì trước khi phân công." in message
    assert "assign:" not in message
    transaction.begin()
    assert api.content.get_state(document) == "registered"
    with as_system(functional_portal):
        api.content.create(container=document, type="ProcessingSlip", title="Phiếu xử lý", lead_unit="phong-tong-hop")
    transaction.commit()
    browser.open(assign.replace("&amp;", "&"))
    assert "alert-danger" not in browser.contents
    transaction.begin()
    assert api.content.get_state(document) == "assigned"
