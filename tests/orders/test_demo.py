import sqlalchemy as sa

from qa_app.accounts import demo as accounts_demo
from qa_app.chats import demo as chats_demo
from qa_app.demo import orders as orders_demo
from qa_app.evaluations.sales import sales_figures
from qa_app.extensions import db as _db
from qa_app.orders.models import Order


def test_demo_orders_give_the_demo_agents_conversion_and_refund_figures(db):
    context = accounts_demo.seed()
    context.update(chats_demo.seed(context))
    orders_demo.seed(context)
    orders_demo.seed(context)  # again: nothing more
    stored = _db.session.scalar(sa.select(sa.func.count()).select_from(Order))
    first, last = _db.session.execute(sa.select(sa.func.min(Order.paid_at), sa.func.max(Order.paid_at))).one()
    figures = sales_figures(first, last).values()
    assert stored > 100
    assert any(0 < (f.conversion_rate or 0) < 1 for f in figures)
    assert any((f.refund_rate or 0) > 0 for f in figures)
