"""Each person's inbox (issue 20): where a person lands after signing in;
rows with symbol, trích yếu, sender, received, deadline, marks, state and the
next step, nearest deadline first; filters and pages; only what the person
acts on now (a meeting when it is near, an open ballot not yet voted on);
the same rows over REST; the count in the navigation; 127.0.0.1 themed."""

from datetime import datetime
from datetime import timedelta
from hdnd.content.core.officetime import today as office_today
from plone import api

import pytest
import re
import transaction


PASSWORD = "inbox-pass-2026"
JSON = {"Accept": "application/json"}
PEOPLE = {"vanthu-i": "registry-clerks", "chanh-i": "office-heads", "tv-i": "delegation-members",
          "tv-j": "delegation-members", "cv-i": "specialists", "cv-j": "specialists"}


@pytest.fixture
def office(functional_portal, request_factory):
    for user, group in PEOPLE.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD,
                        properties={"fullname": f"Người {user}"})
        api.group.add_user(groupname=group, username=user)
    transaction.commit()
    sessions = {u: request_factory(basic_auth=(u, PASSWORD), api=False) for u in PEOPLE}
    return functional_portal.absolute_url(), sessions


def incoming(session, base, n, **fields):
    data = {"@type": "OfficialDocument", "direction": "incoming", "title": f"Công văn số {n}",
            "symbol": f"{n}/CV-UBND", "issuing_body": "UBND Thành phố", "issue_date": "2026-11-20",
            "channel": "state", **fields}
    answer = session.post(f"{base}/van-ban", headers=JSON, json=data)
    assert answer.status_code == 201, answer.text
    return answer.json()["@id"]


def rows(session, base, **params):
    return session.get(f"{base}/@hdnd-dashboard", headers=JSON, params=params).json()["waiting"]


def page(session, base, **params):
    answer = session.get(f"{base}/@@hdnd-inbox", params=params, headers={"Accept": "text/html"})
    assert answer.status_code == 200
    return answer.text


def titles_on(html):
    return re.findall(r'class="hdnd-inbox-row[^"]*".*?<a href="[^"]+">(?:<strong>[^<]*</strong> — )?([^<]+)</a>',
                      html, re.S)


def test_the_clerks_inbox_rows_filters_and_pages(office):
    base, people = office
    clerk = people["vanthu-i"]
    today = office_today()
    late = incoming(clerk, base, 1, due_date=(today - timedelta(days=2)).isoformat(), urgency="hoa_toc")
    incoming(clerk, base, 2, due_date=(today + timedelta(days=5)).isoformat())
    incoming(clerk, base, 3)
    waiting = rows(clerk, base)
    assert [r["title"] for r in waiting] == ["Công văn số 1", "Công văn số 2", "Công văn số 3"]  # by deadline
    first = waiting[0]
    assert first["@id"] == late and first["symbol"] == "1/CV-UBND" and first["from"] == "UBND Thành phố"
    assert first["kind"] == "incoming" and first["overdue"] is True and first["urgency"] == "hoa_toc"
    assert first["deadline"] == (today - timedelta(days=2)).isoformat()
    assert first["received"].endswith("+07:00")  # office time, never UTC
    assert first["state_title"] == "Tiếp nhận" and [s["id"] for s in first["steps"]] == ["register"]

    html = page(clerk, base)
    assert titles_on(html) == ["Công văn số 1", "Công văn số 2", "Công văn số 3"]
    row = html.split('class="hdnd-inbox-row hdnd-overdue"')[1].split("</tr>")[0]
    assert "1/CV-UBND" in row and "UBND Thành phố" in row and "Hỏa tốc" in row and "Tiếp nhận" in row
    assert f"{today - timedelta(days=2):%d/%m/%Y}" in row and "Đăng ký" in row and "quá hạn" in row
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", row)  # received, office time
    assert "Chào mừng" not in html and "You are now" not in html
    # The tab carries the count.
    assert re.search(r'hdnd-inbox-count[^>]*>3<', html)

    # Filters: overdue, urgency, kind — on the page and over REST alike.
    assert titles_on(page(clerk, base, overdue="1")) == ["Công văn số 1"]
    assert [r["title"] for r in rows(clerk, base, overdue="1")] == ["Công văn số 1"]
    assert titles_on(page(clerk, base, urgency="hoa_toc")) == ["Công văn số 1"]
    assert titles_on(page(clerk, base, kind="task")) == []
    assert "Không có việc nào chờ" in page(clerk, base, kind="task")
    assert len(titles_on(page(clerk, base, kind="incoming"))) == 3

    # Pages of 20: the 23 rows on two pages, in the REST order.
    for n in range(4, 24):
        incoming(clerk, base, n)
    everything = [r["title"] for r in rows(clerk, base)]
    assert len(everything) == 23
    first_page = titles_on(page(clerk, base))
    second_page = titles_on(page(clerk, base, b_start="20"))
    assert len(first_page) == 20 and len(second_page) == 3
    assert first_page + second_page == everything


def test_meetings_when_near_and_ballots_not_yet_voted(office):
    base, people = office
    head, member = people["chanh-i"], people["tv-i"]
    now = datetime.now().astimezone()
    far = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp năm sau", "start": (now + timedelta(days=200)).isoformat()}).json()["@id"]
    near = head.post(f"{base}/phien-hop", headers=JSON, json={
        "@type": "Meeting", "title": "Phiên họp tuần này", "start": (now + timedelta(days=3)).isoformat()}).json()["@id"]
    titles = [r["title"] for r in rows(head, base)]
    assert "Phiên họp tuần này" in titles and "Phiên họp năm sau" not in titles
    assert far and near
    # A ballot in the meeting: opened, it waits for each member who has not voted.
    ballot = head.post(near, headers=JSON, json={
        "@type": "Ballot", "title": "Biểu quyết Đề án", "question": "Tán thành?", "ballot_kind": "open"}).json()["@id"]
    assert "Biểu quyết Đề án" not in [r["title"] for r in rows(head, base)]  # its meeting is not open yet
    assert rows(member, base) == []
    assert head.post(f"{ballot}/@workflow/open", headers=JSON, json={}).status_code == 200
    mine = [r for r in rows(member, base) if r["title"] == "Biểu quyết Đề án"]
    assert mine and [s["id"] for s in mine[0]["steps"]] == ["vote"] and mine[0]["kind"] == "ballot"
    html = page(member, base)
    assert "Biểu quyết Đề án" in html and "Không có việc nào chờ" not in html
    assert ">Biểu quyết<" in html  # the step, in Vietnamese
    # Voted: gone for this member, still there for the other.
    answer = member.post(f"{ballot}/@hdnd-vote", headers=JSON, json={"choice": "for"})
    assert answer.status_code in (200, 201, 204), answer.text
    assert "Biểu quyết Đề án" not in [r["title"] for r in rows(member, base)]
    assert "Biểu quyết Đề án" in [r["title"] for r in rows(people["tv-j"], base)]


def test_a_task_waits_for_its_assignee_not_every_specialist(office):
    base, people = office
    mine, other, head = people["cv-i"], people["cv-j"], people["chanh-i"]
    dossier = mine.post(f"{base}/ho-so", headers=JSON, json={
        "@type": "Dossier", "title": "Hồ sơ giám sát đầu tư công", "responsible": "cv-i"}).json()["@id"]
    task = head.post(dossier, headers=JSON, json={
        "@type": "Task", "title": "Báo cáo kết quả giám sát", "lead_unit": "ban-kt-ns", "assignee": "cv-i",
        "deadline": (office_today() + timedelta(days=10)).isoformat()})
    assert task.status_code == 201, task.text
    task = task.json()["@id"]
    waiting = {r["title"]: r for r in rows(mine, base)}
    assert [s["id"] for s in waiting["Báo cáo kết quả giám sát"]["steps"]] == ["start"]
    assert waiting["Báo cáo kết quả giám sát"]["from"] == "Người chanh-i"  # who gave it
    assert waiting["Báo cáo kết quả giám sát"]["unit"] == "ban-kt-ns"
    assert "Hồ sơ giám sát đầu tư công" in waiting  # its responsible starts it
    theirs = [r["title"] for r in rows(other, base)]
    assert "Báo cáo kết quả giám sát" not in theirs and "Hồ sơ giám sát đầu tư công" not in theirs
    assert "Báo cáo kết quả giám sát" not in [r["title"] for r in rows(head, base)]
    # Reported: now the head accepts it.
    for step in ("start", "report"):
        assert mine.post(f"{task}/@workflow/{step}", headers=JSON, json={}).status_code == 200
    accepting = [r for r in rows(head, base) if r["title"] == "Báo cáo kết quả giám sát"]
    assert [s["id"] for s in accepting[0]["steps"]] == ["accept"]
    assert titles_on(page(head, base, lead_unit="ban-kt-ns")) == ["Báo cáo kết quả giám sát"]
    assert "Báo cáo kết quả giám sát" not in [r["title"] for r in rows(mine, base)]


def test_after_login_a_person_lands_on_the_inbox(office, functional_portal):
    import requests

    base, _people = office

    def sign_in(**extra):
        browser = requests.Session()
        form = browser.get(f"{base}/login", headers={"Referer": base})
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.text))
        fields.update({"__ac_name": "vanthu-i", "__ac_password": PASSWORD, "buttons.login": "Đăng nhập", **extra})
        return browser.post(f"{base}/login", data=fields)

    landed = sign_in()
    assert landed.url.endswith("/@@hdnd-inbox"), landed.url
    assert 'id="hdnd-inbox-filters"' in landed.text
    assert "Welcome! You are now logged in." not in landed.text
    # A page asked for before signing in is where the person goes.
    landed = sign_in(came_from=f"{base}/van-ban")
    assert landed.url.rstrip("/").endswith("/van-ban"), landed.url
    assert "Welcome! You are now logged in." not in landed.text


def test_the_address_make_run_prints_is_themed(functional_portal):
    assert api.portal.get_registry_record("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist") == []


def test_upgrade_1010_themes_127_0_0_1_and_adds_the_tab(integration):
    from hdnd.policy.upgrades import to_1010

    api.portal.set_registry_record("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist", ["127.0.0.1"])
    tabs = api.portal.get_tool("portal_actions").portal_tabs
    tabs.manage_delObjects(["hdnd-inbox"])
    to_1010(None)
    assert api.portal.get_registry_record("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist") == []
    assert tabs.objectIds()[0] == "hdnd-inbox"
