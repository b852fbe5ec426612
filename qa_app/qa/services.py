"""Scoring: drafts, submission, changes after submission (audited), visibility, the queue, and
the public read API other domains use (`submitted_scores`, `agent_average`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import User
from ..audit.services import record
from ..chats.models import Chat
from ..database import in_one_transaction
from ..dbtypes import utcnow
from ..extensions import db
from ..permissions import can_see_agent
from ..ui.pagination import Page, paginate
from . import scoring
from .models import (
    CalibrationSession,
    Criterion,
    CriterionScore,
    Rubric,
    RubricSection,
    RubricVersion,
    Sample,
    Score,
)
from .prefill import pending_suggestions, prefill, spec

ROOT_CAUSES = {
    "product_knowledge": _l("Product knowledge"),
    "process": _l("Process not followed"),
    "attitude": _l("Attitude"),
    "communication": _l("Communication"),
    "speed": _l("Response speed"),
    "policy": _l("Policy misapplied"),
    "tools": _l("Tools or system"),
    "other": _l("Other"),
}


class ScoreError(ValueError):
    """A save that breaks a rule; the message is safe to show."""


class StaleScore(ScoreError):
    """Someone saved the score since this form was loaded."""


STALE_MESSAGE = _l(
    "This score was changed by someone else while you were editing. "
    "Reload the page to see their version, then apply your changes again."
)


@dataclass(frozen=True)
class AnswerInput:
    value: float | None = None
    na: bool = False
    comment: str = ""


def new_score(
    *,
    chat_id: int,
    agent_id: int | None,
    grader: User,
    version: RubricVersion,
    sample: Sample | None = None,
    calibration: CalibrationSession | None = None,
) -> Score:
    with db.session.no_autoflush:
        score = Score(
            chat_id=chat_id,
            agent_id=agent_id,
            grader_id=grader.id,
            rubric_version=version,
            sample=sample,
            calibration=calibration,
            status="draft",
            root_causes=[],
        )
        db.session.add(score)
        score.items = [CriterionScore(criterion=c) for c in version.criteria]
        prefill(score)
    return score


def start_for_sample(sample: Sample, grader: User) -> Score:
    """The sample's score, created (pre-filled) on first opening with the rubric's current version.

    Two first openings at once (two tabs, grader and admin) share the score the first one created:
    on SQLite the second waits for the first's write lock and then finds its score; on PostgreSQL
    the unique `sample_id` refuses the second one's score and it starts over and finds the
    first's (database.in_one_transaction)."""
    if sample.score is not None:
        return sample.score
    if grader.id == sample.agent_id:
        raise ScoreError(_l("Nobody scores their own chats."))

    def attempt() -> Score:
        if sample.score is not None:  # read again inside the write transaction
            return sample.score
        version = sample.rubric.current or sample.rubric_version
        return new_score(
            chat_id=sample.chat_id, agent_id=sample.agent_id, grader=grader, version=version, sample=sample
        )

    return in_one_transaction(attempt)


def result_of(score: Score) -> scoring.Result:
    return scoring.compute(scoring.Answer(spec(i.criterion), i.value, i.na) for i in score.items)


def _snapshot(score: Score) -> dict:
    return {
        "status": score.status,
        "total": score.total,
        "critical_failed": score.critical_failed,
        "values": {i.criterion.key: ("n/a" if i.na else i.value) for i in score.items},
        "praise": score.praise,
        "criticism": score.criticism,
        "root_causes": list(score.root_causes or []),
    }


def save(
    score: Score,
    actor: User,
    *,
    expected_version: int | None,
    answers: dict[int, AnswerInput],
    praise: str = "",
    criticism: str = "",
    root_causes=(),
    submit: bool = False,
    reason: str | None = None,
) -> Score:
    """Save a draft or submit; after submission every change needs a reason and is audited.
    A save made from a stale form (another save happened since) is refused with StaleScore, also
    when the two saves overlap in the database: exactly one of them is stored, whole.

    The save is one transaction (database.in_one_transaction) that reads the score again and
    compares its stored version with `expected_version` (default: the version `score` holds now).
    On SQLite it takes the write lock at BEGIN, so an overlapping save is waited for and then seen
    as a newer version. PostgreSQL makes the later UPDATE wait for the earlier commit and then
    match no row (SQLAlchemy's version counter: StaleDataError), which is not a lost race to
    retry but the same refusal. A retry after a lost race (a deadlock, SQLite still locked after
    the busy timeout) compares the versions again, so it never writes over another save."""
    expected = score.version_id if expected_version is None else expected_version

    def attempt() -> None:
        _apply(
            score,
            actor,
            expected,
            answers=answers,
            praise=praise,
            criticism=criticism,
            root_causes=root_causes,
            submit=submit,
            reason=reason,
        )

    try:
        in_one_transaction(attempt)
    except StaleDataError:
        raise StaleScore(STALE_MESSAGE) from None
    return score


def apply_change(score: Score, actor: User, expected_version: int, *, answers, reason: str) -> None:
    """Change the criteria of a submitted score inside the caller's transaction (a dispute
    decision), keeping its overall comments; audited like any change after submission."""
    _apply(
        score,
        actor,
        expected_version,
        answers=answers,
        praise=score.praise,
        criticism=score.criticism,
        root_causes=score.root_causes or [],
        submit=False,
        reason=reason,
    )


def _apply(
    score: Score,
    actor: User,
    expected_version: int,
    *,
    answers,
    praise,
    criticism,
    root_causes,
    submit,
    reason,
) -> None:
    if expected_version != score.version_id:
        raise StaleScore(STALE_MESSAGE)
    if not can_edit(actor, score):
        raise ScoreError(_l("You may not change this score."))
    was_submitted = score.status == "submitted"
    if was_submitted and not (reason or "").strip():
        raise ScoreError(_l("Give a reason for changing a submitted score."))
    before = _snapshot(score) if was_submitted else None
    for item in score.items:
        given = answers.get(item.criterion_id)
        if given is None:
            continue
        s = spec(item.criterion)
        if given.na and not s.na_allowed:
            raise ScoreError(_l("%(criterion)s cannot be N/A.", criterion=item.criterion.t("title")))
        if given.value is not None and not given.na and not scoring.valid_value(s, given.value):
            raise ScoreError(
                _l("%(criterion)s: the value is outside its scale.", criterion=item.criterion.t("title"))
            )
        item.na = given.na
        item.value = None if given.na else given.value
        item.comment = (given.comment or "")[:4000]
    score.praise, score.criticism = (praise or "")[:8000], (criticism or "")[:8000]
    score.root_causes = [c for c in dict.fromkeys(root_causes) if c in ROOT_CAUSES]
    result = result_of(score)
    pending = pending_suggestions(score)
    if (submit or was_submitted) and pending:
        raise ScoreError(
            _l(
                "Confirm or change the suggested must-pass failure before submitting "
                "(choose a value yourself): %(list)s",
                list=", ".join(i.criterion.t("title") for i in pending),
            )
        )
    if (submit or was_submitted) and result.unanswered:
        missing = [i.criterion.t("title") for i in score.items if i.value is None and not i.na]
        raise ScoreError(
            _l("Answer every criterion (or mark it N/A) before submitting: %(list)s", list=", ".join(missing))
        )
    score.total, score.critical_failed = result.total, result.critical_failed
    score.updated_at = utcnow()  # always an UPDATE of the score row, so its version is checked
    if submit and not was_submitted:
        score.status, score.submitted_at = "submitted", utcnow()
        record(actor, "score.submitted", score, after=_snapshot(score))
    elif was_submitted:
        after = _snapshot(score)
        if after != before:
            record(actor, "score.changed", score, before=before, after=after, reason=reason.strip())


# --- who may see and change a score ------------------------------------------------------------


def _is_lead_of(user: User, agent_id: int | None) -> bool:
    agent = db.session.get(User, agent_id) if agent_id else None
    return bool(agent and agent.team and agent.team.lead_id == user.id)


def can_view(user: User, score: Score) -> bool:
    if user.id == score.grader_id:
        return True
    if score.calibration_id is not None:
        # a closed session's scores are open to QA for the discussion; a lead sees only those of
        # their own teams' agents, as with any other score (the transcript is the agent's chat)
        if score.calibration.status != "closed":
            return False
        return user.has_any_role("qa", "admin") or (
            user.has_role("lead") and _is_lead_of(user, score.agent_id)
        )
    if user.has_any_role("qa", "admin"):
        return True
    return score.status == "submitted" and can_see_agent(user, score.agent)


def can_edit(user: User, score: Score) -> bool:
    if user.id == score.agent_id:
        return False  # a QA specialist who is also an agent never grades themselves
    if score.calibration_id is not None:
        return user.id == score.grader_id and score.calibration.status == "open"
    if score.status == "draft":
        return user.id == score.grader_id
    return (
        user.id == score.grader_id
        or user.has_any_role("qa", "admin")
        or (user.has_role("lead") and _is_lead_of(user, score.agent_id))
    )


# --- queue and lists ------------------------------------------------------------------------------


def score_for_page(score_id: int) -> Score | None:
    """A score with what its page shows (answers with their criteria, the rubric's sections and
    criteria) loaded in a fixed number of queries instead of one per answer and section."""
    return db.session.scalar(
        sa.select(Score)
        .where(Score.id == score_id)
        .options(
            so.selectinload(Score.items).joinedload(CriterionScore.criterion),
            so.joinedload(Score.rubric_version)
            .selectinload(RubricVersion.sections)
            .selectinload(RubricSection.criteria),
        )
    )


def queue_query(user: User, *, rubric_id: int | None = None, state: str | None = None) -> sa.Select:
    """Samples assigned to `user` that are not submitted yet, oldest first."""
    stmt = (
        sa.select(Sample)
        .outerjoin(Score, Score.sample_id == Sample.id)
        .where(Sample.assigned_to_id == user.id, sa.or_(Score.id.is_(None), Score.status == "draft"))
        .options(
            so.joinedload(Sample.score),
            so.joinedload(Sample.agent),
            so.joinedload(Sample.chat),
            so.joinedload(Sample.rubric_version),
        )
        .order_by(Sample.created_at, Sample.id)
    )
    if rubric_id:
        stmt = stmt.where(Sample.rubric_id == rubric_id)
    if state == "new":
        stmt = stmt.where(Score.id.is_(None))
    elif state == "draft":
        stmt = stmt.where(Score.status == "draft")
    return stmt


def queue_counts(user: User) -> dict:
    rows = db.session.execute(
        sa.select(Score.status, sa.func.count())
        .select_from(Sample)
        .outerjoin(Score, Score.sample_id == Sample.id)
        .where(Sample.assigned_to_id == user.id)
        .group_by(Score.status)
    )
    counts = {status or "new": n for status, n in rows}
    return {
        "new": counts.get("new", 0),
        "draft": counts.get("draft", 0),
        "submitted": counts.get("submitted", 0),
    }


def queue_page(
    user: User,
    number: int,
    per_page: int,
    *,
    counts: dict,
    rubric_id: int | None = None,
    state: str | None = None,
) -> Page:
    """A page of the queue; without a rubric filter its length comes from `queue_counts`
    (already read for the page) rather than a second count over the QA specialist's samples."""
    stmt = queue_query(user, rubric_id=rubric_id, state=state)
    if rubric_id:
        return paginate(stmt, number, per_page)
    total = counts["new"] + counts["draft"] if state is None else counts[state]
    number = min(max(1, number or 1), max(1, -(-total // per_page)))
    items = list(db.session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)


def next_in_queue(user: User) -> Sample | None:
    return db.session.scalar(queue_query(user).limit(1))


def scores_query(
    viewer: User,
    *,
    agent_id: int | None = None,
    rubric_id: int | None = None,
    grader_id: int | None = None,
    team_id: int | None = None,
) -> sa.Select:
    """Submitted sample scores the viewer may see, newest first."""
    stmt = (
        sa.select(Score)
        .where(Score.status == "submitted", Score.sample_id.is_not(None))
        .options(so.joinedload(Score.agent), so.joinedload(Score.grader), so.joinedload(Score.rubric_version))
        .order_by(Score.submitted_at.desc(), Score.id.desc())
    )
    if not viewer.has_any_role("qa", "admin", "trainer"):
        visible = [viewer.id]
        if viewer.has_role("lead"):
            visible += [m.id for team in viewer.led_teams for m in team.members]
        stmt = stmt.where(Score.agent_id.in_(visible))
    if agent_id:
        stmt = stmt.where(Score.agent_id == agent_id)
    if grader_id:
        stmt = stmt.where(Score.grader_id == grader_id)
    if rubric_id:
        stmt = stmt.join(RubricVersion, RubricVersion.id == Score.rubric_version_id).where(
            RubricVersion.rubric_id == rubric_id
        )
    if team_id:
        stmt = stmt.where(Score.agent_id.in_(sa.select(User.id).where(User.team_id == team_id)))
    return stmt


def latest_for_agent(agent: User, limit: int = 5) -> list[Score]:
    return list(db.session.scalars(scores_query(agent, agent_id=agent.id).limit(limit)))


def latest_for_lead(lead: User, limit: int = 8) -> list[Score]:
    ids = [m.id for team in lead.led_teams for m in team.members]
    if not ids:
        return []
    return list(db.session.scalars(scores_query(lead).where(Score.agent_id.in_(ids)).limit(limit)))


def chat_of(score_or_sample) -> Chat:
    return db.session.get(Chat, score_or_sample.chat_id)


def rubric_options() -> list[Rubric]:
    # with their versions: the filter shows each rubric's current title
    return list(
        db.session.scalars(sa.select(Rubric).options(so.selectinload(Rubric.versions)).order_by(Rubric.slug))
    )


# --- public read API (evaluations, api) -----------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    key: str
    title_zh: str
    title_en: str
    section_key: str
    weight: float
    scale: str
    critical: bool
    na: bool
    value: float | None
    fraction: float | None  # earned fraction 0…1, None when N/A
    comment: str


@dataclass(frozen=True)
class ScoreResult:
    score_id: int
    chat_id: int
    agent_id: int
    grader_id: int
    rubric_slug: str
    rubric_version: int
    total: float | None
    critical_failed: bool
    submitted_at: datetime
    praise: str
    criticism: str
    root_causes: tuple[str, ...]
    criteria: tuple[CriterionResult, ...]


def submitted_scores(
    *, agent_ids=None, start: datetime | None = None, end: datetime | None = None
) -> list[ScoreResult]:
    """Submitted QA scores of sampled chats (calibration excluded), with criterion-level results,
    submitted in [start, end), oldest first. Changes after submission are already applied."""
    stmt = (
        sa.select(Score)
        .where(Score.status == "submitted", Score.sample_id.is_not(None))
        .options(
            so.selectinload(Score.items).joinedload(CriterionScore.criterion).joinedload(Criterion.section),
            so.joinedload(Score.rubric_version).joinedload(RubricVersion.rubric),
        )
        .order_by(Score.submitted_at, Score.id)
    )
    if agent_ids is not None:
        stmt = stmt.where(Score.agent_id.in_(list(agent_ids)))
    if start is not None:
        stmt = stmt.where(Score.submitted_at >= start)
    if end is not None:
        stmt = stmt.where(Score.submitted_at < end)
    results = []
    for score in db.session.scalars(stmt).unique():
        criteria = []
        for item in sorted(score.items, key=lambda i: i.criterion.position):
            c = item.criterion
            fraction = None if item.na or item.value is None else scoring.fraction(spec(c), item.value)
            criteria.append(
                CriterionResult(
                    c.key,
                    c.title_zh,
                    c.title_en,
                    c.section.key,
                    c.weight,
                    c.scale,
                    c.critical,
                    item.na,
                    item.value,
                    fraction,
                    item.comment,
                )
            )
        results.append(
            ScoreResult(
                score.id,
                score.chat_id,
                score.agent_id,
                score.grader_id,
                score.rubric_version.rubric.slug,
                score.rubric_version.number,
                score.total,
                score.critical_failed,
                score.submitted_at,
                score.praise,
                score.criticism,
                tuple(score.root_causes or ()),
                tuple(criteria),
            )
        )
    return results


def agent_average(
    agent_id: int, start: datetime | None = None, end: datetime | None = None
) -> tuple[float | None, int]:
    """Mean total of an agent's submitted scores in [start, end) and how many there were
    (scores that are undefined because everything was N/A are left out)."""
    stmt = sa.select(sa.func.avg(Score.total), sa.func.count(Score.total)).where(
        Score.status == "submitted",
        Score.sample_id.is_not(None),
        Score.agent_id == agent_id,
        Score.total.is_not(None),
    )
    if start is not None:
        stmt = stmt.where(Score.submitted_at >= start)
    if end is not None:
        stmt = stmt.where(Score.submitted_at < end)
    mean, count = db.session.execute(stmt).one()
    return (round(float(mean), 2) if mean is not None else None), count


def scores_feed(*, updated_since: datetime | None = None, agent_id: int | None = None) -> sa.Select:
    """Submitted scores of sampled chats, oldest change first: what integrations poll."""
    stmt = (
        sa.select(Score)
        .where(Score.status == "submitted", Score.sample_id.is_not(None))
        .options(so.joinedload(Score.rubric_version).joinedload(RubricVersion.rubric))
        .order_by(Score.updated_at, Score.id)
    )
    if updated_since is not None:
        stmt = stmt.where(Score.updated_at > updated_since)
    if agent_id is not None:
        stmt = stmt.where(Score.agent_id == agent_id)
    return stmt


def samples_feed(*, created_since: datetime | None = None, agent_id: int | None = None) -> sa.Select:
    """Samples drawn by sampling plans, oldest first."""
    stmt = (
        sa.select(Sample)
        .options(so.joinedload(Sample.rubric), so.joinedload(Sample.score))
        .order_by(Sample.created_at, Sample.id)
    )
    if created_since is not None:
        stmt = stmt.where(Sample.created_at > created_since)
    if agent_id is not None:
        stmt = stmt.where(Sample.agent_id == agent_id)
    return stmt
