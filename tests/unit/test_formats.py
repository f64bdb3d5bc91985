"""The office's one format (core.formats, issue 20): dd/mm/yyyy, HH:MM in
office time, decimal comma, years without a thousands separator."""

from datetime import date
from datetime import datetime
from datetime import timezone
from hdnd.content.core import formats
from pathlib import Path

import re


def test_dates_are_day_month_year_in_the_office():
    assert formats.day(date(2026, 11, 15)) == "15/11/2026"
    assert formats.day("2026-11-15") == "15/11/2026"
    # 18:55 UTC on the 14th is 01:55 on the 15th in the office (the UTC leak of issue 20).
    assert formats.day(datetime(2026, 11, 14, 18, 55)) == "15/11/2026"
    assert formats.moment(datetime(2026, 11, 14, 18, 55, tzinfo=timezone.utc)) == "15/11/2026 01:55"
    assert formats.clock("2026-11-14T18:55:00+00:00") == "01:55"
    assert formats.spoken_moment(datetime(2026, 11, 15, 7, 30)) == "14 giờ 30, ngày 15/11/2026"
    assert formats.day(None) == formats.day("") == formats.moment(None) == formats.day("soon") == ""


def test_a_zope_datetime_is_read_without_importing_zope():
    class DateTime:  # the one method of Zope's DateTime that is used
        def asdatetime(self):
            return datetime(2026, 11, 14, 18, 55, tzinfo=timezone.utc)
    assert formats.moment(DateTime()) == "15/11/2026 01:55"


def test_numbers_have_a_decimal_comma_and_years_no_separator():
    assert formats.number(83.333, 1) == "83,3"
    assert formats.number(50.0) == "50"
    assert formats.number(1234567) == "1.234.567"
    assert formats.number(1234.5) == "1.234,5"
    assert formats.percent(90.84) == "90,8\u00a0%"
    assert formats.year(2026) == formats.year(date(2026, 1, 1)) == "2026"
    assert formats.number(None) == formats.percent(None) == formats.year(None) == ""


def test_no_module_writes_the_date_format_itself():
    """"%d/%m/%Y" lives in core/formats.py only: a copy elsewhere is a second
    format waiting to drift (they were 24 in 15 files)."""
    src = Path(__file__).resolve().parents[2] / "src"
    copies = [f"{path.relative_to(src)}:{n}"
              for path in sorted(src.rglob("*")) if path.suffix in (".py", ".pt") and path.name != "formats.py"
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
              if re.search(r"%d/%m/%Y|%H:%M %d/%m|%d/%m/%Y %H", line)]
    assert not copies, copies
