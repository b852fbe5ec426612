"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from .models import SCOPES, ApiToken

PREFIX = "qat_"
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    pass


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(actor, name: str, scopes) -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is never retrievable again."""
    scopes = sorted(set(scopes))
    if not name.strip():
        raise TokenError("name: required")
    if not scopes or set(scopes) - set(SCOPES):
        raise TokenError("scopes: choose from " + ", ".join(SCOPES))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        prefix=secret[:12],
        token_hash=_digest(secret),
        scopes=scopes,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.issue", token, after={"name": token.name, "scopes": scopes})
    db.session.flush()
    return token, secret


def revoke(actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(actor, "api_token.revoke", token)
        db.session.flush()


def authenticate(secret: str | None) -> ApiToken | None:
    """The active token for `secret`, with its last use recorded; None for anything else."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()  # own transaction: the last use is kept even when the API call only reads or fails
    return token


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.created_at.desc())))
