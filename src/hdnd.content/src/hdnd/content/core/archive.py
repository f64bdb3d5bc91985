"""Archive dates (domain §6), plain Python.

- retention is "permanent" or a number of years, counted from the year the
  dossier closes: a 10-year dossier closed in 2026 may be destroyed from
  1 January 2037;
- a dossier kept 5 years or more goes to the agency archive within a year of
  its work ending; the office is warned 30 days before; a unit may hold it
  back, with approval, up to 2 years past that date.
"""

from datetime import date
from datetime import timedelta
from hdnd.content.core import formats


PERMANENT = "permanent"
TRANSFER_MIN_YEARS = 5
WARN_DAYS = 30
HOLD_BACK_YEARS = 2


def years(retention):
    """None for permanent (or unknown: kept), else the number of years."""
    if not retention or retention == PERMANENT:
        return None
    return int(retention)


def add_years(day, n):
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February
        return day.replace(year=day.year + n, day=28)


def transfer_due(end_date, retention):
    """The date by which the dossier must reach the agency archive; None
    when it is not transferred (kept under 5 years) or has not ended."""
    if end_date is None:
        return None
    kept = years(retention)
    if kept is not None and kept < TRANSFER_MIN_YEARS:
        return None
    return add_years(end_date, 1)


def transfer_warning(due, today, held_until=None):
    """"overdue", "soon" or None."""
    if due is None:
        return None
    deadline = held_until or due
    if today > deadline:
        return "overdue"
    if today >= deadline - timedelta(days=WARN_DAYS):
        return "soon"
    return None


def check_hold_back(due, until):
    if due is None:
        raise ValueError("held_until: this dossier is not due for transfer")
    if until <= due:
        raise ValueError(f"held_until: must be after the transfer date {formats.day(due)}")
    if until > add_years(due, HOLD_BACK_YEARS):
        raise ValueError(f"held_until: at most {HOLD_BACK_YEARS} years after {formats.day(due)}")


def destruction_from(end_date, retention):
    """The first day the dossier may be destroyed; None if kept permanently."""
    kept = years(retention)
    if kept is None or end_date is None:
        return None
    return date(end_date.year + kept + 1, 1, 1)


def expired(end_date, retention, today):
    first = destruction_from(end_date, retention)
    return first is not None and today >= first


def lowered(before, after):
    """Whether a retention change shortens how long the dossier is kept."""
    if before is None or before == after:
        return False
    old, new = years(before), years(after)
    if old is None:  # permanent before
        return new is not None
    return new is not None and new < old
