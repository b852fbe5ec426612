"""Spotlight sampling: the worthiest chats first with their reasons, the rest at random."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from qa_app.qa import candidates, plan_summary, reports, sampling, spotlight
from qa_app.qa.drawing import Candidate, draw_strata
from qa_app.qa.models import Sample

from ..factories import make_shop, make_user
from ..reviews.factories import make_review
from .factories import make_chat, submitted_score

MONDAY = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, ISO week 45
KEY = (1, "2026-W45")


def _plan(rubric, qa, **overrides):
    fields = dict(
        name="Spotlight",
        rubric=rubric,
        mode="per_agent",
        per_agent_per_week=4,
        percent=None,
        date_from=date(2026, 11, 2),
        date_to=date(2026, 11, 8),
        filters={},
        seed=11,
        spotlight_percent=50,
    )
    fields.update(overrides)
    return sampling.create_plan(qa, **fields)


def _samples(db):
    return {s.chat_id: s for s in db.session.scalars(sa.select(Sample))}


# the pure draw


def test_spotlight_share_of_the_quota_comes_from_the_top_of_the_ranking():
    ranking = {KEY: [(5, [["transferred", None]]), (7, []), (9, [])]}
    picks = draw_strata(
        {KEY: list(range(1, 21))}, mode="per_agent", seed=3, per_agent_per_week=4, spotlight=ranking, share=50
    )
    spot = [p.chat_id for p in picks if p.picked_by == "spotlight"]
    assert spot == [5, 7] and len(picks) == 4


def test_spotlight_share_zero_draws_everything_at_random():
    ranking = {KEY: [(5, [])]}
    with_share = draw_strata(
        {KEY: list(range(1, 21))}, mode="per_agent", seed=3, per_agent_per_week=4, spotlight=ranking, share=0
    )
    plain = draw_strata({KEY: list(range(1, 21))}, mode="per_agent", seed=3, per_agent_per_week=4)
    assert with_share == plain and {p.picked_by for p in plain} == {"random"}


def test_random_part_never_repeats_a_spotlight_pick():
    ranking = {KEY: [(c, []) for c in range(1, 4)]}
    picks = draw_strata(
        {KEY: list(range(1, 7))}, mode="per_agent", seed=3, per_agent_per_week=6, spotlight=ranking, share=50
    )
    assert sorted(p.chat_id for p in picks) == [1, 2, 3, 4, 5, 6]


def test_random_part_is_uniform_over_the_chats_not_in_the_spotlight():
    # over many seeds, each non-spotlight chat of the stratum is drawn about equally often
    members = list(range(1, 11))
    counts: Counter = Counter()
    for seed in range(2000):
        picks = draw_strata(
            {KEY: members},
            mode="per_agent",
            seed=seed,
            per_agent_per_week=4,
            spotlight={KEY: [(1, []), (2, [])]},
            share=50,
        )
        counts.update(p.chat_id for p in picks if p.picked_by == "random")
    assert set(counts) == set(range(3, 11))
    expected = 2000 * 2 / 8
    assert all(abs(n - expected) < 0.15 * expected for n in counts.values())


def test_new_hire_rate_multiplies_the_stratum_quota():
    strata = {KEY: list(range(1, 21)), (2, "2026-W45"): list(range(21, 41))}
    picks = draw_strata(strata, mode="per_agent", seed=3, per_agent_per_week=3, rates={KEY: 2.0})
    assert Counter(p.agent_id for p in picks) == {1: 6, 2: 3}


def test_same_seed_and_ranking_give_the_same_draw():
    ranking = {KEY: [(5, [["transferred", None]])]}
    args = dict(mode="per_agent", seed=8, per_agent_per_week=4, spotlight=ranking, share=30)
    assert draw_strata({KEY: list(range(1, 30))}, **args) == draw_strata(
        {KEY: list(range(29, 0, -1))}, **args
    )


# against the database


def test_worthier_chats_are_ranked_first_with_their_reasons(app, db, rubric):
    qa, agent, shop = make_user(roles=("qa",)), make_user(), make_shop()
    plain = [make_chat(agent, shop=shop, started_at=MONDAY + timedelta(hours=h)) for h in range(6)]
    transferred = make_chat(agent, shop=shop, started_at=MONDAY, transferred=True)
    bad_end = make_chat(
        agent, shop=shop, started_at=MONDAY, checks={"negative_ending": "fail"}, order_id="o-1"
    )
    make_review(shop=shop, order_id="o-1", rating=2, sentiment="negative")
    slow = make_chat(agent, shop=shop, started_at=MONDAY, first_response_seconds=540)
    plan = _plan(rubric, qa, per_agent_per_week=6)
    with app.test_request_context():
        ranking = spotlight.ranked(candidates.unsampled(plan), candidates.week_label(plan), {}, 10)
    ranked = ranking[(agent.id, "2026-W45")]
    assert [chat_id for chat_id, _ in ranked] == [bad_end.id, slow.id, transferred.id]
    assert ranked[0][1] == [["negative_ending", None], ["review", 2]]
    assert ranked[1][1] == [["first_reply", 540]]
    assert all(c.id not in dict(ranked) for c in plain)


def test_review_waiting_for_confirmation_is_no_evidence(app, db, rubric):
    qa, agent, shop = make_user(roles=("qa",)), make_user(), make_shop()
    make_chat(agent, shop=shop, started_at=MONDAY, order_id="o-2")
    make_review(shop=shop, order_id="o-2", rating=1, sentiment="negative", needs_confirmation=True)
    plan = _plan(rubric, qa)
    with app.test_request_context():
        assert spotlight.ranked(candidates.unsampled(plan), candidates.week_label(plan), {}, 10) == {}


def test_run_records_how_each_sample_was_picked_and_why(db, rubric):
    qa, agent, shop = make_user(roles=("qa",)), make_user(), make_shop()
    for h in range(8):
        make_chat(agent, shop=shop, started_at=MONDAY + timedelta(hours=h))
    long_one = make_chat(agent, shop=shop, started_at=MONDAY, messages=30)
    failing = make_chat(agent, shop=shop, started_at=MONDAY, checks={"greeting": "fail", "closing": "fail"})
    sampling.run(_plan(rubric, qa), qa)
    samples = _samples(db)
    assert Counter(s.picked_by for s in samples.values()) == {"spotlight": 2, "random": 2}
    assert samples[failing.id].reasons == [["failed_checks", 2]]
    assert samples[long_one.id].reasons == [["long_chat", 30]]


def test_new_hire_is_sampled_at_the_higher_rate_and_says_so(db, rubric):
    qa = make_user(roles=("qa",))
    veteran = make_user(hired_at=datetime(2025, 1, 1, tzinfo=UTC))
    rookie = make_user(hired_at=datetime(2026, 10, 21, tzinfo=UTC))
    for agent in (veteran, rookie):
        for h in range(12):
            make_chat(agent, started_at=MONDAY + timedelta(hours=h))
    sampling.run(_plan(rubric, qa, per_agent_per_week=3), qa)
    samples = list(_samples(db).values())
    assert Counter(s.agent_id for s in samples) == {veteran.id: 3, rookie.id: 6}
    assert {tuple(map(tuple, s.reasons)) for s in samples if s.agent_id == rookie.id} == {(("new_hire", 12),)}


def test_running_the_same_plan_on_a_copy_of_the_data_draws_the_same_chats(db, rubric):
    qa, agent = make_user(roles=("qa",)), make_user()
    for h in range(10):
        make_chat(agent, started_at=MONDAY + timedelta(hours=h), transferred=h % 3 == 0)
    sampling.run(_plan(rubric, qa, seed=5), qa)
    first = {(s.chat_id, s.picked_by) for s in _samples(db).values()}
    db.session.execute(sa.delete(Sample))
    sampling.run(_plan(rubric, qa, seed=5, name="Again"), qa)
    assert {(s.chat_id, s.picked_by) for s in _samples(db).values()} == first


def test_chats_without_times_are_sampled_by_import_date_and_counted(app, db, rubric):
    qa, agent = make_user(roles=("qa",)), make_user()
    untimed = make_chat(agent, started_at=MONDAY)
    untimed.started_at = None
    untimed.imported_at = MONDAY + timedelta(days=1)
    make_chat(None, started_at=MONDAY)
    db.session.commit()
    plan = _plan(rubric, qa)
    sampling.run(plan, qa)
    assert _samples(db)[untimed.id].week == "2026-W45"
    with app.test_request_context():
        assert plan_summary.skipped(plan) == {"no_agent": 1, "untimed": 1}


def test_reports_average_random_picks_and_show_spotlight_apart(app, db, rubric, team_setup):
    agent, qa = team_setup["agent"], team_setup["qa"]
    random_pick = submitted_score(make_chat(agent), rubric, qa)
    spot = submitted_score(
        make_chat(agent), rubric, qa, {"greeting": 0, "answer": 1, "offers": 0, "honest": 1}
    )
    spot.sample.picked_by = "spotlight"
    db.session.commit()
    window = dict(start=date(2020, 1, 1), end=date(2100, 1, 1))
    with app.test_request_context():
        main = reports.summary_rows(reports.Filters(**window), "agent")
        apart = reports.summary_rows(reports.Filters(**window, picked="spotlight"), "agent")
    assert [(r["count"], r["mean"]) for r in main] == [(1, random_pick.total)]
    assert [(r["count"], r["mean"]) for r in apart] == [(1, spot.total)]


def test_reason_is_described_with_its_evidence_in_both_languages(app):
    with app.test_request_context():
        assert spotlight.describe("first_reply", 540) == "首次回复用了 9 分钟"
        with force_locale("en"):
            assert spotlight.describe("first_reply", 540) == "first reply after 9 min"
            assert spotlight.describe("review", 2) == "2★ review"
            assert spotlight.describe("new_hire", 12) == "agent hired 12 days ago"


def test_candidate_defaults_to_a_random_pick():
    assert Candidate(1, 2, "2026-W45").picked_by == "random"


def test_random_pick_without_reasons_stores_none(db, rubric):
    qa, agent = make_user(roles=("qa",)), make_user()
    make_chat(agent, started_at=MONDAY)
    sampling.run(_plan(rubric, qa), qa)
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Sample).where(Sample.reasons.is_(None))) == 1
    )


def test_reports_page_shows_spotlight_apart_and_export_keeps_both(client, login_as, db, rubric, team_setup):
    agent, qa = team_setup["agent"], team_setup["qa"]
    submitted_score(make_chat(agent), rubric, qa)
    spot = submitted_score(make_chat(agent), rubric, qa)
    spot.sample.picked_by = "spotlight"
    db.session.commit()
    login_as("qa", locale="zh_CN")
    page = client.get("/qa/reports?group=agent").get_data(as_text=True)
    assert "重点抽样（不计入上方平均分）" in page
    rows = client.get("/qa/reports/scores.csv").get_data(as_text=True).splitlines()
    assert sorted(r.rsplit(",", 1)[1] for r in rows[1:]) == ["random", "spotlight"]


def test_plan_page_lists_why_each_chat_was_picked(client, login_as, db, rubric):
    qa, agent = make_user(roles=("qa",)), make_user()
    make_chat(agent, started_at=MONDAY, checks={"negative_ending": "fail"})
    plan = _plan(rubric, qa)
    sampling.run(plan, qa)
    db.session.commit()
    login_as("qa", locale="zh_CN")
    page = client.get(f"/qa/plans/{plan.id}").get_data(as_text=True)
    assert "这些会话为何被抽中" in page and "负面结束" in page
