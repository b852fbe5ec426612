"""SQLite planner statistics: gathered after imports and when connections close; PostgreSQL
keeps its own (autovacuum)."""

import pytest
import sqlalchemy as sa

from qa_app import database
from qa_app.extensions import db as _db

from .factories import chat_record


@pytest.fixture
def sqlite_only(database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("SQLite-only by nature: PostgreSQL's autovacuum gathers statistics itself")


def analyzed_tables() -> set[str]:
    with _db.engine.connect() as connection:
        if (
            connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
            is None
        ):
            return set()
        return {tbl for (tbl,) in connection.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1")}


def forget_statistics() -> None:
    with _db.engine.begin() as connection:
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
            connection.exec_driver_sql("DELETE FROM sqlite_stat1")


def test_an_import_leaves_planner_statistics_on_sqlite(sqlite_only, import_records):
    forget_statistics()
    import_records([chat_record(), chat_record()])
    assert {"chats", "chat_messages", "check_results", "chat_agents"} <= analyzed_tables()


def test_a_small_import_keeps_the_existing_statistics(sqlite_only, import_records):
    import_records([chat_record()])
    assert not database.refresh_statistics(_db.engine, changed_rows=10, table="chats")


def test_a_large_import_refreshes_the_statistics(sqlite_only, import_records):
    import_records([chat_record()])
    assert database.refresh_statistics(
        _db.engine, changed_rows=database.STATISTICS_AFTER_CHATS, table="chats"
    )


def test_postgresql_statistics_are_left_to_autovacuum(database_url, db):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL-only: SQLite is covered by the tests above")
    assert not database.refresh_statistics(db.engine, changed_rows=10**6, table="chats")


def test_closing_an_sqlite_connection_analyzes_the_tables_it_queried(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)")
        connection.exec_driver_sql("CREATE INDEX ix_t_a ON t (a)")
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            "WHERE i < 5000) INSERT INTO t (a) SELECT i % 10 FROM n"
        )
        connection.exec_driver_sql("SELECT count(*) FROM t WHERE a = 3").all()
    engine.dispose()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT tbl, idx FROM sqlite_stat1").all() == [("t", "ix_t_a")]
    engine.dispose()


def analyze_calls(monkeypatch) -> list[str]:
    from qa_app.chats import bulk, writer

    calls: list[str] = []
    real = bulk.BulkWriter.analyze
    monkeypatch.setattr(writer, "BATCH", 10)
    monkeypatch.setattr(
        bulk.BulkWriter, "analyze", lambda self, table: calls.append(table) or real(self, table)
    )
    return calls


def test_a_large_import_refreshes_postgresql_statistics_as_it_grows(
    database_url, monkeypatch, import_records
):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL-only: SQLite probes the unique index whatever its statistics say")
    calls = analyze_calls(monkeypatch)
    summary = import_records([chat_record() for _ in range(50)])
    # at 10 and 40 chats written (batches of 10 here): the estimate stays within 4x of the truth
    assert (summary.imported, calls) == (50, ["chats", "chats"])


def test_sqlite_imports_never_analyze_inside_the_import(sqlite_only, monkeypatch, import_records):
    calls = analyze_calls(monkeypatch)
    assert import_records([chat_record() for _ in range(50)]).imported == 50
    assert calls == []
