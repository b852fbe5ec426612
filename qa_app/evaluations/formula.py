"""The evaluation formula (docs/evaluations.md) as pure functions: no database, no Flask.

Each component is normalised to 0–100:

    qa       = mean total of the agent's submitted QA scores
    training = 100 × on-time completion rate × ON_TIME_SHARE + quiz average × (1 − ON_TIME_SHARE)
               (only one of the two when the other has no data)
    reviews  = 50 + 50 × (p − c) / (p + c), p = praise + mixed, c = criticism + mixed
    service  = 100 × chats answered within the first-response limit / chats measured

A component counts only when it rests on at least its minimum number of rows ("too little
data" otherwise, never zero). With weights wᵢ:

    overall = Σ wᵢ·cᵢ / Σ wᵢ   over the components with enough data,

and None when those components carry less than MIN_WEIGHT_SHARE of the total weight.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

COMPONENTS = ("qa", "training", "reviews", "service")
DEFAULT_WEIGHTS = {"qa": 40.0, "training": 15.0, "reviews": 20.0, "service": 25.0}
DEFAULT_MINIMUMS = {"qa": 3, "training": 1, "reviews": 3, "service": 10}
ON_TIME_SHARE = 0.5
MIN_WEIGHT_SHARE = 0.5
#: thresholds of the coaching flags and outliers
LOW = 70.0
HIGH = 85.0
MANY_CRITICISMS = 3


@dataclass(frozen=True)
class Component:
    key: str
    value: float | None  # 0–100, None without data
    count: int  # rows it rests on
    minimum: int
    details: dict = field(default_factory=dict)  # the raw numbers shown beside it

    @property
    def enough(self) -> bool:
        return self.value is not None and self.count >= self.minimum

    @property
    def state(self) -> str:
        if self.value is None or self.count == 0:
            return "no_data"
        return "ok" if self.enough else "too_little"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Component:
        return cls(
            data["key"],
            data.get("value"),
            int(data.get("count") or 0),
            int(data.get("minimum") or 0),
            dict(data.get("details") or {}),
        )


@dataclass(frozen=True)
class Overall:
    value: float | None
    available_weight: float
    total_weight: float


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def clean_weights(raw) -> dict[str, float]:
    """Weights from a settings value: unknown keys ignored, bad or negative values → default."""
    weights = dict(DEFAULT_WEIGHTS)
    if isinstance(raw, dict):
        for key in COMPONENTS:
            try:
                value = float(raw.get(key, weights[key]))
            except (TypeError, ValueError):
                continue
            if value >= 0 and value == value:  # not NaN
                weights[key] = value
    return weights


def clean_minimums(raw) -> dict[str, int]:
    minimums = dict(DEFAULT_MINIMUMS)
    if isinstance(raw, dict):
        for key in COMPONENTS:
            try:
                value = int(raw.get(key, minimums[key]))
            except (TypeError, ValueError):
                continue
            if value >= 1:
                minimums[key] = value
    return minimums


def qa_component(mean_total: float | None, count: int, critical_failures: int, minimum: int) -> Component:
    value = None if mean_total is None or count == 0 else _round(mean_total)
    return Component("qa", value, count, minimum, {"scores": count, "critical_failures": critical_failures})


def training_component(
    due: int, on_time: int, quiz_average: float | None, attempts: int, minimum: int, overdue: int = 0
) -> Component:
    rate = on_time / due if due else None
    if rate is not None and quiz_average is not None:
        value = 100 * rate * ON_TIME_SHARE + quiz_average * (1 - ON_TIME_SHARE)
    elif rate is not None:
        value = 100 * rate
    else:
        value = quiz_average
    return Component(
        "training",
        _round(value),
        due + attempts,
        minimum,
        {
            "due": due,
            "on_time": on_time,
            "overdue": overdue,
            "on_time_rate": _round(100 * rate) if rate is not None else None,
            "quiz_average": _round(quiz_average),
            "attempts": attempts,
        },
    )


def review_index(praise: int, criticism: int, mixed: int) -> float | None:
    """50 + 50·(p − c)/(p + c), a mixed review counting as both praise and criticism."""
    p, c = praise + mixed, criticism + mixed
    if p + c == 0:
        return None
    return 50 + 50 * (p - c) / (p + c)


def reviews_component(
    praise: int,
    criticism: int,
    mixed: int,
    minimum: int,
    *,
    total: int = 0,
    average_service_rating: float | None = None,
) -> Component:
    index = review_index(praise, criticism, mixed)
    return Component(
        "reviews",
        _round(index),
        praise + criticism + mixed,
        minimum,
        {
            "praise": praise,
            "criticism": criticism,
            "mixed": mixed,
            "total": total,
            "average_service_rating": average_service_rating,
        },
    )


def service_component(
    passed: int, failed: int, minimum: int, *, chats: int = 0, average_first_response: float | None = None
) -> Component:
    measured = passed + failed
    value = 100 * passed / measured if measured else None
    return Component(
        "service",
        _round(value),
        measured,
        minimum,
        {
            "chats": chats,
            "passed": passed,
            "failed": failed,
            "average_first_response": _round(average_first_response),
        },
    )


def overall(components: dict[str, Component], weights: dict[str, float]) -> Overall:
    total = sum(weights.get(key, 0.0) for key in COMPONENTS)
    usable = [
        (weights.get(k, 0.0), c.value)
        for k, c in components.items()
        if k in COMPONENTS and c.enough and weights.get(k, 0.0) > 0
    ]
    available = sum(w for w, _ in usable)
    if total <= 0 or available < MIN_WEIGHT_SHARE * total:
        return Overall(None, available, total)
    return Overall(_round(sum(w * v for w, v in usable) / available), available, total)


def flags(components: dict[str, Component], overall_value: float | None) -> list[str]:
    """Reasons an agent needs coaching, most serious first (codes; the UI labels them)."""
    result = []
    qa = components.get("qa")
    if qa is not None and qa.details.get("critical_failures"):
        result.append("critical_failures")
    if overall_value is not None and overall_value < LOW:
        result.append("low_overall")
    for key in COMPONENTS:
        component = components.get(key)
        if component is not None and component.enough and component.value < LOW:
            result.append(f"low_{key}")
    reviews = components.get("reviews")
    if (
        reviews is not None
        and reviews.details.get("criticism", 0) + reviews.details.get("mixed", 0) >= MANY_CRITICISMS
    ):
        result.append("many_criticisms")
    training = components.get("training")
    if training is not None and training.details.get("overdue"):
        result.append("overdue_training")
    return result


def outliers(components: dict[str, Component]) -> list[str]:
    """Combinations that contradict each other and deserve a look at the evidence."""
    result = []
    qa, reviews, service = (components.get(k) for k in ("qa", "reviews", "service"))
    qa_high = qa is not None and qa.enough and qa.value >= HIGH
    qa_low = qa is not None and qa.enough and qa.value < LOW
    if (
        qa_high
        and reviews is not None
        and (
            reviews.details.get("criticism", 0) + reviews.details.get("mixed", 0) >= MANY_CRITICISMS
            or (reviews.enough and reviews.value < 50)
        )
    ):
        result.append("high_qa_many_criticisms")
    if qa_low and reviews is not None and reviews.enough and reviews.value >= HIGH:
        result.append("low_qa_much_praise")
    if qa_high and service is not None and service.enough and service.value < LOW:
        result.append("high_qa_slow_service")
    return result


def coaching_priority(flag_list: list[str], overall_value: float | None) -> float:
    """Higher first: many serious flags and a low overall."""
    weight = {"critical_failures": 30, "low_overall": 20, "many_criticisms": 15}
    score = sum(weight.get(f, 10) for f in flag_list)
    if overall_value is not None:
        score += max(0.0, 100 - overall_value) / 5
    return score


def criterion_change(before: float | None, after: float | None) -> str:
    """'improved', 'worse', 'same' (within 5 points of 100) or 'unknown' without both sides."""
    if before is None or after is None:
        return "unknown"
    if after - before >= 0.05:
        return "improved"
    if before - after >= 0.05:
        return "worse"
    return "same"
