"""Load on two Zope processes sharing one RelStorage/PostgreSQL database:
an agency's system sends documents (each with its idempotency key, some
sent twice at once, some retried on purpose), registry clerks on both
processes register them (the arrival number is drawn from one counter),
and eight members vote on a ballot, changing their votes, all at the same
time. Nothing is lost or doubled: each key is one document, the arrival
numbers run 1..N without a gap or a repeat, each member counts once with
their last vote. A request that still fails on a ZODB conflict after Zope's
own five tries is retried by the client, and counted."""

from collections import Counter
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from conftest import FIGURES
from conftest import add_users
from conftest import Instance
from conftest import transient_errors

import base64
import io
import os
import pickle
import pytest
import queue
import random
import re
import requests
import statistics
import threading
import time


pytestmark = pytest.mark.server

DOCUMENTS = 160
ALONE = 20  # the first ones sent by one client alone
SENDERS, CLERKS, MEMBERS = 6, 2, 8  # 16 clients
RACED = 10  # every 10th key is sent by two clients at once
RESENT = 7  # every 7th key is sent again by its client after its answer
VOTES = 6  # each member's votes, the last one counts
PASSWORD = "load-pass-12345"
TIMEOUT = 120
DATABASE = "hdnd_load"
# Waitress threads of each process. Two, as docs/operations.md advises for
# writers on RelStorage: a process runs Python one thread at a time, so four
# threads on a busy CPU stretch every transaction (and the time in which
# another commit can conflict with it) without more throughput; requests wait
# in waitress's queue instead, outside any transaction (issue 21: 146
# conflicts retried by Zope with 2 threads, 236 with 4, same load).
THREADS = os.environ.get("HDND_LOAD_THREADS", "2")


def key_of(n):
    return f"ubnd-load-{n:03d}"


def document(n):
    return {"idempotency_key": key_of(n), "symbol": f"{n + 1}/UBND-VP", "issuing_body": "UBND Thành phố",
            "title": f"Công văn {key_of(n)} về việc báo cáo kết quả giám sát", "issue_date": "2026-11-20",
            "urgency": "khan",
            "files": [{"filename": f"{n}.txt", "content_type": "text/plain",
                       "data": base64.b64encode(f"Nội dung văn bản {n}".encode()).decode()}]}


class Calls:
    """Every write the clients attempt, and the retries of those that failed
    on a conflict Zope could not resolve in its own five tries (a 409 or a
    5xx naming a transient error) or on a broken connection."""

    TRANSIENT = transient_errors()

    def __init__(self):
        self.lock = threading.Lock()
        self.attempted = Counter()
        self.retries = Counter()  # (what, why)
        self.failures = []  # (what, status, type, body) of every answer retried

    def __call__(self, what, send, ok, attempts=12):
        for attempt in range(attempts):
            with self.lock:
                self.attempted[what] += 1
            try:
                response = send()
            except requests.RequestException as error:
                status, why, body = "connection", type(error).__name__, repr(error)
            else:
                if response.status_code in ok:
                    return response
                if response.status_code != 409 and response.status_code < 500:
                    raise AssertionError(f"{what}: {response.status_code} {response.text[:2000]}")
                status, body = response.status_code, response.text
                try:
                    why = response.json().get("type")
                except ValueError:
                    why = None
            with self.lock:
                self.retries[what, why] += 1
                self.failures.append((what, status, why, body[:1000]))
            time.sleep(random.uniform(0.05, 0.3) * (attempt + 1))
        raise AssertionError(f"{what}: still failing after {attempts} attempts: {status} {body[:2000]}")

    def unexpected(self):
        """Retried answers that were not a conflict: an error of hdnd."""
        return [f for f in self.failures if f[2] not in self.TRANSIENT]

    def by(self, part):
        """Retries by call (part 0) or by error (part 1)."""
        found = Counter()
        for reason, n in self.retries.items():
            found[reason[part]] += n
        return dict(found)


def hot_objects(postgresql, database, failures):
    """The objects the conflicts name, most frequent first: their oid and
    class (the first pickle of their current state in RelStorage's tables)."""

    class Names(pickle.Unpickler):
        def find_class(self, module, name):
            return f"{module}.{name}"

    oids = Counter(int(oid, 16) for *_call, body in failures for oid in re.findall(r"oid (0x[0-9a-f]+)", body))
    found = []
    for oid, n in oids.most_common(6):
        state = postgresql.sql(f"SELECT encode(state, 'hex') FROM object_state JOIN current_object USING (zoid, tid) "
                               f"WHERE zoid = {oid}", database=database).stdout.strip()
        try:
            kind = Names(io.BytesIO(bytes.fromhex(state))).load()
            kind = kind[0] if isinstance(kind, tuple) else kind
        except Exception as error:  # only a figure: say what could not be read
            kind = f"? ({error})"
        found.append(f"{hex(oid)} {kind} x{n}")
    return found


def logged_errors(instance):
    """ERROR lines of the process's event log other than conflicts."""
    lines = (instance.var / "log" / "event.log").read_text(errors="replace").splitlines()
    return [line for line in lines if " ERROR " in line and not any(f"] {name}: " in line for name in Calls.TRANSIENT)]


def conflicts_by_error(*instances):
    """The conflicts the processes logged, by error class and whether Zope retried them."""
    found = Counter()
    for instance in instances:
        for line in (instance.var / "log" / "event.log").read_text(errors="replace").splitlines():
            error = re.search(r"hdnd\.conflicts.*\] (\w+) on \w+ .* \((retried|not retried)\)", line)
            if error:
                found[error.group(1) + ("" if error.group(2) == "retried" else " (given up)")] += 1
    return dict(found.most_common())


def logged_conflicts(*instances):
    """The write conflicts the processes logged (hdnd.content.conflicts),
    retried by Zope or not: Counter of (oid or None, class or message, retried)."""
    found = Counter()
    for instance in instances:
        for line in (instance.var / "log" / "event.log").read_text(errors="replace").splitlines():
            if "hdnd.conflicts" in line:
                oid = re.search(r"oid (0x[0-9a-f]+)", line)
                kind = re.search(r"class ([\w.]+)", line)
                kind = kind.group(1) if kind else line.split(": ", 1)[-1].split(" (oid")[0][:60]
                found[oid.group(1) if oid else None, kind, "(retried)" in line] += 1
    return found


def where_in_database(postgresql, database, oids):
    """For each oid, the chain of objects that hold it, up to the first one
    that is not a BTree part (a catalog index, a folder, hdnd's log...):
    ``IOBucket < IOBTree < ZCTextIndex 'SearchableText'``."""
    from ZODB.serialize import referencesf

    class Ref(int):
        """A reference in a state: the oid it names."""

    class Names(pickle.Unpickler):
        def find_class(self, module, name):
            return f"{module}.{name}"

        def persistent_load(self, pid):
            oid = pid[0] if isinstance(pid, tuple) else pid
            if isinstance(oid, list):  # a weak or cross-database reference
                oid = oid[1] if len(oid) > 1 and isinstance(oid[1], bytes) else b"\0"
            return Ref(int.from_bytes(oid, "big")) if isinstance(oid, bytes) else None

    rows = postgresql.sql("SELECT zoid, encode(state, 'hex') FROM object_state JOIN current_object USING (zoid, tid)",
                          database=database).stdout.split()
    parents, classes, ids, slots = defaultdict(set), {}, {}, {}
    for row in rows:
        zoid, state = row.split("|")
        zoid, data = int(zoid), bytes.fromhex(state)
        if not data:
            continue
        try:
            for ref in referencesf(data):
                parents[int.from_bytes(ref, "big")].add(zoid)
            unpickler = Names(io.BytesIO(data))
            kind = unpickler.load()
            classes[zoid] = (kind[0] if isinstance(kind, tuple) else kind)
            state = unpickler.load()
            if isinstance(state, dict):
                if isinstance(state.get("id"), str):
                    ids[zoid] = state["id"]
                for name, value in state.items():  # which attribute holds which child
                    if isinstance(value, Ref):
                        slots[zoid, int(value)] = name
        except Exception:  # only a figure: an object that cannot be read is skipped
            continue
    named = {}
    for oid in oids:
        chain, current, child = [], int(oid, 16), None
        for _step in range(8):
            kind = str(classes.get(current, "?")).rsplit(".", 1)[-1]
            if current in ids:
                kind = f"{kind} {ids[current]!r}"
            if child is not None and (current, child) in slots:
                kind = f"{kind}.{slots[current, child]}"
            chain.append(kind)
            if not kind.startswith(("OO", "OI", "IO", "II", "LL", "LO", "OL", "Length")) or not parents.get(current):
                break
            child, current = current, min(parents[current])
        named[oid] = " < ".join(chain)
    return named


def conflicts_by_place(postgresql, database, *instances):
    found = logged_conflicts(*instances)
    places = where_in_database(postgresql, database, {oid for oid, _kind, _retried in found if oid})
    by_place = Counter()
    for (oid, kind, retried), n in found.items():
        by_place[places.get(oid, kind), retried] += n
    given_up = [(place, n) for (place, retried), n in by_place.most_common() if not retried]
    retried = [(place, n) for (place, retried), n in by_place.most_common() if retried]
    return (f"{sum(n for _p, n in retried)} retried by Zope: " + (", ".join(f"{p} x{n}" for p, n in retried[:12]) or "none")
            + f"; {sum(n for _p, n in given_up)} given up (409): " + (", ".join(f"{p} x{n}" for p, n in given_up) or "none"))


def on(base, url):
    """The same item through another process."""
    return f"{base}/{url.split('/hdnd/', 1)[1]}"


@pytest.fixture(scope="module")
def processes(postgresql, tmp_path_factory):
    dsn = postgresql.create_database(DATABASE)
    root = tmp_path_factory.mktemp("load")
    first, second = (Instance(root / name, "relstorage", HDND_PG_DSN=dsn, HDND_THREADS=THREADS) for name in "ab")
    first.hdnd("setup")
    try:
        first.serve()
        second.serve()
        yield first, second
    finally:
        for instance in (first, second):
            instance.stop()


def test_two_processes_under_load_lose_nothing_and_double_nothing(processes, postgresql):
    first, second = processes
    bases = [first.url, second.url]
    admin = first.session()
    members = [f"tv-load-{n}" for n in range(1, MEMBERS + 1)]
    clerks = [f"vanthu-load-{n}" for n in range(1, CLERKS + 1)]
    add_users(admin, first.url, {"ubnd-load": "agencies", "cvp-load": "office-heads",
                                 **{c: "registry-clerks" for c in clerks}, **{m: "delegation-members" for m in members}},
              PASSWORD)
    head = first.session(("cvp-load", PASSWORD))
    meeting = head.post(f"{first.url}/phien-hop", json={
        "@type": "Meeting", "title": "Phiên họp thử tải", "start": "2026-12-24T08:00:00+07:00"})
    assert meeting.status_code == 201, meeting.text
    item = head.post(meeting.json()["@id"], json={"@type": "AgendaItem", "title": "Cho ý kiến về đề án"})
    assert item.status_code == 201, item.text
    ballot = head.post(item.json()["@id"], json={
        "@type": "Ballot", "title": "Biểu quyết đề án", "question": "Tán thành?", "ballot_kind": "open"})
    assert ballot.status_code == 201, ballot.text
    ballot = ballot.json()["@id"]
    assert head.post(f"{ballot}/@workflow/open", json={}).status_code == 200

    calls = Calls()
    received = queue.Queue()  # documents for the clerks: some twice, so two clerks race for one
    answers = {}  # key -> set of @id paths answered
    created = Counter()  # key -> 201 answers
    registered = {}  # document path -> number answered
    refused = []  # registrations refused (not as registered already): (path, body)
    last_vote = {}
    lock = threading.Lock()

    def send(agency, base, n):
        answer = calls("send", lambda: agency.post(f"{base}/@hdnd-receive", json=document(n), timeout=TIMEOUT),
                       ok=(200, 201))
        path = answer.json()["@id"].split("/hdnd/", 1)[1]
        fresh = answer.status_code == 201
        assert answer.json()["created"] is fresh, answer.text
        with lock:
            answers.setdefault(key_of(n), set()).add(path)
            created[key_of(n)] += fresh
        if fresh:
            for _copy in range(2 if n % RACED == 5 else 1):
                received.put(path)

    # One client alone first, for comparison.
    started = time.monotonic()
    agency = first.session(("ubnd-load", PASSWORD))
    for n in range(ALONE):
        send(agency, first.url, n)
    alone = time.monotonic() - started

    work = queue.Queue()  # keys to send: a raced key twice in a row, so two senders take it at once
    for n in range(ALONE, DOCUMENTS):
        for _copy in range(2 if n % RACED == 0 else 1):
            work.put(n)

    def sender(index):
        base = bases[index % 2]
        agency = first.session(("ubnd-load", PASSWORD))
        while True:
            try:
                n = work.get_nowait()
            except queue.Empty:
                return
            for _attempt in range(2 if n % RESENT == 0 else 1):
                send(agency, base, n)

    def clerk(index):
        base = bases[index % 2]
        session = first.session((clerks[index], PASSWORD))
        while True:
            path = received.get()
            if path is None:
                return
            answer = calls("register", lambda: session.post(f"{base}/{path}/@workflow/register", json={},
                                                             timeout=TIMEOUT), ok=(200, 400))
            if answer.status_code == 400:
                if "from state registered" not in answer.text:  # not because the other clerk was first
                    with lock:
                        refused.append((path, answer.text))
                continue
            number = calls("read", lambda: session.get(f"{base}/{path}", timeout=TIMEOUT),
                           ok=(200,)).json()["arrival_number"]
            with lock:
                assert path not in registered, f"{path} registered twice: {registered[path]} and {number}"
                registered[path] = number

    def voter(index):
        base = bases[index % 2]
        member = members[index]
        session = first.session((member, PASSWORD))
        chance = random.Random(index)
        for votes in range(VOTES):
            choice = chance.choice(["for", "against", "other"])
            body = {"choice": choice, "comment": f"Ý kiến {votes} của {member}" if choice == "other" else ""}
            calls("vote", lambda: session.post(f"{on(base, ballot)}/@hdnd-vote", json=body, timeout=TIMEOUT),
                  ok=(200,))
            last_vote[member] = choice
            time.sleep(chance.uniform(1.0, 5.0))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=SENDERS + CLERKS + MEMBERS) as pool:
        senders = [pool.submit(sender, i) for i in range(SENDERS)]
        registering = [pool.submit(clerk, i) for i in range(CLERKS)]
        voting = [pool.submit(voter, i) for i in range(MEMBERS)]
        try:
            for future in senders:
                future.result()
            sent = time.monotonic() - started
        finally:
            for _clerk in registering:
                received.put(None)
        for future in registering + voting:
            future.result()
    elapsed = time.monotonic() - started

    # What is in the database, as the administrator's search sees it.
    found = admin.get(f"{first.url}/@search", params={
        "portal_type": "OfficialDocument", "direction": "incoming", "b_size": 10 * DOCUMENTS,
        "metadata_fields": ["arrival_number", "review_state"]}, timeout=TIMEOUT).json()
    assert len(found["items"]) == found["items_total"]
    by_key = {}
    for item in found["items"]:
        key = re.search(r"ubnd-load-\d{3}", item["title"]).group()
        by_key.setdefault(key, []).append(item)
    keys = [key_of(n) for n in range(DOCUMENTS)]
    duplicates = sum(len(v) - 1 for v in by_key.values())
    lost = [k for k in keys if k not in by_key]
    numbers = sorted(i["arrival_number"] for i in found["items"] if i["review_state"] == "registered")
    assert head.post(f"{ballot}/@workflow/close", json={}).status_code == 200
    tally = head.get(f"{ballot}/@hdnd-tally", timeout=TIMEOUT).json()
    counted = {m: v["choice"] for m, v in tally.get("votes", {}).items()}
    retries = sum(calls.retries.values())
    wrong_votes = [m for m in members if counted.get(m) != last_vote.get(m)]
    span = f"{numbers[0]}..{numbers[-1]}" if numbers else "none"
    gapless = "gapless" if numbers == list(range(1, len(numbers) + 1)) else "NOT gapless"
    together = DOCUMENTS - ALONE
    FIGURES.append(f"load: {ALONE} documents sent by one client alone in {alone:.1f} s ({ALONE / alone:.1f}/s), then "
          f"{together} by {SENDERS + CLERKS + MEMBERS} clients ({SENDERS} senders, {CLERKS} clerks, {MEMBERS} "
          f"members) over 2 processes in {sent:.1f} s ({together / sent:.1f}/s; all done in {elapsed:.1f} s); "
          f"{found['items_total']} present, {duplicates} duplicates, {len(lost)} lost; "
          f"{len(numbers)} registered ({len(refused)} refused), numbers {span} {gapless}; "
          f"{len(counted)} votes counted of {MEMBERS} ({calls.attempted['vote']} vote calls), "
          f"{len(wrong_votes)} lost; {retries} client retries; calls attempted {dict(calls.attempted)}")
    FIGURES.append(f"load: client retries by call {calls.by(0)}, by error {calls.by(1)}; conflicts on "
          f"{', '.join(hot_objects(postgresql, DATABASE, calls.failures)) or 'nothing'}")
    for what, status, why, body in calls.unexpected():
        print(f"load: unexpected answer to {what}: {status} {why} {body[:500]}")

    # Each key is one document, whoever sent it and however often.
    assert (duplicates, lost) == (0, []), {k: [i["@id"] for i in v] for k, v in by_key.items() if len(v) > 1}
    assert {k: len(v) for k, v in answers.items() if len(v) > 1} == {}
    assert sorted(answers) == keys
    assert {k: created[k] for k in keys if created[k] != 1} == {}  # one 201 per key, the other answers 200
    assert {k: v[0]["@id"].split("/hdnd/", 1)[1] for k, v in by_key.items()} == {k: v.pop() for k, v in answers.items()}
    # Every document registered once, the numbers 1..N without a gap or a repeat.
    assert not refused, f"{len(refused)} registrations refused, the first: {refused[0]}"
    assert len(registered) == DOCUMENTS and numbers == list(range(1, DOCUMENTS + 1)), numbers
    assert sorted(registered.values()) == numbers
    # The agency reads the same numbers back by its keys.
    agency = first.session(("ubnd-load", PASSWORD))
    for n in range(0, DOCUMENTS, 7):
        status = agency.get(f"{second.url}/@hdnd-sent-status", params={"idempotency_key": key_of(n)}).json()
        assert status["arrival_number"] == by_key[key_of(n)][0]["arrival_number"]
        assert [s["code"] for s in status["status"]] == ["01", "03"], status
    # Each member counted once, with their last vote.
    assert counted == last_vote, (counted, last_vote)
    assert tally["for"] + tally["against"] + tally["other"] == MEMBERS and tally["not_voted"] == 0, tally
    assert calls.unexpected() == []
    assert logged_errors(first) + logged_errors(second) == []


# Clients that never retry ------------------------------------------------------------
#
# Load with clients that never retry (issue 21), on the same two processes
# after the test above: 16 clients for a bounded time (HDND_LOAD_SECONDS, 45 by
# default) — agencies sending one by one and in batches, registry clerks
# registering what arrives, specialists drafting, members voting, a reader
# searching and following the change feed. A browser or another agency's
# system does not retry, so every answer counts: none may be lost or doubled,
# the arrival numbers run 1..N without a gap; no answer is >= 500, and the
# goal is no 409 (a conflict Zope's own five tries did not get past: xfail
# while any). Requests and p50/p95 per kind are printed, and the write
# conflicts the processes logged, retried or not, by error and by object.


def nr_key(n):
    return f"ubnd-nr-{n:04d}"


def nr_document(n):
    return {**document(n), "idempotency_key": nr_key(n), "symbol": f"{n + 1}/UBND-NR",
            "title": f"Công văn {nr_key(n)} về việc báo cáo kết quả giám sát"}


DURATION = float(os.environ.get("HDND_LOAD_SECONDS", "45"))  # how long the clients keep sending
SENDERS, BATCHERS, CLERKS, DRAFTERS, MEMBERS, READERS = 5, 1, 2, 2, 5, 1  # 16 clients
BATCH = 50


class Log:
    """Every request once: its kind, status (or the connection error) and time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = Counter()
        self.errors = []  # (kind, status, body) of answers >= 500 or broken connections

    def __call__(self, kind, send):
        started = time.monotonic()
        try:
            response = send()
        except requests.RequestException as error:
            with self.lock:
                self.errors.append((kind, "connection", repr(error)))
                self.statuses[kind, "connection"] += 1
            return None
        elapsed = time.monotonic() - started
        with self.lock:
            self.times[kind].append(elapsed)
            self.statuses[kind, response.status_code] += 1
            if response.status_code >= 500 or response.status_code == 409:  # 409: a conflict Zope gave up on
                self.errors.append((kind, response.status_code, response.text[:1000]))
        return response

    def figures(self):
        lines = []
        for kind, times in sorted(self.times.items()):
            times = sorted(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            lines.append(f"{kind} {len(times)} p50 {statistics.median(times) * 1000:.0f} ms "
                         f"p95 {p95 * 1000:.0f} ms")
        return lines


def test_clients_that_never_retry_get_no_5xx_and_lose_nothing(processes, postgresql):
    first, second = processes
    bases = [first.url, second.url]
    admin = first.session()
    members = [f"tv-nr-{n}" for n in range(MEMBERS)]
    clerks = [f"vanthu-nr-{n}" for n in range(CLERKS)]
    drafters = [f"cv-nr-{n}" for n in range(DRAFTERS)]
    add_users(admin, first.url, {"ubnd-nr": "agencies", "cvp-nr": "office-heads", "doc-nr": "office-heads",
                                 **{c: "registry-clerks" for c in clerks}, **{d: "specialists" for d in drafters},
                                 **{m: "delegation-members" for m in members}}, PASSWORD)
    head = first.session(("cvp-nr", PASSWORD))
    meeting = head.post(f"{first.url}/phien-hop", json={
        "@type": "Meeting", "title": "Phiên họp thử tải", "start": "2026-12-24T08:00:00+07:00"})
    assert meeting.status_code == 201, meeting.text
    item = head.post(meeting.json()["@id"], json={"@type": "AgendaItem", "title": "Cho ý kiến về đề án"})
    ballot = head.post(item.json()["@id"], json={
        "@type": "Ballot", "title": "Biểu quyết đề án", "question": "Tán thành?", "ballot_kind": "open"})
    assert ballot.status_code == 201, ballot.text
    ballot = ballot.json()["@id"]
    assert head.post(f"{ballot}/@workflow/open", json={}).status_code == 200

    log = Log()
    lock = threading.Lock()
    sent = {}  # key -> @id path of a 200/201 answer
    refused_sends = []
    received = queue.Queue()
    registered = {}
    drafted = []
    last_vote = {}
    counter = iter(range(10**6))
    deadline = time.monotonic() + DURATION
    sending_done = threading.Event()  # the senders and the batcher have their last answer

    def next_key():
        with lock:
            return next(counter)

    def keep(answer, keys):
        for key, path in zip(keys, answer):
            with lock:
                assert sent.setdefault(key, path) == path, f"{key} answered as two documents"
            received.put(path)

    def sender(index):
        base, agency = bases[index % 2], first.session(("ubnd-nr", PASSWORD))
        while time.monotonic() < deadline:
            n = next_key()
            answer = log("receive", lambda: agency.post(f"{base}/@hdnd-receive", json=nr_document(n), timeout=TIMEOUT))
            if answer is not None and answer.status_code in (200, 201):
                keep([answer.json()["@id"].split("/hdnd/", 1)[1]], [nr_key(n)])
            elif answer is not None and answer.status_code < 500 and answer.status_code != 409:
                refused_sends.append(answer.text[:500])

    def batcher(index):
        base, agency = bases[index % 2], first.session(("ubnd-nr", PASSWORD))
        while time.monotonic() < deadline:
            ns = [next_key() for _ in range(BATCH)]
            answer = log("receive-bulk", lambda: agency.post(
                f"{base}/@hdnd-receive-bulk", json={"items": [nr_document(n) for n in ns]}, timeout=TIMEOUT))
            if answer is not None and answer.status_code == 200:
                keep([i["@id"].split("/hdnd/", 1)[1] for i in answer.json()["items"]], [nr_key(n) for n in ns])
            elif answer is not None and answer.status_code < 500 and answer.status_code != 409:
                refused_sends.append(answer.text[:500])

    def clerk(index):
        base, session = bases[index % 2], first.session((clerks[index], PASSWORD))
        while True:
            try:
                path = received.get(timeout=1)
            except queue.Empty:
                if sending_done.is_set():  # every answer in: all that arrived is registered
                    return
                continue
            answer = log("register", lambda: session.post(f"{base}/{path}/@workflow/register", json={},
                                                         timeout=TIMEOUT))
            if answer is not None and answer.status_code == 200:
                with lock:
                    registered[path] = answer.json().get("review_state")
            if time.monotonic() > deadline + 300:  # what is left stays received
                return

    def drafter(index):
        base, session = bases[index % 2], first.session((drafters[index], PASSWORD))
        n = 0
        while time.monotonic() < deadline:
            answer = log("draft", lambda: session.post(f"{base}/van-ban", json={
                "@type": "OfficialDocument", "title": f"Dự thảo {index}-{n}", "direction": "outgoing"},
                timeout=TIMEOUT))
            if answer is not None and answer.status_code == 201:
                drafted.append(answer.json()["@id"])
                log("read", lambda: session.get(answer.json()["@id"], timeout=TIMEOUT))
            n += 1

    def voter(index):
        base, member = bases[index % 2], members[index]
        session = first.session((member, PASSWORD))
        chance = random.Random(index)
        while time.monotonic() < deadline:
            choice = chance.choice(["for", "against"])
            answer = log("vote", lambda: session.post(f"{on(base, ballot)}/@hdnd-vote", json={"choice": choice},
                                                     timeout=TIMEOUT))
            if answer is not None and answer.status_code == 200:
                last_vote[member] = choice
            time.sleep(chance.uniform(0.5, 2.0))

    def reader(index):
        base, session = bases[index % 2], first.session(("doc-nr", PASSWORD))
        cursor = "0"
        while time.monotonic() < deadline:
            log("search", lambda: session.get(f"{base}/@search", params={
                "SearchableText": "giám sát", "portal_type": "OfficialDocument"}, timeout=TIMEOUT))
            feed = log("changes", lambda: session.get(f"{base}/@changes", params={"since": cursor}, timeout=TIMEOUT))
            if feed is not None and feed.status_code == 200:
                cursor = feed.json().get("cursor", cursor)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        sending = [pool.submit(sender, i) for i in range(SENDERS)] + [pool.submit(batcher, i) for i in range(BATCHERS)]
        futures = (sending + [pool.submit(clerk, i) for i in range(CLERKS)] + [pool.submit(drafter, i) for i in range(DRAFTERS)]
                   + [pool.submit(voter, i) for i in range(MEMBERS)] + [pool.submit(reader, i) for i in range(READERS)])
        try:
            for future in sending:
                future.result()
        finally:
            sending_done.set()
        for future in futures:
            future.result()
    elapsed = time.monotonic() - started

    found = admin.get(f"{first.url}/@search", params={
        "portal_type": "OfficialDocument", "direction": "incoming", "b_size": 100000,
        "metadata_fields": ["arrival_number", "review_state"]}, timeout=TIMEOUT).json()
    by_title = Counter(i["title"].split(" về việc")[0] for i in found["items"] if "ubnd-nr-" in i["title"])
    answered = {f"Công văn {key}" for key in sent}
    doubled = {t: n for t, n in by_title.items() if n > 1}
    lost = sorted(answered - set(by_title))
    numbers = sorted(i["arrival_number"] for i in found["items"] if i["review_state"] == "registered")
    fives = [e for e in log.errors]
    requests_made = sum(log.statuses.values())
    FIGURES.append(f"load without retries: {requests_made} requests by 16 clients over 2 processes in {elapsed:.1f} s; "
                   f"{sum(1 for e in fives if e[1] != 409)} answers >= 500, {sum(1 for e in fives if e[1] == 409)} answered 409 (a conflict); {len(sent)} documents received ({len(found['items'])} present, "
                   f"{sum(n - 1 for n in doubled.values())} doubled, {len(lost)} lost), {len(drafted)} drafts, "
                   f"{len(numbers)} registered, numbers "
                   f"{'gapless' if numbers == list(range(1, len(numbers) + 1)) else 'NOT gapless'}")
    FIGURES.append("load without retries, per kind: " + "; ".join(log.figures()))
    FIGURES.append(f"load without retries, statuses: {dict(sorted(log.statuses.items(), key=str))}")
    FIGURES.append(f"load without retries: write conflicts logged (both tests) by error "
                   f"{conflicts_by_error(first, second)}; by place {conflicts_by_place(postgresql, DATABASE, first, second)}")
    if fives:
        FIGURES.append(f"load without retries: >= 500 on "
                       f"{', '.join(hot_objects(postgresql, DATABASE, [(k, s, None, b) for k, s, b in fives])) or '?'}")
        for kind, status, body in fives[:5]:
            print(f"load without retries: {kind} answered {status}: {body[:500]}")

    assert refused_sends == []
    assert (doubled, lost) == ({}, [])
    assert numbers == list(range(1, len(numbers) + 1))  # with the first test's: one register
    assert len(sent) >= 50 and len(registered) >= 20
    # No answer >= 500, ever. The goal (issue 21) is no 409 either: the
    # conflicts Zope retried, and any it gave up on, are named above. The
    # number counters queue writers only from their draw to their commit
    # (numbers.series.Counter resolves by compare-and-set; the register step
    # draws last), so two clerks registering at once rarely meet there now;
    # what Zope still retries are catalog sets both sides change where BTrees
    # cannot merge (the arrival_number index's newest bucket, the set of
    # received documents), and a new word two documents bring at once (the
    # lexicon). Still xfail on a 409: 1 answer of 282 and 0 of 178 in the two
    # runs after the counters' change at load 5-9 (a receive, on the
    # catalog), see docs/benchmarks.md.
    assert [e[:2] for e in fives if e[1] != 409] == []
    if fives:
        pytest.xfail(f"{len(fives)} of {requests_made} answers were 409 (a conflict Zope's five tries did not get past)")
