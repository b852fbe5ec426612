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


def value_from_check(spec: Spec, result: str) -> float | None:
    """Pre-fill from an automatic check: pass → best value, fail → worst, else left to the grader."""
    low, high = value_range(spec)
    if result == "pass":
        return high
    if result == "fail":
        return low
    return None


def choices(spec: Spec) -> list[float]:
    low, high = value_range(spec)
    return [float(v) for v in range(int(low), int(high) + 1)]
