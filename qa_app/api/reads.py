"""Reading samples, scores and evaluations, polled by `updated_since`."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import jsonify, request

from ..accounts.models import User
from ..evaluations import periods
from ..evaluations import services as evaluations
from ..evaluations.periods import PeriodError, PeriodOutOfRange
from ..extensions import db
from ..qa import feeds as qa
from ..ui.inputs import DATE_MAX, DATE_MIN
from . import serializers
from .auth import require_scope
from .errors import ApiError
from .openapi import PAGE_PARAMS, register_path
from .views import bp, int_arg, page_args, paged


def _datetime_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"{name} must be an ISO 8601 date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _echo(*names: str) -> dict:
    return {name: request.args[name] for name in names if name in request.args}


@bp.route("/scores")
@require_scope("evaluations:read")
def scores():
    stmt = qa.scores_feed(updated_since=_datetime_arg("updated_since"), agent_id=int_arg("agent_id"))
    return paged(stmt, serializers.score, "api.scores", **_echo("updated_since", "agent_id"))


@bp.route("/samples")
@require_scope("evaluations:read")
def samples():
    stmt = qa.samples_feed(created_since=_datetime_arg("updated_since"), agent_id=int_arg("agent_id"))
    return paged(stmt, serializers.sample, "api.samples", **_echo("updated_since", "agent_id"))


@bp.route("/evaluations")
@require_scope("evaluations:read")
def evaluation_list():
    raw_period = request.args.get("period")
    try:
        period = (
            periods.parse(raw_period, evaluations.shop_tz())
            if raw_period is not None
            else evaluations.parse_period(None)
        )
    except PeriodOutOfRange:
        raise ApiError(
            400, "invalid_parameter", f"period: choose a year from {DATE_MIN.year} to {DATE_MAX.year}"
        ) from None
    except PeriodError:
        raise ApiError(400, "invalid_parameter", "period: use 2026-11, 2026-W47 or 2026-Q4") from None
    team_id = int_arg("team_id")
    page_no, per_page = page_args()
    stmt = sa.select(User).where(User.active.is_(True), User.role_rows.any(role="agent")).order_by(User.id)
    if team_id is not None:
        stmt = stmt.where(User.team_id == team_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    agents = list(db.session.scalars(stmt.limit(per_page).offset((page_no - 1) * per_page)))
    rows = evaluations.evaluate_many(agents, period) if agents else []
    has_next = page_no * per_page < total
    return jsonify(
        {
            "items": [serializers.evaluation(row) for row in rows],
            "page": page_no,
            "per_page": per_page,
            "total": total,
            "period": period.key,
            "next": (
                request.base_url
                + "?"
                + "&".join(
                    f"{k}={v}"
                    for k, v in {
                        **_echo("period", "team_id"),
                        "page": page_no + 1,
                        "per_page": per_page,
                    }.items()
                )
            )
            if has_next
            else None,
        }
    )


SINCE = {
    "name": "updated_since",
    "in": "query",
    "description": "ISO 8601; only rows changed after it",
    "schema": {"type": "string", "format": "date-time"},
}
AGENT = {"name": "agent_id", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}}
NULLABLE_NUMBER = {"type": ["number", "null"]}


def _get(summary: str, page_schema: str, params: list) -> dict:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "get": {
            "summary": summary,
            "security": [{"bearer": ["evaluations:read"]}],
            "parameters": [*PAGE_PARAMS, *params],
            "responses": {
                "200": {
                    "description": "A page",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{page_schema}"}}
                    },
                },
                **{
                    code: {"description": text, **error}
                    for code, text in (
                        ("400", "Invalid parameter"),
                        ("401", "Missing or invalid token"),
                        ("403", "Token lacks the scope"),
                        ("429", "Rate limited"),
                    )
                },
            },
        }
    }


def _page(item: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "next": {"type": ["string", "null"]},
            "period": {"type": "string"},
        },
    }


SCHEMAS = {
    "Score": {
        "type": "object",
        "required": ["id", "chat_id", "agent_id", "rubric", "total"],
        "properties": {
            "id": {"type": "integer"},
            "chat_id": {"type": "integer"},
            "agent_id": {"type": ["integer", "null"]},
            "grader_id": {"type": "integer"},
            "rubric": {"type": "string"},
            "rubric_version": {"type": "integer"},
            "total": NULLABLE_NUMBER,
            "critical_failed": {"type": "boolean"},
            "submitted_at": {"type": ["string", "null"]},
            "updated_at": {"type": ["string", "null"]},
            "praise": {"type": "string"},
            "criticism": {"type": "string"},
        },
    },
    "Sample": {
        "type": "object",
        "required": ["id", "chat_id", "agent_id", "rubric"],
        "properties": {
            "id": {"type": "integer"},
            "chat_id": {"type": "integer"},
            "agent_id": {"type": "integer"},
            "assigned_to_id": {"type": "integer"},
            "rubric": {"type": "string"},
            "week": {"type": "string"},
            "created_at": {"type": ["string", "null"]},
            "score_id": {"type": ["integer", "null"]},
            "status": {"type": "string"},
        },
    },
    "Evaluation": {
        "type": "object",
        "required": ["agent_id", "period", "overall", "status", "components"],
        "properties": {
            "agent_id": {"type": "integer"},
            "agent": {"type": "string"},
            "period": {"type": "string"},
            "overall": NULLABLE_NUMBER,
            "status": {"enum": ["draft", "final"]},
            "weights": {"type": "object"},
            "components": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "value": NULLABLE_NUMBER,
                        "count": {"type": "integer"},
                        "enough_data": {"type": "boolean"},
                    },
                },
            },
        },
    },
    "ScorePage": _page("Score"),
    "SamplePage": _page("Sample"),
    "EvaluationPage": _page("Evaluation"),
}
register_path(
    "/api/v1/scores", _get("Submitted QA scores, oldest change first", "ScorePage", [SINCE, AGENT]), SCHEMAS
)
register_path("/api/v1/samples", _get("Sampled chats, oldest first", "SamplePage", [SINCE, AGENT]))
register_path(
    "/api/v1/evaluations",
    _get(
        "Evaluations of every active agent for a period (drafts computed live, finals as frozen)",
        "EvaluationPage",
        [
            {
                "name": "period",
                "in": "query",
                "description": "2026-11, 2026-W47 or 2026-Q4",
                "schema": {"type": "string"},
            },
            {
                "name": "team_id",
                "in": "query",
                "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
            },
        ],
    ),
)
