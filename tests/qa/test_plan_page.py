"""The sampling plan's page: facts, counts, a per-agent table (filterable when long), empty state."""

from datetime import UTC, date, datetime, timedelta

import pytest

from qa_app.qa import plan_summary, sampling

from ..factories import make_user
from .factories import make_chat

MONDAY = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)


def _plan(rubric, qa):
    return sampling.create_plan(
        qa,
        name="Weekly",
        rubric=rubric,
        mode="per_agent",
        per_agent_per_week=1,
        percent=None,
        date_from=date(2026, 11, 2),
        date_to=date(2026, 11, 8),
        filters={},
        seed=11,
    )


@pytest.fixture
def qa(db):
    return make_user(roles=("qa",))


def test_a_plan_never_run_shows_the_empty_state(client, auth, rubric, qa):
    plan = _plan(rubric, qa)
    auth.login_user(qa)
    page = client.get(f"/qa/plans/{plan.id}").get_data(as_text=True)
    assert 'class="empty' in page and "<table" not in page


def test_the_plan_page_uses_the_qa_styles_and_a_facts_card(client, auth, rubric, qa):
    plan = _plan(rubric, qa)
    auth.login_user(qa)
    page = client.get(f"/qa/plans/{plan.id}").get_data(as_text=True)
    assert "qa.css" in page and 'class="qa-facts"' in page and 'class="kpi"' in page


def test_a_run_plan_lists_samples_per_agent_in_a_table(client, auth, db, rubric, qa):
    agent = make_user(display_name="王小美")
    make_chat(agent, started_at=MONDAY)
    plan = _plan(rubric, qa)
    sampling.run(plan, qa)
    db.session.commit()
    auth.login_user(qa)
    page = client.get(f"/qa/plans/{plan.id}").get_data(as_text=True)
    assert "<td>王小美</td>" in page


def test_a_short_per_agent_table_has_no_filter(client, auth, db, rubric, qa):
    make_chat(make_user(), started_at=MONDAY)
    plan = _plan(rubric, qa)
    sampling.run(plan, qa)
    db.session.commit()
    auth.login_user(qa)
    assert 'name="agent"' not in client.get(f"/qa/plans/{plan.id}").get_data(as_text=True)


def test_a_long_per_agent_table_gets_a_name_filter(client, auth, db, rubric, qa):
    for n in range(plan_summary.AGENT_FILTER_FROM):
        make_chat(make_user(display_name=f"客服{n:02d}"), started_at=MONDAY + timedelta(hours=n))
    plan = _plan(rubric, qa)
    sampling.run(plan, qa)
    db.session.commit()
    auth.login_user(qa)
    page = client.get(f"/qa/plans/{plan.id}?agent=客服03").get_data(as_text=True)
    assert 'name="agent"' in page and "<td>客服03</td>" in page and "<td>客服04</td>" not in page


def test_agents_matching_ignores_case_and_surrounding_spaces(db):
    alice, bob = make_user(display_name="Alice"), make_user(display_name="Bob")
    rows = [(alice, 1, 0), (bob, 2, 1)]
    assert plan_summary.agents_matching(rows, "  aLi ") == [(alice, 1, 0)]
