import sqlalchemy as sa

from qa_app.accounts import demo as accounts_demo
from qa_app.extensions import db
from qa_app.reviews import demo
from qa_app.reviews.models import Review


def count(*where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Review).where(*where))


def test_demo_seeds_reviews_once_with_a_few_left_to_attribute(db):
    context = accounts_demo.seed()
    demo.seed(context)
    demo.seed(context)
    assert count() == demo.TOTAL
    assert count(Review.agent_id.is_(None)) == demo.UNATTRIBUTED
    routes = set(db.session.scalars(sa.select(Review.attribution_route).distinct()))
    assert {"field", "text"} <= routes
