"""Grading rules per question type (pure functions, no database)."""

import pytest

from qa_app.training.services.grading import grade, is_correct

from .factories import QUESTIONS, RIGHT


@pytest.mark.parametrize(
    ("given", "right"), [([1], True), ([0], False), ([1, 2], False), (1, True), (None, False), ("1", False)]
)
def test_single_choice_needs_exactly_the_right_choice(given, right):
    assert is_correct("single", [1], 3, given) is right


@pytest.mark.parametrize(
    ("given", "right"),
    [([0, 2], True), ([2, 0], True), ([0], False), ([0, 1, 2], False), ([0, 0, 2], False), ([], False)],
)
def test_multiple_choice_needs_the_exact_set(given, right):
    assert is_correct("multiple", [0, 2], 4, given) is right


@pytest.mark.parametrize(("given", "right"), [(True, True), (False, False), ("true", False), (1, False)])
def test_true_false_needs_the_boolean(given, right):
    assert is_correct("true_false", True, 0, given) is right


@pytest.mark.parametrize(
    ("given", "right"), [([0, 1, 2], True), ([1, 0, 2], False), ([0, 1], False), ([0, 1, 2, 3], False)]
)
def test_ordering_needs_the_whole_order(given, right):
    assert is_correct("ordering", None, 3, given) is right


def test_all_right_scores_100_and_passes():
    result = grade(QUESTIONS, RIGHT, pass_mark=80)
    assert (result.earned, result.possible, result.score, result.passed) == (5, 5, 100.0, True)


def test_score_is_earned_over_possible_points_and_pass_needs_the_mark():
    answers = dict(RIGHT, **{"order-q": [2, 1, 0]})  # the 2-point question wrong
    result = grade(QUESTIONS, answers, pass_mark=60)
    assert (result.earned, result.score, result.passed) == (3, 60.0, True)
    assert grade(QUESTIONS, answers, pass_mark=61).passed is False


def test_unanswered_questions_earn_nothing():
    result = grade(QUESTIONS, {}, pass_mark=0)
    assert result.earned == 0 and result.score == 0.0
    assert [item.correct for item in result.items] == [False] * 4
