"""A few demo reviews a lead should meet on first login, each showing one attribution case:
every way customers name an agent, a named agent who is not the order's, a name no agent has,
and verdicts the classifier is unsure of (to confirm). Written for this demo."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import AgentNickname, Shop, Team, User
from ..extensions import db
from .attribution import chats_agent_for_order
from .models import Review

PREFIX = "demo-r-case-"
# (text with {n} for a nickname of the demo lead's teams, rating, uses an order)
NAMED = [
    ("那个叫{n}的客服解释得很清楚，价保也帮我申请了。", 5, False),  # 叫X的
    ("{n}的回复跟机器人一样，问三遍都是同一句话。", 2, False),  # X的回复
    ("{n}客服很耐心，帮我对比了三款，最后买了中间那款。", 5, False),  # X客服
    ("{n}一开始说可以价保，后来又说活动结束了不行。", 2, False),  # X一开始…
    ("售后{n}态度很差，退款拖了一个星期。", 1, True),  # 售后X, not the order's agent
    ("客服{n}说尺码偏大，按她说的买了，还行。", 4, False),  # unsure: to confirm
    ("东西收到了，客服{n}回了消息。", 3, False),  # unsure: to confirm
]
# a name no agent of the demo has: the review waits in the queue, not on the order's agent
UNKNOWN = [("那个叫阿强的客服爱答不理，问了半天没人回。", 1, True)]
#: demo chat orders the cases use
CASE_ORDERS = sum(1 for _, _, with_order in NAMED + UNKNOWN if with_order)


def seed_cases(shop: Shop, orders: list, attributor, now, classify) -> list[Review]:
    """The case reviews (none when the demo has no agents); `orders` gives (order, shop id, chat
    start) of demo chats for the cases that use one; `classify(review, kind)` classifies."""
    nicks = _lead_nicknames(shop.id)
    if not nicks:
        return []
    lookup = chats_agent_for_order()
    reviews = []
    for number, (template, rating, with_order) in enumerate(NAMED + UNKNOWN, 1):
        order = orders.pop() if with_order and orders else None
        nick = _nick_other_than_orders(nicks, order, lookup, number)
        review = Review(
            external_id=f"{PREFIX}{number:02d}",
            shop_id=shop.id,
            text=template.format(n=nick),
            rating=rating,
            corrected=False,
            order_id=order[0] if order else None,
            created_at=now - timedelta(hours=number * 5),
        )
        if order is not None:
            review.shop_id = order[1]
        found = attributor.attribute(
            shop=db.session.get(Shop, review.shop_id),
            agent_field=None,
            order_id=review.order_id,
            text=review.text,
        )
        review.agent_id, review.attribution_route, review.attribution_rule = (
            found.agent_id,
            found.route,
            found.rule,
        )
        classify(review, "praise" if rating >= 4 else "criticism")
        reviews.append(review)
    return reviews


def _lead_nicknames(shop_id: int) -> list[tuple[str, int]]:
    """(nickname, user id) of agents in the teams of the demo's first lead, in a fixed order."""
    lead_id = db.session.scalar(sa.select(User.id).where(User.username == "lead"))
    rows = db.session.execute(
        sa.select(AgentNickname.nickname, AgentNickname.user_id)
        .join(User, User.id == AgentNickname.user_id)
        .join(Team, Team.id == User.team_id)
        .where(AgentNickname.shop_id == shop_id, Team.lead_id == lead_id)
        .order_by(AgentNickname.id)
    )
    return [(nick, user_id) for nick, user_id in rows]


def _nick_other_than_orders(nicks, order, lookup, number: int) -> str:
    """A nickname for case `number`; for a case with an order, one the order's agent has not."""
    order_agent = None
    if order is not None and lookup is not None:
        user, _reason = lookup(order[1], order[0])
        order_agent = user.id if user else None
    choices = [nick for nick, user_id in nicks if user_id != order_agent] or [nicks[0][0]]
    return choices[number % len(choices)]
