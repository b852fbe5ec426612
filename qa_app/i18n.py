"""Language and time zone choices for each request."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, request, session
from flask_babel import format_datetime
from flask_login import current_user

LOCALES = ("zh_CN", "en")


def select_locale() -> str:
    """The user's chosen language; before login the one picked on the login page, else the
    browser's."""
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    if request and session.get("locale") in LOCALES:
        return session["locale"]
    match = request.accept_languages.best_match(["zh-CN", "zh", "en"]) if request else None
    if match is None:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return "en" if match == "en" else "zh_CN"


def local_datetime(value: datetime | None, tz: str | None = None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A stored UTC datetime shown in the shop's time zone (the configured one by default)."""
    if value is None:
        return "—"
    zone = ZoneInfo(tz or current_app.config["SHOP_TIMEZONE"])
    local = value.astimezone(zone)
    return format_datetime(local.replace(tzinfo=None), fmt, rebase=False)
