"""`flask backup create` / `flask backup restore` on the SQLite database the app is using."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from qa_app import create_app
from qa_app.maintenance.services import default_backup_path

from ..conftest import TEST_CONFIG
from ..factories import make_shop, make_team, make_user


@pytest.fixture
def live_db(app):
    path = Path(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    yield path
    path.with_name(path.name + ".before-restore").unlink(missing_ok=True)


@pytest.fixture
def organisation(db):
    lead = make_user(roles=("lead",), display_name="李主管")
    team = make_team(lead=lead, name="售前一组")
    make_user(roles=("agent",), team=team, nickname="小美")
    make_shop(name="京东自营店")
    return team


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, read by a fresh connection (sees what is committed)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names
        }
    finally:
        connection.close()


def test_backup_while_another_connection_holds_a_write_transaction(runner, live_db, organisation, tmp_path):
    committed = snapshot(live_db)
    writer = sqlite3.connect(live_db, isolation_level=None, timeout=1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO shops (slug, name, platform, timezone, "
            "first_response_limit_seconds, forbidden_phrases) "
            "VALUES ('uncommitted', 'Half-made', 'jd', 'UTC', 60, '')"
        )
        result = runner.invoke(args=["backup", "create", str(tmp_path / "b.sqlite3")])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path / "b.sqlite3") == committed


def test_backup_is_one_self_contained_file(runner, live_db, organisation, tmp_path):
    target = tmp_path / "b.sqlite3"
    runner.invoke(args=["backup", "create", str(target)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sqlite3"]
    connection = sqlite3.connect(target)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


def test_backup_refuses_to_overwrite_an_existing_file(runner, db, tmp_path):
    target = tmp_path / "b.sqlite3"
    target.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", "create", str(target)])
    assert result.exit_code == 1
    assert target.read_bytes() == b"keep me"


def test_default_backup_path_is_under_instance_backups_with_a_utc_timestamp(tmp_path):
    shanghai_morning = datetime(2026, 11, 23, 8, 37, 9, tzinfo=UTC)
    assert default_backup_path(tmp_path, shanghai_morning) == (
        tmp_path / "backups" / "qa_app-20261123T083709Z.sqlite3"
    )


def test_restore_brings_back_every_table_row_for_row(runner, live_db, organisation, tmp_path):
    before = snapshot(live_db)
    runner.invoke(args=["backup", "create", str(tmp_path / "b.sqlite3")])
    make_user(roles=("qa",))
    make_team(name="Later team")
    writer = sqlite3.connect(live_db, isolation_level=None)
    writer.execute("UPDATE users SET display_name = 'changed'")
    writer.close()
    assert snapshot(live_db) != before

    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.sqlite3"), "--yes"])

    assert result.exit_code == 0, result.output
    assert snapshot(live_db) == before


def test_restore_keeps_the_previous_database_beside_it(runner, live_db, organisation, tmp_path):
    runner.invoke(args=["backup", "create", str(tmp_path / "b.sqlite3")])
    make_user(username="added-after-backup")
    replaced = snapshot(live_db)
    runner.invoke(args=["backup", "restore", str(tmp_path / "b.sqlite3"), "--yes"])
    kept = live_db.with_name(live_db.name + ".before-restore")
    assert snapshot(kept) == replaced


def test_restore_refuses_a_file_that_is_not_sqlite(runner, live_db, organisation, tmp_path):
    before = snapshot(live_db)
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("id,name\n1,not a database\n")
    result = runner.invoke(args=["backup", "restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "not an SQLite database" in result.output
    assert snapshot(live_db) == before


def test_restore_refuses_an_sqlite_file_of_another_application(runner, live_db, organisation, tmp_path):
    before = snapshot(live_db)
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    connection.close()
    result = runner.invoke(args=["backup", "restore", str(other), "--yes"])
    assert result.exit_code == 1
    assert "alembic_version" in result.output
    assert snapshot(live_db) == before


def test_restore_refuses_a_backup_at_an_older_schema_revision(runner, live_db, organisation, tmp_path):
    backup = tmp_path / "b.sqlite3"
    runner.invoke(args=["backup", "create", str(backup)])
    connection = sqlite3.connect(backup)
    connection.execute("UPDATE alembic_version SET version_num = 'an_old_revision'")
    connection.commit()
    connection.close()
    result = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert result.exit_code == 1
    assert "not the current head" in result.output


def test_restore_without_yes_changes_nothing(runner, live_db, organisation, tmp_path):
    runner.invoke(args=["backup", "create", str(tmp_path / "b.sqlite3")])
    make_user(username="still-here")
    before = snapshot(live_db)
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 2
    assert "--yes" in result.output
    assert snapshot(live_db) == before
    assert not live_db.with_name(live_db.name + ".before-restore").exists()


@pytest.mark.parametrize("args", [["backup", "create"], ["backup", "restore", "x.sqlite3", "--yes"]])
def test_on_postgresql_the_commands_exit_2_pointing_to_pg_dump(args):
    # No server is contacted: the URL alone decides.
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    )
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert "pg_dump" in result.output
