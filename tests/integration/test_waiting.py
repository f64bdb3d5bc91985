""""Waiting for me" on each person's dashboard: an item appears for whoever
takes its next step, moves on with the procedure, and a classified one is
absent for those who may not see it — over REST and on the page."""

from hdnd.content.clearance import set_clearance
from plone import api

import pytest
import transaction


PASSWORD = "waiting-pass-2026"
PEOPLE = {"vanthu-w": "registry-clerks", "lanhdao-w": "delegation-leaders", "chuyenvien-w": "specialists"}
JSON = {"Accept": "application/json"}


@pytest.fixture
def office(functional_portal, request_factory):
    for user, group in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    set_clearance("vanthu-w", "mat")
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in PEOPLE}
    return functional_portal.absolute_url(), sessions


def waiting(session, base):
    return {item["title"]: [s["id"] for s in item["steps"]]
            for item in session.get(f"{base}/@hdnd-dashboard", headers=JSON).json()["waiting"]}


def test_an_item_waits_for_whoever_takes_its_next_step(office):
    base, people = office
    clerk = people["vanthu-w"]
    url = clerk.post(f"{base}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Chỉ thị về kiểm tra, giám sát",
        "symbol": "36-CT/TU", "issuing_body": "Thành ủy", "issue_date": "2026-11-20", "urgency": "hoa_toc", "channel": "party"}).json()["@id"]
    secret = clerk.post(f"{base}/van-ban", headers=JSON, json={
        "@type": "OfficialDocument", "direction": "incoming", "title": "Công văn mật về nhân sự",
        "symbol": "12-CV/TU", "issue_date": "2026-11-20", "classification": "mat", "channel": "party"})
    assert secret.status_code == 201, secret.text
    # Received: the clerk registers it; nobody else has a step.
    assert waiting(clerk, base)["Chỉ thị về kiểm tra, giám sát"] == ["register"]
    assert "Công văn mật về nhân sự" in waiting(clerk, base)
    assert waiting(people["lanhdao-w"], base) == {} and waiting(people["chuyenvien-w"], base) == {}
    page = clerk.get(f"{base}/@@hdnd-dashboard", headers={"Accept": "text/html"}).text
    section = page.split('id="hdnd-waiting"')[1].split("</section>")[0]
    assert "36-CT/TU — Chỉ thị về kiểm tra, giám sát" in section and "Đăng ký" in section
    assert "Hỏa tốc" in section and "Mật" in section  # the marks
    # Registered: it moves to the leader, who assigns (the classified one stays out of their sight).
    assert clerk.post(f"{url}/@workflow/register", headers=JSON, json={}).status_code == 200
    assert "Chỉ thị về kiểm tra, giám sát" not in waiting(clerk, base)
    leader = waiting(people["lanhdao-w"], base)
    assert leader == {"Chỉ thị về kiểm tra, giám sát": ["assign"]}
    page = people["lanhdao-w"].get(f"{base}/@@hdnd-dashboard", headers={"Accept": "text/html"}).text
    assert "Công văn mật về nhân sự" not in page and "12-CV/TU" not in page
