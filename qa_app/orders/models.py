"""One order of a shop's customer, as the platform exported it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

STATUSES = ("unpaid", "paid", "shipped", "completed", "closed", "refunded")


class Order(db.Model):
    """An order; `paid_at` empty means never paid, a refund shows in status or refund fields."""

    __tablename__ = "orders"
    __table_args__ = (
        sa.UniqueConstraint("shop_id", "external_id", name="uq_orders_shop_id_external_id"),
        # conversion: a customer's orders paid after a chat
        sa.Index("ix_orders_shop_id_customer_paid_at", "shop_id", "customer", "paid_at"),
        sa.CheckConstraint(
            "status IS NULL OR status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")",
            name="known_status",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    shop_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("shops.id"))
    external_id: so.Mapped[str] = so.mapped_column(sa.String(64))
    customer: so.Mapped[str] = so.mapped_column(sa.String(128))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    paid_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(12, 2))
    status: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    refund_amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(12, 2))
    refunded_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    imported_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    @property
    def refunded(self) -> bool:
        """Refunded in whole or in part: the platform says so by status or by a refund."""
        return self.status == "refunded" or bool(self.refund_amount) or self.refunded_at is not None
