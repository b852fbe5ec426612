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


def page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 100))
    except ValueError:
        raise ApiError(400, "invalid_parameter", "page and per_page must be integers") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(400, "invalid_parameter", f"page ≥ 1 and 1 ≤ per_page ≤ {MAX_PER_PAGE}")
    return page, per_page


def paged(stmt, serialise, endpoint: str, **filters):
    page_no, per_page = page_args()
    page = paginate(stmt, page_no, per_page)
    next_url = (url_for(endpoint, page=page.number + 1, per_page=per_page, **filters)
                if page.has_next and page.number == page_no else None)
    return jsonify({"items": [serialise(item) for item in page.items] if page.number == page_no else [],
                    "page": page_no, "per_page": per_page, "total": page.total, "next": next_url})


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(document())


@bp.route("/agents")
@require_scope("evaluations:read")
def agents():
    stmt = (sa.select(User).where(User.role_rows.any(role="agent"))
            .options(selectinload(User.nicknames), selectinload(User.team)).order_by(User.id))
    team_id = request.args.get("team_id")
    if team_id is not None:
        if not team_id.isdigit():
            raise ApiError(400, "invalid_parameter", "team_id must be an integer")
        stmt = stmt.where(User.team_id == int(team_id))
    return paged(stmt, serializers.agent, "api.agents",
                 **({"team_id": team_id} if team_id is not None else {}))


# Route modules register on `bp`; imported last because they import `bp` from here.
from . import push  # noqa: E402,F401
