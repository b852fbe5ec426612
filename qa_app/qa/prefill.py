"""Pre-filling a draft from the chat's automatic checks, and the suggestions still awaiting the
grader. The rules of the mapping are pure functions in scoring.py (`suggest`)."""

from __future__ import annotations

import sqlalchemy as sa

from ..chats.models import Chat, CheckResult
from ..extensions import db
from . import scoring
from .models import Criterion, CriterionScore, Score
from .rubrics import steps_of

#: a shop without its own first-response limit (the chats domain's default)
DEFAULT_LIMIT_SECONDS = 300


def spec(criterion: Criterion) -> scoring.Spec:
    return scoring.Spec(
        weight=criterion.weight,
        scale=criterion.scale,
        max_points=criterion.max_points,
        critical=criterion.critical,
        na_allowed=criterion.na_allowed,
    )


def _shop_limit(chat_id: int) -> float:
    chat = db.session.get(Chat, chat_id)
    shop = chat.shop if chat is not None else None
    return float(getattr(shop, "first_response_limit_seconds", None) or DEFAULT_LIMIT_SECONDS)


def prefill(score: Score) -> None:
    """Fill criteria linked to an automatic check with what the check suggests on the
    criterion's own scale (scoring.suggest) and keep the suggestion on the answer. A suggested
    must-pass failure is stored as a suggestion only: it counts once the grader confirms it."""
    checks = {
        c.check: c
        for c in db.session.scalars(sa.select(CheckResult).where(CheckResult.chat_id == score.chat_id))
    }
    limit = None
    for item in score.items:
        check = checks.get(item.criterion.auto_check or "")
        if check is None:
            continue
        if limit is None:
            limit = _shop_limit(score.chat_id)
        suggestion = scoring.suggest(
            spec(item.criterion), check.result, check.value, steps_of(item.criterion), limit
        )
        if suggestion is None:
            continue
        item.prefilled_from_check = check.check
        item.auto_value, item.auto_na = suggestion.value, suggestion.na
        item.na = suggestion.na
        item.value = None if suggestion.pending else suggestion.value


def pending_suggestions(score: Score) -> list[CriterionScore]:
    """Suggested must-pass failures the grader has neither confirmed nor changed yet."""
    return [
        i
        for i in score.items
        if i.prefilled_from_check
        and i.auto_value is not None
        and i.value is None
        and not i.na
        and i.criterion.critical
    ]
