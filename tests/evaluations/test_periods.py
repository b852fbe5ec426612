from datetime import UTC, date, datetime

import pytest

from qa_app.evaluations import periods


def test_month_runs_from_local_midnight_in_the_shop_time_zone():
    period = periods.parse("2026-11", "Asia/Shanghai")
    assert period.start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


def test_iso_week_starts_on_monday():
    period = periods.parse("2026-W47")
    assert (period.first_day, period.last_day) == (date(2026, 11, 16), date(2026, 11, 22))


def test_quarter_covers_three_months():
    period = periods.parse("2026-q4")
    assert (period.key, period.first_day, period.last_day) == (
        "2026-Q4",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )


def test_previous_month_crosses_the_year():
    assert periods.parse("2026-01").previous().key == "2025-12"


@pytest.mark.parametrize("key", ["", "2026-13", "2026-W60", "2026-Q5", "nonsense", "1999-01"])
def test_bad_keys_are_refused(key):
    with pytest.raises(periods.PeriodError):
        periods.parse(key)


def test_period_containing_a_day_by_kind():
    day = date(2026, 11, 23)
    assert [periods.period_containing(day, k).key for k in ("week", "month", "quarter")] == [
        "2026-W48",
        "2026-11",
        "2026-Q4",
    ]
