"""One office time zone (Asia/Ho_Chi_Minh through zoneinfo), used everywhere:
no pytz (whose zone put in with ``replace`` gave +07:07), no second
definition of the office's zone."""

from datetime import datetime
from datetime import timezone
from hdnd.content.core import officetime
from pathlib import Path

import pickle
import re


SRC = Path(__file__).resolve().parents[2] / "src"


def test_a_naive_office_time_is_made_aware_at_seven_hours():
    moment = officetime.localize(datetime(2026, 11, 18, 16, 30))
    assert moment.isoformat() == "2026-11-18T16:30:00+07:00"
    assert officetime.localize(datetime(2026, 11, 18, 18, 55, tzinfo=timezone.utc)).isoformat() == \
        "2026-11-19T01:55:00+07:00"  # an instant in UTC shown on the office's day
    assert officetime.now().utcoffset().total_seconds() == 7 * 3600
    assert officetime.OFFICE_TIME.key == "Asia/Ho_Chi_Minh"
    # What is stored on items pickles (ZODB cannot pickle a ZoneInfo).
    assert pickle.loads(pickle.dumps(moment, 3)) == moment


def test_one_definition_used_everywhere():
    from hdnd.content import consultation
    from hdnd.content import dashboard
    from hdnd.content import meetings
    from hdnd.content.core import signatures

    for module in (meetings, dashboard, signatures, consultation):
        assert module.OFFICE_TIME is officetime.OFFICE_TIME, module.__name__
    offenders = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "officetime.py":
            continue
        if re.search(r"^\s*(import pytz|from pytz)", text, re.M) or "tzinfo=OFFICE_TIME" in text \
                or "OFFICE_TIME.localize" in text or "OFFICE_TIME = " in text \
                or re.search(r"timedelta\(hours=7\)|timezone\(timedelta", text):  # a fixed +07:00 of its own
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
