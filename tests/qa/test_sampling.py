"""Sampling: quotas per agent and week, reproducibility, no double sampling, fair assignment."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from qa_app.qa import sampling, weeks
from qa_app.qa.drawing import Candidate, assign, draw
from qa_app.qa.models import Sample

from ..factories import make_shop, make_user
from .factories import make_chat

MONDAY = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, ISO week 45


def _candidates(agents=3, weeks=2, per_week=10):
    return [
        Candidate(chat_id=a * 1000 + w * 100 + i, agent_id=a, week=f"2026-W{45 + w}")
        for a in range(1, agents + 1)
        for w in range(weeks)
        for i in range(per_week)
    ]


def test_every_agent_gets_their_quota_each_week():
    picks = draw(_candidates(), mode="per_agent", seed=7, per_agent_per_week=3)
    assert Counter((p.agent_id, p.week) for p in picks) == {
        (a, f"2026-W{45 + w}"): 3 for a in (1, 2, 3) for w in (0, 1)
    }


def test_agent_with_fewer_chats_than_the_quota_gives_all_of_them():
    picks = draw([Candidate(1, 9, "2026-W45")], mode="per_agent", seed=7, per_agent_per_week=3)
    assert [p.chat_id for p in picks] == [1]


def test_percent_gives_every_working_agent_at_least_one_chat():
    candidates = _candidates(per_week=10) + [Candidate(99, 4, "2026-W45")]
    picks = draw(candidates, mode="percent", seed=7, percent=10)
    counts = Counter(p.agent_id for p in picks)
    assert counts[4] == 1 and counts[1] == 2


def test_same_seed_draws_the_same_sample():
    first = draw(_candidates(), mode="per_agent", seed=42, per_agent_per_week=3)
    again = draw(list(reversed(_candidates())), mode="per_agent", seed=42, per_agent_per_week=3)
    assert first == again


def test_another_seed_draws_another_sample():
    a = draw(_candidates(), mode="per_agent", seed=1, per_agent_per_week=3)
    b = draw(_candidates(), mode="per_agent", seed=2, per_agent_per_week=3)
    assert a != b


def test_one_agents_draw_does_not_depend_on_other_agents():
    alone = draw(
        [c for c in _candidates() if c.agent_id == 1], mode="per_agent", seed=5, per_agent_per_week=3
    )
    together = [
        p for p in draw(_candidates(), mode="per_agent", seed=5, per_agent_per_week=3) if p.agent_id == 1
    ]
    assert alone == together


def test_assignment_spreads_samples_evenly_and_skips_own_chats():
    picks = [Candidate(i, agent_id=10 if i < 4 else 11, week="w") for i in range(12)]
    result = assign(picks, graders=[10, 20, 30], load={}, chat_agents={}, seed=1)
    assert all(result[i] != 10 for i in range(4))
    counts = Counter(result.values())
    assert max(counts.values()) - min(counts.values()) <= 1


def test_assignment_counts_existing_open_work():
    picks = [Candidate(i, agent_id=1, week="w") for i in range(4)]
    result = assign(picks, graders=[10, 20], load={10: 4}, chat_agents={}, seed=1)
    assert set(result.values()) == {20}


def _plan(rubric, qa, **overrides):
    fields = dict(
        name="Weekly",
        rubric=rubric,
        mode="per_agent",
        per_agent_per_week=2,
        percent=None,
        date_from=date(2026, 11, 2),
        date_to=date(2026, 11, 15),
        filters={},
        seed=11,
    )
    fields.update(overrides)
    return sampling.create_plan(qa, **fields)


def test_running_a_plan_queues_samples_for_qa(db, rubric):
    qa = make_user(roles=("qa",))
    agents = [make_user() for _ in range(2)]
    shop = make_shop()
    for agent in agents:
        for day in range(5):
            make_chat(agent, shop=shop, started_at=MONDAY + timedelta(days=day))
    result = sampling.run(_plan(rubric, qa), qa)
    assert result.created == 4 and result.per_agent == {agents[0].id: 2, agents[1].id: 2}
    assert set(db.session.scalars(sa.select(Sample.assigned_to_id))) == {qa.id}


def test_running_again_never_samples_a_chat_twice_for_the_rubric(db, rubric):
    qa = make_user(roles=("qa",))
    agent = make_user()
    for day in range(5):
        make_chat(agent, started_at=MONDAY + timedelta(days=day))
    plan = _plan(rubric, qa)
    sampling.run(plan, qa)
    assert sampling.run(plan, qa).created == 0
    other_plan = _plan(rubric, qa, name="Another", per_agent_per_week=5)
    assert sampling.run(other_plan, qa).created == 3
    chat_ids = list(db.session.scalars(sa.select(Sample.chat_id)))
    assert len(chat_ids) == len(set(chat_ids)) == 5


def test_qa_specialist_who_is_also_an_agent_never_gets_own_chats(db, rubric):
    both = make_user(roles=("qa", "agent"))
    other_qa = make_user(roles=("qa",))
    for day in range(4):
        make_chat(both, started_at=MONDAY + timedelta(days=day))
    sampling.run(_plan(rubric, both, per_agent_per_week=4), both)
    assert set(db.session.scalars(sa.select(Sample.assigned_to_id))) == {other_qa.id}


def test_chat_nobody_may_grade_is_left_unassigned(db, rubric):
    only = make_user(roles=("qa", "agent"))
    make_chat(only, started_at=MONDAY)
    result = sampling.run(_plan(rubric, only), only)
    assert (result.created, result.unassigned) == (0, 1)


def test_filters_restrict_the_candidates(db, rubric):
    qa = make_user(roles=("qa",))
    agent = make_user()
    shop, other_shop = make_shop(), make_shop()
    failing = make_chat(agent, shop=shop, started_at=MONDAY, checks={"greeting": "fail"}, tags=["退款"])
    make_chat(agent, shop=shop, started_at=MONDAY, checks={"greeting": "pass"})
    make_chat(agent, shop=other_shop, started_at=MONDAY, checks={"greeting": "fail"})
    plan = _plan(
        rubric,
        qa,
        per_agent_per_week=10,
        filters={"shop_id": shop.id, "failed_check": "greeting", "tags": ["退款"]},
    )
    sampling.run(plan, qa)
    assert list(db.session.scalars(sa.select(Sample.chat_id))) == [failing.id]


def test_chats_outside_the_date_range_are_not_sampled(db, rubric):
    qa = make_user(roles=("qa",))
    agent = make_user()
    make_chat(agent, started_at=MONDAY - timedelta(days=30))
    assert sampling.run(_plan(rubric, qa), qa).created == 0


def test_plan_with_a_reversed_date_range_is_refused(db, rubric):
    qa = make_user(roles=("qa",))
    try:
        _plan(rubric, qa, date_from=date(2026, 11, 10), date_to=date(2026, 11, 1))
    except sampling.PlanError:
        pass
    else:
        raise AssertionError("expected a PlanError")


def test_each_sample_records_the_iso_week_of_its_chat_in_shop_time(db, rubric):
    qa = make_user(roles=("qa",))
    agent = make_user()
    sunday_night = datetime(2026, 11, 8, 15, 30, tzinfo=UTC)  # Sunday 23:30 in Shanghai: W45
    monday_early = datetime(2026, 11, 8, 16, 30, tzinfo=UTC)  # Monday 00:30 in Shanghai: W46
    late, early = make_chat(agent, started_at=sunday_night), make_chat(agent, started_at=monday_early)
    sampling.run(_plan(rubric, qa, per_agent_per_week=5), qa)
    weeks = dict(db.session.execute(sa.select(Sample.chat_id, Sample.week)).all())
    assert weeks == {late.id: "2026-W45", early.id: "2026-W46"}


def test_run_draws_what_the_pure_draw_gives_for_the_same_seed(db, rubric):
    qa = make_user(roles=("qa",))
    agents = [make_user() for _ in range(2)]
    chats = [
        make_chat(agent, started_at=MONDAY + timedelta(days=day, hours=hour))
        for agent in agents
        for day in range(10)
        for hour in (0, 1)
    ]
    plan = _plan(rubric, qa, per_agent_per_week=3, seed=99)
    sampling.run(plan, qa)
    expected = draw(
        [Candidate(c.id, c.agent_id, weeks.iso_week(c.started_at, "Asia/Shanghai")) for c in chats],
        mode="per_agent",
        seed=99,
        per_agent_per_week=3,
    )
    drawn = db.session.execute(sa.select(Sample.chat_id, Sample.agent_id, Sample.week)).all()
    assert sorted(drawn) == sorted((c.chat_id, c.agent_id, c.week) for c in expected)
