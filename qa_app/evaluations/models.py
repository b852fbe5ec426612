"""Evaluations of agents per period, the lead's notes and coaching sessions.

A draft evaluation is never stored: it is computed live from the evidence. Finalising stores
an `Evaluation` row with the weights and numbers of that moment, and from then on the page reads
that snapshot, whatever happens to the evidence later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:  # for the typed relationships; the mappers resolve the names at runtime
    from ..accounts.models import User


class Evaluation(db.Model):
    __tablename__ = "evaluations"
    __table_args__ = (
        sa.UniqueConstraint("agent_id", "period", name="uq_evaluations_agent_id_period"),
        sa.CheckConstraint("status IN ('final')", name="known_status"),
        # the dashboard: all final evaluations of a period
        sa.Index("ix_evaluations_period", "period"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    agent_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    period: so.Mapped[str] = so.mapped_column(sa.String(8))  # "2026-11", "2026-W47", "2026-Q4"
    status: so.Mapped[str] = so.mapped_column(sa.String(8), default="final")
    weights: so.Mapped[dict] = so.mapped_column(sa.JSON)
    minimums: so.Mapped[dict] = so.mapped_column(sa.JSON)
    components: so.Mapped[dict] = so.mapped_column(sa.JSON)
    overall: so.Mapped[float | None]
    # the lead's notes and coaching outcome as they were when finalised
    extras: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    finalised_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    finalised_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    agent: so.Mapped[User] = so.relationship("User", foreign_keys=[agent_id])
    finalised_by: so.Mapped[User | None] = so.relationship("User", foreign_keys=[finalised_by_id])


class LeadNote(db.Model):
    """A lead's own written praise and criticism of an agent for one period."""

    __tablename__ = "evaluation_lead_notes"
    __table_args__ = (
        sa.UniqueConstraint("agent_id", "period", name="uq_evaluation_lead_notes_agent_id_period"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    agent_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    period: so.Mapped[str] = so.mapped_column(sa.String(8))
    praise: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    criticism: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agent: so.Mapped[User] = so.relationship("User", foreign_keys=[agent_id])
    author: so.Mapped[User | None] = so.relationship("User", foreign_keys=[author_id])


class CoachingSession(db.Model):
    __tablename__ = "coaching_sessions"
    __table_args__ = (
        # an agent's sessions, newest first
        sa.Index("ix_coaching_sessions_agent_id_held_on", "agent_id", "held_on"),
        sa.Index("ix_coaching_sessions_lead_id_follow_up_on", "lead_id", "follow_up_on"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    agent_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    lead_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    held_on: so.Mapped[date] = so.mapped_column(sa.Date)
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    actions: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    follow_up_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    criterion_keys: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    chat_ids: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    review_ids: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    agent: so.Mapped[User] = so.relationship("User", foreign_keys=[agent_id])
    lead: so.Mapped[User | None] = so.relationship("User", foreign_keys=[lead_id])


class InputStamp(db.Model):
    """A change counter for one agent's evaluation inputs of one UTC month or ISO week
    (freshness.py).

    Every committed write to a row an evaluation reads adds 1 to the stamps of that row's agent
    and of the UTC month and the UTC week of its date, in the writer's transaction. agent_id 0
    stands for every agent, bucket "*" for every date. Counters only grow and rows are never
    deleted, so the sum of the stamps covering an agent's period changes whenever any of its
    inputs does.
    """

    __tablename__ = "evaluation_input_stamps"

    agent_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    bucket: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)  # 2026-11, 2026-W47, *
    version: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=1)


class CachedStats(db.Model):
    """One agent's evidence counts for one period, as computed live, with the sum of the input
    stamps they were computed from (cache.py). Weights and minimums are applied on every read,
    so a settings change needs no invalidation."""

    __tablename__ = "evaluation_cached_stats"

    agent_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    period: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)
    inputs: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    # overdue courses depend on the date: a row of a period not over yet holds for that day only
    computed_on: so.Mapped[date] = so.mapped_column(sa.Date)
    stats: so.Mapped[dict] = so.mapped_column(sa.JSON)
    computed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
