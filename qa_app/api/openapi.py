"""The OpenAPI 3.1 description of /api/v1. tests/api/test_openapi.py keeps it in sync with the
routes and runs schemathesis against it."""

from __future__ import annotations

from copy import deepcopy

ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}},
}


def _page_of(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "next": {"type": ["string", "null"]},
        },
    }


PAGE_PARAMS = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
    },
]


def _errors(*codes: int) -> dict:
    described = {
        400: "Invalid parameter or body",
        401: "Missing or invalid token",
        403: "The token lacks the scope",
        404: "Not found",
        413: "Body too large",
        415: "Body must be JSON",
        422: "Validation failed",
        429: "Rate limited",
    }
    return {
        str(code): {
            "description": described[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _get(summary: str, scope: str, schema_ref: str, params=(), paged=True) -> dict:
    ok_schema = {"$ref": schema_ref}
    return {
        "get": {
            "summary": summary,
            "security": [{"bearer": [scope]}],
            "parameters": [*(PAGE_PARAMS if paged else []), *params],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": ok_schema}}},
                **_errors(400, 401, 403, 429),
            },
        }
    }


SCHEMAS: dict = {
    "Error": ERROR,
    "Agent": {
        "type": "object",
        "required": ["id", "username", "name", "team", "team_id", "active", "nicknames"],
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "name": {"type": "string"},
            "team": {"type": ["string", "null"]},
            "team_id": {"type": ["integer", "null"]},
            "active": {"type": "boolean"},
            "nicknames": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"shop": {"type": "string"}, "nickname": {"type": "string"}},
                },
            },
        },
    },
    "AgentPage": _page_of("#/components/schemas/Agent"),
}

PATHS: dict = {
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1 document"}},
        }
    },
    "/api/v1/agents": _get(
        "Agents, with their team and shop nicknames",
        "evaluations:read",
        "#/components/schemas/AgentPage",
        params=[
            {
                "name": "team_id",
                "in": "query",
                "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
            }
        ],
    ),
}


def register_path(path: str, item: dict, schemas: dict | None = None) -> None:
    """Other API modules add their operations here, next to their code."""
    PATHS.setdefault(path, {}).update(item)
    SCHEMAS.update(schemas or {})


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service QA API",
            "version": "1.0.0",
            "description": "Push chats, reviews and orders; read agents, samples, scores and "
            "evaluations. Authenticate with `Authorization: Bearer <token>`; "
            "admins issue tokens with scopes at /admin/api-tokens.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": deepcopy(SCHEMAS),
        },
        "paths": deepcopy(PATHS),
    }
