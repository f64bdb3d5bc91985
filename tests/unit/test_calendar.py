from datetime import date
from hdnd.content.core.calendar import last_weekday
from hdnd.content.core.calendar import periodic_meeting_days


def test_periodic_meetings_fall_in_the_last_week_of_each_month():
    days = periodic_meeting_days(2026)
    assert len(days) == 12
    for month, day in enumerate(days, 1):
        assert day.month == month and day.weekday() == 3
        following = date(2026 + month // 12, month % 12 + 1, 1)
        assert 1 <= (following - day).days <= 7
    assert days[0] == date(2026, 1, 29) and days[11] == date(2026, 12, 31)


def test_other_weekdays_and_leap_february():
    assert last_weekday(2028, 2, 1) == date(2028, 2, 29)  # a Tuesday in a leap year
    assert last_weekday(2027, 2, 4) == date(2027, 2, 26)
