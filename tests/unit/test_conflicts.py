"""Each write conflict is named in the event log (hdnd.content.conflicts):
the object's oid and class as ZODB gives them, the URL, retried or not."""

from hdnd.content.conflicts import log_conflict
from ZODB.POSException import ConflictError
from ZPublisher.pubevents import PubBeforeAbort

import logging


def abort(error, retry):
    try:
        raise error
    except Exception:
        import sys

        return PubBeforeAbort({"REQUEST_METHOD": "POST", "ACTUAL_URL": "http://x/hdnd/@hdnd-receive"}, sys.exc_info(),
                              retry)


def test_a_conflict_is_logged_with_its_object(caplog):
    error = ConflictError(oid=b"\0\0\0\0\0\0\x12\x34", serials=(b"\0" * 8, b"\0" * 7 + b"\1"),
                          object=None)
    error.class_name = "BTrees.IOBTree.IOBucket"
    with caplog.at_level(logging.INFO, logger="hdnd.conflicts"):
        log_conflict(abort(error, retry=True))
        log_conflict(abort(error, retry=False))
        log_conflict(abort(ValueError("not a conflict"), retry=False))
    lines = [r.getMessage() for r in caplog.records if r.name == "hdnd.conflicts"]
    assert len(lines) == 2
    assert "oid 0x1234" in lines[0] and "class BTrees.IOBTree.IOBucket" in lines[0]
    assert "POST http://x/hdnd/@hdnd-receive (retried)" in lines[0]
    assert "(not retried)" in lines[1]
