"""Demo reviews: ~600 over the last 90 days, written for this demo, attributed by every route.

Product-only reviews, praise that names the agent, criticism of slow or curt replies, mixed
ones, some in English; about 40 % belong to orders of the demo chats, 15 name nobody at all and
wait in the lead's queue. A review naming an agent goes to that agent, even on an order another
agent served. Besides, a few case reviews (demo_showcase.py) show each way of naming an agent, a
conflict with the order's agent, an unknown name and doubtful verdicts to confirm. Fixed seed;
running it again adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import AgentNickname, Shop
from ..dbtypes import utcnow
from ..extensions import db
from .attribution import Attributor
from .demo_followup import seed_follow_ups
from .demo_showcase import CASE_ORDERS, seed_cases
from .models import Review

SEED = 20261123
TOTAL = 600
UNATTRIBUTED = 15
ORDER_SHARE = 0.4
PREFIX = "demo-r-"

PRODUCTS = ["羽绒服", "毛衣", "运动鞋", "保温杯", "蓝牙耳机", "连衣裙", "双肩包", "电饭煲", "床品四件套"]
PRODUCTS_EN = ["down jacket", "sweater", "running shoes", "thermos", "headphones", "backpack"]
PRODUCT_GOOD = [
    "{p}收到了，做工挺细致，和详情页描述一致。",
    "{p}质量不错，颜色比图片还好看。",
    "第二次买这家的{p}了，一如既往地好。",
    "{p}包装很严实，没有磕碰，物流也快。",
    "这个价位的{p}很值，家里人都说好。",
    "{p}用起来很顺手，比预期的好。",
]
PRODUCT_BAD = [
    "{p}有股味道，晾了两天还没散。",
    "{p}和图片色差有点大，不太满意。",
    "{p}用了一周就坏了，质量一般。",
    "快递太慢了，{p}等了五天才到。",
    "{p}做工粗糙，线头很多。",
]
PRAISE_NAMED = [
    "客服{n}很耐心，问了好多问题都一一解答。",
    "{n}态度特别好，帮我换了合适的款式。",
    "感谢客服{n}，帮我催了物流，第二天就到了。",
    "亲{n}回复超快，推荐的款式很合适。",
    "售后{n}处理退换货很利索，点赞。",
]
PRAISE_PLAIN = [
    "客服回复很及时，态度也好。",
    "咨询客服时很热情，解释得清清楚楚。",
    "售后处理很快，没有推来推去。",
    "客服推荐的款式很合适，很专业。",
]
CRITICISM_NAMED = [
    "客服{n}回复太慢了，等了快一个小时。",
    "{n}态度不好，问两句就不耐烦。",
    "找客服{n}退货，一直说不归她管，很失望。",
    "客服{n}答非所问，问题到现在也没解决。",
]
CRITICISM_PLAIN = [
    "客服回复太慢，发了好几条消息才有人理。",
    "客服态度冷淡，问什么都是复制粘贴。",
    "售后一直拖着不处理退款。",
    "问客服产品参数，回答得很敷衍。",
]
MIXED_NAMED = [
    "客服{n}一开始回复有点慢，不过后来处理得挺好。",
    "{n}很热情，就是有些问题答不上来，要转给别人。",
]
ENGLISH = [
    ("The support agent {n} was really patient and helpful. {p} fits well.", "praise"),
    ("Customer service took hours to reply. The {p} itself is fine.", "criticism"),
    ("Great {p}, fast shipping, would buy again.", "none"),
    ("Agent {n} was rude when I asked about a refund.", "criticism"),
]
# kind -> (rating choices, service rating choices or None)
RATINGS = {
    "praise": ([5, 5, 4], [5, 5, 4]),
    "criticism": ([1, 2, 1], [1, 2]),
    "mixed": ([3, 4, 3], [3, 4]),
    "good": ([5, 4], [5, 4]),
    "bad": ([2, 1, 3], None),
}


def seed(context: dict) -> dict:
    shops = context.get("shops") or list(db.session.scalars(sa.select(Shop)))
    if not shops:
        return {}
    done = db.session.scalar(
        sa.select(sa.func.count()).select_from(Review).where(Review.external_id.like(PREFIX + "%"))
    )
    if done:
        return {"reviews": done}
    rng = random.Random(SEED)
    nicknames = _nicknames(shops)
    orders = _chat_orders()
    rng.shuffle(orders)
    case_orders = [orders.pop() for _ in range(min(CASE_ORDERS, len(orders)))]
    now = utcnow()
    attributor = Attributor()
    unattributed = set(rng.sample(range(TOTAL), UNATTRIBUTED))
    others = [i for i in range(TOTAL) if i not in unattributed]
    with_order = set(rng.sample(others, min(len(orders), int(TOTAL * ORDER_SHARE))))
    reviews = []
    for index in range(TOTAL):
        shop = rng.choice(shops)
        kind, text, named = _text(rng, rng.choice(nicknames.get(shop.id) or ["小美"]), index)
        order = orders.pop() if index in with_order else None
        review = Review(external_id=f"{PREFIX}{index + 1:04d}", text=text, corrected=False)
        if order is not None:
            shop = db.session.get(Shop, order[1])
            review.order_id = order[0]
            review.created_at = min(
                now, order[2] + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 12))
            )
        else:
            review.created_at = now - timedelta(days=rng.uniform(0, 90))
            if index not in unattributed and not named:
                # exports from some platforms name the agent who served the order
                review.agent_field = rng.choice(nicknames.get(shop.id) or [None])
        if index in unattributed:
            kind, text = _anonymous(rng)
            review.text = text
        ratings, service = RATINGS[kind]
        review.rating = rng.choice(ratings)
        review.service_rating = rng.choice(service) if service and rng.random() < 0.6 else None
        review.shop_id = shop.id
        found = attributor.attribute(
            shop=shop, agent_field=review.agent_field, order_id=review.order_id, text=review.text
        )
        review.agent_id, review.attribution_route, review.attribution_rule = (
            found.agent_id,
            found.route,
            found.rule,
        )
        _classify(review, kind)
        reviews.append(review)
    reviews += seed_cases(shops[0], case_orders, attributor, now, _classify)
    db.session.add_all(reviews)
    db.session.flush()
    follow_ups = seed_follow_ups(reviews, now)
    db.session.flush()
    return {"reviews": len(reviews), "follow_ups": follow_ups}


def _text(rng: random.Random, nick: str, index: int) -> tuple[str, str, bool]:
    """(kind, text, names the agent) for one review."""
    product = rng.choice(PRODUCTS)
    roll = rng.random()
    if index % 17 == 0:
        template, polarity = rng.choice(ENGLISH)
        kind = {"praise": "praise", "criticism": "criticism", "none": "good"}[polarity]
        return kind, template.format(n=nick, p=rng.choice(PRODUCTS_EN)), "{n}" in template
    if roll < 0.25:
        return "good", rng.choice(PRODUCT_GOOD).format(p=product), False
    if roll < 0.35:
        return "bad", rng.choice(PRODUCT_BAD).format(p=product), False
    if roll < 0.6:
        named = rng.random() < 0.7
        service = rng.choice(PRAISE_NAMED if named else PRAISE_PLAIN).format(n=nick)
        return "praise", rng.choice(PRODUCT_GOOD).format(p=product) + service, named
    if roll < 0.85:
        named = rng.random() < 0.6
        service = rng.choice(CRITICISM_NAMED if named else CRITICISM_PLAIN).format(n=nick)
        extra = rng.choice(PRODUCT_BAD + PRODUCT_GOOD).format(p=product)
        return "criticism", service + extra, named
    return "mixed", rng.choice(MIXED_NAMED).format(n=nick) + rng.choice(PRODUCT_GOOD).format(p=product), True


def _anonymous(rng: random.Random) -> tuple[str, str]:
    product = rng.choice(PRODUCTS)
    return rng.choice(
        [
            ("praise", rng.choice(PRAISE_PLAIN) + f"{product}也不错。"),
            ("criticism", rng.choice(CRITICISM_PLAIN)),
            ("good", rng.choice(PRODUCT_GOOD).format(p=product)),
        ]
    )


def _classify(review: Review, kind: str) -> None:
    from .classification import classify_review

    try:
        classify_review(review)
    except ImportError:  # the classifier is not installed: the demo's own labels stand in
        review.service_polarity = {"good": "none", "bad": "none"}.get(kind, kind)
        review.sentiment = {
            "praise": "positive",
            "good": "positive",
            "criticism": "negative",
            "bad": "negative",
        }.get(kind, "neutral")


def _nicknames(shops) -> dict[int, list[str]]:
    rows = db.session.execute(
        sa.select(AgentNickname.shop_id, AgentNickname.nickname)
        .where(AgentNickname.shop_id.in_([s.id for s in shops]))
        .order_by(AgentNickname.id)
    )
    found: dict[int, list[str]] = {}
    for shop_id, nickname in rows:
        found.setdefault(shop_id, []).append(nickname)
    return found


def _chat_orders() -> list[tuple[str, int, object]]:
    """(order id, shop id, chat start) of the demo chats of the last 90 days, when chats exist."""
    try:
        from ..chats.models import Chat
    except ImportError:
        return []
    since = utcnow() - timedelta(days=90)
    rows = db.session.execute(
        sa.select(Chat.order_id, Chat.shop_id, sa.func.min(Chat.started_at))
        .where(Chat.order_id.is_not(None), Chat.started_at >= since)
        .group_by(Chat.order_id, Chat.shop_id)
        .order_by(Chat.order_id)
    )
    return [(order, shop_id, started) for order, shop_id, started in rows if started]
