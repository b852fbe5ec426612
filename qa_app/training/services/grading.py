"""Grading: pure functions, one rule per question type (docs/course-format.md).

- single, true_false: the points when the answer is exactly right;
- multiple: the points only when the selected set equals the correct set;
- ordering: the points only when the whole order is right (choices are stored in that order).
A missing or malformed answer earns nothing. Score = earned / possible × 100.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemResult:
    key: str
    correct: bool
    earned: int
    points: int


@dataclass(frozen=True)
class Result:
    items: list[ItemResult]
    earned: int
    possible: int
    score: float
    passed: bool


def _indexes(value) -> list[int] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return list(value)
    return None


def is_correct(qtype: str, answer, choice_count: int, given) -> bool:
    """Whether `given` (what the learner submitted) answers the question right."""
    if given is None:
        return False
    if qtype == "true_false":
        return isinstance(given, bool) and given is bool(answer)
    picked = _indexes(given)
    if picked is None:
        return False
    if qtype == "single":
        return len(picked) == 1 and picked == list(answer or [])
    if qtype == "multiple":
        return len(picked) == len(set(picked)) and set(picked) == set(answer or [])
    if qtype == "ordering":
        return picked == list(range(choice_count))
    raise ValueError(f"unknown question type {qtype!r}")


def grade_question(qtype: str, answer, choice_count: int, points: int, given) -> tuple[bool, int]:
    correct = is_correct(qtype, answer, choice_count, given)
    return correct, points if correct else 0


def grade(questions, answers: dict, pass_mark: int) -> Result:
    """Grade `answers` ({question key: given}) against `questions` (objects or dicts with
    key, type, answer, choices, points)."""
    items = []
    for q in questions:
        get = q.get if isinstance(q, dict) else (lambda name, q=q: getattr(q, name))
        points = get("points") or 1
        correct, earned = grade_question(
            get("type"), get("answer"), len(get("choices") or []), points, answers.get(get("key"))
        )
        items.append(ItemResult(get("key"), correct, earned, points))
    earned = sum(i.earned for i in items)
    possible = sum(i.points for i in items)
    score = round(earned * 100 / possible, 1) if possible else 0.0
    return Result(items, earned, possible, score, possible > 0 and score >= pass_mark)
