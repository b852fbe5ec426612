"""Which evaluation inputs changed: input stamps written with every change, read per request.

An evaluation reads chats, their first-response check, QA scores, reviews, quiz attempts,
assignments, learning paths and shops (sources.py). Rather than asking every domain to announce
its writes, the session is watched: whatever reaches the database through `db.session` — unit of
work objects, Core bulk inserts, UPDATE/DELETE statements — marks the (agent, UTC day) of each
row it touches, before and after the change; at commit the marks become +1 on the `InputStamp`
rows of those agents' UTC months and weeks, in the writer's transaction, one sorted upsert (no
lock-order deadlocks).
When a write cannot be placed (an UPDATE without WHERE, an INSERT … SELECT, an unloaded row),
it marks more, never less: the agent's every day, or everyone.

A reader sums the stamps covering (agent, period) — see `inputs_of` — and compares the sum with
the one a cached value was computed from. Writes that bypass the session are not seen: the chats
importer's bulk writer sends `signals.chats_written` for its chats; anything else (psql, scripts)
must call `mark_everything()` / `chats_changed()` in its transaction, or empty the cache table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy import event

from ..database import upsert_for
from .models import InputStamp
from .periods import Period

EVERYONE = 0
ANY_DAY = date(1970, 1, 1)
_MARKS = "evaluation_input_marks"
_CHATS = "evaluation_input_chats"
_CHUNK = 500


@dataclass(frozen=True)
class Watched:
    agent: str | None  # column naming the agent; None: a change concerns every agent
    time: str | None  # column placing the row in a period; None: every period of the agent


# Filled by `declare_inputs` from the models: each domain declares its own inputs on the model
# (`__evaluation_input__ = (agent column, time column)`, or `__evaluation_input_via_chat__ =
# "chat_id"` for rows placed through their chat), so that this module names no other domain's table.
WATCHED: dict[str, Watched] = {}
#: placed through their chat
CHAT_CHILDREN: dict[str, str] = {}


def declare_inputs(registry) -> None:
    """Read the declared inputs of every mapped class (idempotent)."""
    for mapper in registry.mappers:
        cls, name = mapper.class_, mapper.local_table.name
        if "__evaluation_input__" in cls.__dict__:
            WATCHED[name] = Watched(*cls.__evaluation_input__)
        if "__evaluation_input_via_chat__" in cls.__dict__:
            CHAT_CHILDREN[name] = cls.__evaluation_input_via_chat__


def _day(value) -> date | None:
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC from raw selects
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).date()


def _marks(session) -> set[tuple[int, date]]:
    return session.info.setdefault(_MARKS, set())


def _chat_ids(session) -> set[int]:
    return session.info.setdefault(_CHATS, set())


def _mark(session, agents: Iterable, times: Iterable | None) -> None:
    """Mark every (agent, day) pair; an unknown agent marks everyone, an unknown time every day."""
    agents = list(agents)
    days = None if times is None else [_day(t) for t in times]
    marks = _marks(session)
    if not agents:
        marks.add((EVERYONE, ANY_DAY))
        return
    for agent in agents:
        if agent is None:
            continue  # a row of no agent is in nobody's evaluation
        if days is None or not days:
            marks.add((int(agent), ANY_DAY))
        else:
            marks.update((int(agent), day) for day in days if day is not None)


def mark_everything(session) -> None:
    """For a write the watch cannot see: every cached evaluation is recomputed after commit."""
    _marks(session).add((EVERYONE, ANY_DAY))


def chats_changed(session, chat_ids: Iterable[int]) -> None:
    """For chats written past the session (the importer's bulk writer sends `chats_written` per
    batch): placed at once through their rows, so that a million-chat import keeps a few
    thousand (agent, day) marks in memory, not a million ids."""
    _chat_marks(session, set(chat_ids))


def has_unwritten_changes(session) -> bool:
    """Whether this session changed inputs it has not committed: its view of the data is then
    its own, and must neither read nor fill the shared cache."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return bool(session.info.get(_MARKS) or session.info.get(_CHATS))


# --- unit of work ---------------------------------------------------------------------------
# Rows changed through objects are read back by primary key before the flush (the old agent and
# date, still in the database) and after it (the new ones): an expired object does not know its
# old values, and an attribute set by a column default is only known to the database.


def _watched_ids(objects) -> dict:
    found: dict = {}
    for obj in objects:
        table = getattr(type(obj), "__table__", None)
        name = getattr(table, "name", None)
        if name in WATCHED or name in CHAT_CHILDREN:
            state = sa.inspect(obj)
            # new objects get their identity only once the flush is over; their key is set
            key = state.identity or tuple(state.mapper.primary_key_from_instance(obj))
            found.setdefault(table, set()).add(key if key and None not in key else None)
    return found


def _mark_objects(session, objects) -> None:
    for table, identities in _watched_ids(objects).items():
        watched = WATCHED.get(table.name)
        if watched is not None and watched.agent is None:
            mark_everything(session)
            continue
        ids = sorted(identity[0] for identity in identities if identity)
        if len(ids) < len(identities):
            mark_everything(session)  # no primary key to read it back by
        for start in range(0, len(ids), _CHUNK):
            _mark_rows(
                session, table, _keys_where(session, table, table.c.id.in_(ids[start : start + _CHUNK]))
            )


def _before_flush(session, _context, _instances) -> None:
    changed = [o for o in session.dirty if session.is_modified(o)]
    _mark_objects(session, [*changed, *session.deleted])


def _after_flush(session, _context) -> None:
    changed = [o for o in session.dirty if session.is_modified(o)]
    _mark_objects(session, [*session.new, *changed])


# --- statements (bulk inserts, UPDATE and DELETE) -------------------------------------------


def _rows(parameters) -> list[dict]:
    if isinstance(parameters, dict):
        return [parameters]
    return [p for p in parameters or () if isinstance(p, dict)]


def _keys_where(session, table, where) -> list[tuple]:
    """(id, agent, time) of the rows a statement's WHERE selects, read before it runs."""
    watched = WATCHED.get(table.name)
    columns = [table.c.id]
    if watched is None:  # a chat child: place it through its chat
        columns.append(table.c[CHAT_CHILDREN[table.name]])
    else:
        columns.append(table.c[watched.agent])
        columns.append(table.c[watched.time] if watched.time else sa.null())
    return list(session.connection().execute(sa.select(*columns).where(where)))


def _mark_rows(session, table, rows: list[tuple]) -> None:
    if table.name in CHAT_CHILDREN:
        _chat_ids(session).update(row[1] for row in rows if row[1] is not None)
        return
    watched = WATCHED[table.name]
    for _id, agent, when in rows:
        _mark(session, [agent], [when] if watched.time else None)


def _on_statement(state: so.ORMExecuteState):
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name not in WATCHED and name not in CHAT_CHILDREN:
        return None
    session = state.session
    watched = WATCHED.get(name)
    if watched is not None and watched.agent is None:
        mark_everything(session)
        return None
    if state.is_insert:
        rows = _rows(state.parameters)
        if (
            not rows
            or getattr(state.statement, "_values", None)
            or getattr(state.statement, "select", None) is not None
        ):
            mark_everything(session)  # values inline or from a SELECT: not placed here
            return None
        if name in CHAT_CHILDREN:
            column = CHAT_CHILDREN[name]
            if any(column not in row for row in rows):
                mark_everything(session)
            else:
                _chat_ids(session).update(row[column] for row in rows if row[column] is not None)
            return None
        for row in rows:
            if watched.agent not in row:
                mark_everything(session)
                return None
            # without its date (a column default fills it) the row may be in any period
            _mark(
                session,
                [row[watched.agent]],
                [row[watched.time]] if watched.time and watched.time in row else None,
            )
        return None
    where = state.statement.whereclause
    if where is None:
        mark_everything(session)
        return None
    before = _keys_where(session, table, where)
    _mark_rows(session, table, before)
    result = state.invoke_statement()
    if state.is_update and before:
        ids = [row[0] for row in before]
        for start in range(0, len(ids), _CHUNK):
            _mark_rows(
                session, table, _keys_where(session, table, table.c.id.in_(ids[start : start + _CHUNK]))
            )
    return result


# --- commit ---------------------------------------------------------------------------------


def _chat_marks(session, chat_ids: set[int]) -> None:
    from ..chats.models import Chat

    ids = sorted(chat_ids)
    for start in range(0, len(ids), _CHUNK):
        for agent, started in session.connection().execute(
            sa.select(Chat.__table__.c.agent_id, Chat.__table__.c.started_at).where(
                Chat.__table__.c.id.in_(ids[start : start + _CHUNK])
            )
        ):
            _mark(session, [agent], [started])


def _before_commit(session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    chat_ids = session.info.pop(_CHATS, None)
    if chat_ids:
        _chat_marks(session, chat_ids)
    marks = session.info.pop(_MARKS, None)
    if not marks:
        return
    connection = session.connection()
    table = InputStamp.__table__
    insert = upsert_for(connection.dialect.name)
    stamps = sorted({(agent, bucket) for agent, day in marks for bucket in buckets_of(day)})
    rows = [{"agent_id": agent, "bucket": bucket, "version": 1} for agent, bucket in stamps]
    for start in range(0, len(rows), _CHUNK):
        stmt = insert(table).values(rows[start : start + _CHUNK])
        connection.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.agent_id, table.c.bucket], set_={"version": table.c.version + 1}
            )
        )


def _forget(session, *_args) -> None:
    session.info.pop(_MARKS, None)
    session.info.pop(_CHATS, None)


def watch() -> None:
    """Watch the application's sessions, `db.session`, and no other (idempotent)."""
    from ..extensions import db

    declare_inputs(db.Model.registry)
    for name, fn in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_statement),
        ("before_commit", _before_commit),
        ("after_rollback", _forget),
        ("after_commit", _forget),
    ):
        if not event.contains(db.session, name, fn):
            event.listen(db.session, name, fn)


# --- reading --------------------------------------------------------------------------------

ANY = "*"


def buckets_of(day: date) -> tuple[str, ...]:
    """The stamps a change on a UTC day raises: its month's and its ISO week's (or ANY)."""
    if day == ANY_DAY:
        return (ANY,)
    year, week, _ = day.isocalendar()
    return (f"{day.year}-{day.month:02d}", f"{year}-W{week:02d}")


def utc_days(period: Period) -> tuple[date, date]:
    """The UTC days a period touches (its local bounds rarely fall on UTC midnight)."""
    return _day(period.start), _day(period.end - timedelta(microseconds=1))


def buckets_covering(period: Period) -> set[str]:
    """The stamps whose sum versions a period: the UTC weeks (for a week) or months (for a month
    or a quarter) it overlaps — a superset of its days, so a change is never missed; one at the
    edge of a neighbouring period only costs that period a recomputation."""
    first, last = utc_days(period)
    index, step = (1, 7) if period.kind == "week" else (0, 28)  # no week or month is shorter
    found, day = {ANY, buckets_of(last)[index]}, first
    while day <= last:
        found.add(buckets_of(day)[index])
        day += timedelta(days=step)
    return found


def inputs_of(session, agent_ids: Iterable[int], span: list[Period]) -> dict[tuple[int, str], int]:
    """(agent, period key) → sum of the stamps covering it, one query for all agents and periods.

    The sum includes the everyone-stamps; it only grows, and grows whenever an input of that
    agent and period is committed."""
    ids = sorted({int(i) for i in agent_ids})
    if not ids or not span:
        return {}
    table = InputStamp.__table__
    wanted = {p.key: buckets_covering(p) for p in span}
    versions: dict[int, dict[str, int]] = {}
    for agent, bucket, version in session.execute(
        sa.select(table.c.agent_id, table.c.bucket, table.c.version).where(
            table.c.agent_id.in_([EVERYONE, *ids]), table.c.bucket.in_(sorted(set().union(*wanted.values())))
        )
    ):
        versions.setdefault(agent, {})[bucket] = version
    everyone = versions.get(EVERYONE, {})
    return {
        (agent, key): sum(versions.get(agent, {}).get(b, 0) + everyone.get(b, 0) for b in buckets)
        for agent in ids
        for key, buckets in wanted.items()
    }
