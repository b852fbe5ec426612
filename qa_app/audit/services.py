"""Recording and reading the audit trail. Callers commit: the entry lands with the change it
describes, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..extensions import db
from .models import AuditEntry


def record(actor, action: str, target, *, before=None, after=None, reason=None) -> AuditEntry:
    """Add an audit entry for `target` (a model instance with an `id`) to the current session."""
    if target.id is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__,
        target_id=str(target.id),
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(entry)
    return entry


def history(target_type: str, target_id) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.target_type == target_type, AuditEntry.target_id == str(target_id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    """What the audit-log viewer narrows by; `start`/`end` are UTC instants (end exclusive)."""

    actor_id: int | None = None
    target_type: str | None = None
    target_id: str | None = None
    action: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def search(filters: AuditFilter) -> sa.Select:
    """A select() of audit entries matching `filters`, newest first, with the actor loaded."""
    stmt = sa.select(AuditEntry).options(so.joinedload(AuditEntry.actor))
    if filters.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.target_type:
        stmt = stmt.where(AuditEntry.target_type == filters.target_type)
    if filters.target_id:
        stmt = stmt.where(AuditEntry.target_id == filters.target_id)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.start is not None:
        stmt = stmt.where(AuditEntry.at >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(AuditEntry.at < filters.end)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def actions_in_use() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def target_types_in_use() -> list[str]:
    return list(
        db.session.scalars(sa.select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type))
    )


def actors_in_use() -> list:
    """The users who appear as actors, for the viewer's filter (the User model lives in accounts;
    the relationship reaches it without importing it here)."""
    user = so.aliased(AuditEntry.actor.property.mapper.class_)
    stmt = sa.select(user).where(user.id.in_(sa.select(AuditEntry.actor_id).distinct()))
    return list(db.session.scalars(stmt.order_by(user.display_name)))
