"""Bulk INSERTs for the importer, straight through the database driver.

SQLAlchemy's Core `executemany` runs every value of every row through its bind processors
(UTCDateTime, JSON): for chat imports that was most of the importer's time in the database layer.
Here the importer hands rows of already converted values to the driver: sqlite3 `executemany` on
SQLite, `COPY … FROM STDIN` on PostgreSQL. The rows go through the session's own connection, so
they belong to the import's transaction like every other statement.

Values must be stored exactly as the models' types store them: rows.storage_time() gives what
UTCDateTime writes, json.dumps what sa.JSON writes.
"""

from __future__ import annotations

import sqlalchemy as sa


class BulkWriter:
    def __init__(self, connection: sa.Connection):
        self.sqlite = connection.dialect.name == "sqlite"
        self._driver = connection.connection.dbapi_connection

    def next_ids(self, table: str, count: int) -> list[int]:
        """Ids for `count` new rows of `table`, so that child rows are built in the same pass.

        PostgreSQL takes them from the table's sequence (safe with concurrent imports). SQLite has
        no sequence: the import holds SQLite's only write lock from its first statement (BEGIN
        IMMEDIATE), so nobody else can take the ids after MAX(id) before it commits."""
        cursor = self._driver.cursor()
        try:
            if self.sqlite:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                first = cursor.fetchone()[0] + 1
                return list(range(first, first + count))
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                (count,),
            )
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.close()

    def analyze(self, table: str) -> None:
        """PostgreSQL: refresh `table`'s planner statistics inside the transaction (ANALYZE
        counts the rows this transaction wrote)."""
        cursor = self._driver.cursor()
        try:
            cursor.execute(f"ANALYZE {table}")
        finally:
            cursor.close()

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        cursor = self._driver.cursor()
        try:
            insert_rows(cursor, self.sqlite, table, columns, rows)
        finally:
            cursor.close()


def insert_rows(cursor, sqlite: bool, table: str, columns: tuple[str, ...], rows) -> None:
    """The driver's fastest bulk path: sqlite3 `executemany`, PostgreSQL `COPY … FROM STDIN`
    (also the benchmark's floor, scripts/benchlib/raw.py)."""
    if sqlite:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    else:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
