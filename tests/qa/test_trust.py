"""Check trust: how often graders kept each check's pre-fill, flagged below the configured level."""

from datetime import timedelta

import pytest

from qa_app.dbtypes import utcnow
from qa_app.qa import scores, trust

from ..factories import make_user
from .factories import answers_for, make_chat, make_sample

FULL = {"speed": 3, "strict-speed": 5, "transfer": "na", "polite": 1}


def _submit(setup, rubric, checks, values):
    qa = setup["qa"]
    chat = make_chat(setup["agent"], checks=checks)
    score = scores.start_for_sample(make_sample(chat, rubric, qa), qa)
    return scores.save(
        score,
        qa,
        expected_version=score.version_id,
        submit=True,
        answers=answers_for(score, {**FULL, **values}),
    )


def _period():
    now = utcnow()
    return now - timedelta(days=1), now + timedelta(days=1)


def _row(check, agent_ids=None):
    return next(r for r in trust.by_check(*_period(), agent_ids) if r.check == check)


def test_a_kept_prefill_counts_as_agreement(prefill_rubric, team_setup):
    _submit(team_setup, prefill_rubric, {"first_response_time": ("pass", 30)}, {"speed": 3})
    row = _row("first_response_time")
    assert (row.answers, row.kept, row.rate) == (1, 1, 1.0)


def test_a_changed_prefill_counts_as_disagreement(prefill_rubric, team_setup):
    _submit(team_setup, prefill_rubric, {"first_response_time": ("pass", 30)}, {"speed": 2})
    assert _row("first_response_time").changed == 1


def test_a_kept_na_counts_as_agreement(prefill_rubric, team_setup):
    _submit(team_setup, prefill_rubric, {"transfers": ("pass", 0)}, {"transfer": "na"})
    assert _row("transfers").kept == 1


def test_an_answer_given_instead_of_a_suggested_na_counts_as_disagreement(prefill_rubric, team_setup):
    _submit(team_setup, prefill_rubric, {"transfers": ("pass", 0)}, {"transfer": 3})
    assert _row("transfers").changed == 1


def test_a_confirmed_must_pass_suggestion_counts_as_agreement(prefill_rubric, team_setup):
    _submit(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)}, {"polite": 0})
    assert _row("forbidden_phrases").kept == 1


def test_a_check_below_the_level_with_enough_answers_is_flagged(app, prefill_rubric, team_setup):
    app.config.update(QA_CHECK_TRUST_MIN_AGREEMENT=0.6, QA_CHECK_TRUST_MIN_ANSWERS=2)
    _submit(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)}, {"polite": 0})
    _submit(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)}, {"polite": 1})
    assert _row("forbidden_phrases").low is True


def test_a_check_with_too_few_answers_is_not_flagged(app, prefill_rubric, team_setup):
    app.config.update(QA_CHECK_TRUST_MIN_AGREEMENT=0.6, QA_CHECK_TRUST_MIN_ANSWERS=3)
    _submit(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)}, {"polite": 1})
    assert _row("forbidden_phrases").low is False


def test_disagreements_list_the_changed_answers_only(prefill_rubric, team_setup):
    kept = _submit(team_setup, prefill_rubric, {"first_response_time": ("pass", 30)}, {"speed": 3})
    changed = _submit(team_setup, prefill_rubric, {"first_response_time": ("pass", 30)}, {"speed": 1})
    found = [d.score_id for d in trust.disagreements("first_response_time", *_period())]
    assert found == [changed.id] and kept.id not in found


def test_drafts_are_not_counted(prefill_rubric, team_setup):
    qa = team_setup["qa"]
    chat = make_chat(team_setup["agent"], checks={"first_response_time": ("pass", 30)})
    scores.start_for_sample(make_sample(chat, prefill_rubric, qa), qa)
    assert trust.by_check(*_period()) == []


def test_a_lead_reads_only_their_teams_answers(prefill_rubric, team_setup):
    _submit(team_setup, prefill_rubric, {"first_response_time": ("pass", 30)}, {"speed": 3})
    assert trust.by_check(*_period(), agent_ids=[make_user().id]) == []


# --- the page ----------------------------------------------------------------------------------


def test_agents_cannot_open_the_trust_page(client, login_as):
    login_as("agent")
    assert client.get("/qa/trust").status_code == 403


def test_empty_trust_page_says_what_to_do(client, login_as):
    login_as("qa")
    page = client.get("/qa/trust").get_data(as_text=True)
    assert "Link rubric criteria to automatic checks" in page


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_trust_page_flags_a_low_check_and_links_its_changed_scores(
    app, client, auth, prefill_rubric, team_setup, locale
):
    app.config.update(QA_CHECK_TRUST_MIN_AGREEMENT=0.9, QA_CHECK_TRUST_MIN_ANSWERS=1)
    changed = _submit(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)}, {"polite": 1})
    auth.login_user(make_user(roles=("qa",), locale=locale))
    page = client.get("/qa/trust?check=forbidden_phrases").get_data(as_text=True)
    assert "qa-trust-low" in page and f"/qa/scores/{changed.id}" in page
