import time

import sqlalchemy as sa

from qa_app.accounts import demo as accounts_demo
from qa_app.chats import demo
from qa_app.chats.models import Chat, CheckResult
from qa_app.extensions import db as _db


def count(*where) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(Chat).where(*where))


def test_demo_seed_is_fast_attributed_and_idempotent(db):
    context = accounts_demo.seed()
    db.session.commit()  # as `flask demo seed` does after each step: services only flush
    started = time.monotonic()
    demo.seed(context)
    assert time.monotonic() - started < 20
    assert count() == demo.COUNT and count(Chat.agent_id.is_(None)) == 0
    failing = _db.session.scalars(sa.select(CheckResult.check).where(CheckResult.result == "fail")).all()
    assert {"first_response_time", "forbidden_phrases", "closing", "greeting"} <= set(failing)
    demo.seed(context)
    assert count() == demo.COUNT
