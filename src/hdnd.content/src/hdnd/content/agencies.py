"""The agencies the office exchanges documents with, and their accounts.

An agency's system signs in as a service account: a user in the group
``agencies`` (role Agency, which opens the exchange endpoints and no content).
The directory here ties each account to the agency's electronic organ id
(mã định danh, the edXML ``OrganId``) and name, so that

- an envelope an account sends must come *from* its own organ;
- an outgoing document addressed to an agency (``send_to``) waits in that
  account's outbox (hdnd.content.outbox) and is addressed *to* its organ.

Revoking an agency is removing its user: the directory entry stays for the
record of what was exchanged, but nobody can sign in as it.
"""

from hdnd.content.stores import stored
from persistent.mapping import PersistentMapping
from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import re


KEY = "hdnd.content.agencies"
GROUP = "agencies"
SENDER = "sent_by"  # on a document received from an agency: the account it came from
# Codes as in the exchange platform (e.g. 000.00.31.H29); kept loose, but no
# commas: the organ id starts the edXML DocumentId "OrganId,YYYY/MM/DD,…".
ORGAN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class AgencyError(ValueError):
    pass


def check_organ_id(organ_id):
    if not isinstance(organ_id, str) or not ORGAN_ID.match(organ_id):
        raise AgencyError(f"organ_id: {organ_id!r} is not an organ code such as 000.00.31.H29")
    return organ_id


def _directory(create=False):
    return stored(api.portal.get(), KEY, PersistentMapping, create=create, default={})


NO_EXCHANGE = ("exchange: this installation exchanges nothing with other agencies (the confidential "
               "installation, or hdnd.installation.exchange_enabled off): no agency account or token here")


def register(user_id, organ_id, name, password=None):
    """Record (or change) the agency behind ``user_id``; creates the account
    when ``password`` is given and it does not exist yet. Refused where
    exchange is off (the confidential installation)."""
    from hdnd.content.installation import exchange_enabled

    if not exchange_enabled():
        raise AgencyError(NO_EXCHANGE)
    check_organ_id(organ_id)
    holder = account_of(organ_id)
    if holder not in (None, user_id):
        raise AgencyError(f"organ_id: {organ_id} is already the agency of account {holder}")
    user = api.user.get(username=user_id)
    if user is None:
        if not password:
            raise AgencyError(f"{user_id}: no such user (give a password to create the account)")
        user = api.user.create(username=user_id, email=f"{user_id}@agencies.invalid", password=password,
                               properties={"fullname": name})
    if GROUP not in (g.getId() for g in api.group.get_groups(user=user)):
        api.group.add_user(groupname=GROUP, user=user)
    _directory(create=True)[user_id] = PersistentMapping(organ_id=organ_id, name=name)
    return user


def agency(user_id):
    """``{"organ_id", "name"}`` of an agency account, or None."""
    found = _directory().get(user_id) if user_id else None
    return dict(found) if found is not None else None


def organ_of_sender(document):
    """The organ id of the agency a received document came from: the one
    its envelope named, else its sending account's (a REST delivery), else
    the agency whose name is the issuing body printed on it (a paper copy
    registered by hand). None when the document names no agency of the
    exchange."""
    organ_id = getattr(document, "sender_organ", None)
    if organ_id:
        return organ_id
    found = agency(getattr(document, SENDER, None))
    if found is not None:
        return found["organ_id"]
    body = (getattr(document, "issuing_body", None) or "").strip().casefold()
    for entry in _directory().values() if body else ():
        if entry["name"].strip().casefold() == body:
            return entry["organ_id"]
    return None


def account_of(organ_id):
    for user_id, entry in _directory().items():
        if entry["organ_id"] == organ_id:
            return user_id
    return None


def agencies():
    """``[(user_id, organ_id, name)]`` of agencies whose account still exists."""
    return sorted(
        (user_id, entry["organ_id"], entry["name"])
        for user_id, entry in _directory().items()
        if api.user.get(username=user_id) is not None
    )


@provider(IVocabularyFactory)
def AgenciesVocabulary(context):
    """Whom an outgoing document can be sent to electronically."""
    return SimpleVocabulary([
        SimpleTerm(value=user_id, token=user_id, title=f"{name} ({organ_id})")
        for user_id, organ_id, name in agencies()
    ])
