from datetime import UTC, datetime

from qa_app.reviews import services

from .factories import make_review

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def test_summary_counts_praise_and_criticism_in_the_period(org):
    make_review(org.shop, org.mei, service_polarity="praise", created_at=at(2))
    make_review(org.shop, org.mei, service_polarity="criticism", created_at=at(3))
    make_review(org.shop, org.mei, service_polarity="praise", created_at=datetime(2026, 10, 31, tzinfo=UTC))
    result = services.summary(org.mei.id, START, END)
    assert (result.total, result.praise, result.criticism) == (2, 1, 1)


def test_summary_averages_the_service_rating_given(org):
    make_review(org.shop, org.mei, service_rating=5, rating=5, created_at=at(2))
    make_review(org.shop, org.mei, service_rating=2, rating=3, created_at=at(3))
    make_review(org.shop, org.mei, service_rating=None, rating=4, created_at=at(4))
    result = services.summary(org.mei.id, START, END)
    assert (result.average_service_rating, result.service_ratings, result.average_rating) == (3.5, 2, 4.0)


def test_agent_without_reviews_gets_zeros(org):
    result = services.summaries([org.mei.id, org.xue.id], START, END)
    assert result[org.xue.id].total == 0 and result[org.xue.id].average_service_rating is None


def test_reviews_of_agent_filters_by_polarity(org):
    make_review(org.shop, org.mei, service_polarity="praise", created_at=at(2))
    wanted = make_review(org.shop, org.mei, service_polarity="criticism", created_at=at(3))
    from qa_app.extensions import db

    found = list(db.session.scalars(services.reviews_of_agent(org.mei.id, START, END, "criticism")))
    assert found == [wanted]


def test_reviews_for_chat_are_those_of_its_order_in_its_shop(org):
    from .factories import make_order_chat

    chat = make_order_chat(org.shop, "T1", {"小美": (org.mei, 3)})
    wanted = make_review(org.shop, None, order_id="T1")
    make_review(org.shop, None, order_id="T2")
    assert services.reviews_for_chat(chat) == [wanted]
