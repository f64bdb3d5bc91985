"""One format for what the office reads (issue 20), on pages, in generated
documents and in registers alike: dates dd/mm/yyyy, times HH:MM in office
time (Asia/Ho_Chi_Minh, core.officetime), numbers with a decimal comma and a
dot between thousands, years as written (2026, never "2.026"). Plain Python.

Every function takes what the code has at hand: a ``date``, a ``datetime``
(naive ones are UTC, as Plone stores them), a Zope ``DateTime`` (anything
with ``asdatetime``) or an ISO string (REST data); nothing gives "".
"""

from datetime import date
from datetime import datetime
from datetime import timezone
from hdnd.content.core.officetime import OFFICE_TIME


def _parse(value):
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value or " " in value \
                else date.fromisoformat(value)
        except ValueError:
            return None
    if hasattr(value, "asdatetime"):  # Zope's DateTime, without importing it
        return value.asdatetime()
    return value


def office_time(value):
    """A datetime in the office's zone (naive ones are UTC); a date stays a date; None for nothing."""
    value = _parse(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(OFFICE_TIME)
    return value or None


def office_day(value):
    """The office's day of a date or moment (None for nothing)."""
    value = office_time(value)
    return value.date() if isinstance(value, datetime) else value


def day(value):
    """dd/mm/yyyy: 15/11/2026."""
    value = office_day(value)
    return f"{value:%d/%m/%Y}" if value else ""


def clock(value):
    """HH:MM in office time: 18:55 UTC is 01:55 the next day."""
    value = office_time(value)
    return f"{value:%H:%M}" if isinstance(value, datetime) else ""


def moment(value):
    """dd/mm/yyyy HH:MM in office time; a date alone as day() gives it."""
    value = office_time(value)
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    return day(value)


def spoken_moment(value):
    """As a document writes it: "14 giờ 30, ngày 15/11/2026"."""
    value = office_time(value)
    if not isinstance(value, datetime):
        return day(value)
    return f"{value:%H} giờ {value:%M}, ngày {value:%d/%m/%Y}"


def number(value, decimals=None):
    """1.234,5: a dot between thousands, a decimal comma. ``decimals`` fixes
    the places; without it a whole number has none and a fraction keeps up
    to two (trailing zeros dropped)."""
    if value is None or value == "":
        return ""
    if decimals is None:
        if float(value) == int(value):
            text = f"{int(value):,}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value, decimals=1):
    """83,3 % (a number, a no-break space, the sign)."""
    if value is None or value == "":
        return ""
    return f"{number(value, decimals)}\u00a0%"


def year(value):
    """2026: a year is a name, never "2.026"."""
    if value is None or value == "":
        return ""
    if isinstance(value, (date, datetime)):
        value = value.year
    return str(int(value))


# For libraries that take a strftime pattern (the signature stamp's time).
STAMP_FORMAT = "%d/%m/%Y %H:%M:%S %z"
