"""The score formula of docs/rubric-format.md, as pure functions."""

import pytest

from qa_app.qa.scoring import Answer, ScaleError, Spec, compute, fraction

YES_NO = Spec(weight=1, scale="yes_no")


def test_fractions_follow_each_scale():
    assert fraction(Spec(1, "yes_no"), 1) == 1 and fraction(Spec(1, "yes_no"), 0) == 0
    assert fraction(Spec(1, "1-3"), 2) == 0.5
    assert fraction(Spec(1, "1-5"), 4) == 0.75
    assert fraction(Spec(1, "points", max_points=4), 3) == 0.75


def test_score_is_weighted_earned_over_weighted_possible():
    result = compute(
        [
            Answer(Spec(5, "yes_no"), 1),
            Answer(Spec(20, "1-5"), 4),
            Answer(Spec(10, "points", max_points=4), 2),
        ]
    )
    # (5·1 + 20·0.75 + 10·0.5) / 35 = 25 / 35
    assert result.total == pytest.approx(71.43, abs=0.01)


def test_weights_change_the_score():
    light = compute([Answer(Spec(1, "yes_no"), 0), Answer(Spec(3, "yes_no"), 1)])
    heavy = compute([Answer(Spec(3, "yes_no"), 0), Answer(Spec(1, "yes_no"), 1)])
    assert (light.total, heavy.total) == (75.0, 25.0)


def test_na_drops_the_criterion_from_the_denominator():
    result = compute([Answer(Spec(1, "yes_no"), 1), Answer(Spec(9, "1-3", na_allowed=True), None, na=True)])
    assert result.total == 100.0 and result.possible == 1


def test_critical_failure_zeroes_the_score():
    result = compute([Answer(Spec(50, "1-5"), 5), Answer(Spec(1, "yes_no", critical=True), 0)])
    assert result.total == 0.0 and result.critical_failed


def test_lowest_step_of_a_critical_scale_is_a_failure():
    assert compute([Answer(Spec(1, "1-3", critical=True), 1), Answer(YES_NO, 1)]).critical_failed


def test_critical_criterion_passed_keeps_the_score():
    result = compute([Answer(Spec(1, "yes_no", critical=True), 1), Answer(YES_NO, 0)])
    assert result.total == 50.0 and not result.critical_failed


def test_all_na_leaves_the_score_undefined_not_zero():
    result = compute([Answer(Spec(1, "yes_no", na_allowed=True), None, na=True)])
    assert result.total is None


def test_unanswered_criteria_are_counted_and_left_out():
    result = compute([Answer(YES_NO, 1), Answer(YES_NO, None)])
    assert result.unanswered == 1 and result.total == 100.0


def test_value_outside_the_scale_is_refused():
    with pytest.raises(ScaleError):
        fraction(Spec(1, "1-5"), 6)
    with pytest.raises(ScaleError):
        fraction(Spec(1, "points", max_points=4), 2.5)
