"""Shop rules quoted in course texts: one source for what lessons teach and what QA measures.

A lesson, question, choice or explanation may write `{first_response_limit}`; it is shown as the
first-response limit of the learner's shop (the strictest, for an agent serving several shops),
else of the first shop configured, else the 300 s default — the same `Shop` setting the
automatic checks and the rubrics' "shop_limit" steps read.
"""

from __future__ import annotations

import sqlalchemy as sa

from ...accounts.models import AgentNickname, Shop
from ...extensions import db

DEFAULT_LIMIT_SECONDS = 300
FIRST_RESPONSE = "{first_response_limit}"


def first_response_limit(user) -> int:
    """Seconds: the strictest limit among the user's shops, else the first shop's, else 300."""
    user_id = getattr(user, "id", None)
    if user_id is not None:
        mine = db.session.scalar(
            sa.select(sa.func.min(Shop.first_response_limit_seconds))
            .join(AgentNickname, AgentNickname.shop_id == Shop.id)
            .where(AgentNickname.user_id == user_id)
        )
        if mine:
            return int(mine)
    first = db.session.scalar(sa.select(Shop.first_response_limit_seconds).order_by(Shop.id).limit(1))
    return int(first or DEFAULT_LIMIT_SECONDS)


def issuing_shops(user) -> list[str]:
    """Names of the shops a learner's certificate is issued for: the shops where the learner
    serves customers (has a nickname), else the first shop configured; empty when there is none."""
    mine = list(
        db.session.scalars(
            sa.select(Shop.name)
            .join(AgentNickname, AgentNickname.shop_id == Shop.id)
            .where(AgentNickname.user_id == getattr(user, "id", None))
            .distinct()
            .order_by(Shop.name)
        )
    )
    if mine:
        return mine
    first = db.session.scalar(sa.select(Shop.name).order_by(Shop.id).limit(1))
    return [first] if first else []


def duration(seconds: int, lang: str) -> str:
    """300 → "5 分钟" / "5 minutes"; 90 → "90 秒" / "90 seconds"."""
    minutes, rest = divmod(int(seconds), 60)
    if lang == "zh":
        return f"{minutes} 分钟" if minutes and not rest else f"{int(seconds)} 秒"
    if minutes and not rest:
        return f"{minutes} minute" + ("" if minutes == 1 else "s")
    return f"{int(seconds)} second" + ("" if seconds == 1 else "s")


def fill(text: str | None, limit_seconds: int, lang: str) -> str:
    """The text with the placeholders replaced; other braces are left as they are."""
    text = text or ""
    if FIRST_RESPONSE not in text:
        return text
    return text.replace(FIRST_RESPONSE, duration(limit_seconds, lang))
