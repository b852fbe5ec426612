"""`flask backup create [PATH]` and `flask backup restore PATH --yes` (SQLite only)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from . import services

POSTGRESQL_ADVICE = "The database is PostgreSQL: use pg_dump and pg_restore instead (see docs/operations.md)."


@click.group(help="Backup and restore of the SQLite database.")
def cli():
    pass


cli.name = "backup"


def _sqlite_file() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        click.echo(
            POSTGRESQL_ADVICE
            if url.get_backend_name() == "postgresql"
            else f"backup: unsupported database {url.get_backend_name()}",
            err=True,
        )
        sys.exit(2)
    if not url.database or url.database == ":memory:":
        click.echo("backup: the database is in memory: nothing to back up", err=True)
        sys.exit(2)
    return Path(url.database)


def _heads() -> tuple[str, ...]:
    config = current_app.extensions["migrate"].migrate.get_config()
    return tuple(ScriptDirectory.from_config(config).get_heads())


def _fail(error: services.MaintenanceError) -> None:
    click.echo(f"backup: {error}", err=True)
    sys.exit(1)


@cli.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def create(path: Path | None):
    """Copy the live database to PATH (default instance/backups/qa_app-<UTC time>.sqlite3).

    Safe while the application runs: uses SQLite's online backup API.
    """
    database = _sqlite_file()
    target = path or services.default_backup_path(Path(current_app.instance_path))
    try:
        written = services.create_backup(database, target)
    except services.MaintenanceError as error:
        _fail(error)
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes)")


@cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--yes", is_flag=True, help="Really replace the database (it is kept as <database>.before-restore)."
)
@with_appcontext
def restore(path: Path, yes: bool):
    """Replace the live database with the backup at PATH, after checking it."""
    database = _sqlite_file()
    heads = _heads()
    try:
        info = services.inspect_backup(path, heads)
    except services.MaintenanceError as error:
        _fail(error)
    if not yes:
        click.echo(
            f"{path} is a valid backup (revision {info.revision}). Restoring replaces "
            f"every row of {database}; run again with --yes to do it.",
            err=True,
        )
        sys.exit(2)
    # Our own pooled connections must not hold a snapshot of the old data.
    db.session.remove()
    db.engine.dispose()
    try:
        services.restore_backup(path, database, heads)
    except services.MaintenanceError as error:
        _fail(error)
    click.echo(
        f"Restored {path} into {database}; the previous database is in "
        f"{database}{services.BEFORE_RESTORE_SUFFIX}"
    )
