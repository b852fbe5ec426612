"""Recording and reading the audit trail. Callers commit: the entry lands with the change it
describes, or not at all."""

from __future__ import annotations

import sqlalchemy as sa

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
