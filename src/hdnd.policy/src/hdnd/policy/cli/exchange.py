"""`hdnd agency add|token|list` and `hdnd trust add|list|remove`: the
agencies that exchange documents, and the CAs this site trusts."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from hdnd.content import audit
from hdnd.content.agencies import agencies
from hdnd.content.agencies import AgencyError
from hdnd.content.agencies import register
from hdnd.policy.cli import database
from hdnd.policy.signin.scopes import issue
from hdnd.policy.signin.scopes import ScopeError
from pathlib import Path
from plone import api

import json
import os
import secrets
import time


def cmd_agency_add(args):
    """Register an agency's service account (created when it does not exist;
    its password from HDND_AGENCY_PASSWORD, else a new one printed once)."""
    given = os.environ.get("HDND_AGENCY_PASSWORD")
    password = given
    while not password:  # a new one that the password policy accepts
        drawn = secrets.token_urlsafe(18)
        password = drawn if any(c.isdigit() for c in drawn) and any(c.isalpha() for c in drawn) else None

    def work():
        new = api.user.get(username=args.user) is None
        register(args.user, args.organ_id, args.name, password=password)
        return new

    try:
        created = database.in_site(args, work)
    except (AgencyError, ValueError) as error:  # ValueError: the password policy
        raise SystemExit(f"hdnd: {error}") from None
    print(f"hdnd: {args.user} is the account of {args.name} ({args.organ_id})")
    if created and not given:
        print(f"hdnd: its password (shown once): {password}")


def cmd_agency_token(args):
    """An exchange-only token for an agency's service account, printed once."""
    try:
        token, expires = database.in_site(args, lambda: issue(args.user, args.days))
    except ScopeError as error:
        raise SystemExit(f"hdnd: {error}") from None
    print(f"hdnd: the exchange token of {args.user}, valid until "
          f"{time.strftime('%Y-%m-%d', time.gmtime(expires))} (shown once; "
          f"`POST @hdnd-sign-out-everywhere {{\"userid\": \"{args.user}\"}}` withdraws it):")
    print(token)


def cmd_agency_list(args):
    for user_id, organ_id, name in database.in_site(args, agencies):
        print(f"{user_id}\t{organ_id}\t{name}")


def read_items(path):
    """The items of an import file: a JSON list (or an object with
    ``items``), or JSON lines."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as error:
            raise SystemExit(f"hdnd: {path} is neither JSON nor JSON lines ({error})") from None
    if isinstance(data, dict):
        data = data.get("items")
    if not isinstance(data, list):
        raise SystemExit(f"hdnd: {path}: expected a list of items")
    return data


def cmd_agency_import(args):
    """Receive every item of the file as the agency's documents, by the
    in-process bulk path (exchange.receive_all: what @hdnd-receive-bulk
    does, 500 items a call): checked, indexed, audited, in the feed,
    idempotent. A refused item stops the import with every refusal of its
    call; the calls before it are kept, and running the same file again
    after fixing it completes the import, never doubles it."""
    from hdnd.content import exchange

    items = read_items(args.file)

    def work():
        if api.user.get(userid=args.sender) is None:
            raise SystemExit(f"hdnd: there is no account {args.sender!r} (hdnd agency add)")
        with api.env.adopt_user(username=args.sender):
            return exchange.receive_all(items, args.sender)

    started = time.perf_counter()
    try:
        results = database.in_site(args, work)
    except exchange.BulkError as error:
        for failure in error.failures[:20]:
            print(f"item {failure['index']}: " + "; ".join(e["message"] for e in failure["errors"]))
        raise SystemExit(f"hdnd: {error}") from None
    except exchange.ExchangeError as error:
        raise SystemExit(f"hdnd: {error}") from None
    seconds = time.perf_counter() - started
    created = sum(1 for r in results if r["created"])
    print(f"hdnd: {created} documents received, {len(results) - created} already there, "
          f"in {seconds:.1f} s")


def cmd_trust(args):
    """The CAs whose certificates this site trusts (registry
    hdnd.signing.trust_roots): PDF signatures and the edXML envelopes other
    sites send are checked against them. ``add`` appends the certificates of
    a PEM file (each once), ``remove`` takes one out by its SHA-256
    fingerprint, ``list`` shows them; audited."""
    RECORD = "hdnd.signing.trust_roots"

    def parse(pem):
        try:
            return x509.load_pem_x509_certificates(pem.encode("ascii")) if pem.strip() else []
        except ValueError as error:
            raise SystemExit(f"hdnd: not PEM certificates ({error})") from None

    def fingerprint(cert):
        return cert.fingerprint(hashes.SHA256()).hex()

    def describe(cert):
        return f"{fingerprint(cert)}\t{cert.subject.rfc4514_string()}\tuntil {cert.not_valid_after_utc:%Y-%m-%d}"

    added = []
    if args.trust_command == "add":
        try:
            added = parse(Path(args.file).read_text(encoding="ascii"))
        except OSError as error:
            raise SystemExit(f"hdnd: cannot read {args.file} ({error.strerror})") from None
        except UnicodeDecodeError:
            raise SystemExit(f"hdnd: {args.file} is not a PEM file") from None
        if not added:
            raise SystemExit(f"hdnd: {args.file} holds no certificate")
        not_ca = [c for c in added if not _is_ca(c)]
        if not_ca:
            raise SystemExit(f"hdnd: {not_ca[0].subject.rfc4514_string()} is not a CA certificate: trust the CA "
                             "that issued the other site's key (`openssl pkcs12 -in KEY.p12 -cacerts -nokeys`)")

    def work():
        trusted = parse(api.portal.get_registry_record(RECORD, default="") or "")
        if args.trust_command == "list":
            return trusted
        if args.trust_command == "add":
            known = {fingerprint(c) for c in trusted}
            new = [c for c in added if fingerprint(c) not in known]
            trusted += new
            changed = new
        else:
            changed = [c for c in trusted if fingerprint(c) == args.fingerprint.lower().replace(":", "")]
            if not changed:
                raise SystemExit(f"hdnd: no trusted certificate has the fingerprint {args.fingerprint}")
            trusted = [c for c in trusted if c not in changed]
        pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in trusted)
        api.portal.set_registry_record(RECORD, pem)
        for cert in changed:
            audit.record("trust_" + args.trust_command, None, subject=cert.subject.rfc4514_string(),
                         fingerprint=fingerprint(cert))
        return changed

    found = database.in_site(args, work)
    if args.trust_command == "list":
        for cert in found:
            print(describe(cert))
        return
    verb = "now trusted" if args.trust_command == "add" else "no longer trusted"
    for cert in found:
        print(f"hdnd: {verb}: {describe(cert)}")
    if not found:
        print("hdnd: nothing changed (already trusted)")


def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return cert.issuer == cert.subject
