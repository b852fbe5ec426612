"""Migrations that change existing rows, run on a database of their own: data made at head,
taken down to the revision before, changed as the old code could, and upgraded again."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from qa_app import create_app
from qa_app.chats.models import Chat  # noqa: F401  (mapped before the QA models that name it)
from qa_app.extensions import db as _db
from qa_app.qa import disputes
from qa_app.training.services import attempts

from .conftest import TEST_CONFIG, _postgres_url
from .factories import make_user
from .qa.factories import make_chat, make_rubric, submitted_score
from .training.factories import make_course

BEFORE_NUMBERED_ATTEMPTS = "e5c3a1f09b27"


@pytest.fixture
def own_database(database_url, tmp_path):
    """An app on a database no other test uses, migrated to head, inside its app context."""
    admin, schema = None, None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        base = os.environ["TEST_DATABASE_URL"]
        schema = f"migration_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(sa.engine.make_url(base).set(drivername="postgresql+psycopg"))
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = _postgres_url(base, schema)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path)})
    try:
        with app.app_context():
            upgrade()
            yield app
            _db.session.remove()
            _db.engine.dispose()
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()


def _remigrate(*statements: str) -> None:
    """Down to the revision before the numbered attempts, run `statements`, up to head again."""
    _db.session.remove()
    downgrade(revision=BEFORE_NUMBERED_ATTEMPTS)
    with _db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    upgrade()


def test_existing_attempts_are_numbered_in_the_order_they_were_started(own_database):
    course = make_course(max_attempts=0, cooloff_minutes=0)
    first, second = make_user(), make_user()
    for learner, count in ((first, 2), (second, 1)):
        for _ in range(count):
            attempts.submit_attempt(learner, attempts.start_attempt(learner, course), {})
            _db.session.commit()  # as the view does: services only flush
    first_id, second_id = first.id, second.id
    _remigrate()
    rows = _db.session.execute(
        sa.text("SELECT user_id, number FROM attempts ORDER BY user_id, started_at, id")
    ).all()
    assert [tuple(row) for row in rows] == [(first_id, 1), (first_id, 2), (second_id, 1)]


def test_duplicate_open_disputes_are_closed_but_the_first_one(own_database):
    agent, grader = make_user(), make_user(roles=("qa",))
    score = submitted_score(make_chat(agent), make_rubric(), grader)
    kept = disputes.raise_dispute(agent, score, "Look again").id
    copy = (
        "INSERT INTO qa_disputes (score_id, raised_by_id, reason, status, resolution, created_at) "
        "SELECT score_id, raised_by_id, 'Again', 'open', '', created_at FROM qa_disputes"
    )
    _remigrate(copy)
    rows = _db.session.execute(sa.text("SELECT id, status, resolution FROM qa_disputes ORDER BY id")).all()
    assert [(row.id, row.status) for row in rows] == [(kept, "open"), (kept + 1, "upheld")]
    assert f"#{kept}" in rows[1].resolution
