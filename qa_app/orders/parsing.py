"""Reading order exports (CSV or JSON Lines, FORMATS.md) into validated rows, without the database.

Opening, decompressing, decoding and the record streams are the ingest stack's; this module is
the order record validator. Every problem names file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from ..ingest import CsvRows, DecodeFailure, Problem, Source, jsonl_records
from .models import STATUSES

COLUMNS = (
    "id",
    "shop",
    "customer",
    "created_at",
    "paid_at",
    "amount",
    "status",
    "refund_amount",
    "refunded_at",
)
REQUIRED = ("id", "customer", "created_at")
TIMES = ("created_at", "paid_at", "refunded_at")
MONEY = ("amount", "refund_amount")
DEFAULT_SHOP = "default"
LIMITS = {"id": 64, "shop": 64, "customer": 128}
MAX_AMOUNT = Decimal("9999999999.99")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


@dataclass
class OrderRow:
    """One valid order; naive times are the shop's local time (resolved by the importer)."""

    line: int
    external_id: str
    customer: str
    created_at: datetime
    shop: str = DEFAULT_SHOP
    paid_at: datetime | None = None
    amount: Decimal | None = None
    status: str | None = None
    refund_amount: Decimal | None = None
    refunded_at: datetime | None = None


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (encoding, missing columns, not CSV/JSON Lines)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def open_source(path: str | Path, *, encoding: str = "utf-8", name: str | None = None) -> Source:
    name = name or Path(path).name
    try:
        return Source(path, encoding, name=name)
    except LookupError:
        raise UnreadableFile(Problem(name, 1, "file", f"unknown encoding {encoding}")) from None


def read_orders(source: Source) -> Iterator[OrderRow | list[Problem]]:
    """Each record in file order: a valid OrderRow, or the problems of one bad line."""
    name = source.name
    try:
        lines = source.lines()
        records = jsonl_records(lines) if source.format() == "jsonl" else _csv_records(lines, name)
        for line, record in records:
            if isinstance(record, Problem):
                yield [record.named(name)]
                continue
            row, found = validate(record, line, name)
            yield row if row is not None else found
    except DecodeFailure as error:
        raise UnreadableFile(Problem(name, error.line, "file", error.reason)) from None


def _csv_records(lines, name: str):
    rows = CsvRows(lines)
    if rows.error:
        raise UnreadableFile(Problem(name, 1, "file", f"not CSV: {rows.error.message}"))
    if rows.header is None:
        raise UnreadableFile(Problem(name, 1, "file", "empty file"))
    for column in REQUIRED:
        if column not in rows.header:
            raise UnreadableFile(Problem(name, 1, column, "required column missing"))
    for start, values in rows:
        if isinstance(values, Problem):
            yield start, Problem(name, start, "file", values.message)
        elif len(values) > len(rows.header):
            yield start, Problem(name, start, "file", f"{len(values)} values for {len(rows.header)} columns")
        else:
            yield start, dict(zip(rows.header, values, strict=False))


def validate(record: dict, line: int, name: str) -> tuple[OrderRow | None, list[Problem]]:
    """Check one record; returns the row (None when invalid) and every problem found in it."""
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(name, line, column, message))

    values = _texts(record, bad)
    for column in REQUIRED:
        if not values[column] and not any(p.field == column for p in problems):
            bad(column, "required, but empty")
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            bad(column, f"longer than {limit} characters")
    if values["status"] and values["status"] not in STATUSES:
        bad("status", f"{values['status']!r} is not one of {', '.join(STATUSES)}")
    times = {column: _time(values[column], column, bad) for column in TIMES}
    money = {column: _money(values[column], column, bad) for column in MONEY}
    if problems:
        return None, problems
    assert times["created_at"] is not None  # required, checked above
    return OrderRow(
        line=line,
        external_id=values["id"],
        customer=values["customer"],
        created_at=times["created_at"],
        shop=values["shop"] or DEFAULT_SHOP,
        paid_at=times["paid_at"],
        amount=money["amount"],
        status=values["status"] or None,
        refund_amount=money["refund_amount"],
        refunded_at=times["refunded_at"],
    ), []


def _texts(record: dict, bad) -> dict[str, str]:
    values: dict[str, str] = {}
    for column in COLUMNS:
        value = record.get(column)
        if value is None:
            values[column] = ""
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            values[column] = str(value).strip()
            if "\x00" in values[column]:
                bad(column, "contains a NUL character")
                values[column] = ""
        else:
            bad(column, "must be a text or a number")
            values[column] = ""
    return values


def _time(value: str, column: str, bad) -> datetime | None:
    if not value:
        return None
    moment = parse_time(value)
    if moment is None or not 1900 <= moment.year <= 2999:
        bad(column, f"{value!r} is not a date and time (ISO 8601 or YYYY-MM-DD HH:MM:SS)")
        return None
    return moment


def _money(value: str, column: str, bad) -> Decimal | None:
    """Yuan with at most two decimals (money is never a float)."""
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        bad(column, f"{value!r} is not an amount in yuan")
        return None
    if amount != amount.quantize(Decimal("0.01")):
        bad(column, f"{value!r} has more than two decimals")
        return None
    return amount.quantize(Decimal("0.01"))


def parse_time(value: str) -> datetime | None:
    """ISO 8601 or the platforms' own formats (the same ones review exports use)."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def localise(moment: datetime | None, timezone: str) -> datetime | None:
    """A naive time read from an export is the shop's local time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(timezone))
