"""A parsed chat turned into the plain values the importer stores: checks run, times in the
form the database stores, per-agent shares counted. Only the database ids are missing.

Plain tuples of strings and numbers, so that a reading process (worker.py) can hand them over
cheaply; the importer builds the same thing in-process for small files.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import NamedTuple

from . import checks as autochecks
from .parsing import ParsedChat


class PreparedChat(NamedTuple):
    line: int
    shop: str
    external_id: str
    agent: str
    head: tuple  # channel, customer, order_id
    tail: tuple  # started_at, ended_at, tags, message_count, first_response_seconds, failed_checks
    messages: list  # (position, at, sender, agent_nickname, text)
    shares: list  # (nickname, message_count, characters, seconds, first_position)
    checks: list  # (check_name, result, value, evidence_position, evidence)
    transferred: bool | None = None


def storage_time(value: datetime | None, sqlite: bool) -> str | None:
    """An aware datetime as text the column takes: naive UTC in SQLAlchemy's SQLite format (so
    comparisons with its bound values hold); ISO 8601 with offset for PostgreSQL's timestamptz."""
    if value is None:
        return None
    if sqlite:
        return value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]  # without "+00:00"
    return value.isoformat()


def prepare(chat: ParsedChat, rules: autochecks.Rules, sqlite: bool) -> PreparedChat:
    results = autochecks.run_all(chat.messages, rules, chat.transferred)
    messages = [
        (position, storage_time(at, sqlite) if at is not None else None, sender, nickname, text)
        for position, (sender, text, at, nickname) in enumerate(chat.messages)
    ]
    times = [m.at for m in chat.messages if m.at is not None]
    first_response = results[0]
    return PreparedChat(
        chat.line,
        chat.shop,
        chat.external_id,
        chat.agent,
        (chat.channel, chat.customer, chat.order_id),
        (
            storage_time(chat.started_at or (min(times) if times else None), sqlite),
            storage_time(max(times) if times else None, sqlite),
            json.dumps(chat.tags) if chat.tags else "[]",
            len(messages),
            first_response.value if first_response.result != "not_measurable" else None,
            [r.result for r in results].count("fail"),
        ),
        messages,
        shares(chat.messages),
        [tuple(outcome) for outcome in results],
        chat.transferred,
    )


def shares(messages) -> list[tuple]:
    """Per agent nickname: (nickname, messages, characters, seconds between their first and last
    message or None without times, position of their first message)."""
    found: dict[str, list] = {}
    for position, (sender, text, at, nickname) in enumerate(messages):
        if sender == "agent":
            share = found.get(nickname)
            if share is None:
                share = found[nickname] = [0, 0, [], position]
            share[0] += 1
            share[1] += len(text)
            if at is not None:
                share[2].append(at)
    return [
        (nickname, count, characters, (max(times) - min(times)).total_seconds() if times else None, first)
        for nickname, (count, characters, times, first) in found.items()
    ]
