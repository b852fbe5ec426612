"""Builders for reviews and the chats that attribution reads."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from qa_app.chats.models import Chat, ChatAgent
from qa_app.extensions import db
from qa_app.reviews.models import Review

from ..factories import make_shop

_sequence = itertools.count(1)
HEADER = "id,order_id,shop,created_at,rating,service_rating,agent,text\n"


def make_review(shop=None, agent=None, **fields) -> Review:
    n = next(_sequence)
    review = Review(
        **{
            "shop_id": (shop or make_shop()).id,
            "external_id": f"r-{n}",
            "created_at": datetime(2026, 11, 1, 2, 0, tzinfo=UTC),
            "rating": 5,
            "text": "东西不错，客服很耐心",
            "sentiment": "positive",
            "service_polarity": "praise",
            "evidence": "客服很耐心",
            "probability": 0.9,
            "corrected": False,
            "agent_id": agent.id if agent else None,
            "attribution_route": "field" if agent else None,
            **fields,
        }
    )
    db.session.add(review)
    db.session.commit()
    return review


def make_order_chat(shop, order_id: str, shares: dict, **fields) -> Chat:
    """A chat about `order_id`; `shares` maps nickname -> (user or None, agent messages)."""
    n = next(_sequence)
    first = next(iter(shares))
    chat = Chat(
        shop_id=shop.id,
        external_id=f"c-{n}",
        order_id=order_id,
        agent_nickname=first,
        agent_id=shares[first][0].id if shares[first][0] else None,
        started_at=datetime(2026, 11, 1, 1, 0, tzinfo=UTC),
        **fields,
    )
    for position, (nickname, (user, messages)) in enumerate(shares.items()):
        chat.agents.append(
            ChatAgent(
                nickname=nickname,
                agent_id=user.id if user else None,
                message_count=messages,
                characters=messages * 10,
                first_position=position,
            )
        )
    db.session.add(chat)
    db.session.commit()
    return chat


def write_csv(path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> str:
    path.write_text(header + "".join(row + "\n" for row in rows), encoding=encoding)
    return str(path)
