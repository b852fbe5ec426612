"""Customer reviews, who they are attributed to, how they were classified, and corrections.

Other domains read these through `qa_app.reviews.services` (evaluations count an agent's praise
and criticism in a period).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:  # for the typed relationships; the mappers resolve the names at runtime
    from ..accounts.models import Shop, User

#: how a review found its agent, in the order the rules are tried (manual: a lead decided)
ROUTES = ("field", "order", "text", "manual")
SENTIMENTS = ("positive", "negative", "neutral")
POLARITIES = ("praise", "criticism", "mixed", "none")
#: what a lead may correct
CORRECTABLE = ("sentiment", "service_polarity", "evidence", "agent")


def _in(column: str, values, nullable: bool = True) -> str:
    check = f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"
    return f"{column} IS NULL OR {check}" if nullable else check


class Review(db.Model):
    """One customer review of an order in a shop, as imported, attributed and classified."""

    __tablename__ = "reviews"
    __evaluation_input__ = ("agent_id", "created_at")  # see evaluations/freshness.py
    __table_args__ = (
        sa.UniqueConstraint("shop_id", "external_id", name="uq_reviews_shop_id_external_id"),
        # evaluations: an agent's reviews in a period
        sa.Index("ix_reviews_agent_id_created_at", "agent_id", "created_at"),
        # attribution by order and the link to the order's chats
        sa.Index("ix_reviews_order_id", "order_id"),
        # lists by date
        sa.Index("ix_reviews_created_at", "created_at"),
        # the nickname receiver: unattributed reviews naming an agent in a shop
        sa.Index("ix_reviews_shop_id_agent_field", "shop_id", "agent_field"),
        # the list's filters on rare values, newest first (a corrected review, a manual
        # attribution): without them a page of few matches reads every review
        sa.Index("ix_reviews_corrected_created_at", "corrected", "created_at"),
        sa.Index("ix_reviews_attribution_route_created_at", "attribution_route", "created_at"),
        # the "to confirm" queue: a few reviews of many, newest first
        sa.Index("ix_reviews_needs_confirmation_created_at", "needs_confirmation", "created_at"),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        sa.CheckConstraint(
            "service_rating IS NULL OR service_rating BETWEEN 1 AND 5", name="service_rating_range"
        ),
        sa.CheckConstraint(_in("attribution_route", ROUTES), name="known_route"),
        sa.CheckConstraint(_in("sentiment", SENTIMENTS), name="known_sentiment"),
        sa.CheckConstraint(_in("service_polarity", POLARITIES), name="known_polarity"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    shop_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("shops.id"))
    external_id: so.Mapped[str] = so.mapped_column(sa.String(128))
    order_id: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    # when the customer wrote it; the import time when the export gives none
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    rating: so.Mapped[int | None]
    # the platform's 1–5 service-attitude rating (服务态度), shown beside the classification
    service_rating: so.Mapped[int | None]
    # the agent nickname named by the export, kept even when no agent has it yet
    agent_field: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    text: so.Mapped[str] = so.mapped_column(sa.Text)

    agent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    attribution_route: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    attribution_rule: so.Mapped[str | None] = so.mapped_column(sa.Text)

    sentiment: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    service_polarity: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    evidence: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # the classifier's probability that the review is positive
    probability: so.Mapped[float | None]
    # how sure the classifier was of its verdict (0..1); None for reviews classified before
    confidence: so.Mapped[float | None]
    # below the classifier's CONFIRM_BELOW: the verdict counts nowhere (evaluations, the agent's
    # own pages) until a lead or QA confirms or corrects it
    needs_confirmation: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # who confirmed the classifier's verdict (a correction confirms too): a labelled row
    confirmed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    confirmed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    # a lead corrected the classification: automatic runs leave it alone
    corrected: so.Mapped[bool] = so.mapped_column(default=False)
    imported_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    shop: so.Mapped[Shop] = so.relationship("Shop")
    agent: so.Mapped[User | None] = so.relationship("User", foreign_keys=[agent_id])
    confirmed_by: so.Mapped[User | None] = so.relationship("User", foreign_keys=[confirmed_by_id])
    corrections: so.Mapped[list[ReviewCorrection]] = so.relationship(
        back_populates="review",
        order_by="ReviewCorrection.at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Review {self.external_id}>"


class ReviewCorrection(db.Model):
    """A lead's change to a review's classification or agent: who, when, why, from what to what."""

    __tablename__ = "review_corrections"
    __table_args__ = (
        sa.CheckConstraint(_in("field", CORRECTABLE, nullable=False), name="known_field"),
        # the training-data export reads corrections by time
        sa.Index("ix_review_corrections_at", "at"),
        sa.Index("ix_review_corrections_review_id", "review_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    review_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"))
    field: so.Mapped[str] = so.mapped_column(sa.String(32))
    old: so.Mapped[str | None] = so.mapped_column(sa.Text)
    new: so.Mapped[str | None] = so.mapped_column(sa.Text)
    reason: so.Mapped[str] = so.mapped_column(sa.Text)
    by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    review: so.Mapped[Review] = so.relationship(back_populates="corrections")
    by: so.Mapped[User | None] = so.relationship("User")


#: a follow-up case's statuses: open -> contacted -> one of CLOSED; `expired` when the review
#: arrived after its follow-up time was over (no alarm, no on-time rate)
FOLLOW_UP_STATUSES = ("open", "contacted", "resolved", "revised", "unresolvable", "expired")
#: the statuses that end a case; each needs a written result
FOLLOW_UP_CLOSED = ("resolved", "revised", "unresolvable")


class FollowUpCase(db.Model):
    """A middle or bad review followed up with the customer (中差评跟进), due 3 days after the
    review in the shop's time. One per review: re-imports and re-confirmations find it."""

    __tablename__ = "follow_up_cases"
    __table_args__ = (
        sa.UniqueConstraint("review_id", name="uq_follow_up_cases_review_id"),
        # the queues: an agent's cases and the overdue ones first
        sa.Index("ix_follow_up_cases_agent_id_due_at", "agent_id", "due_at"),
        sa.Index("ix_follow_up_cases_status_due_at", "status", "due_at"),
        sa.CheckConstraint(_in("status", FOLLOW_UP_STATUSES, nullable=False), name="known_status"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    review_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"))
    agent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="open")
    due_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    opened_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # what was agreed with the customer: required to close the case
    result: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # when the reminder before the due time went out, so the periodic command sends it once
    reminded_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    review: so.Mapped[Review] = so.relationship()
    agent: so.Mapped[User | None] = so.relationship("User")

    def __repr__(self) -> str:
        return f"<FollowUpCase {self.review_id} {self.status}>"
