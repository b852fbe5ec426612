"""Values typed or put in a URL, read within the ranges the database and the calendar can hold.

An id past PostgreSQL's integer, or a date at the calendar's end, would otherwise reach a query
or a date sum and fail there with a 500. Out of range, the request answers 400 with a message that
names the parameter (BadArgument); forms show the message beside the field (SaneDate).
Text that is not a number or a date at all is still ignored, as the filters always did.
"""

from __future__ import annotations

import re
from datetime import date

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from wtforms.validators import ValidationError

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL's integer, the type of every id column
# Dates anyone may type: the shop's records start after 2000 and nothing is planned past 2099;
# beyond, a typo (0202, 20266) would be stored and break every sum of days made with it.
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
DATE_LIMITS = {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}  # a DateField's render_kw


class BadArgument(BadRequest):
    """A query parameter out of range; its description is shown to the user."""


def parse_int(raw: str | None) -> int | None:
    """An integer the database can hold; None for text that is not one, ValueError past it."""
    raw = (raw or "").strip()
    if not _INTEGER.match(raw):
        return None  # "²".isdigit() is true and int() refuses it: ASCII digits only
    # past 20 digits it is out of range anyway; int() of thousands of digits would refuse it
    value = int(raw) if len(raw) <= 20 else INT_MAX + 1
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(_("%(value)s is out of range (up to %(max)s).", value=raw[:24], max=INT_MAX))
    return value


def int_arg(name: str, default: int | None = None, args=None) -> int | None:
    """The integer in query parameter `name` (of `args`, the request's by default); `default`
    when missing or not a number; BadArgument when out of range."""
    try:
        value = parse_int((request.args if args is None else args).get(name))
    except ValueError as error:
        raise BadArgument(f"{name}: {error}") from None
    return default if value is None else value


def page_arg(name: str = "page") -> int:
    """The page number asked for (1 when missing); pages past the last show the last one."""
    return max(1, int_arg(name, 1) or 1)


def in_window(day: date | None) -> bool:
    return day is None or DATE_MIN <= day <= DATE_MAX


def window_message():
    return _l(
        "Choose a date between %(first)s and %(last)s.", first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat()
    )


def parse_date(raw: str | None) -> date | None:
    """An ISO date within the window; None for no date or text that is not one."""
    try:
        day = date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    if not in_window(day):
        raise ValueError(str(window_message()))
    return day


def date_arg(name: str, args=None) -> date | None:
    """The date in query parameter `name`: None when missing or not a date, 400 out of range."""
    try:
        return parse_date((request.args if args is None else args).get(name))
    except ValueError as error:
        raise BadArgument(f"{name}: {error}") from None


class SaneDate:
    """Form validator: the date lies within the window every page can compute with."""

    def __call__(self, form, field) -> None:
        if not in_window(field.data):
            raise ValidationError(str(window_message()))
