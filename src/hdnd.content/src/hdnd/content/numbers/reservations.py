"""Number reservations between the main and the confidential installation.

Secret documents live on a separate confidential installation with no
network link to the main one, yet Party numbers run in one series per type
and term across both (domain §3, §5). The round trip, on removable media:

1. main: :func:`reserve` takes numbers from the main counter (so the main
   installation never gives them) and returns a signed reservation file;
2. confidential: :func:`import_reservation` puts them in a pool; issuing a
   Party document there (``hdnd.content.numbers.take_number``) draws from the pool
   (:func:`take_reserved`), never from a local counter;
3. confidential: :func:`report` returns a signed report of the numbers
   issued since the last report: symbol, date, classification level and
   document type, never the subject;
4. main: :func:`import_report` creates a SecretDocumentStub for each one in
   ``van-ban``, so the main register accounts for every number.

Files are signed with the shared key (:mod:`hdnd.content.core.reservations`);
each file is imported once (its nonce is remembered) and only by the
installation it is addressed to. Everything is kept in the site's
annotations, inside the caller's transaction.
"""

from BTrees.IIBTree import IITreeSet
from BTrees.OOBTree import OOBTree
from datetime import date
from hdnd.content import installation
from hdnd.content.core import numbering
from hdnd.content.core import reservations as core
from hdnd.content.core import symbols
from hdnd.content.core.levels import CLASSIFICATION
from hdnd.content.core.reservations import ReservationError
from hdnd.content.numbers.identity import holder as holder_of
from hdnd.content.numbers.identity import identity_key
from hdnd.content.numbers.identity import known_document_types
from hdnd.content.numbers.identity import parse
from hdnd.content.numbers.identity import stub_title
from hdnd.content.numbers.series import counters
from hdnd.content.numbers.series import terms
from hdnd.content.settings import organisation_settings
from hdnd.content.stores import stored
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.i18n.normalizer.interfaces import IIDNormalizer
from zope.component import getUtility

import unicodedata


ANNOTATION_KEY = "hdnd.content.reservations"
STUB_SECTION = "van-ban"
STUB_TYPE = "SecretDocumentStub"

__all__ = [
    "ReservationError", "reserve", "import_file", "import_reservation", "take_reserved",
    "report", "import_report", "pool",
]


# --- storage -----------------------------------------------------------------
#
# main:          sent      nonce -> {to, key, numbers, created}
#                reserved  (to, key, number) -> {reservation, report}
# confidential:  pool      key -> IITreeSet of numbers not yet issued
#                drawn     (key, number) -> {day, classification, document_type, report}
#                reports   nonce -> {to, created, count}
# both:          seen      nonce -> {kind, from, imported}   (files imported)


def _store(name, create=True):
    root = stored(api.portal.get(), ANNOTATION_KEY, OOBTree, create=create)
    if root is None:
        return {}
    if name not in root:
        if not create:
            return {}
        root[name] = OOBTree()
    return root[name]


def pool():
    """Numbers still reserved on this installation: counter key -> [numbers]."""
    return {key: list(numbers_left) for key, numbers_left in _store("pool", create=False).items()}


# --- checks ------------------------------------------------------------------


def _require(wanted, action):
    current = installation.kind()
    if current != wanted:
        raise ReservationError(
            f"{action} is done on the {wanted} installation; "
            f"this is the {current} installation ({installation.installation_id() or 'no id'})"
        )


def _own_id():
    own = installation.installation_id()
    if not own:
        raise ReservationError(
            "This installation has no id: set the registry record hdnd.installation.installation_id"
        )
    return own


def _key():
    key = installation.reservation_key()
    core.check_key(key)
    return key


def _recipient(to_installation):
    recipient = (to_installation or "").strip()
    if not recipient:
        raise ReservationError("Say which installation the file is for (e.g. hdnd-mat or hdnd-main)")
    if recipient == _own_id():
        raise ReservationError(f"{recipient} is this installation; name the other one")
    return recipient


def _party_type(doc_type):
    text = unicodedata.normalize("NFC", str(doc_type or "")).strip()
    known = {t.upper(): t for t in known_document_types()}
    if text.upper() not in known:
        raise ReservationError(
            f"Unknown document type {text!r}; known types: {', '.join(sorted(known.values()))}"
        )
    return known[text.upper()]


def _symbol(key, number):
    return symbols.Symbol("party", number, key[2], key[1]).format()


def read(text):
    """Verify a file with this installation's key and return its payload."""
    return core.verify(text, _key())


def _check_incoming(payload):
    own = _own_id()
    if payload["to"] != own:
        raise ReservationError(
            f"The file is addressed to {payload['to']}, not to this installation ({own})"
        )
    seen = _store("seen", create=False).get(payload["nonce"])
    if seen is not None:
        raise ReservationError(
            f"This file was already imported (on {seen['imported']}); a file is imported once"
        )


def _remember(payload):
    _store("seen")[payload["nonce"]] = {
        "kind": payload["kind"], "from": payload["from"], "imported": core.now_iso(),
    }


# --- main installation -------------------------------------------------------


def reserve(doc_type, count, day=None, to_installation=None):
    """Take ``count`` Party numbers of ``doc_type`` for the confidential
    installation ``to_installation``; return the signed reservation file.

    ``day`` (default today) places the numbers in their committee term.
    Numbers already held by a document here are skipped, as at issue.
    """
    _require("main", "Reserving numbers")
    secret = _key()
    recipient = _recipient(to_installation)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= core.MAX_NUMBERS:
        raise ReservationError(f"Reserve from 1 to {core.MAX_NUMBERS} numbers, not {count!r}")
    doc_type = _party_type(doc_type)
    day = day or date.today()
    issuer = organisation_settings().symbol_abbreviation
    key = numbering.counter_key(
        "party", issuer=issuer, doc_type=doc_type, day=day, terms=terms()
    )
    series = counters()
    taken = []
    for _attempt in range(count + 1000):
        number = numbering.next_number(series, key)
        if holder_of(identity_key(_symbol(key, number), day)) is None:
            taken.append(number)
            if len(taken) == count:
                break
    else:
        raise numbering.NumberingError(f"No free number in the series {key}")
    payload = core.reservation(_own_id(), recipient, key, taken)
    text = core.sign(payload, secret)
    nonce = payload["nonce"]
    _store("sent")[nonce] = {
        "to": recipient, "key": key, "numbers": tuple(taken), "created": payload["created"],
    }
    reserved = _store("reserved")
    for number in taken:
        reserved[(recipient, key, number)] = {"reservation": nonce, "report": None}
    return text


def import_report(text):
    """Create a SecretDocumentStub for each number a report says was issued;
    return the stubs. The whole report is refused if any entry is wrong."""
    payload = read(text)
    if payload["kind"] != "report":
        raise ReservationError("This is a reservation file, not a report")
    return _import_report(payload)


def _import_report(payload):
    _require("main", "Importing a report of issued numbers")
    _check_incoming(payload)
    sender = payload["from"]
    reserved = _store("reserved", create=False)
    problems = []
    for entry in payload["issued"]:
        key, number = tuple(entry["key"]), entry["number"]
        label = f"{number:02d}-{key[2]}/{key[1]} ({key[3]})"
        record = reserved.get((sender, key, number))
        if record is None:
            problems.append(f"{label} was not reserved for {sender}")
        elif record["report"] is not None:
            problems.append(f"{label} was already reported")
        try:
            parsed = parse(entry["symbol"])
        except symbols.SymbolError as error:
            problems.append(str(error))
        else:
            if (parsed.family, parsed.number, parsed.doc_type, parsed.issuer) != (
                "party", number, key[2], key[1]
            ):
                problems.append(f"symbol {entry['symbol']} does not match {label}")
        if entry["classification"] not in CLASSIFICATION:
            problems.append(f"{label}: unknown classification {entry['classification']!r}")
    if problems:
        raise ReservationError("The report is refused: " + "; ".join(problems))

    portal = api.portal.get()
    if STUB_SECTION not in portal.objectIds():
        raise ReservationError(f"The site has no section {STUB_SECTION!r} to hold the stubs")
    container = portal[STUB_SECTION]
    normalize = getUtility(IIDNormalizer).normalize
    stubs = []
    for entry in payload["issued"]:
        key, number = tuple(entry["key"]), entry["number"]
        symbol = parse(entry["symbol"]).format()
        # Not addable by hand (not in the section's types), so the type
        # constraint is bypassed here, the one place stubs come from.
        stub = createContentInContainer(
            container,
            STUB_TYPE,
            checkConstraints=False,
            id=normalize(f"van-ban-mat-{symbol}-{key[3]}"),
            title=stub_title(symbol),
            symbol=symbol,
            issue_date=date.fromisoformat(entry["issue_date"]),
            document_classification=entry["classification"],
            document_type=entry["document_type"],
            held_at=sender,
        )
        stubs.append(stub)
        reserved[(sender, key, number)] = dict(reserved[(sender, key, number)], report=payload["nonce"])
    _remember(payload)
    return stubs


# --- confidential installation -----------------------------------------------


def import_reservation(text):
    """Put the numbers of a reservation file in this installation's pool;
    return ``{"key", "numbers", "from", "left"}``."""
    payload = read(text)
    if payload["kind"] != "reservation":
        raise ReservationError("This is a report of issued numbers, not a reservation file")
    return _import_reservation(payload)


def _import_reservation(payload):
    _require("confidential", "Importing a number reservation")
    _check_incoming(payload)
    key = tuple(payload["key"])
    issuer = organisation_settings().symbol_abbreviation
    issuer = unicodedata.normalize("NFC", issuer or "").strip().upper()
    labels = [term.label for term in terms()]
    if key[1] != issuer or key[3] not in labels:
        raise ReservationError(
            f"The numbers are for {key[1]}, term {key[3]}, but this installation's organisation "
            f"settings say {issuer or '-'}, term {', '.join(labels) or '-'}: set them as on the "
            "main installation first"
        )
    numbers_given = payload["numbers"]
    pool_store = _store("pool")
    drawn = _store("drawn")
    known = pool_store.get(key)
    again = [n for n in numbers_given if (known is not None and n in known) or (key, n) in drawn]
    if again:
        raise ReservationError(
            f"Numbers {core.number_ranges(again)} of {key[2]} were already received"
        )
    if known is None:
        known = pool_store[key] = IITreeSet()
    known.update(numbers_given)
    _remember(payload)
    return {"key": key, "numbers": list(numbers_given), "from": payload["from"], "left": len(known)}


def take_reserved(key, document=None, day=None):
    """The next reserved number of ``key`` (the smallest), taken from the
    pool; ``numbers.take_number`` calls this on the confidential installation.
    What the report will need is noted now, in the same transaction."""
    numbers_left = _store("pool", create=False).get(key)
    if not numbers_left:
        raise numbering.NumberingError(
            f"No reserved numbers left for {key[2]}: import a reservation from the main installation"
        )
    number = numbers_left.minKey()
    numbers_left.remove(number)
    _store("drawn")[(key, number)] = {
        "day": (day or date.today()).isoformat(),
        "classification": getattr(document, "classification", None) or "none",
        "document_type": getattr(document, "document_type", None) or key[2],
        "report": None,
    }
    return number


def report(to_installation):
    """The signed report of the Party numbers issued here since the last
    report, for the main installation ``to_installation``."""
    _require("confidential", "Reporting issued numbers")
    secret = _key()
    recipient = _recipient(to_installation)
    drawn = _store("drawn", create=False)
    pending = [(key, info) for key, info in drawn.items() if info["report"] is None]
    if not pending:
        raise ReservationError("Nothing to report: no reserved number was issued since the last report")
    entries = []
    for (key, number), info in pending:
        symbol = _symbol(key, number)
        day = date.fromisoformat(info["day"])
        # The document holding the number now (its level may have changed
        # since issue); what was noted at issue if it is gone.
        holder = holder_of(identity_key(symbol, day))
        entries.append({
            "key": key,
            "number": number,
            "symbol": symbol,
            "issue_date": getattr(holder, "issue_date", None) or day,
            "classification": getattr(holder, "classification", None) or info["classification"],
            "document_type": getattr(holder, "document_type", None) or info["document_type"],
        })
    payload = core.report(_own_id(), recipient, entries)
    text = core.sign(payload, secret)
    for key, info in pending:
        drawn[key] = dict(info, report=payload["nonce"])
    _store("reports")[payload["nonce"]] = {
        "to": recipient, "created": payload["created"], "count": len(entries),
    }
    return text


# --- either ------------------------------------------------------------------


def import_file(text):
    """Import a reservation (confidential installation) or a report (main):
    return ``("reservation", summary)`` or ``("report", stubs)``."""
    payload = read(text)
    if payload["kind"] == "reservation":
        return "reservation", _import_reservation(payload)
    return "report", _import_report(payload)
