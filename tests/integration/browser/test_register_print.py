"""The printed register (issue 20): 8 entries of the incoming register fit
one A4 landscape page (they spread over 7), printed by Debian's chromium
as the clerk's print button asks it; axe-core finds nothing serious."""

from datetime import date
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from selenium.webdriver.common.print_page_options import PrintOptions

import base64
import re
import subprocess
import transaction


def test_eight_entries_print_on_one_a4_landscape_page(browser, people, functional_portal, axe_check, tmp_path):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    for n in range(1, 9):
        api.content.create(
            container=portal["van-ban"], type="OfficialDocument", id=f"den-{n}", direction="incoming",
            title=f"Về việc triển khai Nghị quyết của Hội đồng nhân dân Thành phố về phát triển kinh tế - xã hội, đợt {n}",
            symbol=f"{100 + n}/UBND-TH", issuing_body="Ủy ban nhân dân Thành phố", issue_date=date(2026, 11, n),
            arrival_date=date(2026, 11, n + 1), arrival_number=n, urgency="khan" if n == 3 else "normal")
    transaction.commit()
    people({"vanthu-p": ("Phan Thị Oanh", "registry-clerks")})
    browser.login("vanthu-p")
    browser.go("van-ban/@@hdnd-register-print?register=incoming&year=2026")
    rows = browser.driver.find_elements("css selector", "#hdnd-register-incoming tbody tr")
    assert len(rows) == 8
    assert browser.find("#hdnd-print-register").text.strip() == "In sổ"  # the print button
    axe_check(browser)
    browser.shot("register")

    options = PrintOptions()
    options.orientation = "landscape"
    options.page_width, options.page_height = 21.0, 29.7  # A4 (cm), turned by the orientation
    options.background = True
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(base64.b64decode(browser.driver.print_page(options)))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    assert float(size[0]) > float(size[1]), f"not landscape: {size}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert pages == 1, f"{pages} pages:\n{text[:3000]}"
    assert "101/UBND-TH" in text and "108/UBND-TH" in text and "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text.upper()
    for menu in ("Chờ tôi xử lý", "Tìm kiếm"):  # the site's menus are not on paper
        assert menu not in text, menu
    (browser.folder / "register.pdf").write_bytes(pdf.read_bytes())


def test_the_register_fits_a_phone(browser, people, functional_portal, axe_check):
    """On a phone (390 px) the register's page does not scroll sideways: the
    table, wider than the phone, scrolls inside its own box, which a keyboard
    reaches (axe-core: a scrollable region must be focusable); the form above
    it wraps. The outside check found the page 180 px too wide: the marks'
    words for screen readers (Khẩn), absolutely placed, were placed against
    the page, outside the table's box."""
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.content.create(
        container=portal["van-ban"], type="OfficialDocument", id="den-dai", direction="incoming",
        title="Về việc triển khai Nghị quyết của Hội đồng nhân dân Thành phố về phát triển kinh tế - xã hội",
        symbol="12345/UBND-KTTH-NVXDCSVCHT", issuing_body="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        issue_date=date(2026, 11, 2), arrival_date=date(2026, 11, 3), arrival_number=1, urgency="khan")
    transaction.commit()
    people({"vanthu-q": ("Phan Thị Quế", "registry-clerks")})
    browser.login("vanthu-q")
    browser.go("van-ban/@@hdnd-register-print?register=incoming&year=2026")
    with browser.phone_width():
        browser.find("#hdnd-register-incoming")
        assert "Khẩn" in browser.find("#hdnd-register-incoming tbody").text
        widths = browser.driver.execute_script(
            "const d = document.documentElement, box = document.querySelector('#hdnd-register-incoming').parentElement;"
            "return {scroll: d.scrollWidth, view: d.clientWidth, table: box.scrollWidth, box: box.clientWidth}")
        browser.shot("register-phone")
        assert widths["scroll"] <= widths["view"], f"the page scrolls sideways at 390 px: {widths}"
        assert widths["table"] > widths["box"], f"the register should scroll in its own box: {widths}"
        axe_check(browser)
    assert browser.phone("register") <= 0
