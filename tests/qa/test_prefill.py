"""Pre-fill of a draft from the chat's checks: on each criterion's scale, honest N/A, must-pass
failures only suggested until the grader confirms them."""

import pytest

from qa_app.qa import scores

from ..factories import make_shop
from .factories import answers_for, make_chat, make_sample


def _draft(setup, rubric, checks, shop=None):
    qa = setup["qa"]
    chat = make_chat(setup["agent"], checks=checks, shop=shop)
    return scores.start_for_sample(make_sample(chat, rubric, qa), qa)


def _item(score, key):
    return next(i for i in score.items if i.criterion.key == key)


def test_a_reply_within_the_limit_prefills_the_middle_point(prefill_rubric, team_setup):
    score = _draft(team_setup, prefill_rubric, {"first_response_time": ("pass", 240)})
    item = _item(score, "speed")
    assert (item.value, item.auto_value, item.prefilled_from_check) == (2, 2, "first_response_time")


def test_the_threshold_follows_the_chat_shops_limit(prefill_rubric, team_setup):
    shop = make_shop(first_response_limit_seconds=120)
    score = _draft(team_setup, prefill_rubric, {"first_response_time": ("fail", 240)}, shop=shop)
    assert _item(score, "speed").value == 1


def test_a_scale_without_a_map_is_left_to_the_grader(prefill_rubric, team_setup):
    score = _draft(team_setup, prefill_rubric, {"first_response_time": ("pass", 20)})
    item = _item(score, "strict-speed")
    assert item.value is None and item.prefilled_from_check is None


def test_a_chat_without_times_prefills_na_and_keeps_it_as_the_suggestion(prefill_rubric, team_setup):
    score = _draft(team_setup, prefill_rubric, {"first_response_time": "not_measurable"})
    item = _item(score, "speed")
    assert (item.na, item.auto_na, item.value) == (True, True, None)


def test_not_measurable_leaves_a_criterion_without_na_blank(prefill_rubric, team_setup):
    score = _draft(team_setup, prefill_rubric, {"first_response_time": "not_measurable"})
    item = _item(score, "strict-speed")
    assert (item.na, item.value) == (False, None)


def test_no_transfer_prefills_na(prefill_rubric, team_setup):
    score = _draft(team_setup, prefill_rubric, {"transfers": ("pass", 0)})
    assert _item(score, "transfer").na is True


def test_a_failed_must_pass_check_is_suggested_but_not_counted(prefill_rubric, team_setup):
    score = _draft(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)})
    item = _item(score, "polite")
    assert (item.value, item.auto_value, item.suggestion) == (None, 0, "pending")


def test_a_draft_total_ignores_an_unconfirmed_must_pass_failure(prefill_rubric, team_setup):
    qa = team_setup["qa"]
    score = _draft(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)})
    scores.save(score, qa, expected_version=score.version_id, answers=answers_for(score, {"speed": 3}))
    assert score.total == 100.0 and not score.critical_failed


def test_submitting_with_an_unconfirmed_suggestion_is_refused_by_name(prefill_rubric, team_setup):
    qa = team_setup["qa"]
    score = _draft(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)})
    with pytest.raises(scores.ScoreError, match="未使用禁用语"):
        scores.save(
            score,
            qa,
            expected_version=score.version_id,
            submit=True,
            answers=answers_for(score, {"speed": 3, "strict-speed": 5, "transfer": "na"}),
        )


def test_a_confirmed_must_pass_failure_zeroes_the_score(prefill_rubric, team_setup):
    qa = team_setup["qa"]
    score = _draft(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)})
    scores.save(
        score,
        qa,
        expected_version=score.version_id,
        submit=True,
        answers=answers_for(score, {"speed": 3, "strict-speed": 5, "transfer": "na", "polite": 0}),
    )
    assert (score.status, score.total, _item(score, "polite").suggestion) == ("submitted", 0.0, "kept")


def test_a_changed_must_pass_suggestion_is_recorded_as_changed(prefill_rubric, team_setup):
    qa = team_setup["qa"]
    score = _draft(team_setup, prefill_rubric, {"forbidden_phrases": ("fail", 1)})
    scores.save(
        score,
        qa,
        expected_version=score.version_id,
        submit=True,
        answers=answers_for(score, {"speed": 3, "strict-speed": 5, "transfer": "na", "polite": 1}),
    )
    assert (score.total, _item(score, "polite").suggestion) == (100.0, "changed")
