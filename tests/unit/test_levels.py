from datetime import date
from hdnd.content.core.levels import is_classified
from hdnd.content.core.levels import is_expired
from hdnd.content.core.levels import priority
from hdnd.content.core.levels import protection_end
from hdnd.content.core.levels import rank


def test_order_of_levels():
    assert [rank(x) for x in (None, "none", "mat", "toi_mat", "tuyet_mat")] == [0, 0, 1, 2, 3]
    assert not is_classified("none") and is_classified("mat")
    assert [priority(u) for u in ("normal", "khan", "thuong_khan", "hoa_toc")] == [0, 1, 2, 3]


def test_protection_periods_are_10_20_30_years():
    decided = date(2026, 3, 15)
    assert protection_end("mat", decided) == date(2036, 3, 15)
    assert protection_end("toi_mat", decided) == date(2046, 3, 15)
    assert protection_end("tuyet_mat", decided) == date(2056, 3, 15)
    assert protection_end("none", decided) is None
    assert protection_end("mat", None) is None


def test_expiry_on_the_day_after_the_end_and_extensions():
    decided = date(2016, 3, 15)
    assert not is_expired("mat", decided, date(2026, 3, 15))  # the last protected day
    assert is_expired("mat", decided, date(2026, 3, 16))
    assert not is_expired("mat", decided, date(2026, 3, 16), extended_until=date(2031, 3, 15))
    # an "extension" that ends earlier never shortens the period
    assert protection_end("mat", decided, extended_until=date(2020, 1, 1)) == date(2026, 3, 15)


def test_leap_day_decision():
    assert protection_end("mat", date(2024, 2, 29)) == date(2034, 3, 1)
