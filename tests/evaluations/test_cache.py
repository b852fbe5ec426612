"""The evaluation cache: a cached value is used while nothing it was computed from changed, and any
committed change to an input shows on the next view (docs/evaluations.md, "Performance")."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Shop
from qa_app.accounts.services import set_nickname
from qa_app.chats.importer import import_file
from qa_app.evaluations import cache, freshness, periods, services
from qa_app.evaluations.models import CachedStats
from qa_app.extensions import db as _db
from qa_app.reviews.corrections import attribute_manually, confirm_classification
from qa_app.training.models import Assignment

from ..chats.factories import chat_record, write_jsonl
from ..factories import make_user
from ..sql import counted
from .factories import IN_OCTOBER, make_attempt, make_chat, make_course, make_review, make_score

EVIDENCE_TABLES = {
    "chats",
    "check_results",
    "qa_scores",
    "reviews",
    "attempts",
    "assignments",
    "path_courses",
}


def tables_read(statements) -> set[str]:
    return {name for s in statements for name in re.findall(r"(?:FROM|JOIN)\s+\"?(\w+)", s)}


def view(agent, period):
    """What the agent's page shows; the request's transaction then ends, which stores what it
    computed for the next view."""
    evaluation = services.evaluate(agent, period)
    _db.session.commit()
    return evaluation


def test_unchanged_inputs_are_read_from_the_cache_without_touching_the_evidence(db, team, october):
    _, _, (agent, _) = team
    make_score(agent, 80)
    make_review(agent)
    make_chat(agent)
    first = view(agent, october)
    with counted() as statements:
        again = view(agent, october)
    assert again.components == first.components
    assert not tables_read(statements) & EVIDENCE_TABLES, statements
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(CachedStats)) == 1


def test_lead_dashboard_served_from_the_cache_reads_no_evidence(client, auth, db, team):
    lead, _, agents = team
    for agent in agents:
        make_score(agent, 90)
        make_chat(agent)
    auth.login_user(lead)
    client.get("/evaluations/?period=2026-10")  # computes the month and its five months of trend
    with counted() as statements:
        response = client.get("/evaluations/?period=2026-10")
    assert response.status_code == 200
    assert not tables_read(statements) & EVIDENCE_TABLES, statements


def test_a_new_qa_score_shows_on_the_next_view(db, team, october):
    _, _, (agent, _) = team
    make_score(agent, 80)
    assert view(agent, october).components["qa"].count == 1
    make_score(agent, 60)
    shown = view(agent, october).components["qa"]
    assert (shown.count, shown.value) == (2, 70.0)


def test_a_changed_qa_score_shows_on_the_next_view(db, team, october):
    _, _, (agent, _) = team
    score = make_score(agent, 80)
    view(agent, october)
    score.total = 50.0
    _db.session.commit()
    assert view(agent, october).components["qa"].value == 50.0


def test_a_review_attributed_by_hand_shows_on_the_next_view(db, team, october):
    lead, _, (agent, _) = team
    review = make_review(None)
    assert view(agent, october).components["reviews"].details["total"] == 0
    attribute_manually(lead, review, agent, reason="named in the order notes")
    assert view(agent, october).components["reviews"].details["total"] == 1


def test_a_review_to_confirm_counts_once_confirmed_on_the_next_view(db, team, october):
    lead, _, (agent, _) = team
    review = make_review(agent)
    review.needs_confirmation = True
    _db.session.commit()
    assert view(agent, october).components["reviews"].details["total"] == 0
    confirm_classification(lead, review)
    _db.session.commit()
    assert view(agent, october).components["reviews"].details["total"] == 1


def test_chats_imported_and_attached_by_nickname_show_on_the_next_view(db, team, tmp_path):
    _, _, (agent, _) = team
    november = periods.parse("2026-11", "Asia/Shanghai")
    import_file(write_jsonl(tmp_path / "a.jsonl", [chat_record(agent="阿杰")]))
    assert view(agent, november).components["service"].details["chats"] == 0
    shop = _db.session.scalar(sa.select(Shop).where(Shop.slug == "tmall-flagship"))
    set_nickname(make_user(roles=("admin",)), agent, shop, "阿杰")  # attaches the chat (UPDATE)
    assert view(agent, november).components["service"].details["chats"] == 1
    import_file(write_jsonl(tmp_path / "b.jsonl", [chat_record(agent="阿杰")]))  # bulk INSERT
    assert view(agent, november).components["service"].details["chats"] == 2


def test_a_changed_first_response_limit_shows_on_the_next_view(db, team, october):
    _, _, (agent, _) = team
    chat = make_chat(agent, first_response="fail")  # 400 s against 300 s
    assert view(agent, october).components["service"].details["passed"] == 0
    _db.session.get(Shop, chat.shop_id).first_response_limit_seconds = 600
    _db.session.commit()
    assert view(agent, october).components["service"].details["passed"] == 1


def test_a_quiz_attempt_shows_on_the_next_view(db, team, october):
    _, _, (agent, _) = team
    course = make_course()
    make_attempt(agent, course, 60)
    assert view(agent, october).components["training"].value == 60.0
    make_attempt(agent, course, 90)
    assert view(agent, october).components["training"].value == 75.0


def test_new_weights_apply_on_the_next_view_without_recomputing(db, team, october):
    _, _, (agent, _) = team
    for _ in range(3):
        make_score(agent, 80)  # each with its chat, answered in time
    for _ in range(9):
        make_chat(agent, first_response="fail")
    before = view(agent, october)
    qa, service = before.components["qa"].value, before.components["service"].value
    assert (qa, service) == (80.0, 25.0)
    assert before.overall == pytest.approx((40 * qa + 25 * service) / 65, abs=0.05)
    services.save_settings(
        make_user(roles=("admin",)),
        {"qa": 1, "training": 0, "reviews": 0, "service": 1},
        {"qa": 3, "training": 1, "reviews": 3, "service": 10},
    )
    with counted() as statements:
        shown = view(agent, october)
    assert shown.overall == pytest.approx((qa + service) / 2)
    assert not tables_read(statements) & EVIDENCE_TABLES


def test_uncommitted_changes_are_shown_to_their_session_but_never_cached(db, team, october):
    _, _, (agent, _) = team
    score = make_score(agent, 80)
    view(agent, october)
    score.total = 10.0
    _db.session.flush()
    assert services.evaluate(agent, october).components["qa"].value == 10.0
    _db.session.rollback()
    assert view(agent, october).components["qa"].value == 80.0


def test_a_change_made_by_another_process_shows_on_the_next_view(db, team, october, make_app):
    _, _, (agent, _) = team
    make_score(agent, 80)
    view(agent, october)
    with make_app().app_context():  # its own engine and connections, as another worker has
        make_score(_db.session.merge(agent), 60)
        _db.session.remove()
    assert view(agent, october).components["qa"].count == 2


def test_evidence_of_a_period_not_over_is_cached_for_the_day_it_was_computed_on():
    period = periods.parse("2026-11", "Asia/Shanghai")
    row = CachedStats(inputs=5, computed_on=date(2026, 11, 20))
    assert cache.holds(row, 5, period, date(2026, 11, 20))
    assert not cache.holds(row, 5, period, date(2026, 11, 21))  # a course may be overdue now
    assert not cache.holds(row, 6, period, date(2026, 11, 20))


def test_evidence_of_a_period_over_when_computed_holds_on_later_days():
    period = periods.parse("2026-10", "Asia/Shanghai")
    row = CachedStats(inputs=5, computed_on=date(2026, 11, 2))
    assert cache.holds(row, 5, period, date(2026, 11, 2) + timedelta(days=30))


def test_a_score_submitted_in_another_month_leaves_this_months_cache_alone(db, team, october):
    _, _, (agent, _) = team
    make_score(agent, 80)
    view(agent, october)
    make_score(agent, 50, IN_OCTOBER + timedelta(days=40))  # November
    with counted() as statements:
        shown = view(agent, october)
    assert shown.components["qa"].count == 1
    assert not tables_read(statements) & EVIDENCE_TABLES


def test_a_local_month_is_versioned_by_every_utc_month_it_overlaps():
    # November in Shanghai starts at 16:00 UTC on 31 October
    november = periods.parse("2026-11", "Asia/Shanghai")
    assert freshness.buckets_covering(november) == {"*", "2026-10", "2026-11"}


def test_a_local_week_is_versioned_by_every_utc_week_it_overlaps():
    week = periods.parse("2026-W47", "Asia/Shanghai")  # Monday 00:00 local is Sunday 16:00 UTC
    assert freshness.buckets_covering(week) == {"*", "2026-W46", "2026-W47"}


def test_a_local_quarter_is_versioned_by_every_utc_month_it_overlaps():
    quarter = periods.parse("2026-Q4", "Asia/Shanghai")
    assert freshness.buckets_covering(quarter) == {"*", "2026-09", "2026-10", "2026-11", "2026-12"}


def _shown(agents, span):
    by_period = services.evaluate_periods(agents, span)
    _db.session.commit()
    return {
        (e.agent.id, key): (e.overall, {k: c.as_dict() for k, c in e.components.items()})
        for key, rows in by_period.items()
        for e in rows
    }


def test_cached_evaluations_always_equal_a_fresh_computation(db, team):
    lead, _, agents = team
    first, second = agents
    span = [periods.parse(key, "Asia/Shanghai") for key in ("2026-W41", "2026-10", "2026-11", "2026-Q4")]
    course = make_course()
    score = make_score(first, 80)
    chat = make_chat(first, first_response="fail")
    review = make_review(None, polarity="criticism")
    changes = [
        lambda: make_score(second, 70, IN_OCTOBER + timedelta(days=30)),
        lambda: setattr(score, "total", 40.0),
        lambda: setattr(score, "submitted_at", IN_OCTOBER + timedelta(days=25)),
        lambda: attribute_manually(lead, review, second, reason="order notes"),
        lambda: setattr(review, "service_polarity", "praise"),
        lambda: setattr(chat, "first_response_seconds", 30.0),
        lambda: setattr(chat, "agent_id", second.id),
        lambda: setattr(chat.checks[0], "result", "pass"),
        lambda: make_attempt(first, course, 90, IN_OCTOBER + timedelta(days=3)),
        lambda: _db.session.add(
            Assignment(
                user_id=second.id,
                course_id=course.id,
                target=f"course:{course.id}",
                due_on=date(2026, 10, 20),
            )
        ),
        lambda: setattr(_db.session.get(Shop, chat.shop_id), "first_response_limit_seconds", 20),
        lambda: _db.session.delete(chat),
    ]
    _shown(agents, span)
    for number, change in enumerate(changes):
        change()
        _db.session.commit()
        cached = _shown(agents, span)
        _db.session.execute(sa.delete(CachedStats))
        _db.session.commit()
        assert cached == _shown(agents, span), f"change {number}"


def test_checks_rerun_show_on_the_next_view(db, team, october):
    from qa_app.chats.services import rerun_checks

    _, _, (agent, _) = team
    make_chat(agent, first_response="pass")  # no messages: re-run, it is not measurable
    assert view(agent, october).components["service"].count == 1
    agent_id = agent.id
    for _batch in rerun_checks():  # chats updated as objects, check rows deleted and bulk-inserted
        _db.session.commit()  # as the autoqa command does after each batch
    agent = _db.session.get(type(agent), agent_id)  # the re-run let go of every object
    assert view(agent, october).components["service"].count == 0


def test_a_change_committed_while_a_view_computes_shows_on_the_next_view(
    db, team, october, make_app, monkeypatch
):
    _, _, (agent, _) = team
    make_score(agent, 80)
    other_worker = make_app()
    compute = cache.compute

    def compute_while_another_worker_commits(agent_ids, period, today):
        monkeypatch.setattr(cache, "compute", compute)
        with other_worker.app_context():  # after this view read the input sums, before its evidence
            make_score(_db.session.merge(agent), 50)
            _db.session.remove()
        return compute(agent_ids, period, today)

    monkeypatch.setattr(cache, "compute", compute_while_another_worker_commits)
    view(agent, october)  # stores what it computed under the sums it read first
    assert view(agent, october).components["qa"].count == 2


def test_warm_stores_the_latest_periods_of_every_agent(runner, team):
    result = runner.invoke(args=["evaluations", "warm", "--kind", "month", "--periods", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "evaluations cached: 4"  # two agents, two months
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(CachedStats)) == 4
