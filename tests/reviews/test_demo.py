import sqlalchemy as sa

from qa_app.accounts import demo as accounts_demo
from qa_app.accounts.models import AgentNickname
from qa_app.chats import demo as chats_demo
from qa_app.extensions import db
from qa_app.reviews import demo, demo_showcase
from qa_app.reviews.explanations import load
from qa_app.reviews.models import Review


def count(*where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Review).where(*where))


def test_demo_seeds_reviews_once_with_a_few_left_to_attribute(db):
    context = accounts_demo.seed()
    db.session.commit()  # as `flask demo seed` does after each step: services only flush
    demo.seed(context)
    demo.seed(context)
    assert count() == demo.TOTAL + len(demo_showcase.NAMED) + len(demo_showcase.UNKNOWN)
    assert count(Review.agent_id.is_(None)) == demo.UNATTRIBUTED + len(demo_showcase.UNKNOWN)
    routes = set(db.session.scalars(sa.select(Review.attribution_route).distinct()))
    assert {"field", "text"} <= routes


def cases() -> dict[str, Review]:
    return {
        review.external_id[len(demo_showcase.PREFIX) :]: review
        for review in db.session.scalars(
            sa.select(Review).where(Review.external_id.like(demo_showcase.PREFIX + "%"))
        )
    }


def test_demo_cases_go_to_the_agent_they_name_even_against_the_order(db):
    context = accounts_demo.seed()
    db.session.commit()  # as `flask demo seed` does after each step: services only flush
    context.update(chats_demo.seed(context))
    demo.seed(context)
    found = cases()
    named = [found[f"{n:02d}"] for n in range(1, len(demo_showcase.NAMED) + 1)]
    for review in named:
        nicknames = set(
            db.session.scalars(
                sa.select(AgentNickname.nickname).where(AgentNickname.user_id == review.agent_id)
            )
        )
        assert review.attribution_route == "text" and any(n in review.text for n in nicknames)
    conflict = next(r for r in named if r.order_id)
    assert "order_set_aside" in [p["key"] for p in load(conflict.attribution_rule)]


def test_demo_case_naming_an_unknown_agent_waits_in_the_queue(db):
    context = accounts_demo.seed()
    db.session.commit()  # as `flask demo seed` does after each step: services only flush
    demo.seed(context)
    unknown = cases()[f"{len(demo_showcase.NAMED) + 1:02d}"]
    assert unknown.agent_id is None
    assert load(unknown.attribution_rule)[0]["key"] == "text_unknown_name"


def test_demo_has_reviews_to_confirm(db):
    context = accounts_demo.seed()
    db.session.commit()  # as `flask demo seed` does after each step: services only flush
    demo.seed(context)
    assert count(Review.needs_confirmation.is_(True)) > 0


def test_demo_follow_up_queues_show_every_status_and_an_overdue_case(db):
    from qa_app.dbtypes import utcnow
    from qa_app.reviews.models import FOLLOW_UP_STATUSES, FollowUpCase

    demo.seed(accounts_demo.seed())
    statuses = set(db.session.scalars(sa.select(FollowUpCase.status).distinct()))
    overdue = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FollowUpCase)
        .where(FollowUpCase.status.in_(("open", "contacted")), FollowUpCase.due_at < utcnow())
    )
    assert statuses == set(FOLLOW_UP_STATUSES) and overdue >= 1
