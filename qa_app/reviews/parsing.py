"""Reading review exports (CSV or JSON Lines) into validated rows, without touching the database.

Every problem is reported as `file:line:field: message`, so that whoever fixes the export finds
the place at once. Nothing here decides what gets stored: the importer does.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

COLUMNS = ("id", "order_id", "shop", "created_at", "rating", "service_rating", "agent", "text")
REQUIRED = ("id", "text")
WORD_RATINGS = {"好评": 5, "中评": 3, "差评": 1}
DEFAULT_SHOP = "default"
LIMITS = {"id": 128, "order_id": 64, "shop": 64, "agent": 64, "text": 20000}
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%Y-%m-%d", "%Y/%m/%d")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.field}: {self.message}"


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


def read_file(path: str | Path, *, encoding: str = "utf-8", name: str | None = None) -> Parsed:
    """Parse a review export. `name` is how the file is called in messages (the uploaded name)."""
    path = Path(path)
    name = name or path.name
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):  # a bad header, a truncated or corrupt stream
            raise UnreadableFile(Problem(name, 1, "file", "damaged gzip file")) from None
    return parse_text(decode(raw, encoding, name), name, is_jsonl=_looks_like_jsonl(path, raw))


def decode(raw: bytes, encoding: str, name: str) -> str:
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return raw.decode(codec)
    except LookupError:
        raise UnreadableFile(Problem(name, 1, "file", f"unknown encoding {encoding}")) from None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        hint = " (try --encoding gbk)" if codec == "utf-8-sig" else ""
        raise UnreadableFile(Problem(name, line, "file", f"not valid {encoding} text{hint}")) from None


def _looks_like_jsonl(path: Path, raw: bytes) -> bool:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    if suffixes and suffixes[-1] in (".jsonl", ".json", ".ndjson"):
        return True
    if suffixes and suffixes[-1] == ".csv":
        return False
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_text(text: str, name: str, *, is_jsonl: bool) -> Parsed:
    text = text.lstrip("\ufeff")
    records = _jsonl_records(text, name) if is_jsonl else _csv_records(text, name)
    rows, problems = [], []
    for line, record in records:
        if isinstance(record, Problem):
            problems.append(record)
            continue
        row, found = validate(record, line, name)
        problems.extend(found)
        if row is not None:
            rows.append(row)
    return Parsed(rows, problems)


def _csv_records(text: str, name: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile(Problem(name, 1, "file", "empty file")) from None
    except csv.Error as error:
        raise UnreadableFile(Problem(name, 1, "file", f"not CSV: {error}")) from None
    header = [h.strip().lower() for h in header]
    for column in REQUIRED:
        if column not in header:
            raise UnreadableFile(Problem(name, 1, column, "required column missing"))
    line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, Problem(name, reader.line_num, "file", f"broken CSV: {error}")
            return
        start, line = line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            yield start, Problem(name, start, "file",
                                 f"{len(values)} values for {len(header)} columns")
            continue
        yield start, dict(zip(header, values, strict=False))


def _jsonl_records(text: str, name: str):
    # Only "\n" ends a line: str.splitlines() would also split inside a JSON string at
    # U+2028, U+0085 and other characters that JSON writers leave unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:  # JSONDecodeError, or an integer too long to convert
            reason = getattr(error, "msg", None) or str(error)
            yield number, Problem(name, number, "json", f"not valid JSON ({reason})")
            continue
        except RecursionError:
            yield number, Problem(name, number, "json", "not valid JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield number, Problem(name, number, "json", "each line must be a JSON object")
            continue
        yield number, record


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
            bad("created_at", f"{values['created_at']!r} is not a date and time "
                              "(ISO 8601 or YYYY-MM-DD HH:MM:SS)")
    if problems:
        return None, problems
    return ReviewRow(line=line, external_id=values["id"], text=values["text"],
                     shop=values["shop"] or DEFAULT_SHOP, order_id=values["order_id"] or None,
                     created_at=created_at, rating=rating, service_rating=service_rating,
                     agent=values["agent"] or None, raw=record), []


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
