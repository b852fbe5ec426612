"""Chat rules other domains and the views call: finding chats, who handled an order, mapping
unknown nicknames to agents, re-running the automatic checks.

Importing lives in `importer.py` (`import_file`; the writer in `writer.py`), the checks
themselves in `checks.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..accounts import services as accounts
from ..accounts.models import Shop, User
from ..dbtypes import utcnow
from ..extensions import db
from . import checks as autochecks
from .importer import ImportRejected, import_file, import_records  # noqa: F401  (public API)
from .models import CHECK_NAMES, RESULTS, Chat, ChatAgent, ChatImport, ChatMessage, CheckResult
from .writer import ImportSummary  # noqa: F401  (public API)

# ---------------------------------------------------------------------------------------------
# reading


def get_chat(chat_id: int) -> Chat | None:
    return db.session.get(Chat, chat_id)


def can_view_chat(viewer, chat: Chat) -> bool:
    """QA, trainers and admins see every chat; a lead their team's; an agent their own."""
    if viewer.has_any_role("qa", "admin", "trainer"):
        return True
    if chat.agent_id is not None and chat.agent is not None:
        from ..permissions import can_see_agent

        if can_see_agent(viewer, chat.agent):
            return True
    return any(share.agent_id == viewer.id for share in chat.agents)


@dataclass
class ChatFilters:
    agent_id: int | None = None
    shop_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    tag: str = ""
    order_id: str = ""
    check: str = ""  # a check name, or "" for any check
    result: str = ""  # pass | fail | not_measurable | "" (with check "": "fail" = any failure)
    unmatched: bool = False  # only chats whose agent nickname is not mapped yet


def _day_start(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


def filter_agents(viewer) -> list:
    """The agents in the chat list's filter: those whose chats `viewer` sees (search_chats):
    every agent for QA, trainers and admins, a lead's own teams' agents."""
    if viewer.has_any_role("qa", "admin", "trainer"):
        return list(
            db.session.scalars(
                sa.select(User).where(User.role_rows.any(role="agent")).order_by(User.display_name)
            )
        )
    return accounts.agents_of_lead(viewer) if viewer.has_role("lead") else []


def search_chats(filters: ChatFilters, viewer=None) -> sa.Select:
    """A select() of chats matching the filters, newest first; leads see their teams' agents."""
    stmt = sa.select(Chat).order_by(Chat.started_at.desc().nulls_last(), Chat.id.desc())
    if viewer is not None and not viewer.has_any_role("qa", "admin", "trainer"):
        agent_ids = [a.id for a in accounts.agents_of_lead(viewer)] if viewer.has_role("lead") else []
        stmt = stmt.where(Chat.agent_id.in_(agent_ids or [viewer.id]))
    if filters.agent_id:
        stmt = stmt.where(
            sa.or_(
                Chat.agent_id == filters.agent_id,
                Chat.id.in_(sa.select(ChatAgent.chat_id).where(ChatAgent.agent_id == filters.agent_id)),
            )
        )
    if filters.shop_id:
        stmt = stmt.where(Chat.shop_id == filters.shop_id)
    if filters.date_from:
        stmt = stmt.where(Chat.started_at >= _day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Chat.started_at < _day_start(filters.date_to + timedelta(days=1)))
    if filters.text.strip():
        like = f"%{_escape_like(filters.text.strip())}%"
        stmt = stmt.where(
            Chat.id.in_(sa.select(ChatMessage.chat_id).where(ChatMessage.text.ilike(like, escape="\\")))
        )
    if filters.tag.strip():
        # tags are stored as JSON text; a tag is matched with its JSON quotes, so whole tags only
        token = _escape_like(json.dumps(filters.tag.strip()))
        stmt = stmt.where(sa.cast(Chat.tags, sa.Text).like(f"%{token}%", escape="\\"))
    if filters.order_id.strip():
        stmt = stmt.where(Chat.order_id == filters.order_id.strip())
    if filters.check in CHECK_NAMES:
        condition = CheckResult.check == filters.check
        if filters.result in RESULTS:
            condition = sa.and_(condition, CheckResult.result == filters.result)
        stmt = stmt.where(Chat.id.in_(sa.select(CheckResult.chat_id).where(condition)))
    elif filters.result == "fail":
        stmt = stmt.where(Chat.failed_checks > 0)
    elif filters.result == "pass":
        stmt = stmt.where(Chat.failed_checks == 0)
    if filters.unmatched:
        stmt = stmt.where(Chat.agent_id.is_(None))
    return stmt


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class TranscriptLine:
    message: ChatMessage
    side: str  # "customer", "agent" or "system": the bubble's side
    gap_seconds: float | None  # for agent replies: how long the customer had waited
    evidence_for: tuple[str, ...]


def transcript(chat: Chat) -> list[TranscriptLine]:
    """The messages with, for each agent reply, the customer's wait before it, and the checks
    that cite the message as evidence."""
    gaps = {reply: seconds for seconds, _asked, reply in autochecks.waits(chat.messages)}
    cited: dict[int, list[str]] = {}
    for result in chat.checks:
        if result.evidence_position is not None:
            cited.setdefault(result.evidence_position, []).append(result.check)
    return [
        TranscriptLine(m, m.sender, gaps.get(m.position), tuple(cited.get(m.position, ())))
        for m in chat.messages
    ]


#: Filled at app creation by a higher domain (reviews.register): functions chat -> list of
#: objects with `text`, and optionally `rating`, `created_at`, `id`. Chats never imports reviews.
REVIEW_SOURCES: list = []


def reviews_for_chat(chat: Chat) -> list:
    """Reviews linked to the chat (by its order), from the registered sources."""
    return [review for source in REVIEW_SOURCES for review in source(chat)]


def chats_for_order(shop_id: int | None, order_id: str) -> list[Chat]:
    stmt = sa.select(Chat).where(Chat.order_id == order_id).order_by(Chat.started_at, Chat.id)
    if shop_id is not None:
        stmt = stmt.where(Chat.shop_id == shop_id)
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class OrderReason:
    """Why `agent_for_order` chose an agent (or nobody), language-neutral: a key of
    ORDER_REASONS and its parameters. Callers that keep it store `key` and `params` and render
    them later for each reader (`order_reason_text`); `str()` renders it in the current
    language, so a page can show it as it is."""

    key: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return order_reason_text(self.key, self.params)


ORDER_REASONS = {
    "no_order": lambda p: _("no order id"),
    "no_chat": lambda p: _("no chat mentions order %(order)s", **p),
    "unmapped_majority": lambda p: _(
        "%(nick)s handled most of the conversation (%(n)s of %(total)s agent messages) but is "
        "not mapped to a user",
        **p,
    ),
    "majority": lambda p: _(
        "handled most of the conversation: %(n)s of %(total)s agent messages in %(chats)s "
        "chat(s) about order %(order)s",
        **p,
    ),
}


def order_reason_text(key: str, params) -> str:
    """An `OrderReason` (given as its key and params) in the current language. Raises KeyError
    for a key or parameter this version does not know."""
    return ORDER_REASONS[key](dict(params))


def agent_for_order(shop_id: int | None, order_id: str) -> tuple[User | None, OrderReason]:
    """The agent who handled most of the conversation about an order, and the rule that chose
    them: most agent messages over all the order's chats, then most characters written.

    Nicknames not mapped to a user count too: if such a nickname handled most, the answer is
    (None, a reason naming it) so that nobody else gets the credit."""
    if not order_id:
        return None, OrderReason("no_order")
    stmt = (
        sa.select(
            ChatAgent.agent_id,
            ChatAgent.nickname,
            sa.func.sum(ChatAgent.message_count),
            sa.func.sum(ChatAgent.characters),
            sa.func.count(sa.distinct(ChatAgent.chat_id)),
        )
        .join(Chat, Chat.id == ChatAgent.chat_id)
        .where(Chat.order_id == order_id)
        .group_by(ChatAgent.agent_id, ChatAgent.nickname)
    )
    if shop_id is not None:
        stmt = stmt.where(Chat.shop_id == shop_id)
    totals: dict[object, list] = {}
    for agent_id, nickname, messages, characters, chats in db.session.execute(stmt):
        key = agent_id if agent_id is not None else f"?{nickname}"
        entry = totals.setdefault(key, [0, 0, 0, nickname])
        entry[0] += messages or 0
        entry[1] += characters or 0
        entry[2] += chats
    if not totals:
        return None, OrderReason("no_chat", {"order": order_id})
    key, (messages, characters, chats, nickname) = max(
        totals.items(), key=lambda item: (item[1][0], item[1][1])
    )
    all_messages = sum(entry[0] for entry in totals.values())
    if isinstance(key, str):
        return None, OrderReason(
            "unmapped_majority", {"nick": nickname, "n": messages, "total": all_messages}
        )
    user = db.session.get(User, key)
    return user, OrderReason(
        "majority", {"n": messages, "total": all_messages, "chats": chats, "order": order_id}
    )


def chats_for_sampling(agent_id: int, start: datetime, end: datetime) -> sa.Select:
    """A select() of an agent's chats started in [start, end) (uses ix_chats_agent_id_started_at)."""
    return (
        sa.select(Chat)
        .where(Chat.agent_id == agent_id, Chat.started_at >= start, Chat.started_at < end)
        .order_by(Chat.started_at, Chat.id)
    )


def check_results(chat_id: int) -> dict[str, CheckResult]:
    """The chat's automatic check results by check name (for pre-filling rubric scores)."""
    rows = db.session.scalars(sa.select(CheckResult).where(CheckResult.chat_id == chat_id))
    return {row.check: row for row in rows}


# ---------------------------------------------------------------------------------------------
# nicknames


def unmatched_nicknames() -> sa.Select:
    """A select() of (shop_id, nickname, chats) for nicknames no user holds yet, most chats first."""
    pairs = sa.union(
        sa.select(
            Chat.shop_id.label("shop_id"), Chat.agent_nickname.label("nickname"), Chat.id.label("chat_id")
        ).where(Chat.agent_id.is_(None)),
        sa.select(Chat.shop_id, ChatAgent.nickname, ChatAgent.chat_id)
        .join(Chat, Chat.id == ChatAgent.chat_id)
        .where(ChatAgent.agent_id.is_(None)),
    ).subquery()
    chats = sa.func.count(sa.distinct(pairs.c.chat_id)).label("chats")
    return (
        sa.select(pairs.c.shop_id, pairs.c.nickname, chats)
        .group_by(pairs.c.shop_id, pairs.c.nickname)
        .order_by(chats.desc(), pairs.c.nickname)
    )


def attach_nickname(shop_id: int, nickname: str, user_id: int) -> int:
    """Attach the shop's unattributed chats under `nickname` to the user; returns how many chats.
    Chats already attributed keep their agent (a nickname may change hands later)."""
    in_shop = sa.select(Chat.id).where(Chat.shop_id == shop_id)
    db.session.execute(
        sa.update(ChatAgent)
        .where(ChatAgent.nickname == nickname, ChatAgent.agent_id.is_(None), ChatAgent.chat_id.in_(in_shop))
        .values(agent_id=user_id)
    )
    result = db.session.execute(
        sa.update(Chat)
        .where(Chat.shop_id == shop_id, Chat.agent_nickname == nickname, Chat.agent_id.is_(None))
        .values(agent_id=user_id)
    )
    return result.rowcount or 0


def map_nickname(actor, shop: Shop, nickname: str, user: User):
    """Add `nickname` to the user's nicknames in the shop (an agent may have several; a nickname
    names one agent per shop); the nickname_assigned signal then attaches the chats."""
    return accounts.set_nickname(actor, user, shop, nickname)


# ---------------------------------------------------------------------------------------------
# automatic checks


def rerun_checks(since: date | None = None, batch: int = 500) -> Iterator[list[tuple[Chat, list]]]:
    """Recompute every chat's checks (those started on or after `since`) with the shops' current
    rules, store them, and yield each batch's (chat, outcomes) pairs as it goes. The caller
    commits each batch before asking for the next: the session lets go of the batch then."""
    last_id = 0
    shops: dict[int, autochecks.Rules] = {}
    while True:
        stmt = sa.select(Chat).where(Chat.id > last_id).order_by(Chat.id).limit(batch)
        if since is not None:
            stmt = stmt.where(sa.func.coalesce(Chat.started_at, Chat.imported_at) >= _day_start(since))
        chats = list(db.session.scalars(stmt))
        if not chats:
            return
        ids = [chat.id for chat in chats]
        messages: dict[int, list[ChatMessage]] = {chat_id: [] for chat_id in ids}
        for message in db.session.scalars(
            sa.select(ChatMessage)
            .where(ChatMessage.chat_id.in_(ids))
            .order_by(ChatMessage.chat_id, ChatMessage.position)
        ):
            messages[message.chat_id].append(message)
        now = utcnow()
        rows, results = [], []
        for chat in chats:
            if chat.shop_id not in shops:
                shops[chat.shop_id] = autochecks.Rules.for_shop(db.session.get(Shop, chat.shop_id))
            outcomes = autochecks.run_all(messages[chat.id], shops[chat.shop_id], chat.transferred)
            first = outcomes[0]
            chat.first_response_seconds = first.value if first.result != "not_measurable" else None
            chat.failed_checks = sum(o.result == "fail" for o in outcomes)
            rows.extend(
                {
                    "chat_id": chat.id,
                    "check_name": o.check,
                    "result": o.result,
                    "value": o.value,
                    "evidence_position": o.position,
                    "evidence": o.evidence,
                    "computed_at": now,
                }
                for o in outcomes
            )
            results.append((chat, outcomes))
        db.session.execute(sa.delete(CheckResult).where(CheckResult.chat_id.in_(ids)))
        db.session.execute(CheckResult.__table__.insert(), rows)
        db.session.flush()
        yield results
        db.session.expunge_all()  # keep memory flat over a million chats
        last_id = ids[-1]


# ---------------------------------------------------------------------------------------------
# home panel


def recent_imports(limit: int = 5) -> list[ChatImport]:
    return list(
        db.session.scalars(
            sa.select(ChatImport).order_by(ChatImport.created_at.desc(), ChatImport.id.desc()).limit(limit)
        )
    )


def recent_failing_chats(days: int = 7, limit: int = 5) -> tuple[int, list[Chat]]:
    since = utcnow() - timedelta(days=days)
    where = sa.and_(Chat.failed_checks > 0, Chat.started_at >= since)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Chat).where(where))
    chats = list(
        db.session.scalars(
            sa.select(Chat)
            .where(where)
            .order_by(Chat.failed_checks.desc(), Chat.started_at.desc())
            .limit(limit)
        )
    )
    return count or 0, chats


def channels_in_use() -> list[str]:
    """The channel codes the stored chats carry (a plan filters on one of them)."""
    stmt = sa.select(Chat.channel).where(Chat.channel.is_not(None)).distinct().order_by(Chat.channel)
    return list(db.session.scalars(stmt))
