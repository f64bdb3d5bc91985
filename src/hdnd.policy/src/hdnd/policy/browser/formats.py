"""One format for the office's dates and times on hdnd's pages: dd/mm/yyyy,
and hh:mm in office time (Asia/Ho_Chi_Minh) — never the server's zone or UTC.
Each takes a date, a datetime (naive ones are UTC, as Plone stores them), a
Zope DateTime or an ISO string (as the REST data gives them)."""

from datetime import date
from datetime import datetime
from hdnd.content.dashboard import office_time


def _value(value):
    if isinstance(value, str):
        if not value:
            return None
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def day(value):
    """dd/mm/yyyy (the office's day), "" for nothing."""
    value = office_time(_value(value))
    return f"{value:%d/%m/%Y}" if value else ""


def moment(value):
    """dd/mm/yyyy hh:mm in office time; a date alone as day() gives it."""
    value = office_time(_value(value))
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    return day(value)
