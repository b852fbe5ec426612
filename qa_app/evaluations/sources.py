"""Everything evaluations read from other domains, in one place.

Each source takes agent ids and a period and returns plain dataclasses keyed by agent id, with
one aggregate query (GROUP BY agent) per source whatever the number of agents. Where the other
domain offers a suitable service it is called; otherwise its models are read, read-only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..accounts.models import Shop
from ..chats.models import Chat, CheckResult
from ..extensions import db
from ..qa import feeds as qa_feeds
from ..qa.models import Score
from ..reviews import services as review_services
from ..reviews.models import Review
from ..training.models import Assignment, Attempt, Course, CourseVersion, PathCourse
from .periods import Period

FIRST_RESPONSE = "first_response_time"


@dataclass(frozen=True)
class QaStats:
    agent_id: int
    mean_total: float | None = None
    count: int = 0  # scores with a total (all-N/A scores have none and are left out)
    critical_failures: int = 0


@dataclass(frozen=True)
class ReviewStats:
    agent_id: int
    total: int = 0
    praise: int = 0
    criticism: int = 0
    mixed: int = 0
    average_service_rating: float | None = None


@dataclass(frozen=True)
class ChatStats:
    agent_id: int
    chats: int = 0
    first_response_passed: int = 0
    first_response_failed: int = 0
    average_first_response: float | None = None


@dataclass(frozen=True)
class TrainingStats:
    agent_id: int
    due: int = 0  # required courses due in the period, passed or past their due date
    on_time: int = 0  # of those, passed by the end of the due day
    overdue: int = 0  # due in the period, past due and not passed at all
    attempts: int = 0  # quiz attempts finished in the period
    quiz_average: float | None = None


def _ids(agent_ids) -> list[int]:
    return sorted({int(i) for i in agent_ids})


def qa_stats(agent_ids, period: Period) -> dict[int, QaStats]:
    """Submitted QA scores of sampled chats (calibration excluded) by submission time."""
    ids = _ids(agent_ids)
    result = {i: QaStats(i) for i in ids}
    if not ids:
        return result
    rows = db.session.execute(
        sa.select(
            Score.agent_id,
            sa.func.avg(Score.total),
            sa.func.count(Score.total),
            sa.func.sum(sa.case((Score.critical_failed.is_(True), 1), else_=0)),
        )
        .where(
            Score.status == "submitted",
            Score.sample_id.is_not(None),
            Score.agent_id.in_(ids),
            Score.submitted_at >= period.start,
            Score.submitted_at < period.end,
        )
        .group_by(Score.agent_id)
    )
    for agent_id, mean, count, critical in rows:
        result[agent_id] = QaStats(
            agent_id, float(mean) if mean is not None else None, int(count or 0), int(critical or 0)
        )
    return result


def review_stats(agent_ids, period: Period) -> dict[int, ReviewStats]:
    summaries = review_services.summaries(_ids(agent_ids), period.start, period.end)
    return {
        i: ReviewStats(i, s.total, s.praise, s.criticism, s.mixed, s.average_service_rating)
        for i, s in summaries.items()
    }


def chat_stats(agent_ids, period: Period) -> dict[int, ChatStats]:
    """Chats attributed to the agent (the chat's agent) that started in the period, and how the
    first response compared with the shop's limit (not-measurable chats count in neither).

    One pass over the period's chats, without joining every chat to its check results: a
    measured first response is kept on the chat itself, so only the few chats never answered at
    all (no time, a failed check) look up their check row. Joining every chat of a month to its
    check result took seconds at benchmark scale; a second query for the unanswered ones read
    the month's chats twice (~1.5x the time of this one at 1M chats).
    """
    ids = _ids(agent_ids)
    result = {i: ChatStats(i) for i in ids}
    if not ids:
        return result
    seconds, limit = Chat.first_response_seconds, Shop.first_response_limit_seconds
    never_answered = sa.and_(
        seconds.is_(None),
        Chat.failed_checks > 0,
        sa.exists().where(
            CheckResult.chat_id == Chat.id, CheckResult.check == FIRST_RESPONSE, CheckResult.result == "fail"
        ),
    )
    rows = db.session.execute(
        sa.select(
            Chat.agent_id,
            sa.func.count(Chat.id),
            sa.func.sum(sa.case((seconds <= limit, 1), else_=0)),
            sa.func.sum(sa.case((seconds > limit, 1), else_=0)),
            sa.func.sum(sa.case((never_answered, 1), else_=0)),
            sa.func.avg(seconds),
        )
        .join(Shop, Shop.id == Chat.shop_id)
        .where(Chat.agent_id.in_(ids), Chat.started_at >= period.start, Chat.started_at < period.end)
        .group_by(Chat.agent_id)
    )
    for agent_id, chats, passed, failed, unanswered, average in rows:
        result[agent_id] = ChatStats(
            agent_id,
            int(chats),
            int(passed or 0),
            int(failed or 0) + int(unanswered or 0),
            float(average) if average is not None else None,
        )
    return result


def _end_of_day(day: date, tz: str) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(tz))


def required_courses(agent_ids, period: Period) -> dict[int, list[tuple[int, date, int]]]:
    """(course id, due date, assignment id) per agent for assignments due in the period; a
    learning path stands for each of its courses."""
    ids = _ids(agent_ids)
    found: dict[int, list[tuple[int, date, int]]] = defaultdict(list)
    if not ids:
        return found
    assignments = db.session.execute(
        sa.select(
            Assignment.id, Assignment.user_id, Assignment.course_id, Assignment.path_id, Assignment.due_on
        ).where(
            Assignment.user_id.in_(ids),
            Assignment.due_on >= period.first_day,
            Assignment.due_on <= period.last_day,
        )
    ).all()
    path_ids = {row.path_id for row in assignments if row.path_id}
    path_courses: dict[int, list[int]] = defaultdict(list)
    if path_ids:
        for path_id, course_id in db.session.execute(
            sa.select(PathCourse.path_id, PathCourse.course_id)
            .where(PathCourse.path_id.in_(path_ids))
            .order_by(PathCourse.position)
        ):
            path_courses[path_id].append(course_id)
    for row in assignments:
        seen = {course for course, _, _ in found[row.user_id]}
        for course_id in [row.course_id] if row.course_id else path_courses[row.path_id]:
            if course_id not in seen:
                found[row.user_id].append((course_id, row.due_on, row.id))
                seen.add(course_id)
    return found


def first_passes(agent_ids) -> dict[tuple[int, int], datetime]:
    """(agent, course) → when the agent first passed the course's quiz."""
    ids = _ids(agent_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Attempt.user_id, Attempt.course_id, sa.func.min(Attempt.finished_at))
        .where(Attempt.user_id.in_(ids), Attempt.passed.is_(True), Attempt.finished_at.is_not(None))
        .group_by(Attempt.user_id, Attempt.course_id)
    )
    return {(user_id, course_id): at for user_id, course_id, at in rows}


def training_stats(agent_ids, period: Period, today: date) -> dict[int, TrainingStats]:
    ids = _ids(agent_ids)
    result = {i: TrainingStats(i) for i in ids}
    if not ids:
        return result
    required = required_courses(ids, period)
    passes = first_passes(ids) if required else {}
    quiz = {
        user_id: (float(avg) if avg is not None else None, int(n))
        for user_id, avg, n in db.session.execute(
            sa.select(Attempt.user_id, sa.func.avg(Attempt.score), sa.func.count(Attempt.id))
            .where(
                Attempt.user_id.in_(ids),
                Attempt.finished_at >= period.start,
                Attempt.finished_at < period.end,
                Attempt.score.is_not(None),
            )
            .group_by(Attempt.user_id)
        )
    }
    for agent_id in ids:
        due = on_time = overdue = 0
        for course_id, due_on, _ in required.get(agent_id, ()):
            passed_at = passes.get((agent_id, course_id))
            if passed_at is not None and passed_at < _end_of_day(due_on, period.tz):
                due, on_time = due + 1, on_time + 1
            elif due_on < today:
                due += 1
                overdue += passed_at is None
            # else: not passed yet, but its due date has not passed either: nobody is behind
            # on it (a user created today with a course due next week has a rate of none)
        average, attempts = quiz.get(agent_id, (None, 0))
        result[agent_id] = TrainingStats(agent_id, due, on_time, overdue, attempts, average)
    return result


# --- rows behind the numbers (evidence pages) -----------------------------------------------


def qa_score_rows(agent_id: int, period: Period):
    """The agent's submitted QA scores in the period, oldest first (qa's public read API)."""
    return qa_feeds.submitted_scores(agent_ids=[agent_id], start=period.start, end=period.end)


def chat_rows(agent_id: int, period: Period, outcome: str | None = None) -> sa.Select:
    stmt = sa.select(Chat).where(
        Chat.agent_id == agent_id, Chat.started_at >= period.start, Chat.started_at < period.end
    )
    if outcome in ("pass", "fail", "not_measurable"):
        stmt = stmt.where(
            Chat.id.in_(
                sa.select(CheckResult.chat_id).where(
                    CheckResult.check == FIRST_RESPONSE, CheckResult.result == outcome
                )
            )
        )
    return stmt.order_by(Chat.started_at.desc(), Chat.id.desc())


def review_rows(agent_id: int, period: Period, polarity: str | None = None) -> sa.Select:
    return review_services.reviews_of_agent(agent_id, period.start, period.end, polarity)


@dataclass(frozen=True)
class CourseLine:
    course_id: int
    slug: str
    title_zh: str
    title_en: str
    due_on: date
    passed_at: datetime | None
    on_time: bool


def training_rows(agent_id: int, period: Period) -> tuple[list[CourseLine], list]:
    """Required courses due in the period with their outcome, and quiz attempts finished in it."""
    required = required_courses([agent_id], period).get(agent_id, [])
    passes = first_passes([agent_id])
    courses = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Course).where(Course.id.in_([c for c, _, _ in required] or [-1]))
        )
    }
    lines = []
    for course_id, due_on, _ in required:
        course = courses[course_id]
        title_zh, title_en = _course_titles(course)
        passed_at = passes.get((agent_id, course_id))
        lines.append(
            CourseLine(
                course_id,
                course.slug,
                title_zh,
                title_en,
                due_on,
                passed_at,
                passed_at is not None and passed_at < _end_of_day(due_on, period.tz),
            )
        )
    attempts = db.session.execute(
        sa.select(
            Attempt.id, Attempt.course_id, Course.slug, Attempt.score, Attempt.passed, Attempt.finished_at
        )
        .join(Course, Course.id == Attempt.course_id)
        .where(
            Attempt.user_id == agent_id,
            Attempt.finished_at >= period.start,
            Attempt.finished_at < period.end,
            Attempt.score.is_not(None),
        )
        .order_by(Attempt.finished_at)
    ).all()
    return lines, attempts


def _course_titles(course: Course) -> tuple[str, str]:
    version = db.session.scalar(
        sa.select(CourseVersion)
        .where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.number.desc())
        .limit(1)
    )
    if version is None:
        return course.slug, course.slug
    return version.title_zh or course.slug, version.title_en or course.slug


# --- coaching: one criterion before and after a session ---------------------------------------


def criterion_fractions(
    agent_id: int, keys, start: datetime | None, end: datetime | None
) -> dict[str, tuple[float | None, int]]:
    """Mean earned fraction (0…1) of each criterion key in the agent's QA scores submitted in
    [start, end), with how many scores answered it (N/A left out)."""
    wanted = set(keys)
    sums: dict[str, list[float]] = {key: [] for key in wanted}
    for score in qa_feeds.submitted_scores(agent_ids=[agent_id], start=start, end=end):
        for item in score.criteria:
            if item.key in wanted and item.fraction is not None:
                sums[item.key].append(item.fraction)
    return {
        key: ((sum(values) / len(values)) if values else None, len(values)) for key, values in sums.items()
    }


def criterion_titles() -> dict[str, tuple[str, str]]:
    """Criterion key → (Chinese, English) title, from the newest rubric versions."""
    from ..qa.models import Criterion

    titles = {}
    for key, zh, en in db.session.execute(
        sa.select(Criterion.key, Criterion.title_zh, Criterion.title_en).order_by(Criterion.id)
    ):
        titles[key] = (zh, en)
    return titles


def reviews_by_id(ids) -> list[Review]:
    ids = [int(i) for i in ids or ()]
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Review).where(Review.id.in_(ids))))


def chats_by_id(ids) -> list[Chat]:
    ids = [int(i) for i in ids or ()]
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Chat).where(Chat.id.in_(ids))))
