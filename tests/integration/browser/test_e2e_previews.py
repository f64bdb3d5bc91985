"""An office file on the work page (issue 20), in Debian's chromium: filed,
the page says "Đang chuẩn bị bản xem trước…" beside the download link; once
the preview worker has had LibreOffice make its PDF (the real worker class,
the real LibreOffice), the page left open shows its pages by itself. Both at 1366 px and 390 px
(no sideways scrolling), axe-core finding no critical or serious violation."""

from datetime import date
from hdnd.content import searchable
from hdnd.content import previewworker
from hdnd.policy.testing import as_system
from hdnd.policy.testing import DOCX
from hdnd.policy.testing import docx
from plone import api
from plone.namedfile.file import NamedBlobFile
from selenium.webdriver.common.by import By

import transaction


SECRET = "preview-worker-secret-browser"
PREPARING = "Đang chuẩn bị bản xem trước…"


def test_an_office_file_is_prepared_then_previewed(browser, axe_check, people, functional_portal, tmp_path,
                                                   monkeypatch):
    monkeypatch.setenv("HDND_PREVIEW_CACHE", str(tmp_path / "previews"))
    monkeypatch.setenv(searchable.SECRET_VARIABLE, SECRET)
    people({"vanthu-v": ("Phan Thị Oanh", "registry-clerks")})
    portal = functional_portal
    with as_system(portal):
        api.content.create(
            container=portal["van-ban"], type="OfficialDocument", id="cv-212", direction="incoming",
            symbol="212/UBND-VX", title="Về việc báo cáo tình hình thực hiện kế hoạch năm 2026",
            issuing_body="Ủy ban nhân dân Thành phố", issue_date=date(2026, 11, 24), channel="state",
            file=NamedBlobFile(docx("ỦY BAN NHÂN DÂN THÀNH PHỐ", "Số: 212/UBND-VX",
                                    "V/v báo cáo tình hình thực hiện kế hoạch năm 2026", pages=2),
                               filename="212-UBND-VX.docx", contentType=DOCX))
    transaction.commit()
    browser.login("vanthu-v")
    browser.go("van-ban/cv-212")
    files = browser.find("#hdnd-work-files")
    assert PREPARING in files.text and "Tải tệp về để đọc ngay." in files.text
    link = files.find_element(By.CSS_SELECTOR, ".hdnd-work-preparing a")
    assert link.get_attribute("href").endswith("/van-ban/cv-212/@@download/file")
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-work-files img")
    browser.shot("preview-being-prepared")
    assert browser.phone("preview-being-prepared") <= 0
    axe_check(browser)

    worker = previewworker.Worker(portal.absolute_url(), SECRET, tmp_path / "worker", idle=0)
    try:
        assert worker.once() and worker.done == 1, worker.failed
    finally:
        worker.close()
    # The page, left open, puts the pages in place by itself (it asks for itself again).
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#hdnd-work-files img"),
                 "the open page did not show the preview once made")
    assert PREPARING not in browser.find("#hdnd-work-files").text
    pages = browser.driver.find_elements(By.CSS_SELECTOR, "#hdnd-work-files img")
    assert len(pages) == 2
    browser.wait(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", pages[0]),
                 "the first page's image did not load")
    assert pages[0].get_attribute("naturalWidth") == "1000"
    browser.shot("preview-ready")
    assert browser.phone("preview-ready") <= 0
    axe_check(browser)
