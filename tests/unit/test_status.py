from datetime import date
from hdnd.content.core.status import task_status

import pytest


DEADLINE = date(2026, 6, 30)


@pytest.mark.parametrize(
    "completed_on, started, today, expected",
    [
        (None, False, date(2026, 6, 1), "not_started"),
        (None, True, date(2026, 6, 1), "in_progress"),
        (None, True, DEADLINE, "in_progress"),  # the deadline day is still on time
        (None, False, DEADLINE, "not_started"),
        (None, True, date(2026, 7, 1), "overdue"),  # the day after
        (None, False, date(2026, 7, 1), "overdue"),
        (DEADLINE, True, date(2026, 8, 1), "done_on_time"),  # done on the deadline day
        (date(2026, 7, 1), True, date(2026, 8, 1), "done_late"),
        (date(2026, 5, 2), True, date(2026, 5, 3), "done_on_time"),
    ],
)
def test_status_at_the_boundaries(completed_on, started, today, expected):
    assert task_status(deadline=DEADLINE, completed_on=completed_on, started=started, today=today) == expected


def test_no_deadline_is_never_overdue():
    assert task_status(deadline=None, completed_on=None, started=False, today=date(2099, 1, 1)) == "not_started"
    assert task_status(deadline=None, completed_on=date(2026, 1, 1), started=True, today=date(2026, 1, 2)) == "done_on_time"


def test_reopened_task_is_open_again():
    # Reported done late, then reopened: completed_on cleared, so overdue again.
    assert task_status(deadline=DEADLINE, completed_on=None, started=True, today=date(2026, 7, 5)) == "overdue"
