"""Server time of the pages staff use every day, next to Plone's own page for
the same thing, in one run (issue 20: p95 <= 300 ms at demo size and <= 1.5 x
Plone's own view of the same item). Each page is published in this process
through the WSGI app as a browser asks it (publisher, security, the theme's
Diazo transform included; no network), signed in as a clerk of the demo office.

    make bench   (.venv/bin/python -m pytest bench -o python_files='bench_*.py' -s)

Figures only: nothing about time is asserted."""

from plone import api
from plone.testing.zope import Browser
from statistics import quantiles
from plone.dexterity.browser.view import DefaultView
from plone.dexterity.interfaces import IDexterityContent
from Products.Five.browser.metaconfigure import SimpleViewClass
from zope.component import getGlobalSiteManager
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

import os
import plone.dexterity.browser
import time
import transaction


ROUNDS = int(os.environ.get("HDND_BENCH_ROUNDS", "40"))
WARM = 3
PASSWORD = "bench-pages-2026"
# Plone's own item view (plone.dexterity's DefaultView, the field dump hdnd's
# work page replaces), registered under another name to publish it beside.
ITEM_PT = os.path.join(os.path.dirname(plone.dexterity.browser.__file__), "item.pt")


def timings(browser, url):
    for _ in range(WARM):
        browser.open(url)
    seconds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        browser.open(url)
        seconds.append(time.perf_counter() - started)
    assert browser.headers["status"].startswith("200"), (url, browser.headers["status"])
    cuts = quantiles(seconds, n=20)
    return cuts[9] * 1000, cuts[18] * 1000  # p50, p95 in ms


def test_pages_against_plone_own(functional_portal, functional):
    portal = functional_portal
    api.portal.get_tool("portal_setup").runAllImportStepsFromProfile("profile-hdnd.policy:demo")
    api.user.create(email="vanthu-bench@example.vn", username="vanthu-bench", password=PASSWORD,
                    properties={"fullname": "Văn thư (đo)"})
    api.group.add_user(groupname="registry-clerks", username="vanthu-bench")
    transaction.commit()
    # After the commit: the test layer's stacked registry, pickled with the site, cannot hold it.
    plone_view = SimpleViewClass(ITEM_PT, bases=(DefaultView,), name="plone-default-view")
    plone_view.__roles__ = None  # public class; the item's View permission is checked on traversal
    getGlobalSiteManager().registerAdapter(plone_view, (IDexterityContent, IDefaultBrowserLayer), Interface,
                                           name="plone-default-view")
    catalog = api.portal.get_tool("portal_catalog")
    document = next(b for b in catalog.unrestrictedSearchResults(portal_type="OfficialDocument", direction="incoming")
                    if b.classification in (None, "", "none")).getURL()
    base = portal.absolute_url()
    browser = Browser(functional["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic vanthu-bench:{PASSWORD}")
    browser.addHeader("Accept-Language", "vi")
    pairs = [
        ("inbox", f"{base}/@@hdnd-inbox", "folder table (van-ban)", f"{base}/van-ban/@@tabular_view"),
        ("work page (document)", f"{document}/view", "Plone's item view", f"{document}/@@plone-default-view"),
        ("search (kế hoạch)", f"{base}/@@hdnd-search-page?SearchableText=k%E1%BA%BF+ho%E1%BA%A1ch",
         "Plone's @@search", f"{base}/@@search?SearchableText=k%E1%BA%BF+ho%E1%BA%A1ch"),
        ("dashboard", f"{base}/@@hdnd-dashboard", "Plone's @@dashboard", f"{base}/@@dashboard"),
    ]
    documents = len(catalog.unrestrictedSearchResults(portal_type="OfficialDocument"))
    print()
    print(f"Server time per page, {ROUNDS} requests each after {WARM} warm-ups, demo office "
          f"({documents} documents), signed in as a clerk; ms:")
    print(f"  {'hdnd page':<24} {'p50':>7} {'p95':>7}   {'Plone page':<26} {'p50':>7} {'p95':>7}  p95 ratio")
    for name, url, plone_name, plone_url in pairs:
        ours = timings(browser, url)
        theirs = timings(browser, plone_url)
        print(f"  {name:<24} {ours[0]:7.1f} {ours[1]:7.1f}   {plone_name:<26} {theirs[0]:7.1f} {theirs[1]:7.1f}"
              f"  {ours[1] / theirs[1]:5.2f}")
