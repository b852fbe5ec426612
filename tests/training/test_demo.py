import time

import sqlalchemy as sa

from qa_app.accounts import demo as accounts_demo
from qa_app.extensions import db as _db
from qa_app.training import demo
from qa_app.training.models import Assignment, Attempt, Certificate, Course, LessonRead


def _counts():
    return [
        _db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Assignment, Attempt, Certificate, LessonRead)
    ]


def test_demo_seed_gives_progress_and_adds_nothing_the_second_time(db):
    context = accounts_demo.seed()
    started = time.perf_counter()
    demo.seed(context)
    assert time.perf_counter() - started < 20
    assignments, attempts, certificates, reads = _counts()
    assert assignments == len(context["agents"]) and attempts > 50 and certificates > 20 and reads > 100
    demo.seed(context)
    assert _counts() == [assignments, attempts, certificates, reads]


def test_demo_agents_reach_the_invoice_and_price_protection_courses(db):
    demo.seed(accounts_demo.seed())
    reached = set(
        _db.session.scalars(sa.select(Course.slug).join(Attempt, Attempt.course_id == Course.id).distinct())
    )
    assert {"invoices", "price-protection"} <= reached
