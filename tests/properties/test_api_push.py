"""Pushing anything to the API's batch endpoints: a clear 4xx for a body that is not a batch,
per-item errors for bad items, the valid items stored exactly, and never a 500.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from qa_app.api import tokens
from qa_app.chats.models import Chat
from qa_app.extensions import db as _db
from qa_app.orders.models import Order
from qa_app.reviews.models import Review

from .strategies import HOSTILE, SETTINGS, deep_json

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), HOSTILE)
JSON_VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
REVIEW = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=10), st.integers()), "text": st.one_of(HOSTILE, st.text(max_size=30))},
    optional={"rating": JSON_VALUE, "created_at": JSON_VALUE, "shop": JSON_VALUE, "agent": JSON_VALUE},
)
CHAT = st.fixed_dictionaries(
    {
        "id": st.text(max_size=10),
        "agent": st.one_of(HOSTILE, st.just("小美")),
        "messages": st.one_of(
            JSON_VALUE,
            st.lists(
                st.fixed_dictionaries(
                    {
                        "from": st.sampled_from(["customer", "agent", "bot"]),
                        "text": st.one_of(HOSTILE, JSON_VALUE),
                    }
                ),
                max_size=3,
            ),
        ),
    }
)
ORDER = st.fixed_dictionaries(
    {
        "id": st.one_of(st.text(max_size=10), st.integers()),
        "customer": st.one_of(HOSTILE, st.text(max_size=10)),
    },
    optional={
        "created_at": st.one_of(JSON_VALUE, st.just("2026-11-01 10:00:00")),
        "paid_at": JSON_VALUE,
        "amount": JSON_VALUE,
        "status": st.one_of(JSON_VALUE, st.sampled_from(["paid", "refunded"])),
        "refund_amount": JSON_VALUE,
        "shop": JSON_VALUE,
    },
)
BODIES = {
    "orders": st.one_of(
        JSON_VALUE,
        st.fixed_dictionaries(
            {"orders": st.one_of(JSON_VALUE, st.lists(st.one_of(ORDER, JSON_VALUE), max_size=5))}
        ),
    ),
    "reviews": st.one_of(
        JSON_VALUE,
        st.fixed_dictionaries(
            {"reviews": st.one_of(JSON_VALUE, st.lists(st.one_of(REVIEW, JSON_VALUE), max_size=5))}
        ),
    ),
    "chats": st.one_of(
        JSON_VALUE,
        st.fixed_dictionaries(
            {"chats": st.one_of(JSON_VALUE, st.lists(st.one_of(CHAT, JSON_VALUE), max_size=5))}
        ),
    ),
}
MODELS = {"reviews": Review, "chats": Chat, "orders": Order}
SCOPES = {"reviews": "reviews:write", "chats": "chats:write", "orders": "orders:write"}
RAW_BODIES = [
    deep_json(100_000),
    '{"reviews": [{"id": ' + "1" * 5000 + ', "text": "x"}]}',
    "[" * 50 + "]" * 49,
    "\ufeff{}",
]


@pytest.fixture
def headers(db):
    _token, secret = tokens.issue(None, "fuzz", list(SCOPES.values()))
    _db.session.commit()  # as the admin page does: services only flush
    return {"Authorization": f"Bearer {secret}"}


def count(model) -> int:
    _db.session.rollback()
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("kind", sorted(BODIES))
@SETTINGS
@given(data=st.data())
def test_any_json_body_gets_an_answer(client, headers, kind, data):
    body = data.draw(BODIES[kind], label="body")
    before = count(MODELS[kind])
    response = client.post(
        f"/api/v1/{kind}",
        headers=headers,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"),
        content_type="application/json",
    )
    assert response.status_code in (200, 400, 413, 415, 422), response.status_code
    stored = count(MODELS[kind]) - before
    if response.status_code != 200:
        assert stored == 0
    else:
        assert stored == response.get_json()["imported"]


@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize("raw", RAW_BODIES, ids=["deep", "bigint", "unbalanced", "bom"])
def test_a_body_that_is_not_a_batch_gets_a_400(client, headers, kind, raw):
    response = client.post(
        f"/api/v1/{kind}", headers=headers, data=raw.encode(), content_type="application/json"
    )
    assert response.status_code == 400, response.status_code
    assert count(MODELS[kind]) == 0


UNPAIRED = {
    "orders": (
        '{"orders": [{"id": "a", "customer": "\\ud800", "created_at": "2026-11-01"}, '
        '{"id": "b", "customer": "好", "created_at": "2026-11-01"}]}',
        "customer",
    ),
    "orders-time": (
        '{"orders": [{"id": "a", "customer": "c", "created_at": "2026-11-01", '
        '"paid_at": "0001-01-01T00:00:00+01:00"}, {"id": "b", "customer": "c", "created_at": "2026-11-01"}]}',
        "paid_at",
    ),
    "reviews": ('{"reviews": [{"id": "a", "text": "\\ud800"}, {"id": "b", "text": "好"}]}', "text"),
    "chats": (
        '{"chats": [{"id": "a", "agent": "m", "messages": [{"from": "agent", '
        '"text": "\\udfff"}]}, {"id": "b", "agent": "m", "messages": '
        '[{"from": "agent", "text": "好"}]}]}',
        "messages[0].text",
    ),
    # a time that cannot be stored (once a 500: overflow converting to UTC)
    "chats-time": (
        '{"chats": [{"id": "a", "agent": "m", "messages": [{"from": "agent", '
        '"text": "x", "at": "0001-01-01T00:00:00+01:00"}]}, {"id": "b", "agent": "m", '
        '"messages": [{"from": "agent", "text": "好"}]}]}',
        "messages[0].at",
    ),
}


@pytest.mark.parametrize("kind", sorted(UNPAIRED))
def test_an_unstorable_item_is_an_item_error(client, headers, kind):
    raw, field = UNPAIRED[kind]
    kind = kind.split("-")[0]
    response = client.post(
        f"/api/v1/{kind}", headers=headers, data=raw.encode(), content_type="application/json"
    )
    assert response.status_code == 200, response.status_code
    result = response.get_json()
    assert (result["imported"], result["rejected"]) == (1, 1)
    assert [(e["index"], e["field"]) for e in result["errors"]] == [(0, field)]
    assert count(MODELS[kind]) == 1
