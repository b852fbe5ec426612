"""Engine settings that make SQLite behave like the production database where it matters, and
the planner statistics SQLite needs (PostgreSQL's autovacuum keeps its own)."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10000  # how long a writer waits for SQLite's write lock
#: rows of each index ANALYZE reads: ~20 ms for the whole database at a million chats, and the
#: approximate statistics still give the planner the right indexes
ANALYSIS_LIMIT = 1000
#: an import that stores this many chats refreshes the statistics
STATISTICS_AFTER_CHATS = 1000


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling breaks SAVEPOINT and transactional DDL; let SQLAlchemy
    # emit BEGIN itself (see the "begin" listener below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers don't block the writer (gunicorn workers)
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")  # bounds PRAGMA optimize below
    cursor.close()


#: requests that may write: their transactions take SQLite's write lock when they begin
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        # take the write lock when the transaction begins (execution option
        # sqlite_begin="IMMEDIATE", as imports do, or any request that may write): a deferred
        # transaction that reads and then writes fails at once with "database is locked" when
        # another connection wrote in between, and SQLite's busy timeout does not help there;
        # waiting for the lock up front does. Writers queue, as they must on SQLite anyway.
        mode = connection.get_execution_options().get("sqlite_begin", "")
        if not mode and _writing_request():
            mode = "IMMEDIATE"
        connection.exec_driver_sql(f"BEGIN {mode}" if mode in ("IMMEDIATE", "EXCLUSIVE") else "BEGIN")


def _writing_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method in WRITING_METHODS


@event.listens_for(Pool, "close")
def _sqlite_optimize(dbapi_connection, connection_record) -> None:
    """SQLite never gathers planner statistics by itself; its documentation asks every
    connection to run `PRAGMA optimize` before closing: it re-analyzes the tables this
    connection's queries used whose size changed a lot (bounded by analysis_limit)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # busy, read-only or already gone: statistics can wait for the next one
    with contextlib.suppress(sqlite3.Error):
        dbapi_connection.execute("PRAGMA optimize")


def has_statistics(connection: sa.Connection, table: str) -> bool:
    """Whether SQLite has planner statistics for `table` (always True on PostgreSQL)."""
    if connection.dialect.name != "sqlite":
        return True
    if (
        connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
        is None
    ):
        return False
    return (
        connection.exec_driver_sql("SELECT 1 FROM sqlite_stat1 WHERE tbl = ?", (table,)).first() is not None
    )


def refresh_statistics(engine: Engine, *, changed_rows: int, table: str) -> bool:
    """After a bulk write of `changed_rows` rows into `table`: on SQLite, gather the planner
    statistics (ANALYZE, bounded by analysis_limit) when the write was large or the table has
    none yet. Without them SQLite plans some pages 10x slower at a million chats (see
    docs/operations.md). Never on PostgreSQL. Returns whether ANALYZE ran; failures (another
    writer holding the lock) are logged, not raised: the data is already committed."""
    if engine.dialect.name != "sqlite":
        return False
    try:
        with engine.begin() as connection:
            if changed_rows < STATISTICS_AFTER_CHATS and has_statistics(connection, table):
                return False
            connection.exec_driver_sql("ANALYZE")  # bounded: analysis_limit is set on connect
        return True
    except sa.exc.OperationalError as error:
        log.warning("planner statistics not refreshed: %s", error)
        return False


@contextmanager
def impatient_on_sqlite(connection: sa.Connection, milliseconds: int = 100) -> Iterator[None]:
    """SQLite: wait at most `milliseconds` for the write lock inside the block (best-effort
    writes that must not queue behind an import), then BUSY_TIMEOUT_MS again. Set on the driver's
    connection, so it is restored even after a failed statement: a pooled connection left
    impatient would fail the next writer that must wait. Nothing on PostgreSQL."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.dbapi_connection
    driver.execute(f"PRAGMA busy_timeout = {milliseconds}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def upsert_for(dialect: str):
    """The dialect's `insert`, which has on_conflict_do_update (PostgreSQL and SQLite)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


# PostgreSQL: serialization failure, deadlock detected, lock not available
_RACE_SQLSTATES = {"40001", "40P01", "55P03"}


def lost_race(error: BaseException, dbapi) -> bool:
    """Whether a database error says another transaction got there first (a unique key it
    committed, a lock it held, SQLite's write lock) rather than that something is wrong (a
    missing table, a bad value). `dbapi`: the driver module, whose own errors bulk writes through
    the driver's cursor raise unwrapped."""
    orig = getattr(error, "orig", None) or error
    if isinstance(error, sa.exc.IntegrityError) or isinstance(orig, dbapi.IntegrityError):
        return _duplicate_key(orig)
    if getattr(orig, "sqlstate", None) in _RACE_SQLSTATES:
        return True
    message = str(orig).lower()
    return isinstance(orig, dbapi.OperationalError) and ("locked" in message or "busy" in message)


def _duplicate_key(orig) -> bool:
    """Only a unique key is a race: a foreign key, NOT NULL or CHECK refusal is the data's
    fault and fails the same way however often it is tried."""
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == "23505"
    message = str(orig).lower()
    return "unique constraint" in message or "duplicate key" in message


def has_unsaved_writes(session) -> bool:
    """Whether the session's transaction holds writes: pending objects or flushed statements."""
    return bool(session.new or session.dirty or session.deleted or session.info.get(_FLUSHED))


_FLUSHED = "qa_app.flushed"


@event.listens_for(orm.Session, "after_flush")
def _remember_flush(session, _context) -> None:
    session.info[_FLUSHED] = True


@event.listens_for(orm.Session, "after_commit")
@event.listens_for(orm.Session, "after_rollback")
def _forget_flush(session) -> None:
    session.info.pop(_FLUSHED, None)


def in_one_transaction(attempt: Callable, *, attempts: int = 3, pause: float = 0.2):
    """Run `attempt()` as one transaction of the session and commit it; on SQLite the
    transaction takes the write lock at BEGIN, so a concurrent writer is waited for instead of
    failing a read-then-write. When it loses a race with a concurrent transaction (lost_race)
    it is rolled back and run again, up to `attempts` times in all; then the error is raised.
    Any other error is raised at once, after the rollback. A session that already holds writes
    is the caller's unit of work: the attempt runs inside it, once, and the caller commits."""
    from .extensions import db

    if has_unsaved_writes(db.session):
        # The caller's unit of work is under way: committing it here would split it in two, so the
        # attempt joins it (its writes already hold SQLite's write lock) and the caller commits.
        return attempt()
    dbapi = db.engine.dialect.loaded_dbapi
    for number in range(1, attempts + 1):
        db.session.rollback()  # ends a read transaction (nothing written): the attempt begins its own
        try:
            db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            result = attempt()
            db.session.commit()  # own transaction: the attempt is retried whole, so it commits whole
            return result
        except BaseException as error:
            db.session.rollback()
            if number == attempts or not lost_race(error, dbapi):
                raise
            log.info(
                "lost a race with a concurrent transaction (%s); trying again",
                str(getattr(error, "orig", None) or error).splitlines()[0],
            )
            time.sleep(pause * number)
    raise AssertionError("unreachable: the last attempt returns or raises")
