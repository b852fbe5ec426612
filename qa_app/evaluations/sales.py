"""Inquiry conversion, average order value and refund rate per agent (docs/evaluations.md).

Pure reads of chats and orders (both lower layers), so the later "sales" evaluation component
and the leads' page call the same sums. Times are aware UTC; a period is [start, end).

- An inquiry: a chat with a known customer, started in the period, when the customer had no
  order paid in the window before it (a chat about an order just paid is service, not sales).
- The agents of a chat: the users behind its ChatAgent rows (the chat's agent when it has none).
- An order is credited to one agent: among the chats naming its id, or else the customer's chats
  in the shop started within the window before the payment, the agent with most messages,
  then most characters, then most seconds; a nickname mapped to no user that wins credits nobody.
- Conversion of agent A: customers with an inquiry A served, converted when an order paid
  within the window after that inquiry is credited to A; the conversion counts in the period
  of the chat.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..chats.models import Chat, ChatAgent
from ..extensions import db
from ..orders.models import Order

DEFAULT_WINDOW = timedelta(hours=24)
Customer = tuple[int, str]  # (shop id, customer id)


@dataclass
class SalesFigures:
    """One agent's figures; the ids are the evidence a page links to."""

    inquiries: set[Customer] = field(default_factory=set)
    converted: dict[Customer, Decimal] = field(default_factory=dict)  # customer -> paid amount
    inquiry_chat_ids: set[int] = field(default_factory=set)
    credited_order_ids: set[int] = field(default_factory=set)
    refunded_order_ids: set[int] = field(default_factory=set)

    @property
    def conversion_rate(self) -> float | None:
        return len(self.converted) / len(self.inquiries) if self.inquiries else None

    @property
    def average_order_value(self) -> Decimal | None:
        if not self.converted:
            return None
        return (sum(self.converted.values(), Decimal(0)) / len(self.converted)).quantize(Decimal("0.01"))

    @property
    def refund_rate(self) -> float | None:
        if not self.credited_order_ids:
            return None
        return len(self.refunded_order_ids) / len(self.credited_order_ids)


@dataclass(frozen=True)
class _Inquiry:
    """A chat as the sums need it (started_at and customer known)."""

    id: int
    shop_id: int
    customer: str
    started_at: datetime


@dataclass(frozen=True)
class _Paid:
    """A paid order as the sums need it."""

    id: int
    shop_id: int
    customer: str
    external_id: str
    paid_at: datetime
    amount: Decimal
    refunded: bool


def sales_figures(
    start: datetime, end: datetime, *, window: timedelta = DEFAULT_WINDOW
) -> dict[int, SalesFigures]:
    """Per agent (user id): conversion of the inquiries in [start, end) and refunds of the
    orders paid in [start, end) credited to them."""
    chats = _chats_between(start - window, end + window)
    orders = _paid_orders_between(start - window, end + window)
    named = _chats_naming(orders)
    chat_agents = _agents_of(set(chats) | {chat_id for ids in named.values() for chat_id in ids})
    ledger = _Ledger(chats, chat_agents, named, window)
    figures: dict[int, SalesFigures] = defaultdict(SalesFigures)
    by_customer: dict[Customer, list[_Paid]] = defaultdict(list)
    for order in orders:
        by_customer[(order.shop_id, order.customer)].append(order)
    for chat in chats.values():
        if not (start <= chat.started_at < end):
            continue
        _count_inquiry(chat, by_customer[(chat.shop_id, chat.customer)], ledger, figures, window)
    for order in orders:
        if start <= order.paid_at < end:
            owner = ledger.owner(order)
            if owner is not None:
                figures[owner].credited_order_ids.add(order.id)
                if order.refunded:
                    figures[owner].refunded_order_ids.add(order.id)
    return dict(figures)


def _count_inquiry(chat: _Inquiry, orders: list[_Paid], ledger: _Ledger, figures, window: timedelta) -> None:
    if any(chat.started_at - window <= order.paid_at <= chat.started_at for order in orders):
        return  # the customer had just paid: an after-sale chat
    customer = (chat.shop_id, chat.customer)
    after = [order for order in orders if chat.started_at < order.paid_at <= chat.started_at + window]
    for agent_id in ledger.agents_of(chat.id):
        mine = figures[agent_id]
        mine.inquiries.add(customer)
        mine.inquiry_chat_ids.add(chat.id)
        credited = [order for order in after if ledger.owner(order) == agent_id]
        if credited and customer not in mine.converted:
            mine.converted[customer] = sum((order.amount for order in credited), Decimal(0))


class _Ledger:
    """Who served which chat, and whose each order is (cached: an order is asked about often)."""

    def __init__(self, chats: dict[int, _Inquiry], chat_agents, named: dict[int, list[int]], window):
        self.chats, self.chat_agents, self.named, self.window = chats, chat_agents, named, window
        self.owners: dict[int, int | None] = {}
        self.by_customer: dict[Customer, list[_Inquiry]] = defaultdict(list)
        for chat in chats.values():
            self.by_customer[(chat.shop_id, chat.customer)].append(chat)

    def agents_of(self, chat_id: int) -> set[int]:
        return {agent_id for agent_id, *_ in self.chat_agents.get(chat_id, []) if agent_id is not None}

    def owner(self, order: _Paid) -> int | None:
        if order.id not in self.owners:
            self.owners[order.id] = self._owner(order)
        return self.owners[order.id]

    def _owner(self, order: _Paid) -> int | None:
        chat_ids = self.named.get(order.id) or [
            chat.id
            for chat in self.by_customer.get((order.shop_id, order.customer), [])
            if order.paid_at - self.window <= chat.started_at < order.paid_at
        ]
        totals: dict[object, list[float]] = {}
        for chat_id in chat_ids:
            for agent_id, nickname, messages, characters, seconds in self.chat_agents.get(chat_id, []):
                key = agent_id if agent_id is not None else f"?{nickname}"
                entry = totals.setdefault(key, [0, 0, 0.0])
                entry[0] += messages
                entry[1] += characters
                entry[2] += seconds or 0.0
        if not totals:
            return None
        winner = max(totals, key=lambda key: (*totals[key], -_rank(key)))
        return winner if isinstance(winner, int) else None


def _rank(key: object) -> int:
    """Ties go to the lower user id, so the credit never depends on the order rows come in."""
    return key if isinstance(key, int) else 1 << 62


def _chats_between(start: datetime, end: datetime) -> dict[int, _Inquiry]:
    query = sa.select(Chat.id, Chat.shop_id, Chat.customer, Chat.started_at).where(
        Chat.customer.is_not(None), Chat.started_at >= start, Chat.started_at < end
    )
    found = {}
    for chat_id, shop_id, customer, started_at in db.session.execute(query):
        if customer is not None and started_at is not None:
            found[chat_id] = _Inquiry(chat_id, shop_id, customer, started_at)
    return found


def _paid_orders_between(start: datetime, end: datetime) -> list[_Paid]:
    query = (
        sa.select(Order).where(Order.paid_at >= start, Order.paid_at <= end).order_by(Order.paid_at, Order.id)
    )
    return [
        _Paid(
            order.id,
            order.shop_id,
            order.customer,
            order.external_id,
            order.paid_at,
            order.amount or Decimal(0),
            order.refunded,
        )
        for order in db.session.scalars(query)
        if order.paid_at is not None
    ]


def _chats_naming(orders: list[_Paid]) -> dict[int, list[int]]:
    """Order id -> the chats of its shop that name it (FORMATS.md: a chat's order_id)."""
    by_key = {(order.shop_id, order.external_id): order.id for order in orders}
    named: dict[int, list[int]] = defaultdict(list)
    external_ids = sorted({external for _, external in by_key})
    for first in range(0, len(external_ids), 500):
        query = sa.select(Chat.id, Chat.shop_id, Chat.order_id).where(
            Chat.order_id.in_(external_ids[first : first + 500])
        )
        for chat_id, shop_id, order_id in db.session.execute(query):
            if (shop_id, order_id) in by_key:
                named[by_key[(shop_id, order_id)]].append(chat_id)
    return named


def _agents_of(chat_ids: set[int]) -> dict[int, list[tuple]]:
    """Chat id -> (user id, nickname, messages, characters, seconds) per agent who wrote in it."""
    found: dict[int, list[tuple]] = defaultdict(list)
    ids = sorted(chat_ids)
    for first in range(0, len(ids), 500):
        query = sa.select(
            ChatAgent.chat_id,
            ChatAgent.agent_id,
            ChatAgent.nickname,
            ChatAgent.message_count,
            ChatAgent.characters,
            ChatAgent.seconds,
        ).where(ChatAgent.chat_id.in_(ids[first : first + 500]))
        for chat_id, *rest in db.session.execute(query):
            found[chat_id].append(tuple(rest))
    return found
