"""hdnd's style sheets come after Plone's and Barceloneta's in every page's
head (hdnd.policy.browser.theme.HeadLinks), so that a rule of hdnd's wins
over one of Plone's as specific by coming later, without !important. Before,
Plone ordered the head's links by viewlet name and hdnd's came first: its
rules won only by being more specific. Read in Debian's chromium from the
style sheets the page applies, at 1366 and 390 px; and one rule of each,
equally specific, shows which wins."""

def sheets(browser):
    return browser.driver.execute_script(
        "return Array.from(document.styleSheets).map(s => s.href || '(inline)')")


def test_hdnd_styles_come_after_plones(people, functional_portal, browser):
    people({"cv-theme": ("Phạm Văn Thắng", "specialists")})
    browser.login("cv-theme")
    for path in ("van-ban", "@@hdnd-inbox"):
        browser.go(path)
        for phone in (False, True):
            if phone:
                with browser.phone_width():
                    found = sheets(browser)
            else:
                found = sheets(browser)
            barceloneta = [i for i, href in enumerate(found) if "barceloneta" in href and href.endswith(".css")]
            hdnd = [i for i, href in enumerate(found) if "++resource++hdnd-" in href]
            assert barceloneta and len(hdnd) >= 2, found
            assert min(hdnd) > max(i for i, href in enumerate(found) if "++resource++hdnd-" not in href), found
    # The same selector in Barceloneta's sheet and a sheet of hdnd's place: the later one wins.
    colour = browser.driver.execute_script(
        "const last = Array.from(document.styleSheets).filter(s => (s.href || '').includes('hdnd-theme.css'))[0];"
        "const probe = document.createElement('p'); probe.className = 'hdnd-order-probe'; document.body.appendChild(probe);"
        "const index = last.cssRules.length;"
        "last.insertRule('.hdnd-order-probe { color: rgb(1, 2, 3); }', index);"
        "const barceloneta = Array.from(document.styleSheets).filter(s => (s.href || '').includes('barceloneta'))[0];"
        "barceloneta.insertRule('.hdnd-order-probe { color: rgb(9, 9, 9); }', barceloneta.cssRules.length);"
        "return getComputedStyle(probe).color")
    assert colour == "rgb(1, 2, 3)", colour
    browser.shot("inbox")
