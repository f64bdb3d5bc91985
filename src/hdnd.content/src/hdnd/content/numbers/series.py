"""The site's number counters and committee terms, kept in the ZODB (the
counters' rules are in core.numbering). The bottom of the numbering package:
it imports nothing of hdnd above the settings."""

from BTrees.OOBTree import OOBTree
from hdnd.content.core import numbering
from hdnd.content.settings import organisation_settings
from hdnd.content.stores import stored
from plone import api

import transaction


ANNOTATION_KEY = "hdnd.content.counters"


def counters(portal=None):
    """The site's counters: counter key -> last number given."""
    portal = portal if portal is not None else api.portal.get()
    return stored(portal, ANNOTATION_KEY, OOBTree)


def terms():
    """The committee terms known to the site (the current one, from the settings)."""
    settings = organisation_settings()
    return (numbering.Term(settings.term_label, settings.term_start, settings.term_end),)


def with_retries(function, *args, attempts=5, **kwargs):
    """Run ``function`` in its own transaction, retried on ConflictError
    (for scripts and threads; web requests are retried by Zope itself)."""
    for attempt in transaction.manager.attempts(attempts):
        with attempt:
            result = function(*args, **kwargs)
    return result
