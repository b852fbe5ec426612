"""Demo orders for the demo chats' customers, so that conversion, order value and refund rate
show real numbers on first login. Composition layer: it reads the demo chats (chats) and writes
orders (orders), which neither domain may do for the other."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..accounts.models import Shop
from ..chats.demo import PREFIX
from ..chats.models import Chat
from ..extensions import db
from ..orders.importer import import_records
from ..orders.models import Order

#: about how often a demo inquiry ends in a payment, and a paid order in a refund
CONVERSION = 0.45
REFUND = 0.08


def seed(context: dict) -> dict:
    if db.session.scalar(sa.select(Order.id).where(Order.external_id.like("DEMO-%")).limit(1)):
        return {}
    r = random.Random(20261203)
    rows = db.session.execute(
        sa.select(Chat.external_id, Shop.slug, Chat.customer, Chat.order_id, Chat.started_at)
        .join(Shop, Shop.id == Chat.shop_id)
        .where(Chat.external_id.like(f"{PREFIX}%"), Chat.customer.is_not(None), Chat.started_at.is_not(None))
        .order_by(Chat.id)
    )
    orders = [_order(r, *row) for row in rows if r.random() < CONVERSION]
    result, _errors = import_records(orders, source="demo")
    return {"orders_imported": result.imported}


def _order(r: random.Random, chat_id, shop, customer, order_id, started_at) -> dict:
    paid = started_at + timedelta(minutes=r.randint(5, 20 * 60))
    amount = Decimal(r.randint(3900, 59900)) / 100
    order = {
        "id": order_id or f"DEMO-{chat_id}",  # a chat that names its order credits it
        "shop": shop,
        "customer": customer,
        "created_at": (paid - timedelta(minutes=r.randint(1, 30))).isoformat(),
        "paid_at": paid.isoformat(),
        "amount": str(amount),
        "status": r.choice(["paid", "shipped", "completed", "completed"]),
    }
    if r.random() < REFUND:
        refunded = paid + timedelta(days=r.randint(1, 7))
        order.update(status="refunded", refund_amount=str(amount), refunded_at=refunded.isoformat())
    return order
