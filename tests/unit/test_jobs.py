"""A worker's job queue (hdnd.content.jobs), shared by the OCR of scans and
the previews of office files: the order jobs are given in, the lease, the
attempts, what is dropped. No Zope site: the queue's trees are kept on a
plain object, as they are on the site."""

from BTrees.OOBTree import OOBTree
from hdnd.content import jobs
from persistent.mapping import PersistentMapping


class Site:
    """Holds the queue's trees, as the Plone site does."""


def pending():
    return PersistentMapping({"state": "pending", "attempts": 0, "taken": 0.0})


def test_the_trees_are_made_at_the_first_job_under_the_names_sites_have():
    site, queue = Site(), jobs.JobQueue("_q", "_backlog", lease=60, attempts=3)
    assert queue.trees(site) == [] and not queue.queued(site, "a")
    queue.put(site, "a")
    queue.put(site, "b", backlog=True)
    assert isinstance(site._q, OOBTree) and list(site._q) == ["a"] and list(site._backlog) == ["b"]
    assert queue.queued(site, "a") and queue.queued(site, "b")
    queue.remove(site, "b")
    assert not queue.queued(site, "b") and list(site._backlog) == []
    item = Site()
    assert jobs.mapping(item, "_state") is None and not hasattr(item, "_state")
    made = jobs.mapping(item, "_state", create=True)
    assert isinstance(made, PersistentMapping) and jobs.mapping(item, "_state") is made


def test_new_jobs_first_then_the_backlog_each_once_within_its_lease():
    site, queue = Site(), jobs.JobQueue("_q", "_backlog", lease=60, attempts=3)
    states = {"old": pending(), "new": pending()}
    queue.put(site, "old", backlog=True)
    queue.put(site, "new")

    def look(key):
        return key, states[key]

    assert queue.take(site, look, now=1000) == ("new", states["new"])
    assert states["new"]["state"] == "running" and states["new"]["taken"] == 1000
    assert queue.take(site, look, now=1001)[0] == "old"
    assert queue.take(site, look, now=1002) is None  # both the worker's for their lease
    assert queue.take(site, look, now=1061)[0] == "new"  # never answered: given again
    assert states["new"]["attempts"] == 2


def test_what_is_no_longer_wanted_is_dropped_and_what_is_not_ready_waits():
    site, queue = Site(), jobs.JobQueue("_q", lease=60, attempts=3)
    states = {"gone": None, "done": PersistentMapping({"state": "done"}), "later": pending()}
    for key in states:
        queue.put(site, key)

    def look(key):
        return (key, states[key]) if states[key] is not None else None

    assert queue.take(site, look, ready=lambda job, state: None, now=1000) is None
    assert list(site._q) == ["later"] and states["later"]["state"] == "pending"
    found = queue.take(site, look, ready=lambda job, state: {"version": "v1"}, now=1000)
    assert found == ("later", states["later"]) and states["later"]["version"] == "v1"


def test_a_job_fails_for_good_after_its_attempts():
    queue = jobs.JobQueue("_q", lease=60, attempts=2)
    state = pending()
    state["attempts"] = 1
    assert queue.failed(state, "unreadable") is False and state["state"] == "pending"
    state["attempts"] = 2
    assert queue.failed(state, "x" * 3000) is True and state["state"] == "failed"
    assert len(state["error"]) == 2000
