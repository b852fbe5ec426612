from qa_app.chats.models import Chat
from qa_app.extensions import db as _db

from ..factories import make_shop, make_user


def _chat(chat_id: str, agent: str = "小美", **extra) -> dict:
    return {
        "id": chat_id,
        "shop": "api-shop",
        "agent": agent,
        "messages": [
            {"at": "2026-11-01T10:03:00+08:00", "from": "customer", "text": "在吗"},
            {"at": "2026-11-01T10:03:40+08:00", "from": "agent", "text": "亲,在的~"},
        ],
        **extra,
    }


def test_pushed_chats_are_stored_and_attached_to_the_agent(client, issue_token, db):
    shop = make_shop(slug="api-shop")
    agent = make_user(nickname="小美", shop=shop)
    response = client.post(
        "/api/v1/chats", json={"chats": [_chat("c1"), _chat("c2")]}, headers=issue_token("chats:write")
    )
    assert response.get_json() == {"imported": 2, "skipped": 0, "rejected": 0, "errors": []}
    assert {c.agent_id for c in _db.session.scalars(_db.select(Chat))} == {agent.id}


def test_pushing_the_same_batch_again_adds_nothing(client, issue_token, db):
    headers = issue_token("chats:write")
    client.post("/api/v1/chats", json={"chats": [_chat("c1")]}, headers=headers)
    body = client.post("/api/v1/chats", json={"chats": [_chat("c1")]}, headers=headers).get_json()
    assert (body["imported"], body["skipped"]) == (0, 1)
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Chat)) == 1


def test_invalid_items_are_reported_by_index_and_the_rest_stored(client, issue_token, db):
    bad = {"id": "c2", "agent": "小美", "messages": []}
    body = client.post(
        "/api/v1/chats", json={"chats": [_chat("c1"), bad, "nonsense"]}, headers=issue_token("chats:write")
    ).get_json()
    assert body["imported"] == 1 and body["rejected"] == 2
    assert [error["index"] for error in body["errors"]] == [1, 2]
    assert body["errors"][0]["field"].startswith("messages")


def test_a_batch_lost_to_concurrent_imports_is_a_409_and_stores_nothing(client, issue_token, db, monkeypatch):
    from qa_app.api import push
    from qa_app.chats.importer import ImportConflict

    def always_conflicting(records, source):
        raise ImportConflict(source, RuntimeError("could not serialize access"))

    monkeypatch.setattr(push.chats, "import_records", always_conflicting)
    response = client.post("/api/v1/chats", json={"chats": [_chat("c1")]}, headers=issue_token("chats:write"))
    assert response.status_code == 409
    assert response.get_json()["code"] == "conflict"
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Chat)) == 0


def test_batches_over_a_thousand_are_refused(client, issue_token, db):
    response = client.post(
        "/api/v1/chats",
        json={"chats": [_chat(f"c{n}") for n in range(1001)]},
        headers=issue_token("chats:write"),
    )
    assert response.status_code == 413 and response.get_json()["code"] == "batch_size"


def test_non_json_body_is_a_client_error(client, issue_token, db):
    response = client.post("/api/v1/chats", data="chats", headers=issue_token("chats:write"))
    assert response.status_code == 415


def test_pushing_chats_needs_the_chats_scope(client, issue_token, db):
    response = client.post(
        "/api/v1/chats", json={"chats": [_chat("c1")]}, headers=issue_token("reviews:write")
    )
    assert response.status_code == 403


def _review(review_id: str, **fields) -> dict:
    return {
        "id": review_id,
        "shop": "api-shop",
        "rating": "5",
        "text": "衣服质量一般,但客服小美很耐心",
        **fields,
    }


def test_pushed_reviews_are_attributed_and_classified(client, issue_token, db):
    from qa_app.reviews.models import Review

    agent = make_user(nickname="小美", shop=make_shop(slug="api-shop"))
    body = client.post(
        "/api/v1/reviews", json={"reviews": [_review("r1")]}, headers=issue_token("reviews:write")
    ).get_json()
    assert (body["imported"], body["attributed"]) == (1, 1)
    review = _db.session.scalars(_db.select(Review)).one()
    assert (review.agent_id, review.service_polarity) == (agent.id, "praise")


def test_invalid_reviews_are_reported_and_repeats_skipped(client, issue_token, db):
    headers = issue_token("reviews:write")
    client.post("/api/v1/reviews", json={"reviews": [_review("r1")]}, headers=headers)
    body = client.post(
        "/api/v1/reviews", json={"reviews": [_review("r1"), {"id": "r2"}, 7]}, headers=headers
    ).get_json()
    assert (body["imported"], body["skipped"], body["rejected"]) == (0, 1, 2)
    assert [(e["index"], e["field"]) for e in body["errors"]][0] == (1, "text")


def _order(order_id: str, **fields) -> dict:
    return {
        "id": order_id,
        "shop": "api-shop",
        "customer": "buyer_1",
        "created_at": "2026-11-01 10:00:00",
        **fields,
    }


def test_pushed_orders_are_stored_once_and_bad_ones_reported_per_item(client, issue_token, db):
    headers = issue_token("orders:write")
    client.post("/api/v1/orders", json={"orders": [_order("o1", amount="99.50")]}, headers=headers)
    body = client.post(
        "/api/v1/orders", json={"orders": [_order("o1"), _order("o2", status="lost")]}, headers=headers
    ).get_json()
    assert (body["imported"], body["skipped"], body["rejected"]) == (0, 1, 1)
    assert [(e["index"], e["field"]) for e in body["errors"]] == [(1, "status")]


def test_pushing_orders_needs_the_orders_scope(client, issue_token, db):
    response = client.post(
        "/api/v1/orders", json={"orders": [_order("o1")]}, headers=issue_token("reviews:write")
    )
    assert response.status_code == 403
