"""The catalog's work on a document with hdnd's wrapper of now and with the
wrapper of an earlier commit, in one process, taking turns (issue 21, bulk
registration, third round): whole runs of two trees differ by more than the
load lets a change of a millisecond show; here both wrappers index the same
documents under the same load.

300 documents (HDND_BENCH_CATALOG) are received in bulk, then, 12 turns
each, uncatalogued and catalogued again (``Catalog.catalogObject`` with the
metadata, as at a commit) through one wrapper, then the other, the order
alternated. The earlier wrapper is ``indexwrapper.py`` read from git at
HDND_BENCH_WRAPPER_BEFORE (default 3d76f31, round 2's). Prints the CPU
time a document of each, the paired difference, and the Python calls a
document of each (cProfile).

    nice -n 10 .venv/bin/python -m pytest bench/bench_catalog_wrapper.py -o python_files='bench_*.py' -s -q

Figures, not assertions about time.
"""

from plone import api

import cProfile
import importlib.util
import os
import pathlib
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import transaction


sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_bulk_phases import item  # noqa: E402
from bench_bulk_phases import receive  # noqa: E402
from bench_bulk_phases import SENDER  # noqa: E402


COUNT = int(os.environ.get("HDND_BENCH_CATALOG", "300"))
BEFORE = os.environ.get("HDND_BENCH_WRAPPER_BEFORE", "3d76f31")
TURNS = 12


def earlier_wrapper():
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:src/hdnd.content/src/hdnd/content/indexwrapper.py"],
        cwd=pathlib.Path(__file__).parent, capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as module:
        module.write(source)
    spec = importlib.util.spec_from_file_location("hdnd_indexwrapper_before", module.name)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    os.unlink(module.name)
    return loaded.MemoizingIndexableWrapper


def test_the_catalogs_work_with_each_wrapper(functional_portal):
    from hdnd.content.indexwrapper import MemoizingIndexableWrapper

    wrappers = {"before": earlier_wrapper(), "now": MemoizingIndexableWrapper}
    api.portal.set_registry_record("hdnd.installation.exchange_enabled", True)
    api.user.create(email="wrapper@example.vn", username=SENDER, password="wrapper-pass-12345")
    api.group.add_user(groupname="agencies", username=SENDER)
    transaction.commit()
    receive([item(n) for n in range(COUNT)])
    catalog = api.portal.get_tool("portal_catalog")
    inner = catalog._catalog
    documents = [b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(portal_type="OfficialDocument")]
    paths = ["/".join(d.getPhysicalPath()) for d in documents]

    def index_all(wrapper):
        for path in paths:
            catalog.uncatalog_object(path)
        started = time.process_time()
        for document, path in zip(documents, paths):
            inner.catalogObject(wrapper(document, catalog), path)
        return (time.process_time() - started) / len(documents) * 1000

    spent = {name: [] for name in wrappers}
    for turn in range(TURNS):
        for name in (("before", "now") if turn % 2 == 0 else ("now", "before")):
            spent[name].append(index_all(wrappers[name]))
    calls = {}
    for name, wrapper in wrappers.items():
        profile = cProfile.Profile()
        profile.enable()
        index_all(wrapper)
        profile.disable()
        calls[name] = pstats.Stats(profile).total_calls / len(documents)
    transaction.abort()

    print(f"\n{len(documents)} documents catalogued afresh, {TURNS} turns each, wrapper of {BEFORE} and of now:")
    for name, times in spent.items():
        print(f"  {name}: CPU {statistics.median(times):.2f} ms a document (min {min(times):.2f}); "
              f"{calls[name]:.0f} Python calls a document")
    differences = [b - n for b, n in zip(spent["before"], spent["now"])]
    print(f"  paired before - now: median {statistics.median(differences):.2f} ms, "
          f"now less in {sum(d > 0 for d in differences)} of {TURNS}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
