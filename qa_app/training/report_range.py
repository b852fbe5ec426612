"""The training reports' date range: local shop days from ?start= and ?end= (both optional,
inclusive), as the UTC instants the reports filter activity by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from ..ui.inputs import date_arg

#: the quick ranges offered beside the date inputs (days back from today, today included)
QUICK_DAYS = (7, 30, 90)


@dataclass(frozen=True)
class ReportRange:
    start_day: date | None
    end_day: date | None

    def _instant(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["SHOP_TIMEZONE"]))

    @property
    def start(self) -> datetime | None:
        return self._instant(self.start_day) if self.start_day else None

    @property
    def end(self) -> datetime | None:
        """Exclusive: the start of the day after the last one."""
        return self._instant(self.end_day + timedelta(days=1)) if self.end_day else None

    @property
    def args(self) -> dict[str, str]:
        """Query parameters that keep this range on links (drill-downs, tabs, CSV)."""
        values = {"start": self.start_day, "end": self.end_day}
        return {k: v.isoformat() for k, v in values.items() if v is not None}


def range_arg() -> ReportRange:
    """The request's range; reversed dates are swapped rather than refused."""
    start, end = date_arg("start"), date_arg("end")
    if start and end and end < start:
        start, end = end, start
    return ReportRange(start, end)


def quick_ranges(today: date) -> list[tuple[int, dict[str, str]]]:
    return [(days, ReportRange(today - timedelta(days=days - 1), today).args) for days in QUICK_DAYS]
