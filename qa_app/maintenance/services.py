"""Backup and restore of an SQLite database file, safe while the application is running.

Both directions use SQLite's online backup API (`sqlite3.Connection.backup`): it copies a
consistent snapshot page by page, never a half-written file, and readers and writers of the live
database keep working (WAL mode). Restoring writes the backup *into* the live database through the
same API, so every process sees the restored data at its next transaction; nothing is swapped
underneath open connections and no stale `-wal` file can be replayed over the restored pages.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
BEFORE_RESTORE_SUFFIX = ".before-restore"


class MaintenanceError(Exception):
    """The operation was refused; the message says why and is meant for the operator."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str
    tables: int


def default_backup_path(instance_dir: Path, now: datetime | None = None) -> Path:
    """instance/backups/qa_app-<UTC timestamp>.sqlite3"""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(instance_dir) / "backups" / f"qa_app-{stamp}.sqlite3"


def create_backup(database: Path, target: Path) -> Path:
    """Copy the live database at `database` into a new file `target` (refused if it exists).

    The copy is written beside the target and renamed into place once complete, so a backup file
    that exists is always whole. It is left in rollback-journal mode: one self-contained file.
    """
    database, target = Path(database), Path(target)
    if not database.is_file():
        raise MaintenanceError(f"{database}: no such database file")
    if target.exists():
        raise MaintenanceError(f"{target}: exists already; choose another path")
    if target.resolve() == database.resolve():
        raise MaintenanceError(f"{target}: is the live database")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(database, partial)
        os.replace(partial, target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise MaintenanceError(f"{database}: backup failed: {error}") from error
    return target


def inspect_backup(path: Path, heads: tuple[str, ...]) -> BackupInfo:
    """Check that `path` is an intact SQLite database whose schema is at a migration head."""
    path = Path(path)
    if not path.is_file():
        raise MaintenanceError(f"{path}: no such file")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise MaintenanceError(f"{path}: not an SQLite database")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise MaintenanceError(f"{path}: damaged database: {check}")
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "alembic_version" not in tables:
                raise MaintenanceError(f"{path}: no alembic_version table: not a backup of this application")
            revisions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise MaintenanceError(f"{path}: unreadable SQLite database: {error}") from error
    if len(revisions) != 1 or revisions[0] not in heads:
        found = ", ".join(revisions) or "none"
        raise MaintenanceError(
            f"{path}: schema revision {found} is not the current head ({', '.join(heads)}); "
            "restore it into a copy of the matching release and run `flask db upgrade` there first"
        )
    return BackupInfo(path, revisions[0], len(tables))


def restore_backup(backup: Path, database: Path, heads: tuple[str, ...]) -> BackupInfo:
    """Replace the contents of `database` with the verified `backup`.

    The previous contents are kept in `<database>.before-restore` (replacing an older one).
    """
    info = inspect_backup(backup, heads)
    database = Path(database)
    if database.exists() and Path(backup).resolve() == database.resolve():
        raise MaintenanceError(f"{backup}: is the live database")
    try:
        if database.exists():
            previous = database.with_name(database.name + BEFORE_RESTORE_SUFFIX)
            partial = previous.with_name(previous.name + ".partial")
            partial.unlink(missing_ok=True)
            _copy(database, partial)
            os.replace(partial, previous)
        database.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"{Path(backup).resolve().as_uri()}?mode=ro", uri=True)
        destination = sqlite3.connect(database, timeout=30)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
    except sqlite3.Error as error:
        raise MaintenanceError(f"{database}: restore failed: {error}") from error
    return info


def _copy(source_path: Path, target_path: Path) -> None:
    source = sqlite3.connect(f"{Path(source_path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        source.close()
        target.close()
