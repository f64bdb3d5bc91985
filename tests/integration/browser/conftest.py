"""Browser tests: Debian's headless chromium (packages chromium and
chromium-driver, never a downloaded browser) driven by selenium against the
test site's real WSGI server (the ``functional`` layer of the integration
tests, whose conftest this one extends), through the Classic UI as the
office's people use it. Every step is saved as a screenshot under
HDND_SCREENSHOTS (default test-artifacts/screenshots), one folder per test."""

from contextlib import contextmanager
from pathlib import Path
from selenium.common.exceptions import ElementClickInterceptedException
from selenium.common.exceptions import TimeoutException
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait

import accessibility
import json
import os
import pytest
import re


# Selenium Manager must never fetch a browser or a driver: Debian's are used.
os.environ.setdefault("SE_OFFLINE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESKTOP = (1366, 900)
PHONE = (390, 844)
WAIT = 20  # seconds: the longest a step may take (signing a PDF, the first page of a run)
PASSWORD = "browser-pass-2026"  # the people fixture's (tests/integration/conftest.py)
ROOT = Path(__file__).resolve().parents[3]


def screenshots_root():
    return Path(os.environ.get("HDND_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots")


def start_chromium():
    """A headless Debian chromium, in Vietnamese, at a laptop's width."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are needed (make system-test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=vi", "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "vi,en"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


@pytest.fixture(scope="session")
def chromium():
    """One headless chromium for the run (each test starts signed out)."""
    driver = start_chromium()
    yield driver
    driver.quit()


class Browser:
    """What a person does on the site, one step at a time, each step
    photographed: ``shot`` numbers the pictures in the order taken."""

    def __init__(self, driver, base, folder):
        self.driver = driver
        self.base = base
        self.folder = folder
        self.count = 0

    # -- looking

    def shot(self, step):
        """Save the page as <nn>-<step>.png (the whole page's height)."""
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.count:02d}-{step}.png"
        self._full_page(lambda: self.driver.save_screenshot(str(path)))
        return path

    def _full_page(self, take):
        size = self.driver.get_window_size()
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        if height > size["height"]:
            self.driver.set_window_size(size["width"], min(height + 100, 6000))
        try:
            take()
        finally:
            self.driver.set_window_size(size["width"], size["height"])

    def phone(self, step):
        """The same page as a phone shows it; answers how far it runs past the
        phone's width (0: nothing to scroll sideways)."""
        size = self.driver.get_window_size()
        self.driver.set_window_size(*PHONE)
        try:
            self.shot(f"{step}-phone")
            return self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        finally:
            self.driver.set_window_size(size["width"], size["height"])

    @contextmanager
    def phone_width(self):
        """Within: the window is a phone's (390 px), as axe or a check sees it."""
        size = self.driver.get_window_size()
        self.driver.set_window_size(*PHONE)
        try:
            yield self
        finally:
            self.driver.set_window_size(size["width"], size["height"])

    @property
    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    @property
    def url(self):
        return self.driver.current_url

    def find(self, css):
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, css)), f"no {css}")

    def visible(self, css):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), f"{css} not visible")

    def wait(self, condition, message, ignored=()):
        try:
            return WebDriverWait(self.driver, WAIT, ignored_exceptions=ignored).until(condition)
        except TimeoutException:
            raise AssertionError(f"{message} on {self.driver.current_url}:\n{self.text[:3000]}") from None

    def wait_text(self, text, css="body"):
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text), f"{text!r} not shown in {css}")

    def status_message(self):
        return self.visible(".portalMessage").text

    # -- doing

    def go(self, path):
        self.driver.get(path if path.startswith("http") else f"{self.base}/{path.lstrip('/')}")
        self.find("body")

    def fill(self, name, value):
        field = self.find(f'[name="{name}"]')
        if field.tag_name == "select":
            Select(field).select_by_visible_text(value)
        elif field.get_attribute("type") == "file":
            field.send_keys(str(value))
        elif field.get_attribute("type") in ("date", "datetime-local"):
            # The picker's typed order follows the browser's locale: set the ISO value as the picker does.
            self.driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", field, value)
        else:
            field.clear()
            field.send_keys(value)
        return field

    def form(self, **fields):
        """Fill a form: form(title="…", IAssignment__deadline="2026-11-30") fills
        form.widgets.title and form.widgets.IAssignment.deadline; a select's
        value is the option's label."""
        for key, value in fields.items():
            name = "form.widgets." + key.replace("__", ".")
            select = self.driver.find_elements(By.CSS_SELECTOR, f'select[name="{name}:list"]')
            self.fill(f"{name}:list" if select else name, value)

    def choose(self, name, *labels):
        """Move options to the chosen side of a two-list widget (→)."""
        source = Select(self.find(f'[name="{name}.from"]'))
        for label in labels:
            source.deselect_all()
            source.select_by_visible_text(label)
            self.click(f'[id="{name.replace(".", "-")}"] button[name="from2toButton"]')
        chosen = [option.text for option in Select(self.find(f'[name="{name}.to"]')).options]
        assert set(labels) <= set(chosen), chosen

    def click(self, css):
        """Click when the element can take it (a menu still opening, a page still
        laying out may be in the way for a moment)."""
        element = self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, css)), f"{css} not clickable")
        self.press(element)

    def press(self, element):
        refusals = []

        def clicked(driver):
            # To the middle of the screen, at once (the theme scrolls smoothly): where the
            # driver would scroll it by itself, Plone's sticky form buttons may cover it.
            driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
            try:
                element.click()
                return True
            except ElementClickInterceptedException as error:
                refusals.append(error.msg)
                return False

        try:
            WebDriverWait(self.driver, WAIT).until(clicked)
        except TimeoutException:
            raise AssertionError(f"{element.text or element.tag_name} cannot be clicked: {refusals[-1:]}") from None

    def submit(self, css):
        """Click a form's button and wait for the next page."""
        old = self.find("html")
        self.click(css)
        # Asked about an element of a page that is being replaced, chromedriver
        # may answer "unhandled inspector error" (seen in CI, after a login's
        # POST) instead of "stale element": that is the page changing too, so
        # ask again rather than fail.
        self.wait(EC.staleness_of(old), f"{css} led nowhere", ignored=(WebDriverException,))
        self.find("body")

    def follow(self, text):
        """Follow the link that reads ``text``."""
        old = self.find("html")
        self.press(self.wait(EC.element_to_be_clickable((By.LINK_TEXT, text)), f"no link {text!r}"))
        self.wait(EC.staleness_of(old), f"{text} led nowhere")
        self.find("body")

    def login(self, user, password=PASSWORD):
        """Sign in through the site's login form, as a person does."""
        self.driver.delete_all_cookies()
        self.go("login")
        self.fill("__ac_name", user)
        self.fill("__ac_password", password)
        self.submit('[name="buttons.login"]')
        self.find("#personaltools-logout, #portal-personaltools .user-name, a[href$='/logout']")

    def transition(self, title):
        """Take a workflow step from the toolbar's state menu, by its label."""
        self.menu("workflow", title)

    def add(self, title):
        """Add an item from the toolbar's add menu (Tạo thêm...), by its label."""
        self.menu("factories", title)

    def menu(self, menu, title):
        menu = f"#plone-contentmenu-{menu}"
        if not self.driver.find_element(By.CSS_SELECTOR, f"{menu} .dropdown-menu").is_displayed():
            self.click(f"{menu} > a")
        self.visible(f"{menu} .dropdown-menu")
        items = self.driver.find_elements(By.CSS_SELECTOR, f"{menu} .dropdown-menu a")
        matching = [item for item in items if item.text.strip() == title]
        assert matching, f"{title!r} is not in the menu: {[item.text.strip() for item in items]}"
        old = self.find("html")
        self.press(matching[0])
        self.wait(EC.staleness_of(old), f"{title} led nowhere")
        self.find("body")

    def state(self):
        """The state the toolbar's menu shows."""
        return self.find("#plone-contentmenu-workflow > a .toolbar-label, #plone-contentmenu-workflow > a").text.strip()


@pytest.fixture
def browser(chromium, functional_portal, request):
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    folder = screenshots_root() / name
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    chromium.set_window_size(*DESKTOP)
    chromium.delete_all_cookies()
    browser = Browser(chromium, functional_portal.absolute_url(), folder)
    yield browser
    if getattr(request.node, "failed", False):
        browser.shot("failed")
        (folder / "failed.html").write_text(chromium.page_source)
    chromium.delete_all_cookies()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.failed = True
    return report


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's script (tests/axe, installed by make test with npm ci)."""
    return accessibility.axe_source()


@pytest.fixture
def axe_check(axe_source, request):
    """``axe_check(driver)`` (a selenium driver or a Browser) runs axe-core
    4.14 on the page shown, with the WCAG 2.0/2.1 A and AA rules; it fails
    the test on any critical or serious violation, listing each with the
    elements concerned, and answers all violations (moderate and minor ones
    included). Each page's report is kept beside the screenshots
    (axe-<n>.json)."""
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    folder = screenshots_root() / name
    count = []

    def check(driver, context=None):
        driver = getattr(driver, "driver", driver)
        violations = accessibility.run_axe(driver, context, axe_source)
        count.append(1)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"axe-{len(count):02d}.json").write_text(
            json.dumps({"url": driver.current_url, "violations": violations}, ensure_ascii=False, indent=1))
        bad = accessibility.failing(violations)
        if bad:
            pytest.fail(f"axe-core: {len(bad)} critical or serious violations on {driver.current_url}:\n"
                        + accessibility.describe(bad), pytrace=False)
        return violations

    return check
