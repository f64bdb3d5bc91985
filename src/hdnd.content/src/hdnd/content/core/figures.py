"""Key figures of execution (domain §8), computed from the records, never
typed in: "248 of 273 items done (90.8 %), plus 3 tasks that arose".

``Record`` is what a task or programme item contributes: its derived status,
lead unit, month (planned, or of its deadline) and whether it arose during
the year (counted apart from the planned items). ``key_figures(records)``
returns plain data for REST, the dashboards, Excel and the yearly report.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from hdnd.content.core.status import DONE_LATE
from hdnd.content.core.status import DONE_ON_TIME
from hdnd.content.core.status import IN_PROGRESS
from hdnd.content.core.status import NOT_STARTED
from hdnd.content.core.status import OVERDUE
from hdnd.content.core.status import STATUSES


DONE = (DONE_ON_TIME, DONE_LATE)


@dataclass(frozen=True)
class Record:
    status: str
    unit: str = ""
    month: int | None = None
    arisen: bool = False
    completed_on: date | None = None


def percent(part, whole):
    """One decimal, as the office writes it (90.8); None for nothing to count."""
    return round(100 * part / whole, 1) if whole else None


def summary(records):
    counts = Counter(r.status for r in records)
    total = len(records)
    done = counts[DONE_ON_TIME] + counts[DONE_LATE]
    return {
        "total": total,
        "done": done,
        "percent_done": percent(done, total),
        # Of what is done, how much was done by its deadline.
        "on_time_rate": percent(counts[DONE_ON_TIME], done),
        **{status: counts[status] for status in STATUSES},
    }


def key_figures(records):
    records = list(records)
    planned = [r for r in records if not r.arisen]
    arisen = [r for r in records if r.arisen]
    units = sorted({r.unit for r in records if r.unit})
    months = sorted({r.month for r in records if r.month})
    return {
        "planned": summary(planned),
        "arisen": summary(arisen),
        "all": summary(records),
        "by_unit": {unit: summary([r for r in records if r.unit == unit]) for unit in units},
        "by_month": {month: summary([r for r in planned if r.month == month]) for month in months},
    }


def done_over_time(records, year):
    """Cumulative items done by the end of each month of ``year`` (for the
    leaders' chart): [(1, 2), (2, 4), ...]."""
    ends = [(m, date(year + (m == 12), m % 12 + 1, 1)) for m in range(1, 13)]
    finished = sorted(r.completed_on for r in records if r.status in DONE and r.completed_on)
    return [(month, sum(1 for d in finished if d < end)) for month, end in ends]


def sentence(figures):
    """The line of the office's reports."""
    planned, arisen = figures["planned"], figures["arisen"]
    text = f"{planned['done']}/{planned['total']} nội dung hoàn thành"
    if planned["percent_done"] is not None:
        text += f" ({str(planned['percent_done']).replace('.', ',')} %)"
    if arisen["total"]:
        text += f", ngoài ra {arisen['done']}/{arisen['total']} nhiệm vụ phát sinh hoàn thành"
    return text + "."


__all__ = ["Record", "key_figures", "done_over_time", "sentence", "DONE", "IN_PROGRESS", "NOT_STARTED", "OVERDUE"]
