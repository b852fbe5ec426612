"""Counting the SQL statements a piece of code sends (SQLAlchemy's before_cursor_execute)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from qa_app.extensions import db as _db


@contextmanager
def counted():
    """Yields the list of statements sent to the app's engine while the block runs."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", listener)
