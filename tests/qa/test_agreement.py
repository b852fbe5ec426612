"""Krippendorff's alpha (interval) and deviation from consensus."""

import pytest

from qa_app.qa.agreement import deviations, krippendorff_alpha, spread


def test_perfect_agreement_gives_alpha_one():
    assert krippendorff_alpha([[1, 1], [0, 0], [0.5, 0.5]]) == 1.0


def test_alpha_matches_a_hand_computed_example():
    # values 1,2 | 3,3: D_o = 2/4 = 0.5, D_e = 22/12; α = 1 − 0.5 / (22/12)
    assert krippendorff_alpha([[1, 2], [3, 3]]) == pytest.approx(1 - 0.5 / (22 / 12))


def test_systematic_disagreement_gives_negative_alpha():
    assert krippendorff_alpha([[0, 1], [1, 0]]) < 0


def test_missing_values_and_single_value_units_are_ignored():
    assert krippendorff_alpha([[1, 2, None], [3, 3], [5]]) == krippendorff_alpha([[1, 2], [3, 3]])


def test_alpha_is_undefined_without_variation_or_pairs():
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None
    assert krippendorff_alpha([[1], [None, 0]]) is None


def test_spread_is_largest_minus_smallest():
    assert spread([0.25, 1, None]) == 0.75
    assert spread([1]) is None


def test_deviation_is_mean_distance_from_the_units_mean():
    result = deviations([{1: 1.0, 2: 0.0}, {1: 0.5, 2: 0.5}, {1: 1.0}])
    assert result == {1: 0.25, 2: 0.25}
