"""The floor for chat imports: the same rows the importer stores (chats, messages, per-agent
shares, nine check rows per chat), written with the database driver's fastest bulk path and no
validation, no checks, no SQLAlchemy: sqlite3 `executemany`, PostgreSQL `COPY`.

Only the time spent in the database calls is counted (reading and decoding the file is the
importer's work, not the floor's).
"""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from qa_app.chats.bulk import insert_rows
from qa_app.chats.writer import CHAT_COLUMNS, CHECK_COLUMNS, MESSAGE_COLUMNS, SHARE_COLUMNS

CHECKS = (
    "first_response_time",
    "longest_wait",
    "average_response_time",
    "greeting",
    "closing",
    "forbidden_phrases",
    "unanswered_end",
    "transfers",
    "negative_ending",
)


def _rows(
    path: Path,
    shop_id: int,
    agents: dict[str, int],
    first_id: int,
    batch: int,
    skip: int = 0,
    limit: int | None = None,
    limit_seconds: float = 300,
):
    """Batches of (chats, messages, shares, checks) row tuples with aware UTC datetimes.

    The first-response time is measured as the importer does for these generated chats (first
    customer message to the next agent message), so evaluations read realistic pass/fail counts;
    the other checks are stored as passed."""
    now = datetime.now(UTC)
    chat_id = first_id
    chats, messages, shares, checks = [], [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number < skip:
                continue
            if limit is not None and number >= skip + limit:
                break
            record = json.loads(line)
            times = []
            per_agent: dict[str, list] = {}
            for position, m in enumerate(record["messages"]):
                at = datetime.fromisoformat(m["at"]).astimezone(UTC) if m.get("at") else None
                times.append(at)
                nick = m.get("agent") or (record["agent"] if m["from"] == "agent" else None)
                messages.append((chat_id, position, at, m["from"], nick, m["text"]))
                if m["from"] == "agent":
                    share = per_agent.setdefault(nick, [0, 0, position])
                    share[0] += 1
                    share[1] += len(m["text"])
            known = [t for t in times if t is not None]
            first_response = None
            senders = [m["from"] for m in record["messages"]]
            if "customer" in senders and "agent" in senders[senders.index("customer") :]:
                asked = senders.index("customer")
                answered = senders.index("agent", asked)
                if times[asked] and times[answered]:
                    first_response = (times[answered] - times[asked]).total_seconds()
            slow = first_response is not None and first_response > limit_seconds
            chats.append(
                (
                    chat_id,
                    shop_id,
                    record["id"],
                    record.get("channel"),
                    record.get("customer"),
                    record.get("order_id"),
                    record["agent"],
                    agents.get(record["agent"]),
                    min(known) if known else None,
                    max(known) if known else None,
                    "[]",
                    len(record["messages"]),
                    first_response,
                    int(slow),
                    None,
                    now,
                    record.get("transferred"),
                )
            )
            for nick, (count, chars, first) in per_agent.items():
                shares.append((chat_id, nick, agents.get(nick), count, chars, None, first))
            checks.extend(
                (
                    chat_id,
                    name,
                    "fail" if slow and name == "first_response_time" else "pass",
                    first_response if name == "first_response_time" else None,
                    None,
                    None,
                    now,
                )
                for name in CHECKS
            )
            chat_id += 1
            if len(chats) >= batch:
                yield chats, messages, shares, checks
                chats, messages, shares, checks = [], [], [], []
    if chats:
        yield chats, messages, shares, checks


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return value


def insert(
    engine,
    path: Path,
    *,
    shop_id: int,
    agents: dict[str, int],
    batch: int = 1000,
    skip: int = 0,
    limit: int | None = None,
) -> dict:
    """Insert the chats of `path` (after the first `skip`, at most `limit`); returns
    {"chats": n, "seconds": time in database calls}."""
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        cursor = connection.cursor()
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM chats")
        first_id = cursor.fetchone()[0] + 1
        spent, count = 0.0, 0
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            cursor.execute("BEGIN")
        tables = (
            ("chats", CHAT_COLUMNS),
            ("chat_messages", MESSAGE_COLUMNS),
            ("chat_agents", SHARE_COLUMNS),
            ("check_results", CHECK_COLUMNS),
        )
        for rows in _rows(path, shop_id, agents, first_id, batch, skip, limit):
            if sqlite:
                rows = [[tuple(_sqlite_value(v) for v in row) for row in table] for table in rows]
            started = time.perf_counter()
            for (table, columns), data in zip(tables, rows, strict=True):
                insert_rows(cursor, sqlite, table, columns, data)
            spent += time.perf_counter() - started
            count += len(rows[0])
        started = time.perf_counter()
        if sqlite:
            cursor.execute("COMMIT")
        else:
            connection.commit()
        spent += time.perf_counter() - started
        return {"chats": count, "seconds": spent}
    finally:
        raw.close()
