"""Reading review exports (CSV or JSON Lines) into validated rows, without touching the database.

Every problem is reported as `file:line:field: message`, so that whoever fixes the export finds
the place at once. Nothing here decides what gets stored: the importer does. Opening,
decompressing, decoding, the size limits and the record streams are the ingest stack's
(qa_app/ingest); this module is the review record validator. `read_reviews` streams: memory
holds one record, whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..ingest import CsvRows, DecodeFailure, Problem, Source, jsonl_records

COLUMNS = ("id", "order_id", "shop", "created_at", "rating", "service_rating", "agent", "text")
REQUIRED = ("id", "text")
WORD_RATINGS = {"好评": 5, "中评": 3, "差评": 1}
DEFAULT_SHOP = "default"
LIMITS = {"id": 128, "order_id": 64, "shop": 64, "agent": 64, "text": 20000}
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


@dataclass
class ReviewRow:
    """One valid input review. `created_at` is aware when the export gave a zone, else naive
    (the shop's local time, resolved by the importer once the shop is known)."""

    line: int
    external_id: str
    text: str
    shop: str = DEFAULT_SHOP
    order_id: str | None = None
    created_at: datetime | None = None
    rating: int | None = None
    service_rating: int | None = None
    agent: str | None = None
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class Parsed:
    rows: list[ReviewRow]
    problems: list[Problem]


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (encoding, missing columns, not CSV/JSON Lines)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def open_source(path: str | Path, *, encoding: str = "utf-8", name: str | None = None) -> Source:
    """The export as an ingest Source; `name` is how the file is called in messages."""
    name = name or Path(path).name
    try:
        return Source(path, encoding, name=name)
    except LookupError:
        raise UnreadableFile(Problem(name, 1, "file", f"unknown encoding {encoding}")) from None


def read_file(path: str | Path, *, encoding: str = "utf-8", name: str | None = None) -> Parsed:
    """Parse a whole review export into memory (`reviews classify`, tests); the importer streams
    with read_reviews instead."""
    rows, problems = [], []
    for item in read_reviews(open_source(path, encoding=encoding, name=name)):
        if isinstance(item, ReviewRow):
            rows.append(item)
        else:
            problems.extend(item)
    return Parsed(rows, problems)


def read_reviews(source: Source) -> Iterator[ReviewRow | list[Problem]]:
    """Each record in file order: a valid ReviewRow, or the problems of one bad line. Raises
    UnreadableFile when the file as a whole cannot be read, ingest.LimitExceeded at a limit."""
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
    header = rows.header
    if header is None:
        raise UnreadableFile(Problem(name, 1, "file", "empty file"))
    for column in REQUIRED:
        if column not in header:
            raise UnreadableFile(Problem(name, 1, column, "required column missing"))
    for start, values in rows:
        if isinstance(values, Problem):
            yield start, Problem(name, start, "file", values.message)
        elif len(values) > len(header):
            yield start, Problem(name, start, "file", f"{len(values)} values for {len(header)} columns")
        else:
            yield start, dict(zip(header, values, strict=False))


def validate(record: dict, line: int, name: str) -> tuple[ReviewRow | None, list[Problem]]:
    """Check one record; returns the row (None when invalid) and every problem found in it."""
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(name, line, column, message))

    values: dict[str, str] = {}
    for column in COLUMNS:
        value = record.get(column)
        if value is None:
            values[column] = ""
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            values[column] = str(value).strip()
            unstorable = _unstorable(values[column])
            if unstorable:
                bad(column, unstorable)
                values[column] = ""
        else:
            bad(column, "must be a text or a number")
            values[column] = ""
    for column in REQUIRED:
        if not values[column] and not any(p.field == column for p in problems):
            bad(column, "required, but empty")
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            bad(column, f"longer than {limit} characters")
    rating = _rating(values["rating"], words=True)
    if rating == -1:
        bad("rating", f"{values['rating']!r} is not 1–5 or 好评/中评/差评")
    service_rating = _rating(values["service_rating"], words=False)
    if service_rating == -1:
        bad("service_rating", f"{values['service_rating']!r} is not 1–5")
    created_at = None
    if values["created_at"]:
        created_at = parse_time(values["created_at"])
        if created_at is None or not _storable_time(created_at):
            bad(
                "created_at",
                f"{values['created_at']!r} is not a date and time (ISO 8601 or YYYY-MM-DD HH:MM:SS)",
            )
    if problems:
        return None, problems
    return ReviewRow(
        line=line,
        external_id=values["id"],
        text=values["text"],
        shop=values["shop"] or DEFAULT_SHOP,
        order_id=values["order_id"] or None,
        created_at=created_at,
        rating=rating,
        service_rating=service_rating,
        agent=values["agent"] or None,
        raw=record,
    ), []


def _unstorable(value: str) -> str | None:
    """Why a text cannot be stored as it is (no database keeps NUL or lone surrogates)."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains characters that are not valid Unicode (unpaired surrogates)"
    return None


def _rating(value: str, *, words: bool) -> int | None:
    """1–5, None when empty, -1 when invalid."""
    if not value:
        return None
    if words and value in WORD_RATINGS:
        return WORD_RATINGS[value]
    try:
        number = float(value)
    except ValueError:
        return -1
    if not 1 <= number <= 5 or number != int(number):  # NaN fails the range test too
        return -1
    return int(number)


def _storable_time(moment: datetime) -> bool:
    """True when the time converts to UTC, from its own offset or any shop's zone (a naive
    time is read in the shop's zone later: 14 hours either side covers every zone)."""
    try:
        if moment.tzinfo is not None:
            moment.astimezone(UTC)
        else:
            moment.replace(tzinfo=UTC) - timedelta(hours=14)
            moment.replace(tzinfo=UTC) + timedelta(hours=14)
    except OverflowError:
        return False
    return True


def parse_time(value: str) -> datetime | None:
    value = value.strip()
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
