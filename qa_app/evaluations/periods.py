"""Evaluation periods: a week, a month or a quarter of the shop's calendar.

Keys read like the calendar: "2026-11" (month), "2026-W47" (ISO week), "2026-Q4" (quarter).
Boundaries are local midnights in the shop time zone, turned into UTC for queries: a chat at
23:30 on 30 November in Shanghai belongs to November, although it is 15:30 UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..ui.inputs import DATE_MAX, DATE_MIN, in_window

KINDS = ("week", "month", "quarter")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Periods computed around an allowed one (trends reach back a few years) stay in these years.
_MIN_YEAR, _MAX_YEAR = DATE_MIN.year - 10, DATE_MAX.year + 10


class PeriodError(ValueError):
    """Not a period key."""


class PeriodOutOfRange(PeriodError):
    """A period key outside the years anyone may ask for (the dates' window, ui.inputs)."""


@dataclass(frozen=True)
class Period:
    key: str
    kind: str
    first_day: date  # local calendar, inclusive
    last_day: date  # local calendar, inclusive
    tz: str

    @property
    def start(self) -> datetime:
        """Aware UTC start (inclusive)."""
        return _utc(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """Aware UTC end (exclusive): local midnight after the last day."""
        return _utc(self.last_day + timedelta(days=1), self.tz)

    def previous(self, steps: int = 1) -> Period:
        current = self
        for _ in range(steps):
            current = period_containing(current.first_day - timedelta(days=1), current.kind, self.tz)
        return current

    def next(self) -> Period:
        return period_containing(self.last_day + timedelta(days=1), self.kind, self.tz)

    def contains_day(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.key


def _utc(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def parse(key: str, tz: str = "Asia/Shanghai") -> Period:
    """The period named by `key`; PeriodError when it is not one, PeriodOutOfRange when it
    lies outside the window of dates (pages compute periods around it, and dates end in 9999)."""
    period = _parse(key, tz)
    if not (in_window(period.first_day) and in_window(period.last_day)):
        raise PeriodOutOfRange(period.key)
    return period


def _check_year(year: int, key: str) -> None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise PeriodOutOfRange(key)


def _parse(key: str, tz: str) -> Period:
    """Any period the calendar holds, with room for the neighbours that trends and links
    compute beside a period at the window's edges."""
    key = (key or "").strip().upper()
    if m := _MONTH.match(key):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(key)
        _check_year(year, key)
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        return Period(f"{year:04d}-{month:02d}", "month", first, last, tz)
    if m := _WEEK.match(key):
        year, week = int(m[1]), int(m[2])
        _check_year(year, key)
        try:
            first = date.fromisocalendar(year, week, 1)
        except ValueError as error:
            raise PeriodError(key) from error
        return Period(f"{year:04d}-W{week:02d}", "week", first, first + timedelta(days=6), tz)
    if m := _QUARTER.match(key):
        year, quarter = int(m[1]), int(m[2])
        _check_year(year, key)
        first = date(year, 3 * quarter - 2, 1)
        last = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
        return Period(f"{year:04d}-Q{quarter}", "quarter", first, last, tz)
    raise PeriodError(key)


def period_containing(day: date, kind: str, tz: str = "Asia/Shanghai") -> Period:
    if kind == "month":
        return _parse(f"{day.year:04d}-{day.month:02d}", tz)
    if kind == "week":
        year, week, _ = day.isocalendar()
        return _parse(f"{year:04d}-W{week:02d}", tz)
    if kind == "quarter":
        return _parse(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}", tz)
    raise PeriodError(kind)


def local_today(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def current(kind: str, tz: str) -> Period:
    return period_containing(local_today(tz), kind, tz)


def last_complete(kind: str, tz: str) -> Period:
    """The latest period of `kind` that has ended: what pages show unless asked otherwise, since
    two days into a month the current one has almost no evidence and would show dashes."""
    return current(kind, tz).previous()


def recent(period: Period, count: int) -> list[Period]:
    """`count` periods ending with `period`, oldest first (for trends)."""
    periods = [period]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods
