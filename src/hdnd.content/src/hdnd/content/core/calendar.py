"""The office's calendar rules (domain §4): a periodic meeting in the last
week of every month."""

from datetime import date
from datetime import timedelta

THURSDAY = 3


def last_weekday(year: int, month: int, weekday: int = THURSDAY) -> date:
    """The last given weekday (Monday 0 … Sunday 6) of the month: always in
    its last seven days, the last week of the month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    day = following - timedelta(days=1)
    while day.weekday() != weekday:
        day -= timedelta(days=1)
    return day


def periodic_meeting_days(year: int, weekday: int = THURSDAY) -> list:
    """The proposed days of a year's twelve periodic meetings."""
    return [last_weekday(year, month, weekday) for month in range(1, 13)]
