"""The QA score list filters: agent (a lead's own teams only), grader, local dates, score range."""

from datetime import UTC, datetime

import pytest

from qa_app.extensions import db as _db

from ..factories import make_team, make_user
from .factories import make_chat, submitted_score

LOW = {"greeting": 0, "answer": 1, "offers": 0, "honest": 0}


@pytest.fixture
def two_scores(db, rubric, team_setup):
    high = submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    other_qa = make_user(roles=("qa",), display_name="Second grader")
    low = submitted_score(make_chat(team_setup["other"]), rubric, other_qa, values=LOW)
    high.submitted_at = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, 3 Nov
    low.submitted_at = datetime(2026, 11, 9, 17, 0, tzinfo=UTC)  # 01:00 on 10 Nov in Shanghai
    _db.session.commit()
    return {"high": high, "low": low, "other_qa": other_qa}


def _ids(client, query: str) -> str:
    return client.get("/qa/scores?" + query).get_data(as_text=True)


def _listed(page: str, score) -> bool:
    return f'href="/qa/scores/{score.id}"' in page


def test_grader_filter_lists_only_that_graders_scores(client, login_as, two_scores):
    login_as("qa")
    page = _ids(client, f"grader={two_scores['other_qa'].id}")
    assert _listed(page, two_scores["low"]) and not _listed(page, two_scores["high"])


def test_date_filter_counts_shop_local_days(client, login_as, two_scores):
    login_as("qa")
    page = _ids(client, "from=2026-11-10&to=2026-11-10")
    assert _listed(page, two_scores["low"]) and not _listed(page, two_scores["high"])


def test_score_range_filter_keeps_scores_within_it(client, login_as, two_scores):
    login_as("qa")
    page = _ids(client, "min=90&max=100")
    assert _listed(page, two_scores["high"]) and not _listed(page, two_scores["low"])


def test_agent_filter_lists_only_that_agents_scores(client, auth, two_scores, team_setup):
    auth.login_user(team_setup["lead"])
    page = _ids(client, f"agent={team_setup['other'].id}")
    assert _listed(page, two_scores["low"]) and not _listed(page, two_scores["high"])


def test_lead_cannot_filter_by_an_agent_of_another_team(client, auth, db, rubric, two_scores, team_setup):
    stranger = make_user(roles=("agent",), team=make_team(lead=make_user(roles=("lead",))))
    submitted_score(make_chat(stranger), rubric, team_setup["qa"])
    auth.login_user(team_setup["lead"])
    page = _ids(client, f"agent={stranger.id}")
    assert "you can only see the agents of your own teams" in page
    assert stranger.display_name not in page


def test_a_score_range_out_of_bounds_names_the_field(client, login_as, two_scores):
    login_as("qa")
    response = client.get("/qa/scores?min=abc&max=150")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Lowest score: enter a number from 0 to 100." in page
    assert "Highest score: enter a number from 0 to 100." in page


def test_a_reversed_date_range_is_refused_with_a_message(client, login_as, two_scores):
    login_as("qa")
    page = _ids(client, "from=2026-11-10&to=2026-11-01")
    assert "From: the first day comes after the last day." in page
    assert _listed(page, two_scores["low"]) and _listed(page, two_scores["high"])


def test_a_date_that_is_not_one_names_the_field(client, login_as, two_scores):
    login_as("qa")
    assert "To: enter a date as YYYY-MM-DD." in _ids(client, "to=tomorrow")
