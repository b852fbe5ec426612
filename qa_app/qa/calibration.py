"""Calibration: several graders score the same chats blind; then where they disagree.

While a session is open each grader sees only their own scores. Once closed, the results show
per criterion Krippendorff's alpha (interval, on the earned fraction), the chats and criteria
where graders disagree, and each grader's distance from the consensus across sessions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import record
from ..chats.models import Chat, ChatAgent
from ..dbtypes import utcnow
from ..extensions import db
from . import agreement, scoring
from .models import CalibrationSession, CriterionScore, Rubric, Score
from .prefill import spec
from .scores import new_score


class CalibrationError(ValueError):
    """The message is safe to show."""


def pick_chats(count: int, exclude_agents: set[int], seed: int, days: int = 30) -> list[int]:
    """`count` random recent chats whose agents are not among the graders."""
    since = utcnow() - timedelta(days=days)
    ids = sorted(
        db.session.scalars(
            sa.select(Chat.id).where(
                Chat.agent_id.is_not(None),
                Chat.started_at >= since,
                Chat.agent_id.not_in(exclude_agents or {0}),
            )
        )
    )
    if exclude_agents and ids:
        involved = set(
            db.session.scalars(
                sa.select(ChatAgent.chat_id).where(
                    ChatAgent.agent_id.in_(exclude_agents), ChatAgent.chat_id.in_(ids)
                )
            )
        )
        ids = [i for i in ids if i not in involved]
    return sorted(random.Random(seed).sample(ids, min(count, len(ids))))


def create_session(
    actor,
    *,
    title: str,
    rubric: Rubric,
    grader_ids: list[int],
    chat_count: int,
    seed: int | None = None,
    chat_ids: list[int] | None = None,
) -> CalibrationSession:
    version = rubric.current
    if version is None:
        raise CalibrationError(_l("The rubric has no published version."))
    graders = list(dict.fromkeys(grader_ids))
    if len(graders) < 2:
        raise CalibrationError(_l("A calibration needs at least two graders."))
    if not 1 <= chat_count <= 50 and not chat_ids:
        raise CalibrationError(_l("Choose between 1 and 50 chats."))
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    chats = chat_ids or pick_chats(chat_count, set(graders), seed)
    if not chats:
        raise CalibrationError(
            _l("No recent chat can be used: import chats first, or choose graders who did not handle them.")
        )
    session = CalibrationSession(
        title=title.strip()[:200] or "—",
        rubric_version=version,
        created_by_id=getattr(actor, "id", None),
        chat_ids=chats,
        grader_ids=graders,
        status="open",
    )
    db.session.add(session)
    db.session.flush()
    record(actor, "calibration.created", session, after={"chats": chats, "graders": graders, "seed": seed})
    db.session.flush()
    return session


def is_grader(user: User, session: CalibrationSession) -> bool:
    return user.id in (session.grader_ids or [])


def score_for(session: CalibrationSession, chat_id: int, grader: User, create: bool = False) -> Score | None:
    score = db.session.scalar(
        sa.select(Score).where(
            Score.calibration_id == session.id, Score.chat_id == chat_id, Score.grader_id == grader.id
        )
    )
    if score is None and create:
        if session.status != "open":
            raise CalibrationError(_l("This calibration session is closed."))
        chat = db.session.get(Chat, chat_id)
        score = new_score(
            chat_id=chat_id,
            agent_id=chat.agent_id,
            grader=grader,
            version=session.rubric_version,
            calibration=session,
        )
        db.session.flush()
    return score


def progress(session: CalibrationSession) -> dict[int, int]:
    """Submitted scores per grader."""
    rows = db.session.execute(
        sa.select(Score.grader_id, sa.func.count())
        .where(Score.calibration_id == session.id, Score.status == "submitted")
        .group_by(Score.grader_id)
    )
    return dict(rows.all())


def close(actor, session: CalibrationSession) -> None:
    if session.status != "open":
        return
    session.status, session.closed_at = "closed", utcnow()
    record(actor, "calibration.closed", session, after={"submitted": progress(session)})
    db.session.flush()


@dataclass
class CriterionAgreement:
    criterion: object
    alpha: float | None
    disagreements: list  # (chat_id, {grader_id: fraction or None}, spread)


def _fractions(session: CalibrationSession):
    """{chat_id: {criterion_id: {grader_id: fraction | None}}} and {chat_id: {grader: total}}."""
    return _fractions_of(_submitted_scores([session.id]).get(session.id, []))


def _submitted_scores(session_ids) -> dict[int, list[Score]]:
    """session id → its submitted scores, with their answers and criteria, in three queries."""
    scores: dict[int, list[Score]] = defaultdict(list)
    for score in db.session.scalars(
        sa.select(Score)
        .where(Score.calibration_id.in_(session_ids), Score.status == "submitted")
        .options(so.selectinload(Score.items).selectinload(CriterionScore.criterion))
    ):
        scores[score.calibration_id].append(score)
    return scores


def _fractions_of(scores: list[Score]):
    by_chat: dict = defaultdict(lambda: defaultdict(dict))
    totals: dict = defaultdict(dict)
    for score in scores:
        totals[score.chat_id][score.grader_id] = None if score.total is None else score.total / 100
        for item in score.items:
            value = (
                None if item.na or item.value is None else scoring.fraction(spec(item.criterion), item.value)
            )
            by_chat[score.chat_id][item.criterion_id][score.grader_id] = value
    return by_chat, totals


def results(session: CalibrationSession) -> dict:
    by_chat, totals = _fractions(session)
    per_criterion = []
    all_units = []
    for criterion in session.rubric_version.criteria:
        units = [by_chat[chat][criterion.id] for chat in by_chat if criterion.id in by_chat[chat]]
        all_units += units
        rows = []
        for chat in sorted(by_chat):
            unit = by_chat[chat].get(criterion.id, {})
            gap = agreement.spread(list(unit.values()))
            if gap:
                rows.append((chat, unit, gap))
        rows.sort(key=lambda r: -r[2])
        per_criterion.append(
            CriterionAgreement(
                criterion, agreement.krippendorff_alpha([list(u.values()) for u in units]), rows
            )
        )
    graders = {
        u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(session.grader_ids or [0])))
    }
    return {
        "alpha": agreement.krippendorff_alpha([list(u.values()) for u in all_units]),
        "alpha_totals": agreement.krippendorff_alpha([list(t.values()) for t in totals.values()]),
        "criteria": per_criterion,
        "deviations": agreement.deviations(all_units),
        "totals": dict(totals),
        "graders": graders,
        "chats": {
            c.id: c for c in db.session.scalars(sa.select(Chat).where(Chat.id.in_(list(by_chat) or [0])))
        },
    }


def deviation_history(limit: int = 20) -> tuple[list[CalibrationSession], dict[int, list[float | None]]]:
    """Each grader's deviation from the consensus in the last closed sessions, oldest first."""
    sessions = list(
        db.session.scalars(
            sa.select(CalibrationSession)
            .where(CalibrationSession.status == "closed")
            .order_by(CalibrationSession.closed_at.desc())
            .limit(limit)
        )
    )[::-1]
    series: dict[int, list[float | None]] = {}
    scores = _submitted_scores([session.id for session in sessions])
    for index, session in enumerate(sessions):
        by_chat, _ = _fractions_of(scores.get(session.id, []))
        units = [unit for chat in by_chat.values() for unit in chat.values()]
        for grader, value in agreement.deviations(units).items():
            series.setdefault(grader, [None] * len(sessions))[index] = value
    return sessions, series


def sessions_query() -> sa.Select:
    return (
        sa.select(CalibrationSession)
        .options(so.selectinload(CalibrationSession.rubric_version))
        .order_by(CalibrationSession.created_at.desc(), CalibrationSession.id.desc())
    )
