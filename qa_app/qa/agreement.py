"""Agreement between graders: Krippendorff's alpha (interval metric) as a pure function.

Each *unit* is one thing several graders judged (a criterion of a chat, or a chat's total); its
values are the graders' earned fractions (0…1), N/A and unanswered left out. Only units with at
least two values can be compared ("pairable"); n is the number of pairable values.

    D_o = 1/n · Σ_units 1/(m_u − 1) · Σ_{i≠j in unit} (v_i − v_j)²     observed disagreement
    D_e = 1/(n(n − 1)) · Σ_{i≠j over all pairable values} (v_i − v_j)²  disagreement by chance
    α   = 1 − D_o / D_e

α = 1 is perfect agreement, 0 is what chance would give, below 0 is systematic disagreement.
With no variation at all (D_e = 0) or fewer than two pairable values α is undefined: None.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import mean


def _pair_sum(values: Sequence[float]) -> float:
    """Σ over ordered pairs i≠j of (v_i − v_j)², in O(m) via Σ(v−mean)²·2m."""
    m = len(values)
    if m < 2:
        return 0.0
    mu = sum(values) / m
    return 2 * m * sum((v - mu) ** 2 for v in values)


def krippendorff_alpha(units: Iterable[Sequence[float | None]]) -> float | None:
    """Krippendorff's alpha, interval metric, over units of graders' values (None = missing)."""
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    n = sum(len(unit) for unit in pairable)
    if n < 2:
        return None
    observed = sum(_pair_sum(unit) / (len(unit) - 1) for unit in pairable) / n
    everything = [v for unit in pairable for v in unit]
    expected = _pair_sum(everything) / (n * (n - 1))
    if expected == 0:
        return None
    return 1 - observed / expected


def spread(values: Sequence[float | None]) -> float | None:
    """Largest minus smallest value of a unit: 0 means the graders agree."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return None
    return max(present) - min(present)


def deviations(units: Iterable[dict[int, float | None]]) -> dict[int, float]:
    """Each grader's mean absolute distance from the consensus (the mean of all graders' values)
    over the units they answered that at least one other grader answered too."""
    distances: dict[int, list[float]] = {}
    for unit in units:
        present = {g: v for g, v in unit.items() if v is not None}
        if len(present) < 2:
            continue
        consensus = mean(present.values())
        for grader, value in present.items():
            distances.setdefault(grader, []).append(abs(value - consensus))
    return {grader: mean(values) for grader, values in distances.items()}
