"""The chats a sampling plan may draw from: its period and filters in SQL, grouped per
(agent, ISO week) with the week computed in the database, and what the plan drew before."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..chats.models import Chat, CheckResult
from ..extensions import db
from . import spotlight
from .models import Sample, SamplingPlan
from .weeks import iso_week


def bounds(plan: SamplingPlan) -> tuple[datetime, datetime]:
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    start = datetime.combine(plan.date_from, time.min, zone)
    end = datetime.combine(plan.date_to + timedelta(days=1), time.min, zone)
    return start, end


def in_period(plan: SamplingPlan, timed: bool | None = None):
    """Chats of the plan's period: by start, or by import for chats without times (exports
    without them). `timed` True/False: only one kind. The grouped candidate read asks for each
    kind apart, as an OR of both ranges keeps SQLite off ix_chats_agent_id_started_at."""
    start, end = bounds(plan)
    by_start = sa.and_(Chat.started_at >= start, Chat.started_at < end)
    by_import = sa.and_(Chat.started_at.is_(None), Chat.imported_at >= start, Chat.imported_at < end)
    return by_start if timed else by_import if timed is False else sa.or_(by_start, by_import)


def candidate_query(plan: SamplingPlan, timed: bool | None = True) -> sa.Select:
    """Chats the plan may draw from (not yet sampled for its rubric)."""
    f = plan.filters or {}
    stmt = sa.select(Chat.id, Chat.agent_id, Chat.started_at).where(
        Chat.agent_id.is_not(None), in_period(plan, timed)
    )
    if f.get("shop_id"):
        stmt = stmt.where(Chat.shop_id == f["shop_id"])
    if f.get("channel"):
        stmt = stmt.where(Chat.channel == f["channel"])
    if f.get("min_messages"):
        stmt = stmt.where(Chat.message_count >= f["min_messages"])
    if f.get("failed_check"):
        if f["failed_check"] == "any":
            stmt = stmt.where(Chat.failed_checks > 0)
        else:
            stmt = stmt.where(
                sa.exists().where(
                    CheckResult.chat_id == Chat.id,
                    CheckResult.check == f["failed_check"],
                    CheckResult.result == "fail",
                )
            )
    if f.get("negative_review"):
        stmt = stmt.where(_negative_review_exists())
    if f.get("agent_ids"):
        stmt = stmt.where(Chat.agent_id.in_(f["agent_ids"]))
    return stmt


def _negative_review_exists():
    """A review of the chat's order (same shop) that is negative or criticises the service."""
    from ..reviews.models import Review

    return sa.exists().where(
        Review.shop_id == Chat.shop_id,
        Review.order_id == Chat.order_id,
        Chat.order_id.is_not(None),
        sa.or_(
            Review.rating <= 2,
            Review.sentiment == "negative",
            Review.service_polarity.in_(("criticism", "mixed")),
        ),
    )


def _tags_match(chat_tags, wanted: list[str]) -> bool:
    return bool(set(chat_tags or ()) & set(wanted))


def week_label(plan: SamplingPlan, moment=None):
    """SQL giving each chat's ISO week in the shop time zone ("2026-W45"), from the week
    boundaries of the plan's range: no datetime has to be read and converted in Python."""
    tz = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    start, end = bounds(plan)
    monday = datetime.combine(plan.date_from - timedelta(days=plan.date_from.weekday()), time.min, tz)
    whens = []
    while monday < end:
        following = datetime.combine(monday.date() + timedelta(days=7), time.min, tz)
        whens.append(
            ((spotlight.chat_time() if moment is None else moment) < following, iso_week(monday, tz.key))
        )
        monday = following
    return sa.case(*whens)


def by_stratum(plan: SamplingPlan) -> tuple[dict[tuple[int, str], list[int]], dict[tuple[int, str], int]]:
    """Unsampled candidate chat ids per (agent, week) and what this plan already drew there."""
    week = week_label(plan)
    stmt = unsampled(plan, timed=True)
    tags = (plan.filters or {}).get("tags") or []
    strata: dict[tuple[int, str], list[int]] = defaultdict(list)
    if tags:  # JSON lists: matched here, chat by chat
        for chat_id, agent_id, label, chat_tags in db.session.execute(
            unsampled(plan).with_only_columns(Chat.id, Chat.agent_id, week, Chat.tags)
        ):
            if _tags_match(chat_tags, tags):
                strata[(agent_id, label)].append(chat_id)
        return dict(strata), _already(plan)
    # one row per stratum, not per chat (100,000 a week at scale): the ids come joined in one text
    ids = _joined_ids(Chat.id)
    grouped = stmt.with_only_columns(
        Chat.agent_id, week_label(plan, Chat.started_at).label("week"), ids
    ).group_by(Chat.agent_id, sa.literal_column("week"))
    untimed = unsampled(plan, timed=False).with_only_columns(
        Chat.agent_id, week_label(plan, Chat.imported_at).label("week"), ids
    )
    for query in (grouped, untimed.group_by(Chat.agent_id, sa.literal_column("week"))):
        for agent_id, label, joined in db.session.execute(query):
            strata[(agent_id, label)].extend(int(chat_id) for chat_id in joined.split(","))
    return dict(strata), _already(plan)


def unsampled(plan: SamplingPlan, timed: bool | None = None) -> sa.Select:
    return candidate_query(plan, timed).where(
        ~sa.exists().where(Sample.chat_id == Chat.id, Sample.rubric_id == plan.rubric_id)
    )


def _joined_ids(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.string_agg(sa.cast(column, sa.Text), ",")
    return sa.func.group_concat(column, ",")


def _already(plan: SamplingPlan) -> dict[tuple[int, str], int]:
    """What this plan drew before, per (agent, week)."""
    return {
        (agent_id, week): count
        for agent_id, week, count in db.session.execute(
            sa.select(Sample.agent_id, Sample.week, sa.func.count())
            .where(Sample.plan_id == plan.id)
            .group_by(Sample.agent_id, Sample.week)
        )
    }
