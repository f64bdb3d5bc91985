from datetime import date
from hdnd.content.core import archive

import pytest


def test_retention_counts_from_the_year_the_dossier_closes():
    assert archive.destruction_from(date(2026, 12, 20), "10") == date(2037, 1, 1)
    assert not archive.expired(date(2026, 12, 20), "10", date(2036, 12, 31))
    assert archive.expired(date(2026, 12, 20), "10", date(2037, 1, 1))
    assert archive.destruction_from(date(2026, 12, 20), "permanent") is None
    assert not archive.expired(date(1990, 1, 1), "permanent", date(2100, 1, 1))
    assert not archive.expired(None, "5", date(2100, 1, 1))


def test_transfer_within_a_year_only_for_five_years_or_more():
    assert archive.transfer_due(date(2026, 3, 15), "10") == date(2027, 3, 15)
    assert archive.transfer_due(date(2026, 3, 15), "permanent") == date(2027, 3, 15)
    assert archive.transfer_due(date(2026, 3, 15), "5") == date(2027, 3, 15)
    assert archive.transfer_due(date(2026, 3, 15), "2") is None
    assert archive.transfer_due(None, "10") is None
    assert archive.transfer_due(date(2024, 2, 29), "10") == date(2025, 2, 28)


def test_warned_thirty_days_before_and_held_back_at_most_two_years():
    due = date(2027, 3, 15)
    assert archive.transfer_warning(due, date(2027, 2, 12)) is None
    assert archive.transfer_warning(due, date(2027, 2, 13)) == "soon"  # 30 days before
    assert archive.transfer_warning(due, date(2027, 3, 15)) == "soon"
    assert archive.transfer_warning(due, date(2027, 3, 16)) == "overdue"
    assert archive.transfer_warning(due, date(2027, 3, 16), held_until=date(2028, 3, 15)) is None
    archive.check_hold_back(due, date(2029, 3, 15))
    with pytest.raises(ValueError, match="at most 2 years"):
        archive.check_hold_back(due, date(2029, 3, 16))
    with pytest.raises(ValueError, match="must be after"):
        archive.check_hold_back(due, due)


def test_what_lowers_a_retention():
    assert archive.lowered("permanent", "20") and archive.lowered("20", "10")
    assert not archive.lowered("10", "20") and not archive.lowered("10", "permanent")
    assert not archive.lowered(None, "5") and not archive.lowered("10", "10")
