"""The office's time zone, defined once: Asia/Ho_Chi_Minh through the
standard library's ``zoneinfo`` (UTC+07:00 all year, no daylight saving).

Every module that shows, stores or parses a time of the office takes it
from here. ``zoneinfo`` decides the offset; what this module gives back
carries that offset as a fixed ``datetime.timezone``, because ZODB cannot
pickle a ``ZoneInfo`` (its reduce names a classmethod) and times are stored
on items. A naive office time is made aware with :func:`localize`, never
with pytz's ``replace`` (which gave the zone's local mean time, +07:07).
Plain Python.
"""

from datetime import datetime
from datetime import timezone
from zoneinfo import ZoneInfo


OFFICE_ZONE = "Asia/Ho_Chi_Minh"
OFFICE_TIME = ZoneInfo(OFFICE_ZONE)


def _storable(value):
    return value.replace(tzinfo=timezone(value.utcoffset()))


def localize(value):
    """A naive office time made aware; an aware one converted to the office's
    time. The result is stored safely (a fixed offset from ``zoneinfo``)."""
    if value.tzinfo is None:
        return _storable(value.replace(tzinfo=OFFICE_TIME))
    return _storable(value.astimezone(OFFICE_TIME))


def now():
    """The current time in the office, aware (and storable)."""
    return _storable(datetime.now(OFFICE_TIME))


def today():
    """Today's date in the office, whatever the server's zone."""
    return datetime.now(OFFICE_TIME).date()
