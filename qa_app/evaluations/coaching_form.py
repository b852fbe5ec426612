"""The coaching form's choices: only the chosen agent's own chats, reviews and criteria can be
ticked (the service checks it again), the criteria the agent lost points on listed first."""

from __future__ import annotations

from dataclasses import dataclass

from ..accounts.models import User
from . import coaching_picks, sources
from .coaching_picks import ChatPick, CriterionPick, ReviewPick
from .forms import CoachingForm


@dataclass(frozen=True)
class Offer:
    chats: list[ChatPick]
    reviews: list[ReviewPick]
    failed: list[CriterionPick]
    other_criteria: list[tuple[str, str]]  # key, title in the user's language


def offer(form: CoachingForm, agent: User | None, zh: bool) -> Offer:
    """Fill the form's choices for this agent; no agent, nothing can be linked."""
    titles = sources.criterion_titles()
    if agent is None:
        form.chat_ids.choices, form.review_ids.choices, form.criterion_keys.choices = [], [], []
        return Offer([], [], [], [])
    chats = coaching_picks.recent_chats(agent, include=form.chat_ids.data or ())
    reviews = coaching_picks.recent_reviews(agent, include=form.review_ids.data or ())
    failed = coaching_picks.failed_criteria(agent)
    failed_keys = {c.key for c in failed}
    others = [
        (key, (zh_title if zh else en_title) or key)
        for key, (zh_title, en_title) in sorted(titles.items())
        if key not in failed_keys
    ]
    form.chat_ids.choices = [(c.id, c.external_id) for c in chats]
    form.review_ids.choices = [(r.id, r.external_id) for r in reviews]
    form.criterion_keys.choices = [(c.key, c.title_zh if zh else c.title_en) for c in failed] + others
    return Offer(chats, reviews, failed, others)


def wanted_ids(text: str | None) -> list[int]:
    """Ids from a "coach on this" link (?chats=1,2): digits only, others dropped."""
    parts = (text or "").replace("，", ",").split(",")
    return [int(p) for p in (part.strip() for part in parts) if p.isdigit()][: coaching_picks.LIMIT]
