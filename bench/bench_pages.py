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


def timed(browser, url):
    """(wall, CPU) seconds of one request: the CPU time of this process says
    what the page costs when other work shares the machine's cores."""
    wall, cpu = time.perf_counter(), time.process_time()
    browser.open(url)
    return time.perf_counter() - wall, time.process_time() - cpu


def side_by_side(browser, url, plone_url, change=None):
    """hdnd's page and Plone's, one request of each in turn, so that the
    machine's load weighs on both alike; p50, p95 (wall) and CPU p50 of each,
    ms. ``change``: called (untimed) before each of hdnd's requests."""
    for _ in range(WARM):
        browser.open(url)
        browser.open(plone_url)
    ours, theirs = [], []
    for _ in range(ROUNDS):
        if change is not None:
            change()
        ours.append(timed(browser, url))
        assert browser.headers["status"].startswith("200"), (url, browser.headers["status"])
        theirs.append(timed(browser, plone_url))
        assert browser.headers["status"].startswith("200"), (plone_url, browser.headers["status"])
    return figures(ours), figures(theirs)


def figures(samples):
    wall = quantiles([w for w, _ in samples], n=20)
    cpu = quantiles([c for _, c in samples], n=20)
    return wall[9] * 1000, wall[18] * 1000, cpu[9] * 1000


def bench_user(name, group, fullname):
    api.user.create(email=f"{name}@example.vn", username=name, password=PASSWORD,
                    properties={"fullname": fullname})
    api.group.add_user(groupname=group, username=name)


def signed_in(app, username):
    browser = Browser(app)
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {username}:{PASSWORD}")
    browser.addHeader("Accept-Language", "vi")
    return browser


def first(catalog, **query):
    """The URL of the first unclassified item the query finds (the bench's
    users hold no clearance)."""
    return next(b for b in catalog.unrestrictedSearchResults(sort_on="getId", **query)
                if getattr(b, "classification", None) in (None, "", "none")).getURL()


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def test_pages_against_plone_own(functional_portal, functional):
    portal = functional_portal
    api.portal.get_tool("portal_setup").runAllImportStepsFromProfile("profile-hdnd.policy:demo")
    # A clerk for the registry's pages, an office head for the work pages of
    # what the clerk may not open (dossiers, tasks, meetings, programmes),
    # a records manager for the records desk.
    bench_user("vanthu-bench", "registry-clerks", "Văn thư (đo)")
    bench_user("lanhdao-bench", "office-heads", "Lãnh đạo Văn phòng (đo)")
    bench_user("luutru-bench", "records-managers", "Cán bộ lưu trữ (đo)")
    transaction.commit()
    # After the commit: the test layer's stacked registry, pickled with the site, cannot hold it.
    plone_view = SimpleViewClass(ITEM_PT, bases=(DefaultView,), name="plone-default-view")
    plone_view.__roles__ = None  # public class; the item's View permission is checked on traversal
    getGlobalSiteManager().registerAdapter(plone_view, (IDexterityContent, IDefaultBrowserLayer), Interface,
                                           name="plone-default-view")
    catalog = api.portal.get_tool("portal_catalog")
    document = first(catalog, portal_type="OfficialDocument", direction="incoming")
    dossier = first(catalog, portal_type="Dossier")
    task = first(catalog, portal_type="Task")
    meeting = first(catalog, portal_type="Meeting")
    ballot = first(catalog, portal_type="Ballot")
    programme = first(catalog, portal_type="WorkProgramme")
    base = portal.absolute_url()
    clerk = signed_in(functional["app"], "vanthu-bench")
    head = signed_in(functional["app"], "lanhdao-bench")
    keeper = signed_in(functional["app"], "luutru-bench")
    moved = portal.unrestrictedTraverse(document.replace(base + "/", "", 1))

    def move_catalog():
        moved.reindexObject(idxs=["modified"])
        transaction.commit()

    words = "SearchableText=k%E1%BA%BF+ho%E1%BA%A1ch"
    pairs = [
        (clerk, "inbox", f"{base}/@@hdnd-inbox", "folder table (van-ban)", f"{base}/van-ban/@@tabular_view"),
        (clerk, "work page (document)", f"{document}/view", "Plone's item view", f"{document}/@@plone-default-view"),
        (head, "work page (dossier)", f"{dossier}/view", "Plone's item view", f"{dossier}/@@plone-default-view"),
        (head, "work page (task)", f"{task}/view", "Plone's item view", f"{task}/@@plone-default-view"),
        (head, "meeting", f"{meeting}/view", "Plone's item view", f"{meeting}/@@plone-default-view"),
        (head, "ballot", f"{ballot}/view", "Plone's item view", f"{ballot}/@@plone-default-view"),
        (clerk, "search (kế hoạch)", f"{base}/@@hdnd-search-page?{words}", "Plone's @@search",
         f"{base}/@@search?{words}"),
        (clerk, "dashboard (clerk)", f"{base}/@@hdnd-dashboard", "Plone's @@dashboard", f"{base}/@@dashboard"),
        (head, "dashboard (head)", f"{base}/@@hdnd-dashboard", "Plone's @@dashboard", f"{base}/@@dashboard"),
        # The dashboard keeps a person's figures until the catalog changes: here it changes before each request.
        (head, "dashboard (head, fresh)", f"{base}/@@hdnd-dashboard", "Plone's @@dashboard", f"{base}/@@dashboard",
         move_catalog),
        (head, "directives board", f"{base}/@@hdnd-directives", "Plone's @@search (tasks)",
         f"{base}/@@search?portal_type=Task"),
        (head, "programme board", f"{programme}/view", "Plone's item view", f"{programme}/@@plone-default-view"),
        (keeper, "records desk", f"{base}/@@hdnd-records", "folder table (luu-tru)",
         f"{base}/luu-tru/@@tabular_view"),
        (clerk, "register (incoming)", f"{base}/@@hdnd-register-print?register=incoming",
         "folder table (van-ban)", f"{base}/van-ban/@@tabular_view"),
    ]
    documents = len(catalog.unrestrictedSearchResults(portal_type="OfficialDocument"))
    print()
    print(f"Server time per page, {ROUNDS} requests each after {WARM} warm-ups, demo office "
          f"({documents} documents), as a clerk, an office head or a records manager; ms; "
          f"load average before: {load_average()}")
    print(f"  {'hdnd page':<24} {'p50':>6} {'p95':>6} {'cpu50':>6}   {'Plone page':<26} {'p50':>6} {'p95':>6} "
          f"{'cpu50':>6}  p95 ratio")
    for browser, name, url, plone_name, plone_url, *change in pairs:
        ours, theirs = side_by_side(browser, url, plone_url, *change)
        print(f"  {name:<24} {ours[0]:6.0f} {ours[1]:6.0f} {ours[2]:6.0f}   {plone_name:<26} {theirs[0]:6.0f} "
              f"{theirs[1]:6.0f} {theirs[2]:6.0f}  {ours[1] / theirs[1]:5.2f}")
    print(f"  load average after: {load_average()}")
