"""Two QA specialists acting on the same score or sample at the same moment, each in a thread with
its own app context (so its own session and database connection), as two gunicorn workers would.

A `threading.Barrier` holds both threads just before their first write (`meeting`): on PostgreSQL
after each has loaded the same score version and changed it in memory, so the two writes really
overlap in the database; on SQLite just before each takes the write lock, so both ask for it at
once and one waits while the other writes.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from qa_app.accounts.models import User
from qa_app.extensions import db as _db
from qa_app.qa import sampling, scores
from qa_app.qa.models import CriterionScore, Sample, SamplingPlan, Score

from ..factories import make_user
from .factories import answers_for, make_chat, make_sample

TIMEOUT = 20
MONDAY = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, ISO week 45


@contextmanager
def meeting(parties: int, session_event: str, is_first_write):
    """Each worker thread in the block waits at its first write until `parties` threads are
    there; then all go. Where a write starts depends on the backend:

    - PostgreSQL: the session's `session_event` for which `is_first_write(*event_args)` holds,
      after each thread has read what it is about to change, so the writes overlap in the database.
    - SQLite: just before the thread's transaction takes the write lock (BEGIN IMMEDIATE, as every
      QA write does through database.in_one_transaction). SQLite has one writer at a time and
      the lock is taken before the transaction reads anything: a thread meeting at its first
      flush would already hold it while the others wait for it, a deadlock. Meeting before it,
      both ask for the lock at the same moment and the second waits (busy timeout) while the
      first reads and writes."""
    barrier = threading.Barrier(parties, timeout=TIMEOUT)
    arrived = threading.local()

    def wait() -> None:
        if threading.current_thread() is threading.main_thread() or getattr(arrived, "done", False):
            return
        arrived.done = True
        barrier.wait()

    if _db.engine.dialect.name == "sqlite":

        def before_taking_the_lock(connection, cursor, statement, *args):
            if statement == "BEGIN IMMEDIATE":  # sent by qa_app.database's "begin" listener
                wait()

        target, identifier, hook = Engine, "before_cursor_execute", before_taking_the_lock
    else:

        def before_write(*args):
            if is_first_write(*args):
                wait()

        target, identifier, hook = type(_db.session()), session_event, before_write
    event.listen(target, identifier, hook)
    try:
        yield barrier
    finally:
        event.remove(target, identifier, hook)


def meeting_before_writing(parties: int):
    """Meet at the first flush (PostgreSQL) or before taking the write lock (SQLite)."""
    return meeting(parties, "before_flush", lambda session, flush_context, instances: True)


def run_together(app, *actions) -> list:
    """Run each action in its own thread and app context; each result, or the exception raised."""
    results: list = [None] * len(actions)

    def worker(index, action):
        with app.app_context():
            try:
                results[index] = action()
            except Exception as error:  # noqa: BLE001  (the test inspects what happened)
                _db.session.rollback()
                results[index] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return results


def _draft(rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    return score.id, score.version_id


def _saver(score_id: int, user_id: int, version: int, values: dict):
    def save():
        score = _db.session.get(Score, score_id)
        actor = _db.session.get(User, user_id)
        scores.save(
            score, actor, expected_version=version, answers=answers_for(score, values), reason="second look"
        )
        return values

    return save


def _stored(score_id: int) -> tuple[float | None, int, dict]:
    _db.session.rollback()
    score = _db.session.get(Score, score_id)
    _db.session.refresh(score)
    items = _db.session.scalars(sa.select(CriterionScore).where(CriterionScore.score_id == score_id))
    return score.total, score.version_id, {i.criterion.key: i.value for i in items}


def test_two_overlapping_saves_of_one_score_one_wins_the_other_is_told(app, db, rubric, team_setup):
    score_id, version = _draft(rubric, team_setup)
    first = {"greeting": 1, "answer": 5, "offers": 4, "honest": 1}
    second = {"greeting": 0, "answer": 1, "offers": 0, "honest": 1}
    qa_id = team_setup["qa"].id
    with meeting_before_writing(2):
        results = run_together(
            app, _saver(score_id, qa_id, version, first), _saver(score_id, qa_id, version, second)
        )
    winners = [r for r in results if isinstance(r, dict)]
    losers = [r for r in results if not isinstance(r, dict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], scores.StaleScore), repr(losers[0])
    total, stored_version, values = _stored(score_id)
    assert stored_version == version + 1
    assert values == {key: float(value) for key, value in winners[0].items()}


def test_overlapping_save_leaves_no_half_saved_criterion_items(app, db, rubric, team_setup):
    score_id, version = _draft(rubric, team_setup)
    qa_id = team_setup["qa"].id
    everything = {"greeting": 1, "answer": 2, "offers": 3, "honest": 1}
    only_answer = {"answer": 4}
    with meeting_before_writing(2):
        results = run_together(
            app, _saver(score_id, qa_id, version, everything), _saver(score_id, qa_id, version, only_answer)
        )
    [winner] = [r for r in results if isinstance(r, dict)]
    _, _, values = _stored(score_id)
    expected = {"greeting": None, "answer": None, "offers": None, "honest": None}
    expected.update({key: float(value) for key, value in winner.items()})
    assert values == expected


def test_two_first_openings_of_one_sample_share_one_score(app, db, rubric, team_setup):
    qa = team_setup["qa"]
    admin = make_user(roles=("qa", "admin"))
    sample_id = make_sample(make_chat(team_setup["agent"]), rubric, qa).id

    def opener(user_id):
        def open_sample():
            sample = _db.session.get(Sample, sample_id)
            user = _db.session.get(User, user_id)
            return scores.start_for_sample(sample, user).id

        return open_sample

    with meeting_before_writing(2):
        results = run_together(app, opener(qa.id), opener(admin.id))
    assert all(isinstance(r, int) for r in results), results
    assert results[0] == results[1]
    _db.session.rollback()  # end this test's own read snapshot (SQLite WAL) before counting
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Score)) == 1


def meeting_before_inserting_samples(parties: int):
    """Meet at the first INSERT of samples (PostgreSQL) or before taking the write lock (SQLite)."""

    def inserts_samples(state) -> bool:
        table = getattr(state.statement, "table", None)
        return state.is_insert and getattr(table, "name", None) == "qa_samples"

    return meeting(parties, "do_orm_execute", inserts_samples)


def test_two_runs_of_a_plan_at_once_draw_each_chat_once(app, db, rubric):
    qa, other_qa = make_user(roles=("qa",)), make_user(roles=("qa",))
    agents = [make_user() for _ in range(3)]
    for agent in agents:
        for day in range(5):
            make_chat(agent, started_at=MONDAY + timedelta(days=day))
    plan_id = sampling.create_plan(
        qa,
        name="Weekly",
        rubric=rubric,
        mode="per_agent",
        per_agent_per_week=2,
        percent=None,
        date_from=date(2026, 11, 2),
        date_to=date(2026, 11, 8),
        filters={},
        seed=3,
    ).id
    _db.session.commit()  # as the plan form does: the runs' own sessions see the plan

    def runner(user_id):
        def run_plan():
            plan = _db.session.get(SamplingPlan, plan_id)
            return sampling.run(plan, _db.session.get(User, user_id)).created

        return run_plan

    with meeting_before_inserting_samples(2):
        results = run_together(app, runner(qa.id), runner(other_qa.id))
    assert sorted(results) == [0, 6], results
    _db.session.rollback()
    chat_ids = list(_db.session.scalars(sa.select(Sample.chat_id)))
    assert len(chat_ids) == len(set(chat_ids)) == 6
