"""What a lead can link to a coaching session: the agent's own recent chats, reviews and the
criteria the agent lost points on, so the form offers them to tick instead of typed ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..chats.models import Chat
from ..dbtypes import utcnow
from ..extensions import db
from ..qa import feeds as qa_feeds
from ..qa.models import Score
from ..reviews.labels import label as review_label
from ..reviews.models import Review

RECENT_DAYS = 60
LIMIT = 30
MAX_ROW_ID = 2**31 - 1  # PostgreSQL's integer


@dataclass(frozen=True)
class ChatPick:
    id: int
    external_id: str
    started_at: datetime | None
    customer: str | None
    score: float | None  # the latest submitted QA total, if scored
    failed_checks: int


@dataclass(frozen=True)
class ReviewPick:
    id: int
    external_id: str
    created_at: datetime
    rating: int | None
    polarity: str | None
    text: str

    @property
    def polarity_text(self) -> str:
        return review_label("polarity", self.polarity)


@dataclass(frozen=True)
class CriterionPick:
    key: str
    title_zh: str
    title_en: str
    lost: int  # scores in which the agent earned less than full points
    scored: int  # scores that answered the criterion


def recent_chats(agent: User, include=()) -> list[ChatPick]:
    """The agent's latest chats, plus any asked-for ids that are the agent's (a "coach on
    this" link to an older chat)."""
    latest = (
        sa.select(Chat)
        .where(Chat.agent_id == agent.id)
        .order_by(Chat.started_at.desc().nulls_last(), Chat.id.desc())
        .limit(LIMIT)
    )
    chats = list(db.session.scalars(latest))
    wanted = [i for i in _row_ids(include) if i not in {c.id for c in chats}]
    if wanted:
        chats += db.session.scalars(sa.select(Chat).where(Chat.id.in_(wanted), Chat.agent_id == agent.id))
    totals = _latest_totals([c.id for c in chats])
    return [
        ChatPick(c.id, c.external_id, c.started_at, c.customer, totals.get(c.id), c.failed_checks)
        for c in chats
    ]


def _row_ids(include) -> list[int]:
    """Asked-for ids that can be row ids at all: a forged 2**31 would overflow PostgreSQL's integer."""
    return [i for i in include if isinstance(i, int) and 0 < i <= MAX_ROW_ID]


def _latest_totals(chat_ids: list[int]) -> dict[int, float | None]:
    if not chat_ids:
        return {}
    rows = db.session.execute(
        sa.select(Score.chat_id, Score.total)
        .where(Score.chat_id.in_(chat_ids), Score.status == "submitted", Score.sample_id.is_not(None))
        .order_by(Score.submitted_at, Score.id)
    )
    return {chat_id: total for chat_id, total in rows}  # later rows win: the newest score


def recent_reviews(agent: User, include=()) -> list[ReviewPick]:
    """The agent's latest attributed reviews, plus any asked-for ids that are the agent's."""
    latest = (
        sa.select(Review)
        .where(Review.agent_id == agent.id)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(LIMIT)
    )
    reviews = list(db.session.scalars(latest))
    wanted = [i for i in _row_ids(include) if i not in {r.id for r in reviews}]
    if wanted:
        reviews += db.session.scalars(
            sa.select(Review).where(Review.id.in_(wanted), Review.agent_id == agent.id)
        )
    return [
        ReviewPick(r.id, r.external_id, r.created_at, r.rating, r.service_polarity, r.text[:80])
        for r in reviews
    ]


def failed_criteria(agent: User, now: datetime | None = None) -> list[CriterionPick]:
    """Criteria the agent lost points on in the last RECENT_DAYS, most often first."""
    end = now or utcnow()
    lost: dict[str, int] = {}
    scored: dict[str, int] = {}
    titles: dict[str, tuple[str, str]] = {}
    for score in qa_feeds.submitted_scores(
        agent_ids=[agent.id], start=end - timedelta(days=RECENT_DAYS), end=end
    ):
        for item in score.criteria:
            if item.fraction is None:
                continue
            scored[item.key] = scored.get(item.key, 0) + 1
            titles[item.key] = (item.title_zh, item.title_en)
            if item.fraction < 1:
                lost[item.key] = lost.get(item.key, 0) + 1
    ranked = sorted(lost, key=lambda key: (-lost[key], key))
    return [CriterionPick(key, *titles[key], lost[key], scored[key]) for key in ranked]


def linked_names(sessions) -> dict[tuple[str, int], str]:
    """("chat" | "review", id) → external id of what the sessions link, for one identifier
    everywhere (the same one the import file and the transcript show)."""
    chat_ids = {i for s in sessions for i in s.chat_ids or ()}
    review_ids = {i for s in sessions for i in s.review_ids or ()}
    names: dict[tuple[str, int], str] = {}
    if chat_ids:
        rows = db.session.execute(sa.select(Chat.id, Chat.external_id).where(Chat.id.in_(chat_ids)))
        names.update({("chat", i): e for i, e in rows})
    if review_ids:
        rows = db.session.execute(sa.select(Review.id, Review.external_id).where(Review.id.in_(review_ids)))
        names.update({("review", i): e for i, e in rows})
    return names
