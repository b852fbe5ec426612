"""Disputes: window, who resolves, notifications."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from qa_app.accounts.models import User
from qa_app.extensions import db as _db
from qa_app.qa import disputes
from qa_app.qa.models import Dispute, Notification, Score

from ..factories import make_user
from .factories import make_chat, submitted_score
from .test_concurrency import meeting_before_writing, run_together

DISPUTERS = 4


@pytest.fixture
def score(db, rubric, team_setup):
    return submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])


def test_agent_disputes_a_submitted_score_and_the_grader_is_notified(db, score, team_setup):
    dispute = disputes.raise_dispute(team_setup["agent"], score, "The greeting was there.")
    assert dispute.status == "open" and dispute.total_before == score.total
    assert disputes.unread_count(team_setup["qa"]) == 1


def test_dispute_needs_a_reason(db, score, team_setup):
    with pytest.raises(disputes.DisputeError):
        disputes.raise_dispute(team_setup["agent"], score, "  ")


def test_dispute_after_the_window_is_refused(db, score, team_setup):
    disputes.set_window_days(make_user(roles=("admin",)), 3)
    score.submitted_at = score.submitted_at - timedelta(days=4)
    db.session.commit()
    with pytest.raises(disputes.DisputeError):
        disputes.raise_dispute(team_setup["agent"], score, "Too late?")


def test_only_the_scores_agent_can_dispute(db, score, team_setup):
    with pytest.raises(disputes.DisputeError):
        disputes.raise_dispute(team_setup["other"], score, "Not mine")


def test_second_open_dispute_is_refused(db, score, team_setup):
    disputes.raise_dispute(team_setup["agent"], score, "First")
    with pytest.raises(disputes.DisputeError):
        disputes.raise_dispute(team_setup["agent"], score, "Second")


def test_lead_resolves_and_the_agent_is_notified(db, score, team_setup):
    dispute = disputes.raise_dispute(team_setup["agent"], score, "Please look again")
    disputes.resolve(team_setup["lead"], dispute, "upheld", "The closing was missing.")
    assert dispute.status == "upheld" and dispute.resolved_by_id == team_setup["lead"].id
    [note] = disputes.recent_notifications(team_setup["agent"])
    assert note.kind == "dispute_resolved_upheld"


def test_grader_cannot_resolve_a_dispute_of_their_own_score(db, score, team_setup):
    dispute = disputes.raise_dispute(team_setup["agent"], score, "Please look again")
    assert not disputes.can_resolve(team_setup["qa"], dispute)
    assert disputes.can_resolve(make_user(roles=("qa",)), dispute)


def test_lead_of_another_team_cannot_resolve(db, score, team_setup):
    dispute = disputes.raise_dispute(team_setup["agent"], score, "Please look again")
    assert not disputes.can_resolve(make_user(roles=("lead",)), dispute)


def test_changed_outcome_records_the_new_total(db, score, team_setup):
    from qa_app.qa import scores

    from .factories import answers_for

    dispute = disputes.raise_dispute(team_setup["agent"], score, "The offer was mentioned")
    scores.save(
        score,
        team_setup["lead"],
        expected_version=score.version_id,
        reason="dispute",
        answers=answers_for(score, {"greeting": 0, "answer": 5, "offers": 4, "honest": 1}),
    )
    disputes.resolve(team_setup["lead"], dispute, "changed", "Corrected.")
    assert (dispute.total_before, dispute.total_after) == (100.0, 80.0)


def _disputer(agent_id: int, score_id: int, reason: str):
    def dispute() -> int:
        return disputes.raise_dispute(
            _db.session.get(User, agent_id), _db.session.get(Score, score_id), reason
        ).id

    return dispute


def _count(model, **where) -> int:
    _db.session.rollback()  # a fresh snapshot (SQLite's WAL would show the old one)
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def test_disputes_raised_at_once_open_one_and_notify_the_grader_once(app, db, score, team_setup):
    agent_id, score_id = team_setup["agent"].id, score.id
    with meeting_before_writing(DISPUTERS):
        results = run_together(
            app, *[_disputer(agent_id, score_id, f"Look again ({n})") for n in range(DISPUTERS)]
        )
    opened = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if not isinstance(r, int)]
    assert len(opened) == 1, results
    assert all(isinstance(r, disputes.DisputeError) for r in refused), refused
    assert {str(r) for r in refused} == {gettext("This score already has an open dispute.")}
    assert _count(Dispute, score_id=score_id) == 1
    assert _count(Notification, user_id=team_setup["qa"].id, kind="dispute_opened") == 1


def _dispute_row(score, status: str) -> Dispute:
    return Dispute(score_id=score.id, raised_by_id=score.agent_id, reason="x", status=status)


def test_the_database_refuses_a_second_open_dispute_of_a_score(db, score):
    _db.session.add_all([_dispute_row(score, "open"), _dispute_row(score, "open")])
    with pytest.raises(sa.exc.IntegrityError):
        _db.session.flush()
    _db.session.rollback()


def test_resolved_disputes_do_not_block_an_open_one(db, score):
    _db.session.add_all(
        [_dispute_row(score, "upheld"), _dispute_row(score, "changed"), _dispute_row(score, "open")]
    )
    _db.session.commit()
    assert _count(Dispute, score_id=score.id) == 3
