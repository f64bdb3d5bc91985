"""Write conflicts named in the event log (issue 21).

Zope retries a request that hit a ZODB conflict (three times) and logs
nothing; a conflict that outlasts the retries answers 409 without saying
what conflicted (openapi.ConflictErrorView). To find and remove write hot
spots an operator needs the objects: each conflict is logged at INFO with
its oid and class (ZODB's message), the URL and whether Zope retries it.
The load test (tests/server/test_load.py) counts these lines by class.
"""

from transaction.interfaces import TransientError

import logging


logger = logging.getLogger("hdnd.conflicts")


def log_conflict(event):
    """IPubBeforeAbort: the request's transaction is aborted on an error."""
    error = event.exc_info[1] if event.exc_info else None
    if isinstance(error, TransientError):
        logger.info("%s on %s %s (%s): %s", type(error).__name__, event.request.get("REQUEST_METHOD", "?"),
                    event.request.get("ACTUAL_URL", "?"), "retried" if event.retry else "not retried", error)
