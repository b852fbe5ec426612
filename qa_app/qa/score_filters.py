"""Filters of the QA score list (/qa/scores): agent, grader, rubric, local dates and a score range.

Every value is checked; a bad one gives a message naming the field and the list is not filtered
by it. A lead may only filter by the agents of their own teams (the list shows nothing else)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..extensions import db
from ..ui.inputs import parse_date, parse_int
from . import queue
from .models import Score

TOTAL_MIN, TOTAL_MAX = 0.0, 100.0


@dataclass
class ScoreFilters:
    agent_id: int | None = None
    grader_id: int | None = None
    rubric_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    min_total: float | None = None
    max_total: float | None = None
    errors: list[str] = field(default_factory=list)


def _int(args, name: str, label, f: ScoreFilters) -> int | None:
    raw = (args.get(name) or "").strip()
    try:
        value = parse_int(raw)
    except ValueError:
        value = None
    if raw and value is None:
        f.errors.append(str(_l("%(field)s: choose one from the list.", field=label)))
    return value


def _date(args, name: str, label, f: ScoreFilters) -> date | None:
    raw = (args.get(name) or "").strip()
    try:
        day = parse_date(raw)
    except ValueError as error:
        f.errors.append(f"{label}: {error}")
        return None
    if raw and day is None:
        f.errors.append(str(_l("%(field)s: enter a date as YYYY-MM-DD.", field=label)))
    return day


def _total(args, name: str, label, f: ScoreFilters) -> float | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not TOTAL_MIN <= value <= TOTAL_MAX:  # also refuses nan and inf
        f.errors.append(str(_l("%(field)s: enter a number from 0 to 100.", field=label)))
        return None
    return value


def parse(args, viewer: User) -> ScoreFilters:
    f = ScoreFilters()
    f.agent_id = _int(args, "agent", _l("Agent"), f)
    f.grader_id = _int(args, "grader", _l("Grader"), f)
    f.rubric_id = _int(args, "rubric", _l("Rubric"), f)
    f.date_from = _date(args, "from", _l("From"), f)
    f.date_to = _date(args, "to", _l("To"), f)
    f.min_total = _total(args, "min", _l("Lowest score"), f)
    f.max_total = _total(args, "max", _l("Highest score"), f)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        f.errors.append(str(_l("From: the first day comes after the last day.")))
        f.date_from = f.date_to = None
    if f.min_total is not None and f.max_total is not None and f.min_total > f.max_total:
        f.errors.append(str(_l("Lowest score: it is above the highest score.")))
        f.min_total = f.max_total = None
    if f.agent_id and f.agent_id not in {a.id for a in agent_options(viewer)}:
        f.errors.append(str(_l("Agent: you can only see the agents of your own teams.")))
        f.agent_id = None
    return f


def query(viewer: User, f: ScoreFilters) -> sa.Select:
    """Submitted scores the viewer may see, narrowed by the filters; dates are shop-local days."""
    stmt = queue.scores_query(viewer, agent_id=f.agent_id, grader_id=f.grader_id, rubric_id=f.rubric_id)
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    if f.date_from:
        stmt = stmt.where(Score.submitted_at >= datetime.combine(f.date_from, time.min, zone))
    if f.date_to:
        stmt = stmt.where(
            Score.submitted_at < datetime.combine(f.date_to + timedelta(days=1), time.min, zone)
        )
    if f.min_total is not None:
        stmt = stmt.where(Score.total >= f.min_total)
    if f.max_total is not None:
        stmt = stmt.where(Score.total <= f.max_total)
    return stmt


def _people(column, viewer: User) -> list[User]:
    visible = queue.scores_query(viewer).order_by(None).with_only_columns(column).distinct()
    return list(
        db.session.scalars(sa.select(User).where(User.id.in_(visible)).order_by(User.display_name, User.id))
    )


def agent_options(viewer: User) -> list[User]:
    """Agents the viewer may filter by: a lead's own teams' members, else agents with scores."""
    if viewer.has_role("lead") and not viewer.has_any_role("qa", "admin", "trainer"):
        return sorted(
            {m for team in viewer.led_teams for m in team.members}, key=lambda u: (u.display_name, u.id)
        )
    return _people(Score.agent_id, viewer)


def grader_options(viewer: User) -> list[User]:
    return _people(Score.grader_id, viewer)
