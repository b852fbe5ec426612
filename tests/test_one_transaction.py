"""database.in_one_transaction runs a unit of work of its own, and never commits a caller's
unit of work half-way through a request: when the session already holds writes, the attempt
joins them and the caller commits."""

from __future__ import annotations

from qa_app.accounts.models import Team
from qa_app.database import in_one_transaction
from qa_app.extensions import db as _db


def _names() -> set[str]:
    return {t.name for t in _db.session.query(Team)}


def test_it_joins_a_session_with_flushed_writes_without_committing_them(db):
    _db.session.add(Team(name="written, not committed"))
    _db.session.flush()
    in_one_transaction(lambda: _db.session.add(Team(name="joined")))
    _db.session.rollback()
    assert not {"written, not committed", "joined"} & _names()


def test_it_joins_a_session_with_pending_objects_without_committing_them(db):
    _db.session.add(Team(name="pending"))
    in_one_transaction(lambda: _db.session.add(Team(name="joined")))
    _db.session.rollback()
    assert not {"pending", "joined"} & _names()


def test_it_commits_its_own_work_after_a_committed_one(db):
    _db.session.add(Team(name="committed first"))
    _db.session.commit()
    in_one_transaction(lambda: _db.session.add(Team(name="its own")))
    _db.session.rollback()
    assert _names() >= {"committed first", "its own"}
