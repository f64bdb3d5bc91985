"""Each role's day from the inbox, on the items' work pages (issue 20): the
clerk registers an incoming document and forwards it on a processing slip;
the specialist replies from the incoming document and submits the draft;
the office head approves with a comment; the leader signs after confirming;
a member votes from the inbox; the records manager closes a dossier.

Each person signs in, lands on the inbox, opens the item from its row and
takes the step with a button on the page (never the toolbar's menu); each
page is photographed at 1366 px and 390 px wide, nothing scrolls sideways
on the phone, and axe-core finds no critical or serious violation. What comes before a person's step is made through
the API, as the office would have done it earlier."""

from contextlib import nullcontext
from datetime import date
from datetime import datetime
from datetime import timedelta
from hdnd.content.core.certificates import Authority
from hdnd.content.core.officetime import localize
from hdnd.content.core.officetime import today as office_today
from hdnd.content.core.pdf import text_pdf
from hdnd.policy.testing import as_system
from plone import api
from plone.namedfile.file import NamedBlobFile
from selenium.webdriver.common.by import By

import pytest
import transaction


PEOPLE = {
    "vanthu-d": ("Phan Thị Oanh", "registry-clerks"),
    "cv-d": ("Bùi Văn Minh", "specialists"),
    "chanh-d": ("Ngô Thị Lan", "office-heads"),
    "ld-d": ("Nguyễn Văn An", "delegation-leaders"),
    "tv-d": ("Lê Văn Cường", "delegation-members"),
    "luutru-d": ("Đỗ Thị Hạnh", "records-managers"),
}


@pytest.fixture
def office(people, functional_portal, tmp_path, monkeypatch):
    monkeypatch.setenv("HDND_PREVIEW_CACHE", str(tmp_path / "previews"))
    people(PEOPLE)
    return functional_portal


def pdf(*lines, name="van-ban.pdf"):
    return NamedBlobFile(text_pdf(list(lines)), filename=name, contentType="application/pdf")


def incoming(portal, id, symbol, **fields):
    return api.content.create(
        container=portal["van-ban"], type="OfficialDocument", id=id, direction="incoming", symbol=symbol,
        title=fields.pop("title", "Về việc báo cáo kết quả giám sát chuyên đề năm 2026"),
        issuing_body="Ủy ban nhân dân Thành phố", issue_date=date(2026, 11, 20), channel="state",
        file=pdf("CÔNG VĂN", symbol), **fields)


def open_from_inbox(browser, text):
    """The person is on the inbox: open the row that reads ``text``."""
    assert browser.url.endswith("/@@hdnd-inbox"), browser.url
    rows = [r for r in browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-inbox tbody tr") if text in r.text]
    assert rows, f"{text!r} is not in the inbox:\n{browser.find('#content').text[:2000]}"
    old = browser.find("html")
    browser.press(rows[0].find_element(By.CSS_SELECTOR, "td.hdnd-inbox-title a"))
    browser.wait(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id, "the row led nowhere")
    browser.find("#hdnd-work-actions")


def both_widths(browser, axe_check, step):
    """The page at 1366 px and 390 px (no sideways scrolling), checked by axe-core
    at both widths (on a phone Plone's toolbar folds and wide tables scroll in
    their box: what axe found there was missed when it ran at the desk only)."""
    browser.shot(step)
    assert browser.phone(step) <= 0, f"{step}: the page scrolls sideways at 390 px"
    axe_check(browser)
    with browser.phone_width():
        axe_check(browser)


def state(browser):
    return browser.find("#hdnd-work-state").text.replace("Trạng thái", "").strip()


def press(browser, action):
    """A button of the work page, by what it does."""
    browser.submit(f'#hdnd-work-actions [data-action="{action}"]')


def test_the_clerk_registers_and_forwards(browser, axe_check, office):
    with as_system(office):
        incoming(office, "cv-125", "125/UBND-TH", urgency="khan")
    transaction.commit()
    browser.login("vanthu-d")
    open_from_inbox(browser, "125/UBND-TH")
    assert state(browser) == "Tiếp nhận"
    assert "Khẩn" in browser.find("#hdnd-work-header").text
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-work-files img")  # the file, previewed
    both_widths(browser, axe_check, "clerk-opens-the-document")
    press(browser, "register")
    assert state(browser) == "Đã đăng ký"
    assert "Số đến\n1" in browser.find("#hdnd-work-header").text
    both_widths(browser, axe_check, "clerk-registered-it")

    # Chuyển xử lý: the processing slip, its title already written.
    press(browser, "forward")
    assert browser.find('#hdnd-forward-form [name="title"]').get_attribute("value") == "Phiếu xử lý 125/UBND-TH"
    browser.fill("lead_unit", "Phòng Tổng hợp")
    browser.fill("deadline", "2026-12-05")
    browser.fill("proposal", "Đề nghị giao Phòng Tổng hợp tham mưu trả lời.")
    both_widths(browser, axe_check, "clerk-fills-the-slip")
    browser.submit('#hdnd-forward-form [data-action="save-slip"]')
    browser.go("van-ban/cv-125")
    slips = browser.find("#hdnd-work-slips").text
    assert "Phòng Tổng hợp" in slips and "05/12/2026" in slips
    both_widths(browser, axe_check, "document-forwarded")


def test_the_specialist_replies_and_submits(browser, axe_check, office):
    with as_system(office):
        document = incoming(office, "cv-126", "126/UBND-TH", due_date=date(2026, 12, 10))
        api.content.transition(document, "register")
        api.content.create(container=document, type="ProcessingSlip", title="Phiếu xử lý 126/UBND-TH",
                           lead_unit="phong-tong-hop", assignees=["cv-d"])
        api.content.transition(document, "assign")
        api.content.transition(document, "start")
    transaction.commit()
    browser.login("cv-d")
    open_from_inbox(browser, "126/UBND-TH")
    assert state(browser) == "Đang xử lý"
    both_widths(browser, axe_check, "specialist-opens-the-document")
    press(browser, "reply")
    assert state(browser) == "Dự thảo"
    title = browser.find("h1").text
    assert title.startswith("V/v trả lời văn bản số 126/UBND-TH ngày 20/11/2026 của Ủy ban nhân dân Thành phố")
    related = browser.find("#hdnd-work-related").text
    assert "126/UBND-TH" in related
    assert "Ủy ban nhân dân Thành phố" in browser.find("#hdnd-work-fields").text  # recipient: the sender
    both_widths(browser, axe_check, "the-draft-reply")
    draft = browser.url
    press(browser, "submit")
    assert state(browser) == "Chờ duyệt"
    both_widths(browser, axe_check, "reply-submitted")
    # The incoming document shows its reply.
    browser.go("van-ban/cv-126")
    assert "V/v trả lời" in browser.find("#hdnd-work-related").text
    assert draft.split("/")[-1] in browser.find("#hdnd-work-related").get_attribute("innerHTML")


def outgoing(portal, id, title, **fields):
    return api.content.create(container=portal["van-ban"], type="OfficialDocument", id=id, direction="outgoing",
                              title=title, document_type="BC", recipients=["Thành ủy"], **fields)


def test_the_office_head_approves_with_a_comment(browser, axe_check, office):
    with as_system(office):
        draft = outgoing(office, "bc-7", "Báo cáo kết quả giám sát chuyên đề năm 2026",
                         file=pdf("BÁO CÁO", "kết quả giám sát"))
        api.content.transition(draft, "submit")
    transaction.commit()
    browser.login("chanh-d")
    open_from_inbox(browser, "Báo cáo kết quả giám sát chuyên đề")
    assert state(browser) == "Chờ duyệt"
    both_widths(browser, axe_check, "head-opens-the-draft")
    press(browser, "approve")
    # A step that commits the office: confirmed on its own page, with a comment.
    assert browser.find("#hdnd-step-form h2").text.endswith("Duyệt")
    browser.fill("comment", "Đồng ý nội dung; văn thư kiểm tra thể thức.")
    both_widths(browser, axe_check, "head-confirms-the-approval")
    browser.submit('#hdnd-step-form [data-action="confirm"]')
    assert state(browser) == "Kiểm tra thể thức"
    latest = browser.find("#hdnd-work-history li").text
    assert "Duyệt" in latest and "Ngô Thị Lan" in latest and "Đồng ý nội dung" in latest
    both_widths(browser, axe_check, "draft-approved")


@pytest.fixture
def signing_keys(office, tmp_path):
    authority = Authority.create("hdnd Browser Test CA")
    key = authority.issue("Nguyễn Văn An", "an-pass-2026", "Đảng đoàn HĐND Thành phố")
    (tmp_path / "signer.p12").write_bytes(key)
    for name, value in {"signer_key": str(tmp_path / "signer.p12"), "signer_passphrase": "an-pass-2026",
                        "trust_roots": authority.pem.decode()}.items():
        api.portal.set_registry_record(f"hdnd.signing.{name}", value)
    transaction.commit()


def test_the_leader_signs_after_confirming(browser, axe_check, office, signing_keys):
    with as_system(office):
        draft = outgoing(office, "bc-8", "Báo cáo tổng kết công tác năm 2026", signer="Nguyễn Văn An",
                         signer_position="T/M ĐẢNG ĐOÀN, BÍ THƯ", file=pdf("BÁO CÁO", "tổng kết năm 2026"))
        for step in ("submit", "approve", "format_ok"):
            api.content.transition(draft, step)
    transaction.commit()
    browser.login("ld-d")
    open_from_inbox(browser, "Báo cáo tổng kết công tác năm 2026")
    assert state(browser) == "Chờ ký"
    both_widths(browser, axe_check, "leader-opens-the-draft")
    press(browser, "sign")
    # Nothing is signed yet: the page shows what will be signed, its pages.
    assert browser.find("#hdnd-step-form h2").text.endswith("Ký")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-work-files img")
    both_widths(browser, axe_check, "leader-looks-before-signing")
    browser.submit('#hdnd-step-form [data-action="confirm"]')
    assert state(browser) == "Đã ký"
    assert "Bản đã ký" in browser.find("#hdnd-work-files").text or \
        len(browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-work-files .hdnd-work-file")) == 2
    assert "Ký" in browser.find("#hdnd-work-history li").text
    both_widths(browser, axe_check, "draft-signed")


def test_a_member_votes_from_the_inbox(browser, axe_check, office):
    with as_system(office):
        meeting = api.content.create(container=office["phien-hop"], type="Meeting", id="ph-12",
                                     title="Phiên họp định kỳ tháng 12/2026",
                                     start=localize(datetime.now() + timedelta(days=1)))
        ballot = api.content.create(container=meeting, type="Ballot", id="bq-1",
                                    title="Biểu quyết Chương trình giám sát năm 2027",
                                    question="Tán thành Chương trình giám sát năm 2027?")
        api.content.transition(meeting, "open")
        api.content.transition(ballot, "open")
    transaction.commit()
    browser.login("tv-d")
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-inbox tbody tr")
    assert any("Biểu quyết" in r.text for r in rows)
    both_widths(browser, axe_check, "member-inbox")
    open_from_inbox(browser, "Biểu quyết Chương trình giám sát")
    both_widths(browser, axe_check, "member-opens-the-ballot")
    browser.click('input[name="choice"][value="for"]')
    browser.submit('#hdnd-vote button[type="submit"]')
    assert browser.find("#hdnd-my-vote").text.endswith("Tán thành")
    both_widths(browser, axe_check, "member-has-voted")


def test_the_records_manager_closes_a_dossier(browser, axe_check, office):
    with as_system(office):
        dossier = api.content.create(container=office["ho-so"], type="Dossier", id="hs-12",
                                     title="Hồ sơ giám sát chuyên đề năm 2026", dossier_code="01.TH",
                                     retention="20", start_date=date(2026, 1, 5))
        for step in ("start", "submit", "decide"):
            api.content.transition(dossier, step)
    transaction.commit()
    browser.login("luutru-d")
    open_from_inbox(browser, "Hồ sơ giám sát chuyên đề năm 2026")
    both_widths(browser, axe_check, "records-manager-opens-the-dossier")
    press(browser, "close")
    assert browser.find("#hdnd-step-form h2").text.endswith("Kết thúc hồ sơ")
    browser.fill("comment", "Đủ văn bản; lập mục lục.")
    both_widths(browser, axe_check, "records-manager-confirms-closing")
    browser.submit('#hdnd-step-form [data-action="confirm"]')
    assert "Đã kết thúc" in browser.find("#content").text
    assert "Đủ văn bản; lập mục lục." in browser.find("#content").text
    both_widths(browser, axe_check, "dossier-closed")


# -- On a phone (issue 20, the outside walk at 390 px): the dashboard's tables
# become rows (a cell one word wide put the trích yếu one word per line), the
# "quá hạn" mark sits on its own task's line, the clearances page keeps still.

def narrow_cells(browser):
    """The dashboard's visible table cells narrower than 40 % of the phone's width."""
    return browser.driver.execute_script("""
        const limit = 0.4 * document.documentElement.clientWidth;
        return [...document.querySelectorAll('#content table td')]
          .filter(td => td.offsetParent !== null && td.textContent.trim())
          .filter(td => td.getBoundingClientRect().width < limit)
          .map(td => Math.round(td.getBoundingClientRect().width) + 'px: ' + td.textContent.trim().slice(0, 40));""")


def test_a_phone_shows_the_dashboard_as_rows_and_overdue_on_its_task(browser, axe_check, office):
    today = office_today()
    with as_system(office):
        directive = incoming(office, "ct-40", "40-CT/TU", title="Chỉ thị về tăng cường công tác kiểm tra, "
                             "giám sát việc thực hiện nghị quyết của Hội đồng nhân dân Thành phố")
        for id, title, days in (("nv-1", "Tổng hợp báo cáo kết quả giám sát chuyên đề của các ban", -4),
                                ("nv-2", "Chuẩn bị nội dung kỳ họp thường lệ cuối năm", 5)):
            api.content.create(container=directive, type="Task", id=id, title=title, assignee="cv-d",
                               lead_unit="van-phong", deadline=today + timedelta(days=days))
    transaction.commit()
    browser.login("cv-d")
    browser.go("@@hdnd-dashboard")
    assert "Tổng hợp báo cáo kết quả" in browser.find("#hdnd-my-tasks").text
    browser.shot("dashboard")
    assert browser.phone("dashboard") <= 0, "the dashboard scrolls sideways at 390 px"
    with browser.phone_width():
        narrow = narrow_cells(browser)
        labels = [e.text for e in browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-my-tasks .hdnd-dash-label")]
        axe_check(browser)
    assert not narrow, f"dashboard cells narrower than 40 % of a phone (a word per line): {narrow}"
    assert {"Đơn vị chủ trì", "Thời hạn"} <= set(labels), labels  # each value says what it is

    browser.go(directive.absolute_url().replace(office.absolute_url() + "/", ""))
    tasks = browser.find("#hdnd-work-tasks")
    both_widths(browser, axe_check, "directive-with-tasks")
    for width in ("desktop", "phone"):
        with browser.phone_width() if width == "phone" else nullcontext():
            # The mark is inside its task's item, on the line of the task's title
            # (not below its fields, where it reads as the next task's).
            placed = browser.driver.execute_script("""
                return [...arguments[0].querySelectorAll('.hdnd-overdue-label')].map(mark => {
                  const li = mark.closest('li'), link = li && li.querySelector('a');
                  if (!li || !link) return 'outside';
                  const m = mark.getBoundingClientRect(), t = link.getBoundingClientRect(),
                        box = li.getBoundingClientRect();
                  const within = m.top >= box.top && m.bottom <= box.bottom;
                  const onTitle = m.top < t.bottom && m.bottom > t.top;
                  return (within && onTitle) ? li.textContent.includes('Tổng hợp') && 'ok' || 'wrong task' : 'off its title';
                });""", tasks)
            assert placed == ["ok"], f"at the {width}'s width: {placed}"

    transaction.abort()  # see what the site's server committed meanwhile (sign-ins)
    with as_system(office):  # only a security officer names another: the test's system user does
        # a user id as offices make them, an e-mail address: long, one word (the walk's page ran 2 px past the phone)
        officer = "trinhvanbao.vanphong@hdnd.gov.vn"
        api.user.create(email=officer, username=officer, password="browser-pass-2026",  # conftest.PASSWORD
                        properties={"fullname": "Trịnh Văn Bảo"})
        api.group.add_user(groupname="security-officers", username=officer)
    transaction.commit()
    browser.login("trinhvanbao.vanphong@hdnd.gov.vn")
    browser.go("@@hdnd-clearances")
    browser.find("#content table")
    past = browser.phone("clearances")
    with browser.phone_width():
        wide = browser.driver.execute_script("""
            const w = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)
              .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));""")
    assert past <= 0, f"the clearances page scrolls sideways at 390 px by {past} px: {wide}"
