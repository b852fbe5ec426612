"""JSON API under /api/v1. Views parse, call a service, serialise; errors are JSON (errors.py)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, request, url_for
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import csrf, limiter
from ..permissions import public
from ..ui.pagination import paginate
from . import serializers
from .admin_views import NAV, admin_bp
from .auth import rate_limit_key, require_scope
from .errors import ApiError, register
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
csrf.exempt(bp)
register(bp)
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)

BLUEPRINTS = [bp, admin_bp]
__all__ = ["BLUEPRINTS", "NAV", "bp"]
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000
MAX_ID = 2**31 - 1  # PostgreSQL integer columns; larger values would be a database error


def int_arg(name: str, default: int | None = None, *, low: int = 0, high: int = MAX_ID) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 12 or not low <= int(raw) <= high:
        raise ApiError(400, "invalid_parameter", f"{name} must be an integer from {low} to {high}")
    return int(raw)


def page_args() -> tuple[int, int]:
    return int_arg("page", 1, low=1, high=MAX_PAGE), int_arg("per_page", 100, low=1, high=MAX_PER_PAGE)


def paged(stmt, serialise, endpoint: str, **filters):
    page_no, per_page = page_args()
    page = paginate(stmt, page_no, per_page)
    next_url = (
        url_for(endpoint, page=page.number + 1, per_page=per_page, **filters)
        if page.has_next and page.number == page_no
        else None
    )
    return jsonify(
        {
            "items": [serialise(item) for item in page.items] if page.number == page_no else [],
            "page": page_no,
            "per_page": per_page,
            "total": page.total,
            "next": next_url,
        }
    )


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(document())


@bp.route("/agents")
@require_scope("evaluations:read")
def agents():
    stmt = (
        sa.select(User)
        .where(User.role_rows.any(role="agent"))
        .options(selectinload(User.nicknames), selectinload(User.team))
        .order_by(User.id)
    )
    team_id = int_arg("team_id")
    if team_id is not None:
        stmt = stmt.where(User.team_id == team_id)
    return paged(
        stmt, serializers.agent, "api.agents", **({"team_id": team_id} if team_id is not None else {})
    )


# Route modules register on `bp`; imported last because they import `bp` from here.
from . import push, reads  # noqa: E402,F401
