"""The formula without a database (docs/evaluations.md)."""

import pytest

from qa_app.evaluations import formula
from qa_app.evaluations.formula import Component


def test_review_index_is_fifty_plus_fifty_times_the_balance():
    assert formula.review_index(praise=3, criticism=1, mixed=0) == 75


def test_mixed_review_counts_as_both_praise_and_criticism():
    # p = 2 + 1, c = 0 + 1 → 50 + 50 × 2/4
    assert formula.review_index(praise=2, criticism=0, mixed=1) == 75


def test_review_index_without_service_reviews_is_undefined():
    assert formula.review_index(0, 0, 0) is None


def test_training_mixes_on_time_rate_and_quiz_average_half_and_half():
    component = formula.training_component(due=4, on_time=3, quiz_average=90.0, attempts=2, minimum=1)
    assert component.value == 0.5 * 75 + 0.5 * 90


def test_training_without_due_courses_is_the_quiz_average():
    assert formula.training_component(0, 0, 82.0, 1, minimum=1).value == 82.0


def test_service_is_first_response_compliance_percent():
    component = formula.service_component(passed=45, failed=5, minimum=20, chats=60)
    assert component.value == 90.0
    assert component.count == 50


def test_component_below_its_minimum_is_too_little_data_not_zero():
    component = formula.qa_component(mean_total=95.0, count=2, critical_failures=0, minimum=3)
    assert component.state == "too_little"
    assert not component.enough
    assert component.value == 95.0


def test_component_without_rows_has_no_data():
    assert formula.qa_component(None, 0, 0, 3).state == "no_data"


def _c(key, value, count=10, minimum=1, **details):
    return Component(key, value, count, minimum, details)


def test_overall_is_weighted_mean_of_components_with_enough_data():
    components = {
        "qa": _c("qa", 80),
        "training": _c("training", 60),
        "reviews": _c("reviews", 100),
        "service": _c("service", 90),
    }
    weights = {"qa": 40, "training": 15, "reviews": 20, "service": 25}
    expected = (40 * 80 + 15 * 60 + 20 * 100 + 25 * 90) / 100
    assert formula.overall(components, weights).value == pytest.approx(expected, abs=0.05)


def test_overall_leaves_out_components_with_too_little_data():
    components = {
        "qa": _c("qa", 80),
        "training": _c("training", 0, count=0),
        "reviews": _c("reviews", 10, count=1, minimum=3),
        "service": _c("service", 90),
    }
    weights = {"qa": 40, "training": 15, "reviews": 20, "service": 25}
    result = formula.overall(components, weights)
    assert result.value == pytest.approx((40 * 80 + 25 * 90) / 65, abs=0.05)
    assert result.available_weight == 65


def test_overall_is_none_when_less_than_half_the_weight_has_data():
    components = {
        "qa": _c("qa", 80, count=1, minimum=3),
        "training": _c("training", 90),
        "reviews": _c("reviews", None, count=0),
        "service": _c("service", 90),
    }
    weights = {"qa": 40, "training": 15, "reviews": 20, "service": 25}
    assert formula.overall(components, weights).value is None  # 40 of 100 available


def test_weights_from_settings_ignore_bad_values():
    weights = formula.clean_weights({"qa": "x", "training": -1, "reviews": 5, "other": 9})
    assert weights == {**formula.DEFAULT_WEIGHTS, "reviews": 5.0}


def test_critical_failures_flag_the_agent_for_coaching_first():
    components = {"qa": _c("qa", 90, critical_failures=1)}
    assert formula.flags(components, 90)[0] == "critical_failures"


def test_high_qa_with_many_criticisms_is_an_outlier():
    components = {"qa": _c("qa", 92), "reviews": _c("reviews", 30, criticism=3, mixed=0)}
    assert "high_qa_many_criticisms" in formula.outliers(components)


def test_criterion_change_compares_fractions():
    assert formula.criterion_change(0.4, 0.8) == "improved"
    assert formula.criterion_change(0.8, 0.4) == "worse"
    assert formula.criterion_change(0.8, 0.82) == "same"
    assert formula.criterion_change(None, 0.8) == "unknown"


def test_worked_example_in_the_documentation():
    """docs/evaluations.md, "Worked example": keep the two in step."""
    mins = formula.DEFAULT_MINIMUMS
    components = {
        "qa": formula.qa_component(sum([82, 90, 76, 88, 94]) / 5, 5, 0, mins["qa"]),
        "training": formula.training_component(2, 1, 80.0, 2, mins["training"]),
        "reviews": formula.reviews_component(4, 1, 1, mins["reviews"]),
        "service": formula.service_component(38, 2, mins["service"], chats=42),
    }
    assert [c.value for c in components.values()] == [86.0, 65.0, 71.4, 95.0]
    assert formula.overall(components, formula.DEFAULT_WEIGHTS).value == 82.2
    components["reviews"] = formula.reviews_component(2, 0, 0, mins["reviews"])
    assert formula.overall(components, formula.DEFAULT_WEIGHTS).value == 84.9
