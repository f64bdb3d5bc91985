"""GETs never write (issue 21), as a gate over what is registered.

A write in a GET is a write hot spot every reader shares (two readers at
once conflict, and a client that does not retry gets a 500), and a database
that grows while nobody works. The names asked are not a list written here:
every browser view and every plone.restapi GET service registered for each
context is read from the component registry (as the attack-surface test of
test_hidden does), so a view or service added later is asked without anyone
listing it. Each is asked with GET over HTTP on the site root, a section,
an item of every hdnd type and a classified document, by a registry clerk,
a specialist, a leader, an anonymous visitor and a person on their very
first request (an account nobody has used), and the site's administrator,
the roles taking turns; after
each answer the database's last transaction must be where it was. An error
answer is fine; a commit is not, unless it is one of LAWFUL_WRITES below.
"""

from datetime import datetime
from hdnd.content.clearance import set_clearance
from hdnd.policy.testing import as_system
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import createContentInContainer
from registered import registered  # what is registered, as the attack-surface gate reads it
from ZODB.utils import get_pickle_metadata
from ZODB.utils import p64
from ZODB.utils import u64

import os
import pytest
import requests
import time
import transaction


PASSWORD = "secret-pass-123"
JSON = {"Accept": "application/json"}
ROLES = ("clerk", "specialist", "leader", "anonymous", "newcomer", "administrator")
STAFF = {"clerk": "registry-clerks", "specialist": "specialists", "leader": "delegation-leaders"}
CLEARED = {"leader"}  # holds a clearance (Tuyệt mật), and needs to know the classified document
SAFE = {"GET": "service", "HEAD": "head", "OPTIONS": "options"}  # a safe method's service, by its kind here
CALLS = int(os.environ.get("HDND_GET_CALLS", "2"))  # contexts a name of Plone's is asked on


def ours(name):
    return "hdnd" in name

# The writes a GET may make, each with the law that demands it: the one
# place that names them. A transaction that a GET commits passes only when a
# rule here accepts every object it writes.
LAWFUL_WRITES = {
    "audit of a classified item's view": (
        "Domain §5: every view, download, print and copy of a classified item is logged (who, "
        "when, what). The record goes to the audit trail's conflict-free inbox "
        "(hdnd.content.inbox), sealed into the chain after the commit: two readers never conflict.",
        lambda case, written, site: case["context"] == "classified" and _only_the_audit_trail(written, site),
    ),
    "audit of a generated document a cleared person asked for": (
        "Domain §5 again: a generated document (a register, an agenda, a table of contents) asked "
        "for by a clearance holder may list classified items, so it is a print of them and is "
        "logged (hdnd.content.docgen.generation.may_hold_classified); for anyone else it is a "
        "plain read and writes nothing.",
        lambda case, written, site: case["role"] in CLEARED and case["name"].startswith("@hdnd-generate/")
        and _only_the_audit_trail(written, site),
    ),
    "audit of a sign-out": (
        "Plone signs out with a GET (@@logout, the personal menu's link), and hdnd's audit trail "
        "records every sign-in and sign-out of a person (audit_subscribers; a sign-out by nobody "
        "is not recorded). Written to the same conflict-free inbox.",
        lambda case, written, site: case["name"] == "logout" and _only_the_audit_trail(written, site),
    ),
}


def _only_the_audit_trail(written, site):
    """Every object written is the audit log, its inbox or the BTrees of its
    sealed entries (new ones, or ones of the audit log's classes)."""
    from hdnd.content import audit

    log = audit._log(site=site, create=False)
    inbox_oid = getattr(getattr(log, "inbox", None), "_p_oid", None)
    for klass, oid in written:
        if klass == "hdnd.content.inbox.Inbox":
            if inbox_oid is not None and oid != inbox_oid:
                return False
        elif not (klass.startswith("hdnd.content.audit.") or klass.startswith("BTrees.")):
            return False
    return True


def get_names(context):
    """The browser views, REST services of the safe methods (kind
    "service" for GET, "head", "options") and traversal namespaces
    registered for ``context``: what a request that must write nothing can
    name."""
    views, services, namespaces = registered(context)
    return sorted({("view", name) for name in views}
                  | {(SAFE[method], name) for method, name in services if method in SAFE}
                  | {("namespace", name) for name in namespaces})


# Values for the query parameters hdnd's REST description (hdnd.content.openapi)
# gives its GET services, where a made-up string would only be refused.
VALUES = {"since": "0", "limit": "5", "b_start": "0", "b_size": "5", "SearchableText": "đọc", "format": "odt",
          "year": "2026", "register": "incoming", "bag": "1", "record_year": "2026", "classification": "mat"}


def documented_gets(portal, where, contexts):
    """hdnd's described GET services with their query parameters filled in,
    each on a context it is registered for (a {template}: every template of
    the office's, on an item of a type it is for)."""
    from hdnd.content.openapi import PATHS

    for path, methods in sorted(PATHS.items()):
        operation = methods.get("get")
        if operation is None:
            continue
        name = next(part for part in path.split("/") if part.startswith("@"))
        labels = where.get(("service", name), ["site root"])
        params = {p["name"]: VALUES.get(p["name"], p["schema"].get("example", "ke hoach"))
                  for p in operation.get("parameters", ()) if p["in"] == "query"}
        templates = portal["mau-van-ban"].objectValues() if "{template}" in path else [None]
        for n, template in enumerate(templates):
            label = labels[n % len(labels)]
            fits = [lb for lb in labels if getattr(contexts[lb], "portal_type", None)
                    in (getattr(template, "pod_portal_types", None) or ())]
            label = fits[0] if fits else label
            suffix = path.split("/", 2)[-1] if path.startswith("/{item}") else path.lstrip("/")
            yield label, suffix.replace("{template}", template.getId() if template else ""), params


def written_since(db, tid):
    """What each transaction committed after ``tid`` wrote: its note (the
    request's path), and the (class, oid) of each object."""
    found = []
    for txn in db.storage.iterator(p64(u64(tid) + 1)):
        records = []
        for record in txn:
            module, klass = get_pickle_metadata(record.data) if record.data else ("", "(deleted)")
            records.append((f"{module}.{klass}", record.oid))
        found.append((txn.description.decode("utf-8", "replace") if isinstance(txn.description, bytes)
                      else txn.description, records))
    return found


def build_site(portal):
    """The contexts: the site root, a section, an item of every hdnd type and
    a classified document, each under the URL that names it."""
    made = {"site root": portal, "section": portal["van-ban"]}
    with as_system(portal):
        made["Dossier"] = dossier = api.content.create(container=portal["ho-so"], type="Dossier",
                                                       id="hs-doc", title="Hồ sơ đọc")
        made["OfficialDocument"] = document = api.content.create(
            container=dossier, type="OfficialDocument", id="vb-doc", title="Văn bản đọc", direction="incoming")
        made["ProcessingSlip"] = api.content.create(container=document, type="ProcessingSlip", title="Phiếu xử lý")
        made["Task"] = task = api.content.create(container=document, type="Task", title="Nhiệm vụ")
        made["ProgressReport"] = api.content.create(container=task, type="ProgressReport", title="Báo cáo")
        made["Meeting"] = meeting = api.content.create(container=portal["phien-hop"], type="Meeting",
                                                       title="Phiên họp", start=datetime(2026, 3, 27, 8))
        made["AgendaItem"] = item = api.content.create(container=meeting, type="AgendaItem", title="Nội dung")
        made["Ballot"] = api.content.create(container=item, type="Ballot", title="Biểu quyết", question="Tán thành?")
        made["OpinionRequest"] = api.content.create(
            container=portal["phien-hop"], type="OpinionRequest", title="Xin ý kiến", question="Đồng ý?",
            reply_deadline=datetime(2026, 4, 3, 17))
        made["WorkProgramme"] = programme = api.content.create(
            container=portal["chuong-trinh-cong-tac"], type="WorkProgramme", title="Chương trình 2026", year=2026)
        made["ProgrammeItem"] = api.content.create(container=programme, type="ProgrammeItem", title="Sơ kết",
                                                   planned_month=6)
        made["FilePlan"] = plan = api.content.create(container=portal["luu-tru"], type="FilePlan",
                                                     title="Danh mục 2026", year=2026)
        made["FilePlanHeading"] = api.content.create(container=plan, type="FilePlanHeading", title="Tổng hợp")
        made["TransferBatch"] = api.content.create(container=portal["luu-tru"], type="TransferBatch",
                                                   title="Nộp lưu")
        made["DestructionList"] = api.content.create(container=portal["luu-tru"], type="DestructionList",
                                                     title="Tiêu hủy")
        # Made by code only (hdnd numbers import): not addable through the UI.
        made["SecretDocumentStub"] = createContentInContainer(
            portal["van-ban"], "SecretDocumentStub", checkConstraints=False, title="Văn bản mật số 01")
    # A classified item is created by someone cleared for it, who needs to know it.
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "tuyet_mat")
    made["classified"] = api.content.create(
        container=portal["van-ban"], type="OfficialDocument", id="vb-mat", title="Văn bản mật",
        direction="internal", classification="mat", need_to_know=["leader"])
    give_portlets(made)
    return made


def give_portlets(contexts):
    """A portlet of each context's own, added as @@manage-portlets' add view
    adds it (plone.app.portlets' PortletAdding.add): what a page shows of
    an item's own column and of its parents' is then shown from every depth
    the contexts reach. Before, only the site root had portlets (settled at
    install), so a write made by displaying a deeper item's portlet could
    not show here."""
    from plone.app.portlets.portlets import navigation
    from plone.portlets.interfaces import ILocalPortletAssignable
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility
    from zope.container.interfaces import INameChooser

    manager = getUtility(IPortletManager, name="plone.leftcolumn")
    for context in contexts.values():
        if ILocalPortletAssignable.providedBy(context):
            mapping = getMultiAdapter((context, manager), IPortletAssignmentMapping)
            assignment = navigation.Assignment()
            mapping[INameChooser(mapping).chooseName(None, assignment)] = assignment


def depths(portal, contexts):
    """The deepest container and the deepest non-container among the
    contexts, as steps below the site root."""
    found = {True: 0, False: 0}
    for context in contexts.values():
        folderish = bool(getattr(context, "isPrincipiaFolderish", False))
        depth = len(context.getPhysicalPath()) - len(portal.getPhysicalPath())
        found[folderish] = max(found[folderish], depth)
    return found


@pytest.mark.server
def test_no_registered_get_writes(functional_portal, capsys):
    portal = functional_portal
    types = api.portal.get_tool("portal_types")
    hdnd_types = {t for t in types.objectIds() if getattr(types[t], "klass", "").startswith("hdnd.")}
    for user, group in STAFF.items():
        api.user.create(email=f"{user}@example.vn", username=user, password=PASSWORD)
        api.group.add_user(groupname=group, username=user)
    for user in CLEARED:
        set_clearance(user, "tuyet_mat")
    contexts = build_site(portal)
    assert hdnd_types <= set(contexts), f"add an item of {sorted(hdnd_types - set(contexts))} to build_site"
    # Below a section too: an item inside an item inside one, a container and not.
    assert min(depths(portal, contexts).values()) >= 3, depths(portal, contexts)

    # The plan: every name on CALLS contexts among those it is registered
    # for (hdnd's own on all of them), the roles taking turns; the contexts
    # and roles shift from one name to the next, so each context and each
    # role meets every kind of name.
    where = {}
    for label, context in contexts.items():
        for key in get_names(context):
            where.setdefault(key, []).append(label)
    plan = []
    for n, (key, labels) in enumerate(sorted(where.items())):
        kind, name = key
        count = len(labels) if ours(name) else min(CALLS, len(labels))
        for j in range(count):
            label = labels[(n + j * 7) % len(labels)]
            plan.append({"context": label, "url": contexts[label].absolute_url(), "kind": kind, "name": name,
                         "role": ROLES[(n + j) % len(ROLES)]})
    # hdnd's described GETs with their parameters, by two roles each.
    for n, (label, suffix, params) in enumerate(documented_gets(portal, where, contexts)):
        plan += [{"context": label, "url": contexts[label].absolute_url(), "kind": "service", "name": suffix,
                  "params": params, "role": ROLES[(n + j) % len(ROLES)]} for j in (0, 2)]
    # The cleared leader who needs to know it reads the classified item: its audit is the lawful write.
    plan += [{"context": "classified", "url": contexts["classified"].absolute_url(), "kind": kind, "name": name,
              "role": "leader"} for kind, name in (("service", ""), ("view", "view"))]
    # A dashboard column by its owner's name (plone.app.portlets' ++dashboard++
    # made a person's column on traversal): one's own, and another's.
    plan += [{"context": "site root", "url": portal.absolute_url(), "kind": "namespace", "name": "dashboard",
              "argument": f"plone.dashboard1+{owner}", "role": role}
             for role in ROLES for owner in ("clerk", "nobody-" + role)]
    # A person on their very first request: an account of their own each,
    # made now (as an administrator would), used once.
    newcomers = [case for case in plan if case["role"] == "newcomer"]
    for number, case in enumerate(newcomers):
        case["user"] = f"moi-{number}"
        api.user.create(email=f"moi-{number}@example.vn", username=case["user"], password=PASSWORD)
        api.group.add_user(groupname="specialists", username=case["user"])
    transaction.commit()

    sessions = {"anonymous": requests.Session(), "administrator": requests.Session()}
    sessions["administrator"].auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    for user in STAFF:
        sessions[user] = requests.Session()
        sessions[user].auth = (user, PASSWORD)
    db = portal._p_jar.db()
    before = db.lastTransaction()
    writes, slow, statuses, allowed, answered = [], [], {}, {}, []
    started = time.monotonic()
    for case in plan:
        if case["role"] == "newcomer":
            who = requests.Session()
            who.auth = (case["user"], PASSWORD)
        else:
            who = sessions[case["role"]]
        url = {"view": f"{case['url']}/@@{case['name']}", "service": f"{case['url']}/{case['name']}",
               "head": f"{case['url']}/{case['name']}", "options": f"{case['url']}/{case['name']}",
               "namespace": f"{case['url']}/++{case['name']}++{case.get('argument', '')}"}[case["kind"]]
        asked = time.monotonic()
        answer = who.request(case["kind"].upper() if case["kind"] in ("head", "options") else "GET", url,
                             # a fresh connection after a HEAD: waitress writes an error's body even then
                             headers={**JSON, "Connection": "close"} if case["kind"] == "head"
                             else JSON if case["kind"] in ("service", "options") else {}, params=case.get("params"),
                             allow_redirects=False, timeout=120)
        slow.append((time.monotonic() - asked, url, case["role"]))
        answered.append(answer.status_code)
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        after = db.lastTransaction()
        if after != before:
            transaction.begin()  # see what the server committed
            written = [record for _note, records in written_since(db, before) for record in records]
            lawful = [name for name, (_why, accepts) in LAWFUL_WRITES.items() if accepts(case, written, portal)]
            for name in lawful:
                allowed[name] = allowed.get(name, 0) + 1
            if not lawful:
                writes.append((case["role"], case["context"], case["kind"], case["name"], answer.status_code,
                               sorted({k for k, _oid in written})))
            before = after
    elapsed = time.monotonic() - started
    names = {(c["kind"], c["name"]) for c in plan}
    failing = sorted({(c["kind"], c["name"]) for c, status in zip(plan, answered) if status >= 500})
    failed_urls = sorted({(c["role"], c["url"], c["kind"], c["name"], status)
                          for c, status in zip(plan, answered) if status >= 500})
    with capsys.disabled():  # in CI's log, not only on failure
        print(f"\nGETs write nothing: {len({n for k, n in names if k == 'view'})} views and "
              f"{len({n for k, n in names if k == 'service'})} GET and {len({n for k, n in names if k == 'head'})} HEAD "
              f"and {len({n for k, n in names if k == 'options'})} OPTIONS services on {len(contexts)} contexts, "
              f"{len(plan)} GETs ({len(newcomers)} first requests) in {elapsed:.1f} s; answers {sorted(statuses.items())}; "
              f"{len(writes)} wrote; lawful writes {allowed}")
        described = [(c["role"], c["context"], c["name"], status) for c, status in zip(plan, answered) if "params" in c]
        print(f"  hdnd's described GETs with parameters: {len(described)}, "
              f"{sum(1 for d in described if d[3] == 200)} answered 200: {described}")
        # A bare GET of any registered name answers 2xx-4xx: one asked
        # without what it needs, or that is no page, is refused with a 4xx
        # (hdnd.content.notpages), never a 500 with its traceback.
        print(f"  {len(failing)} names answered a bare GET with 5xx somewhere: {failing}")
        for seconds, url, role in sorted(slow, reverse=True)[:5]:
            print(f"  slowest: {seconds:.2f} s {url} as {role}")
        kinds = {}
        for write in writes:
            kinds.setdefault(tuple(write[-1]), []).append(write[:-1])
        for written, cases in kinds.items():
            print(f"  WROTE {len(cases)} x {list(written)}, e.g. {cases[:6]}")
    assert not writes, writes[:20]
    # Bad input gets a 4xx: no registered name, Plone's, an add-on's or
    # hdnd's, answers a bare GET with a server error.
    assert not failing, failed_urls[:20]
    # Every name asked at least once; the audit of a classified view did write (the
    # cleared leader saw the item), so the exception above is not a dead letter.
    assert set(where) <= names
    assert allowed.get("audit of a classified item's view"), "the leader's view of the classified item was not audited"


# A person from the directory (LDAP) was never "made" in Plone: no account
# event, no dashboard, no password record. Their first GETs write nothing
# either. The OpenLDAP server and the site wired to it are test_ldap_signin's.
from test_ldap_signin import site as directory_site  # noqa: E402,F401  (fixtures)
from test_ldap_signin import slapd  # noqa: E402,F401
from test_ldap_signin import STAFF as DIRECTORY_STAFF  # noqa: E402


def test_a_directory_person_s_first_gets_write_nothing(directory_site, functional_portal):
    base, request_factory = directory_site
    login, _name, _mail, password = DIRECTORY_STAFF[1]
    db = functional_portal._p_jar.db()
    before = db.lastTransaction()
    person = request_factory(basic_auth=(login, password), api=False)
    asked = []
    for path, headers in (("", {}), ("/@@dashboard", {}), ("/@@hdnd-inbox", {}), ("/@@personal-information", {}),
                          (f"/++dashboard++plone.dashboard1+{login}", {}), ("/@@manage-dashboard", {}),
                          (f"/@users/{login}", JSON), ("/@hdnd-dashboard", JSON), ("/@hdnd-two-factor", JSON)):
        answer = person.get(f"{base}{path}", headers=headers, allow_redirects=False)
        asked.append((path, answer.status_code))
        assert db.lastTransaction() == before, (path, answer.status_code,
                                                 written_since(db, before))
    print("directory person:", asked)
    assert dict(asked)[f"/@users/{login}"] == 200, asked  # signed in from the directory


def test_an_edit_lock_is_taken_by_a_post_not_a_get(portal):
    """hdnd.policy.locks: opening an edit form (a GET) locks nothing; a lock
    asked for by a POST (a rename, plone.locking's create_lock) is taken, as
    long as Plone's setting allows through-the-web locks."""
    from plone.locking.interfaces import ILockable
    from zope.globalrequest import getRequest

    setRoles(portal, TEST_USER_ID, ["Manager"])
    document = api.content.create(container=portal["van-ban"], type="OfficialDocument", title="Khóa")
    request = getRequest()
    for method, setting, locked in (("GET", True, False), ("HEAD", True, False), ("POST", True, True),
                                    ("POST", False, False)):
        api.portal.set_registry_record("plone.lock_on_ttw_edit", setting)
        request.environ["REQUEST_METHOD"] = method
        lockable = ILockable(document)
        lockable.lock()
        assert lockable.locked() is locked, (method, setting)
        lockable.unlock()
