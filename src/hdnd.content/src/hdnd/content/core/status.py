"""Derived status of a task (domain §8: chưa thực hiện, đang thực hiện,
hoàn thành đúng hạn / quá hạn, quá hạn).

The status is computed from dates, never stored, so that it cannot go stale:
a task becomes overdue the day after its deadline without anyone touching it.
The deadline day itself is still on time.
"""

from datetime import date

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE = "overdue"

STATUSES = (NOT_STARTED, IN_PROGRESS, DONE_ON_TIME, DONE_LATE, OVERDUE)

TITLES = {
    NOT_STARTED: "Chưa thực hiện",
    IN_PROGRESS: "Đang thực hiện",
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    OVERDUE: "Quá hạn",
}


def task_status(*, deadline: date | None, completed_on: date | None, started: bool, today: date) -> str:
    """The status of a task on ``today``.

    - done: on time when completed on or before the deadline (or with none);
    - not done and past the deadline: overdue, whether started or not;
    - otherwise in progress once started (a progress report exists), else not started.
    Reopening a task (clearing ``completed_on``) makes it open again.
    """
    if completed_on is not None:
        if deadline is not None and completed_on > deadline:
            return DONE_LATE
        return DONE_ON_TIME
    if deadline is not None and today > deadline:
        return OVERDUE
    return IN_PROGRESS if started else NOT_STARTED
