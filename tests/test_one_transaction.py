"""database.in_one_transaction runs a unit of work of its own: it refuses to start while the
caller's transaction holds writes, instead of committing them half-way through a request."""

from __future__ import annotations

import pytest

from qa_app.accounts.models import Team
from qa_app.database import in_one_transaction
from qa_app.extensions import db as _db


def test_it_refuses_a_session_with_flushed_writes(db):
    _db.session.add(Team(name="written, not committed"))
    _db.session.flush()
    with pytest.raises(RuntimeError, match="without writes"):
        in_one_transaction(lambda: None)


def test_it_refuses_a_session_with_pending_objects(db):
    _db.session.add(Team(name="pending"))
    with pytest.raises(RuntimeError, match="without writes"):
        in_one_transaction(lambda: None)


def test_it_commits_its_own_work_after_a_committed_one(db):
    _db.session.add(Team(name="committed first"))
    _db.session.commit()
    in_one_transaction(lambda: _db.session.add(Team(name="its own")))
    _db.session.rollback()
    assert {t.name for t in _db.session.query(Team)} >= {"committed first", "its own"}
