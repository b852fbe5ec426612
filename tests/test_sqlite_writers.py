"""SQLite: a request that may write takes the write lock when its transaction begins, so it never
fails with "database is locked" after another connection wrote between its read and its write
(SQLite's busy timeout does not cover that case); reading requests stay deferred."""

import threading

import pytest
import sqlalchemy as sa


@pytest.fixture
def engine(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        pytest.skip("SQLite-only by nature: PostgreSQL makes a conflicting writer wait by itself")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    yield engine
    engine.dispose()


def start_other_writer(engine, value: int):
    """Another connection (no request, so a deferred transaction) inserting `value`."""
    done, errors = threading.Event(), []

    def write():
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"INSERT INTO t VALUES ({value})")
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    return thread, done, errors


def test_a_writing_request_reads_then_writes_while_another_writer_waits(app, engine):
    with app.test_request_context(method="POST"), engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
        thread, done, errors = start_other_writer(engine, 2)
        assert not done.wait(0.5), "the other writer got in between the request's read and write"
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        connection.commit()
    thread.join(15)
    assert errors == []
    with engine.connect() as connection:
        assert [n for (n,) in connection.exec_driver_sql("SELECT n FROM t ORDER BY rowid")] == [1, 2]


def test_a_reading_request_does_not_hold_up_writers(app, engine):
    with app.test_request_context(method="GET"), engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
        thread, done, errors = start_other_writer(engine, 2)
        assert done.wait(10)
        thread.join()
    assert errors == []
