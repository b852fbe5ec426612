"""Scoring: drafts, submission and changes after submission (audited)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import User
from ..audit.services import record
from ..database import in_one_transaction
from ..dbtypes import utcnow
from ..extensions import db
from . import scoring
from .access import can_edit
from .models import (
    CalibrationSession,
    CriterionScore,
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
