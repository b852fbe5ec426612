"""Pre-fill as a pure function: a check's result and measured value placed on each scale."""

from qa_app.qa.scoring import GRADER, NA, SHOP_LIMIT, Spec, Step, Suggestion, suggest

YES_NO = Spec(1, "yes_no")
ONE_TO_THREE = Spec(1, "1-3", na_allowed=True)
ONE_TO_FIVE = Spec(1, "1-5")
POINTS = Spec(1, "points", max_points=4)
MUST_PASS = Spec(1, "yes_no", critical=True)
FIRST_RESPONSE = (Step(3, 60), Step(2, SHOP_LIMIT), Step(1))
TRANSFERS = (Step(NA, 0), Step(GRADER, 1), Step(1))


def test_yes_no_takes_pass_as_yes():
    assert suggest(YES_NO, "pass") == Suggestion(value=1.0)


def test_yes_no_takes_fail_as_no():
    assert suggest(YES_NO, "fail") == Suggestion(value=0.0)


def test_a_scale_without_a_map_is_not_prefilled_from_a_pass():
    assert suggest(ONE_TO_FIVE, "pass", 12) is None


def test_a_pass_within_the_shop_limit_but_over_a_minute_is_the_middle_point():
    assert suggest(ONE_TO_THREE, "pass", 240, FIRST_RESPONSE, shop_limit=300).value == 2


def test_a_reply_within_a_minute_is_the_top_point():
    assert suggest(ONE_TO_THREE, "pass", 45, FIRST_RESPONSE, shop_limit=300).value == 3


def test_a_bound_is_inclusive():
    assert suggest(ONE_TO_THREE, "pass", 60, FIRST_RESPONSE, shop_limit=300).value == 3


def test_a_reply_over_the_shop_limit_is_the_lowest_point():
    assert suggest(ONE_TO_THREE, "fail", 301, FIRST_RESPONSE, shop_limit=300).value == 1


def test_the_shop_limit_moves_the_pass_point():
    assert suggest(ONE_TO_THREE, "fail", 200, FIRST_RESPONSE, shop_limit=120).value == 1


def test_a_failure_without_a_figure_takes_the_last_step():
    # the customer was never answered: slower than every bound
    assert suggest(ONE_TO_THREE, "fail", None, FIRST_RESPONSE).value == 1


def test_a_pass_without_a_figure_is_left_to_the_grader():
    assert suggest(ONE_TO_THREE, "pass", None, FIRST_RESPONSE) is None


def test_no_transfer_is_not_applicable():
    assert suggest(ONE_TO_THREE, "pass", 0, TRANSFERS) == Suggestion(na=True)


def test_one_transfer_is_left_to_the_grader():
    assert suggest(ONE_TO_THREE, "pass", 1, TRANSFERS) is None


def test_bounced_customer_is_the_lowest_point():
    assert suggest(ONE_TO_THREE, "fail", 2, TRANSFERS).value == 1


def test_points_scale_takes_the_mapped_point():
    steps = (Step(4, 0), Step(2, 1), Step(0))
    assert suggest(POINTS, "fail", 1, steps).value == 2


def test_not_measurable_is_na_where_the_criterion_allows_it():
    assert suggest(ONE_TO_THREE, "not_measurable", None, FIRST_RESPONSE) == Suggestion(na=True)


def test_not_measurable_is_left_blank_where_na_is_not_allowed():
    assert suggest(YES_NO, "not_measurable") is None


def test_a_mapped_na_is_left_blank_where_na_is_not_allowed():
    assert suggest(Spec(1, "1-3"), "pass", 0, TRANSFERS) is None


def test_a_missing_check_suggests_nothing():
    assert suggest(YES_NO, None) is None


def test_a_failed_must_pass_check_is_only_a_pending_suggestion():
    assert suggest(MUST_PASS, "fail") == Suggestion(value=0.0, pending=True)


def test_a_passed_must_pass_check_is_an_ordinary_prefill():
    assert suggest(MUST_PASS, "pass") == Suggestion(value=1.0)


def test_a_stricter_shop_limit_caps_the_bounds_before_it():
    # 45 s is over this shop's 30 s limit: it fails the check and cannot be the top point
    assert suggest(ONE_TO_THREE, "fail", 45, FIRST_RESPONSE, shop_limit=30).value == 1
