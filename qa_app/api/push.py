"""Pushing chats, reviews and orders: batches of up to 1,000 FORMATS.md objects, idempotent by id."""

from __future__ import annotations

from flask import g, jsonify, request

from ..chats import services as chats
from ..chats.importer import ImportConflict
from ..orders import importer as orders
from ..reviews import importer as reviews
from .auth import require_scope
from .errors import ApiError
from .openapi import register_path
from .views import bp

MAX_BATCH = 1000


def batch_from_request(key: str) -> list:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes: not a batch
        body = None
    if body is None:
        raise ApiError(
            415 if not request.is_json else 400, "invalid_json", f'Send a JSON object: {{"{key}": [...]}}'
        )
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise ApiError(400, "invalid_body", f'The body needs a list under "{key}".')
    if not 1 <= len(items) <= MAX_BATCH:
        raise ApiError(
            413 if len(items) > MAX_BATCH else 400,
            "batch_size",
            f"Send between 1 and {MAX_BATCH} items per request.",
        )
    return items


def _unencodable(value, path: str = "") -> str | None:
    """The path of the first text in `value` (keys included) that is not valid Unicode: a JSON
    escape of half a surrogate pair ("\\ud800") parses, but no database can store it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "-"
        return None
    if isinstance(value, list):
        items = ((f"{path}[{i}]", item) for i, item in enumerate(value))
    elif isinstance(value, dict):
        items = []
        for name, item in value.items():
            if _unencodable(name) is not None:
                return path or "-"
            items.append((f"{path}.{name}" if path else name, item))
    else:
        return None
    return next((found for sub, item in items if (found := _unencodable(item, sub))), None)


def import_storable(items: list, run) -> tuple:
    """`run(items)` on the items whose texts can be stored; the others become per-item errors
    like the importers' own, with every index pointing into the batch as sent."""
    kept, positions, refused = [], [], []
    for index, item in enumerate(items):
        field = _unencodable(item)
        if field is None:
            kept.append(item)
            positions.append(index)
        else:
            refused.append(
                {
                    "index": index,
                    "field": field,
                    "message": "contains characters that are not valid Unicode (unpaired surrogates)",
                }
            )
    summary, errors = run(kept)
    errors = [{**error, "index": positions[error["index"]]} for error in errors]
    return summary, sorted(errors + refused, key=lambda error: error["index"])


def _result(summary, errors) -> dict:
    return {
        "imported": summary.imported,
        "skipped": summary.skipped,
        "rejected": len(errors),
        "errors": errors,
    }


@bp.route("/chats", methods=["POST"])
@require_scope("chats:write")
def push_chats():
    items = batch_from_request("chats")
    try:
        summary, errors = import_storable(
            items, lambda kept: chats.import_records(kept, source=f"api:{g.api_token.name}")
        )
    except ImportConflict:  # lost every retry to concurrent writers: the client may send again
        raise ApiError(
            409,
            "conflict",
            "Other imports of the same chats kept this batch from "
            "being stored; nothing was stored. Send it again.",
        ) from None
    return jsonify(_result(summary, errors)), 200


PUSH_RESULT = {
    "type": "object",
    "required": ["imported", "skipped", "rejected", "errors"],
    "properties": {
        "imported": {"type": "integer"},
        "skipped": {"type": "integer"},
        "rejected": {"type": "integer"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer"},
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
CHAT = {
    "type": "object",
    "required": ["id", "agent", "messages"],
    "properties": {
        "id": {"type": "string"},
        "shop": {"type": "string"},
        "channel": {"type": "string"},
        "agent": {"type": "string"},
        "customer": {"type": "string"},
        "order_id": {"type": "string"},
        "started_at": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "messages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["from", "text"],
                "properties": {
                    "at": {"type": "string"},
                    "from": {"enum": ["customer", "agent", "system"]},
                    "agent": {"type": "string"},
                    "text": {"type": "string"},
                },
            },
        },
    },
}


def push_operation(summary: str, scope: str, key: str, item_ref: str) -> dict:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "post": {
            "summary": summary,
            "security": [{"bearer": [scope]}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": [key],
                            "properties": {
                                key: {
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": MAX_BATCH,
                                    "items": {"$ref": item_ref},
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Stored what was valid; per-item errors listed",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushResult"}}},
                },
                **{
                    code: {"description": text, **error}
                    for code, text in (
                        ("400", "Body is not a batch"),
                        ("401", "Missing or invalid token"),
                        ("403", "Token lacks the scope"),
                        ("413", "More than 1,000 items"),
                        ("409", "Concurrent imports of the same items: nothing stored, send again"),
                        ("415", "Body is not JSON"),
                        ("429", "Rate limited"),
                    )
                },
            },
        }
    }


register_path(
    "/api/v1/chats",
    push_operation(
        "Push chats (FORMATS.md objects); ids already stored are skipped",
        "chats:write",
        "chats",
        "#/components/schemas/Chat",
    ),
    {"Chat": CHAT, "PushResult": PUSH_RESULT},
)


@bp.route("/reviews", methods=["POST"])
@require_scope("reviews:write")
def push_reviews():
    items = batch_from_request("reviews")
    result, errors = import_storable(
        items, lambda kept: reviews.import_records(kept, source=f"api:{g.api_token.name}")
    )
    return jsonify({**_result(result, errors), "attributed": result.attributed}), 200


REVIEW = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": {"type": "string"},
        "order_id": {"type": "string"},
        "shop": {"type": "string"},
        "created_at": {"type": "string"},
        "rating": {"type": ["integer", "string"]},
        "service_rating": {"type": ["integer", "string"]},
        "agent": {"type": "string"},
        "text": {"type": "string"},
    },
}
register_path(
    "/api/v1/reviews",
    push_operation(
        "Push reviews (FORMATS.md fields); attributed and classified on arrival",
        "reviews:write",
        "reviews",
        "#/components/schemas/Review",
    ),
    {"Review": REVIEW},
)


@bp.route("/orders", methods=["POST"])
@require_scope("orders:write")
def push_orders():
    items = batch_from_request("orders")
    result, errors = import_storable(
        items, lambda kept: orders.import_records(kept, source=f"api:{g.api_token.name}")
    )
    return jsonify(_result(result, errors)), 200


ORDER = {
    "type": "object",
    "required": ["id", "customer", "created_at"],
    "properties": {
        "id": {"type": "string"},
        "shop": {"type": "string"},
        "customer": {"type": "string"},
        "created_at": {"type": "string"},
        "paid_at": {"type": "string"},
        "amount": {"type": ["number", "string"]},
        "status": {
            "type": "string",
            "enum": ["unpaid", "paid", "shipped", "completed", "closed", "refunded"],
        },
        "refund_amount": {"type": ["number", "string"]},
        "refunded_at": {"type": "string"},
    },
}
register_path(
    "/api/v1/orders",
    push_operation(
        "Push orders (FORMATS.md fields); ids already stored in the shop are skipped",
        "orders:write",
        "orders",
        "#/components/schemas/Order",
    ),
    {"Order": ORDER},
)
