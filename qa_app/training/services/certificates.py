"""Course certificates: issued on a passed attempt, found by their code for verification."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from ...extensions import db
from ..models import Attempt, Certificate

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def issue_certificate(attempt: Attempt) -> Certificate:
    existing = db.session.scalar(
        sa.select(Certificate).where(
            Certificate.user_id == attempt.user_id, Certificate.course_id == attempt.course_id
        )
    )
    if existing is not None:
        return existing
    certificate = Certificate(
        user_id=attempt.user_id,
        course_id=attempt.course_id,
        attempt=attempt,
        code=new_code(),
        issued_at=attempt.finished_at,
    )
    db.session.add(certificate)
    return certificate


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        code = f"{code[:5]}-{code[5:]}"
        if not db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code)):
            return code


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))
