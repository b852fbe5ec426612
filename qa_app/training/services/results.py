"""What a quiz result shows: the right answers and explanations, by the course's setting.

With `show_answers = "final"` (the default) a learner sees them after a pass or once no attempt
is left, so a retry is still a test rather than a copy of the last result; with "always" after
every attempt. Whoever reviews someone else's attempt (trainer, lead) always sees them."""

from __future__ import annotations

import sqlalchemy as sa

from ...extensions import db
from ..models import Attempt


def reveals_answers(viewer, attempt: Attempt) -> bool:
    version = attempt.version
    if viewer.id != attempt.user_id or version.show_answers == "always" or attempt.passed:
        return True
    limit = (version.course.published or version).max_attempts
    if not limit:
        return False  # unlimited attempts: never the last one
    finished = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attempt)
        .where(
            Attempt.user_id == attempt.user_id,
            Attempt.course_id == attempt.course_id,
            Attempt.finished_at.is_not(None),
        )
    )
    return finished >= limit
