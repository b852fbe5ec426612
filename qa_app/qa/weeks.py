"""The shop's calendar for QA: today in the shop time zone and ISO week labels."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from ..dbtypes import utcnow


def local_today() -> date:
    """Today in the shop time zone: plans and reports count whole local days, so their default
    dates must be local too (in Shanghai the UTC date is yesterday until 08:00)."""
    return utcnow().astimezone(ZoneInfo(current_app.config["SHOP_TIMEZONE"])).date()


def iso_week(moment: datetime, tz: str) -> str:
    year, week, _ = moment.astimezone(ZoneInfo(tz)).isocalendar()
    return f"{year}-W{week:02d}"
