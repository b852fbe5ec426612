"""Maintenance: backup and restore of the SQLite database (PostgreSQL uses pg_dump/pg_restore)."""
