"""The audit trail (domain §5): a hash-chained log kept outside the objects
it describes, in the site root's annotations.

    from hdnd.content.audit import record
    record("print", document, copies=2)       # who and when are added

Every view and download, transition and permission change of a classified
item, every sharing change, login and logout is recorded by the subscribers
in :mod:`hdnd.content.audit_subscribers`; generation, print and copy
permission call :func:`record` themselves. The chain rules (hashes, links,
verification, CSV) are plain Python in :mod:`hdnd.content.core.audit`.

One persistent :class:`AuditLog` holds the entries in an ``IOBTree`` keyed by
sequence number, and its head (``last_seq``, ``last_hash``) on itself.
Recording does not touch either (issue 21: every request that views a
classified item records, and a request that does not retry must not fail on
another's record): it adds the entry, with its time and actor, to the log's
inbox (:mod:`hdnd.content.inbox`), which concurrent transactions write
without conflicting. After the commit the entries are sealed in order, in a
short transaction of their own: numbered, chained to the head, hashed. Two
sealers that meet conflict on the head and the later one is retried, so the
chain never forks. Readers read the sealed chain (a transaction that recorded
and then reads seals its own entries first). Entries are never edited;
confirming an alert appends a new entry.
"""

from AccessControl import getSecurityManager
from AccessControl.SpecialUsers import nobody
from Acquisition import aq_base
from Acquisition import aq_chain
from Acquisition import aq_inner
from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from hdnd.content import inbox
from hdnd.content.core import audit as chain
from hdnd.content.inbox import Inbox
from hdnd.content.security import effective_classification
from persistent import Persistent
from plone.protect.utils import SAFE_WRITE_KEY
from Products.CMFCore.interfaces import ISiteRoot
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import getSite
from zope.globalrequest import getRequest


ANNOTATION_KEY = "hdnd.content.audit"


class AlertError(ValueError):
    """The sequence number is not a pending alert."""


class AuditLog(Persistent):
    """The entries (plain dicts of str, int and JSON values) and the head."""

    def __init__(self):
        self._entries = IOBTree()
        self.last_seq = 0
        self.last_hash = chain.GENESIS
        # Sequence numbers of permission changes not yet confirmed. An index
        # only: verify() checks it against the chain.
        self._pending = IITreeSet()
        # The last local roles seen per item UID, to show what a sharing
        # change changed. Not evidence: the chain holds every snapshot.
        self._sharing = OOBTree()

    inbox = None  # a log from before issue 21 gets its inbox on the first record

    def __len__(self):
        return self.last_seq

    def head(self):
        return self.last_seq, self.last_hash

    def add(self, action, actor, **fields):
        """Record an entry without touching the head: into the inbox, sealed
        into the chain after the commit (or when this transaction reads)."""
        if self.inbox is None:
            self.inbox = Inbox()
        pending = dict(fields, action=action, actor=actor)
        pending.setdefault("time", chain.now())
        pending["details"] = chain.normalise_details(pending.get("details"))
        self.inbox.add(pending)
        inbox.seal_after_commit(self)
        return pending

    def seal(self):
        """Chain the inbox's entries, oldest first, after the head."""
        if self.inbox is None:
            return 0
        taken = self.inbox.take()
        for pending in taken:
            fields = dict(pending)
            self.append(fields.pop("action"), fields.pop("actor"), **fields)
        return len(taken)

    def seal_mine(self):
        """Seal if this transaction recorded (a reader seals nobody else's)."""
        if inbox.mine(self.inbox):
            self.seal()
        return self

    def append(self, action, actor, **fields) -> chain.Entry:
        # Linked to the head, not to whatever is stored last: if the stored
        # entries were tampered with, appending does not hide it.
        entry = chain.make_entry(self.head(), action, actor, **fields)
        self._entries[entry.seq] = entry.to_dict()
        self.last_seq, self.last_hash = entry.seq, entry.hash
        if entry.action == chain.ALERT_ACTION:
            self._pending.insert(entry.seq)
        return entry

    def get(self, seq):
        data = self._entries.get(seq)
        return dict(data) if data is not None else None

    def iter_entries(self):
        """Every stored entry, oldest first, as stored (for verification)."""
        return self._entries.values()

    def entries(self, start=0, limit=None, **filters):
        """Entries newest first, as dicts; `filters` compare fields, e.g.
        ``action="view"`` or ``action=("view", "download")``."""
        if not filters:
            high = self.last_seq - start
            if high < 1:
                return []
            low = 1 if limit is None else max(1, high - limit + 1)
            found = [dict(v) for v in self._entries.values(min=low, max=high)]
            found.reverse()
            return found
        found = [e for e in self._newest_first() if _matches(e, filters)]
        end = None if limit is None else start + limit
        return [dict(e) for e in found[start:end]]

    def count(self, **filters):
        if not filters:
            return self.last_seq
        return sum(1 for e in self._newest_first() if _matches(e, filters))

    def _newest_first(self):
        found = list(self._entries.values())
        found.reverse()
        return found

    def verify(self, expect=()):
        """The problems found, each naming the entry; empty when intact."""
        problems = chain.verify(self._entries.values(), head=self.head(), expect=expect)
        stored = set(self._pending)
        actual = set(pending_alerts(self._entries.values()))
        for seq in sorted(actual - stored):
            problems.append(f"entry {seq}: an unconfirmed permission change is missing from the pending alerts")
        for seq in sorted(stored - actual):
            problems.append(f"entry {seq}: listed as a pending alert but the chain has no such unconfirmed change")
        return problems

    def alerts(self):
        """Pending alerts, newest first."""
        found = [self.get(seq) for seq in self._pending]
        found = [e for e in found if e is not None]
        found.reverse()
        return found

    def confirm(self, seq, officer, note="") -> chain.Entry:
        if seq not in self._pending:
            raise AlertError(f"entry {seq} is not a pending alert")
        alert = self._entries.get(seq)
        if alert is None:
            raise AlertError(f"entry {seq} is missing from the log (run the verification)")
        self._pending.remove(seq)
        return self.append(
            chain.CONFIRM_ACTION,
            officer,
            target_uid=alert["target_uid"],
            target_path=alert["target_path"],
            target_classification=alert["target_classification"],
            details={"alert_seq": seq, "note": note} if note else {"alert_seq": seq},
        )


def pending_alerts(entries):
    """Sequence numbers of permission changes no later entry confirms."""
    pending = []
    confirmed = set()
    for entry in entries:
        if entry.get("action") == chain.ALERT_ACTION:
            pending.append(entry.get("seq"))
        elif entry.get("action") == chain.CONFIRM_ACTION:
            confirmed.add((entry.get("details") or {}).get("alert_seq"))
    return [seq for seq in pending if seq not in confirmed]


def _matches(entry, filters):
    for name, wanted in filters.items():
        if wanted is None or wanted == "" or wanted == ():
            continue
        value = entry.get(name)
        if isinstance(wanted, (list, tuple, set, frozenset)):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


# Where the log is


def site_of(obj=None):
    """The Plone site of `obj`, or the current site."""
    if obj is not None:
        for item in aq_chain(aq_inner(obj)):
            if ISiteRoot.providedBy(item):
                return item
    site = getSite()
    if site is not None and ISiteRoot.providedBy(site):
        return site
    return None


def get_log(site=None, create=True):
    """The site's AuditLog (created on first use unless `create` is false),
    with what this transaction recorded sealed in it."""
    log = _log(site, create)
    return log.seal_mine() if log is not None else None


def _log(site=None, create=True):
    site = site if site is not None else site_of()
    if site is None:
        return None
    annotations = IAnnotations(site)
    log = annotations.get(ANNOTATION_KEY)
    if log is None and create:
        log = annotations[ANNOTATION_KEY] = AuditLog()
    return log


# Recording


def current_actor():
    user = getSecurityManager().getUser()
    if user is None:
        return nobody.getUserName()
    return user.getId() or user.getUserName()


def is_anonymous(user=None):
    user = user if user is not None else getSecurityManager().getUser()
    return user is None or user.getUserName() == nobody.getUserName()


def target_of(obj):
    """(uid, path, effective classification) of an item."""
    from plone.uuid.interfaces import IUUID

    if obj is None:
        return "", "", "none"
    uid = IUUID(obj, None) or ""
    path = "/".join(obj.getPhysicalPath())
    return uid, path, effective_classification(obj)


def _registered(jar):
    return list(getattr(jar, "_registered_objects", ()) or ())


def _mark_safe(request, objects):
    """What plone.protect.utils.safeWrite does for each object, without its
    walk through every bucket of a BTree (the log's tree grows forever: only
    the buckets an append changed need marking)."""
    environ = getattr(request, "environ", None)
    if environ is None:
        return
    safe = environ.setdefault(SAFE_WRITE_KEY, [])
    for obj in objects:
        oid = getattr(obj, "_p_oid", None)
        if oid is not None and oid not in safe:
            safe.append(oid)


def _client_address(request):
    try:
        return request.getClientAddr() or ""
    except AttributeError:
        return ""


def record(action, obj=None, actor=None, **details):
    """Record an entry about `obj` (or about no object, e.g. a login) and
    return its fields (a dict: its number and hashes come when it is sealed
    into the chain, after the commit); None outside a site.

    `actor` defaults to the current user; the time is now in Vietnam; the
    client address is added to the details when there is a request.

    The log's own writes are marked safe for plone.protect, so that logging a
    view (a GET) or a logout does not count as an unprotected write; the
    request's other writes keep their CSRF protection. (Confirming an alert,
    an action in itself, does not go through here and is not marked.)
    """
    site = site_of(obj)
    if site is None:
        return None
    request = getRequest()
    jar = site._p_jar
    before = {id(o) for o in _registered(jar)}
    log = _log(site)
    uid, path, classification = target_of(obj)
    if request is not None and "ip" not in details:
        address = _client_address(request)
        if address:
            details["ip"] = address
    entry = log.add(
        action,
        actor if actor is not None else current_actor(),
        target_uid=uid,
        target_path=path,
        target_classification=classification,
        details=details,
    )
    if request is not None:
        _mark_safe(request, [o for o in _registered(jar) if id(o) not in before])
    return entry


def entries(start=0, limit=None, site=None, **filters):
    log = get_log(site, create=False)
    return log.entries(start, limit, **filters) if log is not None else []


def count(site=None, **filters):
    log = get_log(site, create=False)
    return log.count(**filters) if log is not None else 0


def verify(site=None, expect=()):
    log = get_log(site, create=False)
    return log.verify(expect=expect) if log is not None else []


def head(site=None):
    log = get_log(site, create=False)
    return log.head() if log is not None else (0, chain.GENESIS)


def alerts(site=None):
    log = get_log(site, create=False)
    return log.alerts() if log is not None else []


def confirm_alert(seq, officer=None, note="", site=None):
    """Confirm a pending alert: appends an "alert_confirmed" entry naming it
    (the alert itself is never changed). Raises AlertError if `seq` is not a
    pending alert."""
    log = get_log(site, create=False)
    if log is None:
        raise AlertError(f"entry {seq} is not a pending alert")
    # No safe-write marking: a confirmation is a POST and the caller's CSRF
    # protection must apply to it.
    return log.confirm(int(seq), officer or current_actor(), note or "")


def local_roles_of(obj):
    """{principal: [roles]} of an item's own local roles, and whether it
    acquires its container's roles."""
    roles = {
        principal: sorted(granted)
        for principal, granted in (obj.get_local_roles() or ())
    }
    inherit = not bool(getattr(aq_base(obj), "__ac_local_roles_block__", False))
    return roles, inherit


def sharing_details(obj, log=None):
    """Details of a sharing change: the local roles now, and what was
    granted and revoked since the last change the log saw on this item."""
    roles, inherit = local_roles_of(obj)
    details = {"local_roles": roles, "inherit": inherit}
    log = log if log is not None else _log(site_of(obj))
    uid = target_of(obj)[0]
    if log is not None and uid:
        before = log._sharing.get(uid)
        if before is not None:
            old_roles = before.get("local_roles", {})
            granted, revoked = {}, {}
            for principal in sorted(set(roles) | set(old_roles)):
                new, old = set(roles.get(principal, ())), set(old_roles.get(principal, ()))
                if new - old:
                    granted[principal] = sorted(new - old)
                if old - new:
                    revoked[principal] = sorted(old - new)
            details["granted"], details["revoked"] = granted, revoked
            if before.get("inherit") != inherit:
                details["inherit_changed"] = True
        log._sharing[uid] = {"local_roles": roles, "inherit": inherit}
    return details


class EntrySequence:
    """Entries newest first as a lazy sequence, for batching (plone.batching,
    plone.restapi's HypermediaBatch): only the page shown is read."""

    def __init__(self, log, **filters):
        self.log = log
        self.filters = {k: v for k, v in filters.items() if v not in (None, "", ())}
        self._found = None

    def _all(self):
        if self._found is None:
            self._found = self.log.entries(**self.filters) if self.log is not None else []
        return self._found

    def __len__(self):
        if self.log is None:
            return 0
        if self.filters:
            return len(self._all())
        return self.log.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if self.filters:
                return self._all()[start:stop:step]
            if stop <= start:
                return []
            return self.log.entries(start, stop - start)[::step]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self.filters:
            return self._all()[index]
        found = self.log.entries(index, 1)
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self):
        for index in range(len(self)):
            try:
                yield self[index]
            except IndexError:
                return
