from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:  # for the typed relationships; the mappers resolve the names at runtime
    from ..accounts.models import User

SCOPES = ("chats:write", "reviews:write", "orders:write", "evaluations:read")


class ApiToken(db.Model):
    """A secret for one integration. Only its SHA-256 is stored; the secret is shown once."""

    __tablename__ = "api_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    prefix: so.Mapped[str] = so.mapped_column(sa.String(16))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    scopes: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    created_by: so.Mapped[User | None] = so.relationship("User")

    @property
    def active(self) -> bool:
        return self.revoked_at is None
