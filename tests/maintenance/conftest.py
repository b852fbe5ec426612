import pytest


@pytest.fixture(autouse=True)
def _sqlite_only(request):
    """Backup and restore copy an SQLite file; on PostgreSQL the commands only point to pg_dump."""
    if "database_url" in request.fixturenames and request.getfixturevalue("database_url").startswith(
        "postgresql"
    ):
        pytest.skip(
            "SQLite-only by nature: on PostgreSQL backups are made with "
            "pg_dump/pg_restore (docs/operations.md)"
        )
