"""QA models: rubric versions, sampling plans and samples, scores, calibration, disputes.

A score points at the rubric *version* it was made with, so editing a rubric never changes a
past result.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import get_locale

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:  # for the typed relationships; the mappers resolve the names at runtime
    from ..accounts.models import User
    from ..chats.models import Chat

SCALES = ("yes_no", "1-3", "1-5", "points")
SCORE_STATUSES = ("draft", "submitted")
DISPUTE_STATUSES = ("open", "upheld", "changed")
PLAN_MODES = ("per_agent", "percent")


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Localized:
    """`obj.t("title")` picks `title_zh` or `title_en` by the request's language."""

    def t(self, field: str) -> str:
        try:
            zh = get_locale().language == "zh"
        except (AttributeError, RuntimeError):
            zh = True
        first, second = ("zh", "en") if zh else ("en", "zh")
        return getattr(self, f"{field}_{first}") or getattr(self, f"{field}_{second}") or ""


class Rubric(db.Model):
    __tablename__ = "qa_rubrics"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    versions: so.Mapped[list[RubricVersion]] = so.relationship(
        back_populates="rubric", order_by="RubricVersion.number"
    )

    @property
    def current(self) -> RubricVersion | None:
        published = [v for v in self.versions if v.published]
        return published[-1] if published else None


class RubricVersion(Localized, db.Model):
    __tablename__ = "qa_rubric_versions"
    __table_args__ = (sa.UniqueConstraint("rubric_id", "number", name="uq_qa_rubric_versions_number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    rubric_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubrics.id"), index=True)
    number: so.Mapped[int]
    content_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    # the parsed rubric as imported or edited: the source for editing and exporting
    content: so.Mapped[dict] = so.mapped_column(sa.JSON)
    toml_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # "file" (rubrics import) or "ui": a re-import compares with the last version from a file
    source: so.Mapped[str] = so.mapped_column(sa.String(8), default="file")
    published: so.Mapped[bool] = so.mapped_column(default=True)
    title_zh: so.Mapped[str] = so.mapped_column(sa.String(200))
    title_en: so.Mapped[str] = so.mapped_column(sa.String(200))
    description_zh: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    rubric: so.Mapped[Rubric] = so.relationship(back_populates="versions")
    sections: so.Mapped[list[RubricSection]] = so.relationship(
        back_populates="version", order_by="RubricSection.position", cascade="all, delete-orphan"
    )
    criteria: so.Mapped[list[Criterion]] = so.relationship(
        back_populates="version", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    created_by: so.Mapped[User | None] = so.relationship("User")


class RubricSection(Localized, db.Model):
    __tablename__ = "qa_rubric_sections"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubric_versions.id"), index=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(64))
    position: so.Mapped[int]
    title_zh: so.Mapped[str] = so.mapped_column(sa.String(200))
    title_en: so.Mapped[str] = so.mapped_column(sa.String(200))

    version: so.Mapped[RubricVersion] = so.relationship(back_populates="sections")
    criteria: so.Mapped[list[Criterion]] = so.relationship(
        back_populates="section", order_by="Criterion.position"
    )


class Criterion(Localized, db.Model):
    __tablename__ = "qa_criteria"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "key", name="uq_qa_criteria_version_id_key"),
        sa.CheckConstraint(_in("scale", SCALES), name="known_scale"),
        sa.CheckConstraint("weight > 0", name="positive_weight"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubric_versions.id"), index=True)
    section_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubric_sections.id"), index=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(64))
    position: so.Mapped[int]
    title_zh: so.Mapped[str] = so.mapped_column(sa.String(200))
    title_en: so.Mapped[str] = so.mapped_column(sa.String(200))
    guidance_zh: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    guidance_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    weight: so.Mapped[float]
    scale: so.Mapped[str] = so.mapped_column(sa.String(8))
    max_points: so.Mapped[int | None]
    na_allowed: so.Mapped[bool] = so.mapped_column(default=False)
    critical: so.Mapped[bool] = so.mapped_column(default=False)
    auto_check: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    # steps placing the check's measured value on this scale (docs/rubric-format.md); None:
    # yes/no criteria take pass/fail, other scales are not pre-filled
    auto_map: so.Mapped[list | None] = so.mapped_column(sa.JSON)

    version: so.Mapped[RubricVersion] = so.relationship(back_populates="criteria")
    section: so.Mapped[RubricSection] = so.relationship(back_populates="criteria")


class SamplingPlan(db.Model):
    __tablename__ = "qa_sampling_plans"
    __table_args__ = (sa.CheckConstraint(_in("mode", PLAN_MODES), name="known_mode"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    rubric_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubrics.id"), index=True)
    mode: so.Mapped[str] = so.mapped_column(sa.String(16))
    per_agent_per_week: so.Mapped[int | None]
    percent: so.Mapped[float | None]
    date_from: so.Mapped[date]
    date_to: so.Mapped[date]
    # shop_id, channel, tags, failed_checks, negative_review, min_messages, grader_ids
    filters: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    seed: so.Mapped[int]
    # share (0–100) of each stratum's quota taken from the top of the spotlight ranking
    spotlight_percent: so.Mapped[float] = so.mapped_column(default=30, server_default="30")
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_run_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    rubric: so.Mapped[Rubric] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship("User")
    samples: so.Mapped[list[Sample]] = so.relationship(back_populates="plan")


class Sample(db.Model):
    """One chat drawn for one rubric, in one QA specialist's queue."""

    __tablename__ = "qa_samples"
    __table_args__ = (
        # never sampling a chat twice for the same rubric
        sa.UniqueConstraint("chat_id", "rubric_id", name="uq_qa_samples_chat_id_rubric_id"),
        # the queue of a QA specialist
        sa.Index("ix_qa_samples_assigned_to_id_created_at", "assigned_to_id", "created_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    plan_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("qa_sampling_plans.id"), index=True)
    chat_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("chats.id"))
    rubric_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubrics.id"))
    rubric_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubric_versions.id"))
    agent_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    assigned_to_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    week: so.Mapped[str] = so.mapped_column(sa.String(8))  # ISO week of the chat, e.g. 2026-W45
    # "spotlight" (ranked by evidence, `reasons` say which) or "random" (the unbiased part)
    picked_by: so.Mapped[str] = so.mapped_column(sa.String(16), default="random", server_default="random")
    # [[code, value], ...] e.g. [["review", 2], ["first_reply", 540]] (spotlight.REASONS)
    reasons: so.Mapped[list | None] = so.mapped_column(sa.JSON(none_as_null=True))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    plan: so.Mapped[SamplingPlan | None] = so.relationship(back_populates="samples")
    chat: so.Mapped[Chat] = so.relationship("Chat")
    rubric: so.Mapped[Rubric] = so.relationship()
    rubric_version: so.Mapped[RubricVersion] = so.relationship()
    agent: so.Mapped[User] = so.relationship("User", foreign_keys=[agent_id])
    assigned_to: so.Mapped[User] = so.relationship("User", foreign_keys=[assigned_to_id])
    score: so.Mapped[Score | None] = so.relationship(back_populates="sample", uselist=False)


class CalibrationSession(db.Model):
    __tablename__ = "qa_calibration_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    rubric_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubric_versions.id"))
    status: so.Mapped[str] = so.mapped_column(sa.String(8), default="open")  # open | closed
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # ids of chats and graders, in the order chosen
    chat_ids: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    grader_ids: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)

    rubric_version: so.Mapped[RubricVersion] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship("User")
    scores: so.Mapped[list[Score]] = so.relationship(back_populates="calibration")


class Score(db.Model):
    """A grader's review of one chat against one rubric version (a sample or a calibration)."""

    __tablename__ = "qa_scores"
    __evaluation_input__ = ("agent_id", "submitted_at")  # see evaluations/freshness.py
    __table_args__ = (
        sa.UniqueConstraint("sample_id", name="uq_qa_scores_sample_id"),
        sa.UniqueConstraint(
            "calibration_id", "chat_id", "grader_id", name="uq_qa_scores_calibration_chat_grader"
        ),
        sa.CheckConstraint(_in("status", SCORE_STATUSES), name="known_status"),
        # an agent's submitted scores over time (reports, evaluations)
        sa.Index("ix_qa_scores_agent_id_submitted_at", "agent_id", "submitted_at"),
        sa.Index("ix_qa_scores_grader_id_submitted_at", "grader_id", "submitted_at"),
        # the scores list: submitted scores, newest first
        sa.Index("ix_qa_scores_status_submitted_at", "status", "submitted_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sample_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("qa_samples.id"))
    calibration_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("qa_calibration_sessions.id"), index=True
    )
    chat_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("chats.id"), index=True)
    agent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    grader_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    rubric_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_rubric_versions.id"), index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="draft")
    total: so.Mapped[float | None]  # None: every criterion N/A (shown as "—")
    critical_failed: so.Mapped[bool] = so.mapped_column(default=False)
    praise: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    criticism: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    root_causes: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # optimistic locking: every UPDATE checks and bumps it; a stale save is refused
    version_id: so.Mapped[int] = so.mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    sample: so.Mapped[Sample | None] = so.relationship(back_populates="score")
    calibration: so.Mapped[CalibrationSession | None] = so.relationship(back_populates="scores")
    chat: so.Mapped[Chat] = so.relationship("Chat")
    agent: so.Mapped[User | None] = so.relationship("User", foreign_keys=[agent_id])
    grader: so.Mapped[User] = so.relationship("User", foreign_keys=[grader_id])
    rubric_version: so.Mapped[RubricVersion] = so.relationship()
    items: so.Mapped[list[CriterionScore]] = so.relationship(
        back_populates="score", cascade="all, delete-orphan", order_by="CriterionScore.id"
    )
    disputes: so.Mapped[list[Dispute]] = so.relationship(
        back_populates="score", order_by="Dispute.created_at"
    )

    def item_for(self, criterion_id: int) -> CriterionScore | None:
        return next((i for i in self.items if i.criterion_id == criterion_id), None)


class CriterionScore(db.Model):
    __tablename__ = "qa_criterion_scores"
    __table_args__ = (
        sa.UniqueConstraint("score_id", "criterion_id", name="uq_qa_criterion_scores_score_criterion"),
        sa.Index("ix_qa_criterion_scores_criterion_id", "criterion_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    score_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_scores.id", ondelete="CASCADE"))
    criterion_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_criteria.id"))
    value: so.Mapped[float | None]  # None and not na: not answered yet
    na: so.Mapped[bool] = so.mapped_column(default=False)
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # the automatic check that pre-filled this value, and what it proposed when the draft was
    # created: a value or N/A. A proposed must-pass failure is kept here only (value stays None)
    # until the grader confirms it; the trust page compares these with the submitted answer.
    prefilled_from_check: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    auto_value: so.Mapped[float | None]
    auto_na: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    score: so.Mapped[Score] = so.relationship(back_populates="items")
    criterion: so.Mapped[Criterion] = so.relationship()

    @property
    def suggestion(self) -> str | None:
        """None (no pre-fill), "pending" (a must-pass failure not yet confirmed), "kept" or
        "changed" (the answer now differs from what the check proposed)."""
        if not self.prefilled_from_check:
            return None
        if self.auto_na or self.na:
            return "kept" if self.auto_na and self.na else "changed"
        if self.value is None:
            return "pending" if self.auto_value is not None and self.criterion.critical else "changed"
        return "kept" if self.value == self.auto_value else "changed"


class Dispute(db.Model):
    __tablename__ = "qa_disputes"
    __table_args__ = (
        sa.CheckConstraint(_in("status", DISPUTE_STATUSES), name="known_status"),
        sa.Index("ix_qa_disputes_status_created_at", "status", "created_at"),
        # one open dispute per score, whatever the timing of two requests
        sa.Index(
            "uq_qa_disputes_open_score_id",
            "score_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    score_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("qa_scores.id"), index=True)
    raised_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    reason: so.Mapped[str] = so.mapped_column(sa.Text)
    status: so.Mapped[str] = so.mapped_column(sa.String(8), default="open")
    resolution: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    total_before: so.Mapped[float | None]
    total_after: so.Mapped[float | None]
    resolved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    score: so.Mapped[Score] = so.relationship(back_populates="disputes")
    raised_by: so.Mapped[User] = so.relationship("User", foreign_keys=[raised_by_id])
    resolved_by: so.Mapped[User | None] = so.relationship("User", foreign_keys=[resolved_by_id])


class Notification(db.Model):
    """An in-app message for one user; `kind` and `params` are rendered in the reader's language."""

    __tablename__ = "qa_notifications"
    __table_args__ = (sa.Index("ix_qa_notifications_user_id_read_at", "user_id", "read_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    params: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    link: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    read_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
