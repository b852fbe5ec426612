"""Demo follow-up cases: the demo's middle and bad reviews open cases as if each had been
imported an hour after it was written (every seventh one late, so it expires), and the agents
have worked the older ones, so the queues and the on-time share show every status on first
login, including overdue cases."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..extensions import db
from .followup import move, needs_follow_up, open_cases
from .models import Review

RESULTS = {
    "resolved": "已电话联系顾客，补发配件，顾客表示满意",
    "revised": "顾客已追评说明问题解决，改为好评",
    "unresolvable": "多次联系顾客未回复",
}
#: the rotation of outcomes for cases whose due time has passed; "open" stays overdue
OUTCOMES = ("resolved", "resolved", "revised", "unresolvable", "resolved", "open")


def seed_follow_ups(reviews: list[Review], now: datetime) -> int:
    db.session.flush()
    wanted = sorted((r for r in reviews if needs_follow_up(r)), key=lambda r: (r.created_at, r.external_id))
    cases = []
    for index, review in enumerate(wanted):
        arrived = now if index % 7 == 0 else min(now, review.created_at + timedelta(hours=1))
        cases += open_cases([review], arrived)
    for index, case in enumerate(c for c in cases if c.agent is not None and c.status == "open"):
        if case.due_at > now:
            if index % 2:
                move(case.agent, case, "contacted", now=now)
            continue
        outcome = OUTCOMES[index % len(OUTCOMES)]
        if outcome != "open":
            # most settled a day before the due time; every fourth a little late
            closed = min(now, case.due_at + (timedelta(hours=6) if index % 4 == 3 else -timedelta(days=1)))
            move(case.agent, case, outcome, RESULTS[outcome], now=closed)
    return len(cases)
