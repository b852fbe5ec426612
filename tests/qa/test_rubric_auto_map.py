"""Validation of a criterion's `auto_map` (docs/rubric-format.md) on import and in the editor."""

import pytest

from qa_app.qa import rubrics

CRITERION = """
title = {{ zh = "表", en = "Rubric" }}
[[sections]]
key = "main"
title = {{ zh = "主要", en = "Main" }}
  [[sections.criteria]]
  key = "speed"
  title = {{ zh = "速度", en = "Speed" }}
  weight = 1
  scale = "{scale}"
  na_allowed = {na}
  {check}
  auto_map = {steps}
"""


def _parse(
    steps: str, scale: str = "1-3", na: str = "true", check: str = 'auto_check = "first_response_time"'
) -> dict:
    return rubrics.parse(CRITERION.format(steps=steps, scale=scale, na=na, check=check), "r.toml")


def _error(**kwargs) -> str:
    with pytest.raises(rubrics.RubricError) as raised:
        _parse(**kwargs)
    return str(raised.value)


def test_a_valid_map_is_kept_with_the_criterion():
    content = _parse('[{ max = 60, value = 3 }, { max = "shop_limit", value = 2 }, { value = 1 }]')
    assert content["sections"][0]["criteria"][0]["auto_map"] == [
        {"max": 60, "value": 3},
        {"max": "shop_limit", "value": 2},
        {"max": None, "value": 1},
    ]


def test_a_value_off_the_scale_is_refused_naming_the_step():
    message = _error(steps="[{ max = 60, value = 4 }, { value = 1 }]")
    assert "auto_map[1].value" in message and "1-3" in message


def test_na_needs_na_allowed():
    assert "na_allowed" in _error(steps='[{ max = 0, value = "na" }, { value = 1 }]', na="false")


def test_bounds_must_grow():
    assert "larger than" in _error(steps="[{ max = 300, value = 3 }, { max = 60, value = 2 }, { value = 1 }]")


def test_the_last_step_takes_no_bound():
    assert "auto_map[2].max" in _error(steps="[{ max = 60, value = 3 }, { max = 300, value = 1 }]")


def test_every_other_step_needs_a_bound():
    assert "auto_map[1].max" in _error(steps="[{ value = 3 }, { value = 1 }]")


def test_a_map_needs_a_check_that_measures_a_number():
    assert "measures no number" in _error(
        steps="[{ max = 1, value = 3 }, { value = 1 }]", check='auto_check = "greeting"'
    )


def test_a_map_without_a_check_is_refused():
    assert "needs auto_check" in _error(steps="[{ max = 1, value = 3 }, { value = 1 }]", check="")


def test_unknown_keys_in_a_step_are_refused():
    assert "auto_map[1]" in _error(steps="[{ upto = 60, value = 3 }, { value = 1 }]")


def test_the_library_rubrics_map_their_time_criteria():
    parsed = rubrics.read_dir(rubrics.Path(__file__).resolve().parents[2] / "rubrics")
    speed = next(
        c for s in parsed["etiquette"][0]["sections"] for c in s["criteria"] if c["key"] == "first-response"
    )
    assert speed["na_allowed"] and speed["auto_map"][1] == {"max": "shop_limit", "value": 2}


def test_the_rubric_page_shows_each_criterions_map(client, login_as, prefill_rubric):
    login_as("qa")
    page = client.get(f"/qa/rubrics/{prefill_rubric.id}").get_data(as_text=True)
    assert "≤ 60 → 3 · ≤ shop limit → 2 · otherwise → 1" in page
