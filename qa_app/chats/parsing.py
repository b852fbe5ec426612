"""Streaming readers for chat exports (JSON Lines and CSV, see ../shared/FORMATS.md).

Each reader yields `ParsedChat` records one at a time, so memory does not grow with the file;
a record that breaks the format is yielded as an ingest `Problem` naming line and field, and the
caller decides whether that rejects the whole file or only that chat. Opening, decompressing,
decoding and the size limits are the ingest stack's (qa_app/ingest); this module is the chat
record validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .. import ingest
from ..ingest import CsvRows, DecodeFailure, Problem, jsonl_records
from .models import SENDERS

CSV_COLUMNS = ("chat_id", "at", "from", "agent", "customer", "order_id", "shop", "text")
DEFAULT_SHOP = "default"
MAX_ID = 128
MAX_SHORT = 64


class ParsedMessage(NamedTuple):
    # a tuple, not a dataclass: a million-chat file makes twelve million of these
    sender: str
    text: str
    at: datetime | None = None
    agent: str | None = None


@dataclass
class ParsedChat:
    line: int
    external_id: str
    shop: str
    agent: str
    messages: list[ParsedMessage]
    channel: str | None = None
    customer: str | None = None
    order_id: str | None = None
    started_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    # handed between agents: the export's flag, or what per-message agents show; None = unknown
    transferred: bool | None = None


Reject = Problem  # a chat the importer cannot take: line, field, message, the chat's id


def _reject(line: int, field_name: str, message: str, external_id: str | None = None) -> Problem:
    return Problem("", line, field_name, message, external_id)


class FormatError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def detect_format(path: str | Path) -> str:
    kind = ingest.detect_format(path)
    if kind is None:
        raise ValueError(f"{path}: unknown file type (use .jsonl, .jsonl.gz or .csv)")
    return kind


def parse_time(value, field_name: str, zone: ZoneInfo) -> datetime | None:
    """ISO 8601; a time without offset is in the shop's zone; empty means unknown."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise FormatError(field_name, f"not a time: {value!r}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FormatError(field_name, f"unparsable time {value!r} (use ISO 8601)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return _in_range(parsed, field_name, value)


# Times outside these years cannot be meant, and at the edges of datetime's range the conversion
# to UTC overflows (SQLite) or the server refuses them (PostgreSQL).
YEARS = range(1970, 9999)


def _in_range(parsed: datetime, field_name: str, value: str) -> datetime:
    if parsed.year not in YEARS:
        raise FormatError(field_name, f"time out of range {value!r} (years 1970-9998)")
    return parsed


def _text(value, field_name: str, *, required: bool = False, limit: int | None = None) -> str | None:
    if value is None or value == "":
        if required:
            raise FormatError(field_name, "required field is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise FormatError(field_name, f"expected a string, got {type(value).__name__}")
    value = str(value).strip()
    if required and not value:
        raise FormatError(field_name, "required field is empty")
    if limit and len(value) > limit:
        raise FormatError(field_name, f"longer than {limit} characters")
    _storable(value, field_name)
    return value or None


def _storable(value: str, field_name: str) -> str:
    """The text, if a database can keep it: none keeps NUL, none keeps lone surrogates (which
    JSON's \\udXXX escapes can produce), and both would fail the whole file at INSERT time."""
    if "\x00" in value:
        raise FormatError(field_name, "contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise FormatError(
                field_name, "contains characters that are not valid Unicode (unpaired surrogates)"
            ) from None
    return value


def _sender(value, field_name: str) -> str:
    if value not in SENDERS:
        raise FormatError(field_name, f"unknown sender {value!r} (customer, agent or system)")
    return value


def chat_from_json(line: int, record, zone_for) -> ParsedChat:
    if not isinstance(record, dict):  # ingest.jsonl_records lets only objects through
        raise FormatError("json", "each line must hold one JSON object")
    external_id = _text(record.get("id"), "id", required=True, limit=MAX_ID)
    shop = _text(record.get("shop"), "shop", limit=MAX_SHORT) or DEFAULT_SHOP
    zone = zone_for(shop)
    agent = _text(record.get("agent"), "agent", required=True, limit=MAX_SHORT)
    raw_messages = record.get("messages")
    if raw_messages is None:
        raise FormatError("messages", "required field is missing")
    if not isinstance(raw_messages, list) or not raw_messages:
        raise FormatError("messages", "needs a list with at least one message")
    messages = [_message_from_json(index, raw, zone, agent) for index, raw in enumerate(raw_messages)]
    tags = record.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise FormatError("tags", "expected a list of strings")
    for tag in tags:
        _storable(tag, "tags")
    transferred = record.get("transferred")
    if transferred is not None and not isinstance(transferred, bool):
        raise FormatError("transferred", "expected true or false")
    if transferred is None and any(
        isinstance(raw, dict) and raw.get("agent") and raw.get("from") == "agent" for raw in raw_messages
    ):
        transferred = handed_over(messages)
    return ParsedChat(
        line=line,
        external_id=external_id,
        shop=shop,
        agent=agent,
        messages=messages,
        channel=_text(record.get("channel"), "channel", limit=32),
        customer=_text(record.get("customer"), "customer", limit=128),
        order_id=_text(record.get("order_id"), "order_id", limit=MAX_SHORT),
        started_at=parse_time(record.get("started_at"), "started_at", zone),
        tags=[t.strip() for t in tags if t.strip()],
        transferred=transferred,
    )


def handed_over(messages) -> bool:
    """Whether the agent nickname changes between agent messages."""
    nicknames = {m.agent for m in messages if m.sender == "agent"}
    return len(nicknames) > 1


def _message_from_json(index: int, raw, zone: ZoneInfo, chat_agent: str) -> ParsedMessage:
    """One message; field names are built only for an error (this runs for every message)."""
    try:
        if not isinstance(raw, dict):
            raise FormatError("", "a message must be an object")
        sender = raw.get("from")
        if sender not in SENDERS:
            if "from" not in raw:
                raise FormatError(".from", "required field is missing")
            _sender(sender, ".from")
        text = raw.get("text")
        if not isinstance(text, str):
            raise FormatError(
                ".text", "required field is missing" if "text" not in raw else "expected a string"
            )
        _storable(text, ".text")
        at = raw.get("at")
        if at is not None:
            at = _fast_time(at, zone)
        agent = raw.get("agent")
        if agent.__class__ is str and len(agent) <= MAX_SHORT:
            agent = _storable(agent.strip(), ".agent") or None  # _text's result, fewer checks
        elif agent is not None:
            agent = _text(agent, ".agent", limit=MAX_SHORT)
    except FormatError as error:
        raise FormatError(f"messages[{index}]{error.field}", error.message) from None
    # agent messages without their own nickname were written by the chat's agent
    return ParsedMessage(sender, text, at, agent or chat_agent if sender == "agent" else agent)


def _fast_time(value, zone: ZoneInfo) -> datetime | None:
    """parse_time for a message's `at`; the usual well-formed value skips its checks."""
    if value.__class__ is str:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return parse_time(value, ".at", zone)
        if parsed.year not in YEARS:
            return parse_time(value, ".at", zone)
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)
    return parse_time(value, ".at", zone)


def read_jsonl(lines, zone_for) -> Iterator[ParsedChat | Problem]:
    try:
        yield from _read_jsonl(lines, zone_for)
    except DecodeFailure as error:
        yield _reject(error.line, error.field, error.reason)


def _read_jsonl(lines, zone_for) -> Iterator[ParsedChat | Problem]:
    for line, record in jsonl_records(lines):
        if record.__class__ is Problem:
            yield record
            continue
        try:
            yield chat_from_json(line, record, zone_for)
        except FormatError as error:
            external_id = record.get("id")
            yield _reject(
                line,
                error.field,
                error.message,
                str(external_id) if isinstance(external_id, (str, int)) else None,
            )


def read_csv(lines, zone_for) -> Iterator[ParsedChat | Problem]:
    try:
        yield from _read_csv(lines, zone_for)
    except DecodeFailure as error:
        yield _reject(error.line, error.field, error.reason)


def _read_csv(lines, zone_for) -> Iterator[ParsedChat | Problem]:
    """Rows of one chat are consecutive in exports; a chat whose rows come back later is
    reported by the importer as a duplicate id, so memory holds one chat at a time."""
    rows = CsvRows(lines)
    if rows.error:
        yield rows.error
        return
    header = rows.header
    if header is None:
        return
    missing = [c for c in ("chat_id", "from", "agent", "text") if c not in header]
    if missing:
        yield _reject(1, missing[0], f"column missing from the header (need {','.join(CSV_COLUMNS)})")
        return
    position = {name: i for i, name in enumerate(header)}
    group: list[tuple[int, dict]] = []
    for start, row in rows:
        if row.__class__ is Problem:
            yield row
            return
        values = {name: (row[i] if i < len(row) else "") for name, i in position.items()}
        if group and values["chat_id"].strip() != group[0][1]["chat_id"].strip():
            yield _chat_from_rows(group, zone_for)
            group = []
        group.append((start, values))
    if group:
        yield _chat_from_rows(group, zone_for)


def _chat_from_rows(rows: list[tuple[int, dict]], zone_for) -> ParsedChat | Problem:
    first_line, first = rows[0]
    line = first_line
    try:
        external_id = _text(first["chat_id"], "chat_id", required=True, limit=MAX_ID)
        shop = _first(rows, "shop") or DEFAULT_SHOP
        if len(shop) > MAX_SHORT:
            raise FormatError("shop", f"longer than {MAX_SHORT} characters")
        zone = zone_for(shop)
        messages = []
        for row_line, row in rows:
            line = row_line  # named in the message if this row is malformed
            sender = _sender(row["from"].strip(), "from")
            messages.append(
                ParsedMessage(
                    sender=sender,
                    text=_storable(row["text"], "text"),
                    at=parse_time(row.get("at", ""), "at", zone),
                    agent=_text(row["agent"], "agent", limit=MAX_SHORT) if sender == "agent" else None,
                )
            )
        line = first_line
        # every agent row names its agent: hand-overs are known (CSV has no transferred column)
        named = all(m.agent for m in messages if m.sender == "agent")
        agent = next((m.agent for m in messages if m.agent), None) or _first(rows, "agent")
        if not agent:
            raise FormatError("agent", "required field is missing (no row names the agent)")
        messages = _with_agent(messages, agent)
        if all(m.at is not None for m in messages):
            messages.sort(key=lambda m: m.at)  # stable: equal times keep file order
        tags = [t.strip() for t in (_first(rows, "tags") or "").replace(";", "|").split("|") if t.strip()]
        return ParsedChat(
            line=first_line,
            external_id=external_id,
            shop=shop,
            agent=agent,
            messages=messages,
            channel=_limited(rows, "channel", 32),
            customer=_limited(rows, "customer", 128),
            order_id=_limited(rows, "order_id", MAX_SHORT),
            tags=tags,
            transferred=handed_over(messages) if named else None,
        )
    except FormatError as error:
        return _reject(line, error.field, error.message, first["chat_id"].strip() or None)


def _with_agent(messages: list[ParsedMessage], agent: str) -> list[ParsedMessage]:
    """Agent messages without their own nickname were written by the chat's agent."""
    return [m._replace(agent=agent) if m.sender == "agent" and not m.agent else m for m in messages]


def _first(rows, name: str) -> str | None:
    for _line, row in rows:
        value = (row.get(name) or "").strip()
        if value:
            return _storable(value, name)
    return None


def _limited(rows, name: str, limit: int) -> str | None:
    value = _first(rows, name)
    if value and len(value) > limit:
        raise FormatError(name, f"longer than {limit} characters")
    return value


def read_chats(lines, kind: str, zone_for) -> Iterator[ParsedChat | Problem]:
    """`lines`: text lines, e.g. from ingest.Source.lines(); `zone_for(shop_slug)` gives the shop's zone
    for times written without an offset."""
    return read_csv(lines, zone_for) if kind == "csv" else read_jsonl(lines, zone_for)
