"""The score formula (docs/rubric-format.md, docs/qa.md) as pure functions.

For each answered, non-N/A criterion i with weight wᵢ the earned fraction fᵢ is
yes_no: yes = 1, no = 0; 1-3: (v − 1) / 2; 1-5: (v − 1) / 4; points: v / max_points.

    score = 100 × Σ wᵢ·fᵢ / Σ wᵢ

A critical criterion is failed when its fraction is 0; any failed critical criterion makes the
score 0. With every criterion N/A (or none answered) the score is undefined: None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: the value a grader picks for each scale: lowest and highest
SCALE_RANGE = {"yes_no": (0, 1), "1-3": (1, 3), "1-5": (1, 5)}


class ScaleError(ValueError):
    """A value outside the criterion's scale."""


@dataclass(frozen=True)
class Spec:
    """What the formula needs to know about a criterion."""

    weight: float
    scale: str
    max_points: int | None = None
    critical: bool = False
    na_allowed: bool = False


@dataclass(frozen=True)
class Answer:
    spec: Spec
    value: float | None  # None: not answered
    na: bool = False


@dataclass(frozen=True)
class Result:
    total: float | None
    critical_failed: bool
    earned: float  # Σ wᵢ·fᵢ
    possible: float  # Σ wᵢ
    unanswered: int


def value_range(spec: Spec) -> tuple[float, float]:
    if spec.scale == "points":
        return 0, float(spec.max_points or 0)
    low, high = SCALE_RANGE[spec.scale]
    return float(low), float(high)


def valid_value(spec: Spec, value: float) -> bool:
    low, high = value_range(spec)
    return low <= value <= high and float(value).is_integer()


def fraction(spec: Spec, value: float) -> float:
    """The earned fraction fᵢ of one answered criterion, in [0, 1]."""
    if not valid_value(spec, value):
        raise ScaleError(f"{value} is outside the {spec.scale} scale")
    if spec.scale == "yes_no":
        return float(value)
    if spec.scale == "1-3":
        return (value - 1) / 2
    if spec.scale == "1-5":
        return (value - 1) / 4
    return value / spec.max_points


def compute(answers: Iterable[Answer]) -> Result:
    """The total of a review: weighted earned / weighted possible × 100, critical failures applied."""
    earned = possible = 0.0
    critical_failed = False
    unanswered = 0
    for answer in answers:
        if answer.na:
            continue
        if answer.value is None:
            unanswered += 1
            continue
        f = fraction(answer.spec, answer.value)
        earned += answer.spec.weight * f
        possible += answer.spec.weight
        if answer.spec.critical and f == 0:
            critical_failed = True
    if possible == 0:
        total = None
    elif critical_failed:
        total = 0.0
    else:
        total = round(100 * earned / possible, 2)
    return Result(total, critical_failed, earned, possible, unanswered)


#: the bound a step may name instead of a number: the chat's shop first-response limit
SHOP_LIMIT = "shop_limit"
NA, GRADER = "na", "grader"


@dataclass(frozen=True)
class Step:
    """One step of a criterion's pre-fill map: a measured value up to `max` (inclusive; None on
    the last step: anything larger) gives `value`, a scale point, N/A (NA) or nothing (GRADER)."""

    value: float | str
    max: float | str | None = None


@dataclass(frozen=True)
class Suggestion:
    """What a check proposes for a criterion. `pending`: a must-pass failure, which counts only
    once the grader confirms it; until then the answer stays empty."""

    value: float | None = None
    na: bool = False
    pending: bool = False


def _step_for(steps: tuple[Step, ...], measured: float, shop_limit: float) -> Step:
    """The first step whose bound the value stays within. Bounds before a "shop_limit" step are
    capped at the limit, so a shop with a stricter limit never sees a slow reply scored high."""
    capped = any(step.max == SHOP_LIMIT for step in steps)
    for step in steps:
        if step.max is None:
            return step
        if step.max == SHOP_LIMIT:
            bound, capped = shop_limit, False
        else:
            bound = min(float(step.max), shop_limit) if capped else float(step.max)
        if measured <= bound:
            return step
    return steps[-1]


def _mapped(
    spec: Spec, result: str, measured: float | None, steps: tuple[Step, ...], shop_limit: float
) -> float | str | None:
    if measured is None:
        # a failure without a figure (a customer never answered) is beyond every bound; a pass
        # without one says nothing about where on the scale the chat sits
        return steps[-1].value if result == "fail" else None
    return _step_for(steps, measured, shop_limit).value


def suggest(
    spec: Spec,
    result: str | None,
    measured: float | None = None,
    steps: tuple[Step, ...] = (),
    shop_limit: float = 300,
) -> Suggestion | None:
    """The pre-fill a check result gives a criterion, or None when the grader decides alone.

    With `steps` the measured value is placed on the criterion's own scale; without them a yes/no
    criterion takes pass = yes, fail = no and any other scale is not pre-filled (a pass says
    nothing about which point of a 1-3 or 1-5 scale the chat earned). A check that could not
    measure the chat gives N/A where the criterion allows it and nothing otherwise."""
    if result is None:
        return None
    if result == "not_measurable":
        return Suggestion(na=True) if spec.na_allowed else None
    if steps:
        value = _mapped(spec, result, measured, steps, shop_limit)
    elif spec.scale == "yes_no" and result in ("pass", "fail"):
        value = 1.0 if result == "pass" else 0.0
    else:
        value = None
    if value is None or value == GRADER:
        return None
    if value == NA:
        return Suggestion(na=True) if spec.na_allowed else None
    value = float(value)
    if not valid_value(spec, value):
        return None
    return Suggestion(value=value, pending=spec.critical and fraction(spec, value) == 0)


def choices(spec: Spec) -> list[float]:
    low, high = value_range(spec)
    return [float(v) for v in range(int(low), int(high) + 1)]
