"""Conversion, average order value and refund rate on the hand-computed fixture of
docs/evaluations.md ("Sales: the worked example"): the services must match the hand sums."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from qa_app.chats.importer import import_records as import_chats
from qa_app.evaluations.sales import sales_figures
from qa_app.orders.importer import import_records as import_orders
from tests.factories import make_shop, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = (datetime(2026, 11, 1, tzinfo=SHANGHAI), datetime(2026, 12, 1, tzinfo=SHANGHAI))
OCTOBER = (datetime(2026, 10, 1, tzinfo=SHANGHAI), NOVEMBER[0])


def chat(chat_id, customer, at, turns, order_id=None):
    """`turns`: (nickname, messages) in order, after one customer message at `at`."""
    messages = [{"at": f"{at}+08:00", "from": "customer", "text": "在吗?"}]
    for nickname, count in turns:
        messages += [{"at": f"{at}+08:00", "from": "agent", "agent": nickname, "text": "您好,在的"}] * count
    record = {
        "id": chat_id,
        "shop": "fixture",
        "customer": customer,
        "agent": turns[0][0],
        "messages": messages,
    }
    if order_id:
        record["order_id"] = order_id
    return record


def order(order_id, customer, paid_at, amount, status="paid", refund_amount=None):
    return {
        "id": order_id,
        "shop": "fixture",
        "customer": customer,
        "created_at": paid_at,
        "paid_at": paid_at,
        "amount": amount,
        "status": status,
        "refund_amount": refund_amount,
    }


@pytest.fixture
def agents(db):
    shop = make_shop(slug="fixture")
    mei = make_user(nickname="小美", shop=shop)
    wang = make_user(nickname="小王", shop=shop)
    _, errors = import_chats(
        [
            chat("ch1", "c1", "2026-11-05T10:00:00", [("小美", 2)]),
            chat("ch2", "c2", "2026-11-06T10:00:00", [("小美", 1), ("小王", 3)]),
            chat("ch3", "c3", "2026-11-07T10:00:00", [("小美", 1)]),
            chat("ch4", "c4", "2026-11-10T10:00:00", [("小王", 1)], order_id="o4"),
            chat("ch5", "c5", "2026-11-12T10:00:00", [("小美", 1)]),
            chat("ch6", "c6", "2026-10-31T23:00:00", [("小美", 1)]),
        ]
    )
    assert errors == []
    _, errors = import_orders(
        [
            order("o1", "c1", "2026-11-05 15:00:00", "100.00"),
            order("o2", "c2", "2026-11-06 12:00:00", "260.00", status="refunded", refund_amount="260.00"),
            order("o3", "c3", "2026-11-09 10:00:00", "50.00"),
            order("o4", "c4", "2026-11-10 09:00:00", "80.00"),
            order("o5", "c5", "2026-11-12 20:00:00", "300.00", status="completed", refund_amount="50.00"),
            order("o6", "c6", "2026-11-01 01:00:00", "40.00"),
        ]
    )
    assert errors == []
    return mei, wang


def test_conversion_counts_customers_whose_order_is_credited_to_the_agent(agents):
    mei, wang = agents
    figures = sales_figures(*NOVEMBER)
    assert (len(figures[mei.id].converted), len(figures[mei.id].inquiries)) == (2, 4)
    assert figures[mei.id].conversion_rate == 0.5
    assert figures[wang.id].conversion_rate == 1.0


def test_average_order_value_is_over_the_converted_customers(agents):
    mei, wang = agents
    figures = sales_figures(*NOVEMBER)
    assert figures[mei.id].average_order_value == Decimal("200.00")
    assert figures[wang.id].average_order_value == Decimal("260.00")


def test_refund_rate_is_refunded_over_credited_orders_paid_in_the_period(agents):
    mei, wang = agents
    figures = sales_figures(*NOVEMBER)
    assert figures[mei.id].refund_rate == pytest.approx(1 / 3)
    assert figures[wang.id].refund_rate == 0.5


def test_an_order_named_by_a_chat_is_credited_to_that_chats_agent(agents):
    _, wang = agents
    assert len(sales_figures(*NOVEMBER)[wang.id].credited_order_ids) == 2  # o2 and o4 (named)


def test_a_conversion_belongs_to_the_period_of_the_chat(agents):
    mei, _ = agents
    october = sales_figures(*OCTOBER)[mei.id]
    assert (len(october.converted), len(october.inquiries)) == (1, 1)


def test_a_chat_just_after_a_payment_is_no_inquiry(agents):
    _, wang = agents
    assert len(sales_figures(*NOVEMBER)[wang.id].inquiries) == 1  # c2 only: c4 had just paid


def test_a_shorter_window_leaves_out_a_payment_outside_it(agents):
    from datetime import timedelta

    mei, _ = agents
    figures = sales_figures(*NOVEMBER, window=timedelta(hours=6))
    assert figures[mei.id].conversion_rate == 0.25  # c1 paid after 5 h; c5 after 10 h
