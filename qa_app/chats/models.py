"""Chats imported from the shops' customer-service exports, their messages and automatic checks.

Other domains read these through `qa_app.chats.services` (sampling picks chats by agent and
time, scoring shows the check results, review attribution asks who handled an order).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:  # for the typed relationships; the mappers resolve the names at runtime
    from ..accounts.models import Shop, User

SENDERS = ("customer", "agent", "system")
RESULTS = ("pass", "fail", "not_measurable")
#: the automatic checks, by the names rubrics reference
CHECK_NAMES = (
    "first_response_time",
    "longest_wait",
    "average_response_time",
    "greeting",
    "closing",
    "forbidden_phrases",
    "unanswered_end",
    "transfers",
    "negative_ending",
    "self_introduction",
)


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class ChatImport(db.Model):
    """One imported file: who imported it, when, and what came of it."""

    __tablename__ = "chat_imports"
    __table_args__ = (sa.Index("ix_chat_imports_created_at", "created_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    filename: so.Mapped[str] = so.mapped_column(sa.String(255))
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    imported: so.Mapped[int] = so.mapped_column(default=0)
    skipped: so.Mapped[int] = so.mapped_column(default=0)
    rejected: so.Mapped[int] = so.mapped_column(default=0)
    replaced: so.Mapped[int] = so.mapped_column(default=0)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped[User | None] = so.relationship("User")


class Chat(db.Model):
    """One conversation between a customer and one or more agents of a shop."""

    __tablename__ = "chats"
    # an input of evaluations (evaluations/freshness.py): the agent column and the time column
    __evaluation_input__ = ("agent_id", "started_at")
    __table_args__ = (
        sa.UniqueConstraint("shop_id", "external_id", name="uq_chats_shop_id_external_id"),
        # sampling: an agent's chats in a period
        sa.Index("ix_chats_agent_id_started_at", "agent_id", "started_at"),
        # review attribution and the transcript: the chats about an order (in a shop); both columns
        # so SQLite picks it even without statistics, instead of scanning the shop's chats
        sa.Index("ix_chats_order_id_shop_id", "order_id", "shop_id"),
        # unmatched nicknames of a shop
        sa.Index("ix_chats_shop_id_agent_nickname", "shop_id", "agent_nickname"),
        # lists by date
        sa.Index("ix_chats_started_at", "started_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    shop_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("shops.id"))
    external_id: so.Mapped[str] = so.mapped_column(sa.String(128))
    channel: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    customer: so.Mapped[str | None] = so.mapped_column(sa.String(128))
    order_id: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    # the agent named by the export for the chat as a whole; agent_id once the nickname is known
    agent_nickname: so.Mapped[str] = so.mapped_column(sa.String(64))
    agent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    started_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    ended_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    tags: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    message_count: so.Mapped[int] = so.mapped_column(default=0)
    first_response_seconds: so.Mapped[float | None]
    # number of failed automatic checks, kept with the chat so lists can filter without a join
    failed_checks: so.Mapped[int] = so.mapped_column(default=0)
    # handed between agents (the export's `transferred`, or per-message agents); None: unknown,
    # and the transfers check is then not measurable
    transferred: so.Mapped[bool | None]
    import_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("chat_imports.id"), index=True)
    imported_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    shop: so.Mapped[Shop] = so.relationship("Shop")
    agent: so.Mapped[User | None] = so.relationship("User", foreign_keys=[agent_id])
    messages: so.Mapped[list[ChatMessage]] = so.relationship(
        back_populates="chat",
        order_by="ChatMessage.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    agents: so.Mapped[list[ChatAgent]] = so.relationship(
        back_populates="chat", cascade="all, delete-orphan", passive_deletes=True
    )
    checks: so.Mapped[list[CheckResult]] = so.relationship(
        back_populates="chat", order_by="CheckResult.id", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Chat {self.external_id}>"


class ChatMessage(db.Model):
    __tablename__ = "chat_messages"
    __table_args__ = (
        sa.UniqueConstraint("chat_id", "position", name="uq_chat_messages_chat_id_position"),
        sa.CheckConstraint(_in("sender", SENDERS), name="known_sender"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    chat_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("chats.id", ondelete="CASCADE"))
    position: so.Mapped[int]
    # None when the export has no times: time checks are then not measurable
    at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    sender: so.Mapped[str] = so.mapped_column(sa.String(16))
    agent_nickname: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    text: so.Mapped[str] = so.mapped_column(sa.Text)

    chat: so.Mapped[Chat] = so.relationship(back_populates="messages")

    @property
    def agent(self) -> str | None:
        """The same shape as a parsed message, so the checks run on either."""
        return self.agent_nickname


class ChatAgent(db.Model):
    """How much of a chat one agent (by nickname) handled: attribution picks the largest share."""

    __tablename__ = "chat_agents"
    __table_args__ = (sa.Index("ix_chat_agents_agent_id", "agent_id"),)

    chat_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    nickname: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    agent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    message_count: so.Mapped[int] = so.mapped_column(default=0)
    characters: so.Mapped[int] = so.mapped_column(default=0)
    # seconds between this agent's first and last message (None without times)
    seconds: so.Mapped[float | None]
    first_position: so.Mapped[int] = so.mapped_column(default=0)

    chat: so.Mapped[Chat] = so.relationship(back_populates="agents")
    agent: so.Mapped[User | None] = so.relationship("User")


class CheckResult(db.Model):
    """The outcome of one automatic check on one chat, with the message that is its evidence."""

    __tablename__ = "check_results"
    # an input of evaluations placed through its chat's agent and time
    __evaluation_input_via_chat__ = "chat_id"
    __table_args__ = (
        sa.UniqueConstraint("chat_id", "check_name", name="uq_check_results_chat_id_check_name"),
        sa.CheckConstraint(_in("result", RESULTS), name="known_result"),
        # "chats failing check X"
        sa.Index("ix_check_results_check_name_result", "check_name", "result"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    chat_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("chats.id", ondelete="CASCADE"))
    # "check" is an SQL keyword: the column is check_name, the attribute reads naturally
    check: so.Mapped[str] = so.mapped_column("check_name", sa.String(32))
    result: so.Mapped[str] = so.mapped_column(sa.String(16))
    value: so.Mapped[float | None]
    evidence_position: so.Mapped[int | None]
    evidence: so.Mapped[str | None] = so.mapped_column(sa.Text)
    computed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    chat: so.Mapped[Chat] = so.relationship(back_populates="checks")
