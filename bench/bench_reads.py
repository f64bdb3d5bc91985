"""Two reads of issue 21, hdnd next to plain Plone at one size: ``GET``
of a document over REST and ``@search`` for an exact number (hdnd:
``symbol``; plain: ``Subject``), the same operations, sites and storages
as bench_scale.py (this module reuses its sites, client and plain-Plone
worker), at HDND_BENCH_READS_SIZE documents (1000; see docs/benchmarks.md
for 10,000 on FileStorage).

Prints p50/p95 (wall clock and this thread's CPU) for both sites and the
cyclic garbage collector's time per call. With HDND_BENCH_PROFILE=<dir>
each read is run once more under cProfile (CPU time) in both processes:
<dir>/<site>-<read>.prof, and the objects each call loaded from the
storage are printed. The profiled pass repeats the timed pass's picks, so
it runs on a warm ZODB cache: what a cold bucket costs shows in the timed
figures and the load counts, not in the profile.

    HDND_BENCH_STORAGE=filestorage HDND_BENCH_READS_SIZE=10000 nice -n 10 \
      .venv/bin/python -m pytest bench/bench_reads.py -s -q -p no:warnings -o python_files='bench_*.py'
"""

import cProfile
import os
import pstats
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_scale  # noqa: E402


SIZE = int(os.environ.get("HDND_BENCH_READS_SIZE", "1000"))
PROFILE = os.environ.get("HDND_BENCH_PROFILE")
run_step = bench_scale.run_step  # bench_scale's, before the plain worker wraps it


def profiled(site, name, size):
    """The step `name` under cProfile, written to PROFILE/<site>-<name>.prof;
    the step's figures with `loads`: objects loaded from the storage per
    call (the database's activity monitor, over the publisher's
    connections)."""
    from ZODB.ActivityMonitor import ActivityMonitor

    monitor = ActivityMonitor()
    site.db.setActivityMonitor(monitor)
    profile = cProfile.Profile(time.thread_time)  # CPU: a loaded machine preempts the wall clock
    profile.enable()
    try:
        result = run_step(site, name, size)
    finally:
        profile.disable()
        site.db.setActivityMonitor(None)
    path = os.path.join(PROFILE, f"{site.name}-{name}.prof")
    profile.dump_stats(path)
    loads = sum(period["loads"] for period in monitor.getActivityAnalysis(divisions=1))
    result[name]["loads"] = loads / (bench_scale.WARMUP + bench_scale.SAMPLES)
    return result


def with_gc(site, name, size):
    """The step `name` with the cyclic garbage collector's time per call
    (``gc_ms``) and its full collections (``gc_full``), which a process
    holding more objects pays more for."""
    import gc

    spent, started, full = [0.0], [0.0], [0]

    def callback(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            full[0] += info["generation"] == 2

    gc.callbacks.append(callback)
    try:
        result = run_step(site, name, size)
    finally:
        gc.callbacks.remove(callback)
    calls = bench_scale.WARMUP + bench_scale.SAMPLES
    result[name].update(gc_ms=spent[0] * 1000 / calls, gc_full=full[0], objects=len(gc.get_objects()))
    return result


def plain_worker():
    """bench_scale's plain-Plone worker, a step named ``profile:<step>``
    run under profiled()."""
    def step(site, name, size):
        if name.startswith("profile:"):
            return profiled(site, name.partition(":")[2], size)
        if name in ("get", "search_symbol"):
            return with_gc(site, name, size)
        return run_step(site, name, size)

    bench_scale.run_step = step
    bench_scale.STEPS.extend(f"profile:{name}" for name in ("get", "search_symbol"))
    return bench_scale.plain_worker()


class PlainWorker(bench_scale.PlainWorker):
    script = os.path.abspath(__file__)  # its worker adds the profiled steps


def test_reads_against_plain_plone(functional, functional_portal):
    import transaction

    with bench_scale.storages() as env:
        worker, db = None, None
        try:
            worker = PlainWorker(env)
            portal, db = bench_scale.attach(functional["zodbDB"], functional_portal.getPhysicalPath(), "hdnd")
            hdnd = bench_scale.HdndSite(portal, db)
            transaction.commit()
            worker.send("grow", SIZE)
            bench_scale.run_step(hdnd, "grow", SIZE)
            worker.answer()
            rows = []
            for name in ("get", "search_symbol"):
                plain = worker.run_step(name, SIZE)[name]
                measured = with_gc(hdnd, name, SIZE)[name]
                print(f"{name}: gc ms per call, plain {plain['gc_ms']:.2f} ({plain['gc_full']} full, "
                      f"{plain['objects']} objects), hdnd {measured['gc_ms']:.2f} ({measured['gc_full']} full, "
                      f"{measured['objects']} objects)")
                if PROFILE:
                    plain_loads = worker.run_step(f"profile:{name}", SIZE)[name]["loads"]
                    hdnd_loads = profiled(hdnd, name, SIZE)[name]["loads"]
                    print(f"{name}: objects loaded per call, plain {plain_loads:.1f}, hdnd {hdnd_loads:.1f}")
                rows.append(f"| {name} | {SIZE} | {plain['p50']:.1f} | {plain['p95']:.1f} | {measured['p50']:.1f} "
                            f"| {measured['p95']:.1f} | {measured['p50'] / plain['p50']:.2f} "
                            f"| {measured['p95'] / plain['p95']:.2f} | {plain['cpu_p50']:.1f} "
                            f"| {measured['cpu_p50']:.1f} |")
            print("\n| read | size | plain p50 | plain p95 | hdnd p50 | hdnd p95 | p50 ratio | p95 ratio "
                  "| plain CPU p50 | hdnd CPU p50 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                  "| ---: |\n" + "\n".join(rows) + f"\nload average {os.getloadavg()[0]:.1f} "
                  f"({bench_scale.STORAGE}, {bench_scale.SAMPLES} samples)", flush=True)
        finally:
            transaction.abort()
            if worker is not None:
                worker.close()
            if db is not None and bench_scale.STORAGE != "memory":
                from zope.component.hooks import setSite

                setSite(functional_portal)
                db.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["--plain-worker"]:
        sys.exit(plain_worker())
    sys.exit(f"usage: {sys.argv[0]} --plain-worker (started by the benchmark; run it with pytest)")
