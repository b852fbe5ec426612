"""Writing imported chats: batches of parsed (or prepared) chats stored with bulk INSERTs.

Chats already stored for their shop are skipped, or deleted and written again with `replace`
(unless rows of other domains refer to them); ids repeated in a file are rejected. Shops are
created on first sight and agents found by nickname. importer.py runs the writer over a file
or the API's records, one transaction each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Shop
from ..accounts.services import agent_for_nickname
from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from ..ingest import ImportRejected, Problem
from ..ingest import ImportSummary as _Summary
from ..signals import chats_written
from . import checks as autochecks
from . import rows
from .bulk import BulkWriter
from .models import Chat, ChatAgent, ChatImport, ChatMessage, CheckResult
from .parsing import ParsedChat

BATCH = 1000
CHAT_COLUMNS = (
    "id",
    "shop_id",
    "external_id",
    "channel",
    "customer",
    "order_id",
    "agent_nickname",
    "agent_id",
    "started_at",
    "ended_at",
    "tags",
    "message_count",
    "first_response_seconds",
    "failed_checks",
    "import_id",
    "imported_at",
    "transferred",
)
MESSAGE_COLUMNS = ("chat_id", "position", "at", "sender", "agent_nickname", "text")
SHARE_COLUMNS = (
    "chat_id",
    "nickname",
    "agent_id",
    "message_count",
    "characters",
    "seconds",
    "first_position",
)
# in the order of checks.Outcome's fields, then the time
CHECK_COLUMNS = ("chat_id", "check_name", "result", "value", "evidence_position", "evidence", "computed_at")


@dataclass
class ImportSummary(_Summary):
    """The ingest summary, with what chats add: replaced chats, nicknames not matched to a user."""

    replaced: int = 0
    unknown_nicknames: Counter = field(default_factory=Counter)
    import_id: int | None = None

    @property
    def first_rejects(self) -> list[str]:
        return [problem.render(spaced=True) for problem in self.problems[:20]]

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "imported": self.imported,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "replaced": self.replaced,
            "unknown_nicknames": [
                {"shop": s, "nickname": n, "chats": c} for (s, n), c in self.unknown_nicknames.most_common(50)
            ],
            "rejects_path": self.rejects_path,
            "first_rejects": self.first_rejects,
        }


@dataclass
class _ShopInfo:
    id: int
    zone: ZoneInfo
    rules: autochecks.Rules


class ChatWriter:
    """One import's writer: each batch's chats checked against those stored (skip, replace or
    reject), their shops and agents looked up, and their rows inserted in bulk."""

    def __init__(
        self,
        path: Path,
        *,
        replace: bool,
        skip_invalid: bool,
        user,
        name: str,
        progress: Callable | None,
        rejects,
    ):
        self.path = path
        self.name = name
        self.replace = replace
        self.skip_invalid = skip_invalid
        self.user = user
        self.progress = progress
        self.rejects = rejects
        self.summary = ImportSummary(file=name)
        self.shops: dict[str, _ShopInfo] = {}
        self.agents: dict[tuple[int, str], int | None] = {}
        self.import_row: ChatImport | None = None
        self.writer: BulkWriter | None = None
        self.analyze_at = BATCH  # chats written when PostgreSQL's statistics are next refreshed

    # shops and agents ------------------------------------------------------------------------

    def shop(self, slug: str) -> _ShopInfo:
        info = self.shops.get(slug)
        if info is None:
            shop = db.session.scalar(sa.select(Shop).where(Shop.slug == slug))
            if shop is None:
                shop = Shop(
                    slug=slug,
                    name=slug,
                    timezone=current_app.config["SHOP_TIMEZONE"],
                    first_response_limit_seconds=300,
                    forbidden_phrases="",
                )
                db.session.add(shop)
                db.session.flush()
            info = self.shops[slug] = _ShopInfo(
                shop.id, ZoneInfo(shop.timezone or "UTC"), autochecks.Rules.for_shop(shop)
            )
        return info

    def zone_for(self, slug: str) -> ZoneInfo:
        return self.shop(slug).zone

    def agent_id(self, shop_id: int, nickname: str, shop_slug: str, count: bool = True) -> int | None:
        """The user holding the nickname; `count`: an unknown nickname counts one chat for the
        unknown-nicknames report (a nickname first seen on a message is listed with 0 chats, as
        it always was)."""
        key = (shop_id, nickname)
        if key not in self.agents:
            user = agent_for_nickname(shop_id, nickname)
            self.agents[key] = user.id if user else None
            if user is None and not count:
                self.summary.unknown_nicknames[(shop_slug, nickname)] += 1
        if count and self.agents[key] is None:
            self.summary.unknown_nicknames[(shop_slug, nickname)] += 1
        return self.agents[key]

    # the run ---------------------------------------------------------------------------------

    def reject(self, problem: Problem) -> None:
        problem = problem.named(self.name)
        if not self.skip_invalid:
            raise ImportRejected([problem], spaced=True)
        self.summary.rejected += 1
        self.summary.note(problem)
        self.rejects.add(problem)

    def run(self, items, position: Callable[[], int], size: int) -> ImportSummary:
        """`items`: what parsing.read_chats yields (ParsedChat or Problem), in file order."""
        self.import_row = ChatImport(filename=self.name[:255], user_id=getattr(self.user, "id", None))
        db.session.add(self.import_row)
        db.session.flush()
        batch: list[ParsedChat] = []
        for item in items:
            if isinstance(item, Problem):
                self.reject(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                self.flush(batch)
                batch = []
                if self.progress:
                    self.progress(position(), size)
        if batch:
            self.flush(batch)
        row = self.import_row
        row.imported, row.skipped = self.summary.imported, self.summary.skipped
        row.rejected, row.replaced = self.summary.rejected, self.summary.replaced
        record(
            self.user,
            "chats.import",
            row,
            after={
                "file": self.name,
                "imported": row.imported,
                "skipped": row.skipped,
                "rejected": row.rejected,
                "replaced": row.replaced,
            },
        )
        self.summary.import_id = row.id
        if self.progress:
            self.progress(size, size)
        return self.summary

    def flush(self, batch: list) -> None:
        """Store a batch of ParsedChat (read here) or PreparedChat (read by worker.py)."""
        keep = self._drop_present(batch)
        if not keep:
            return
        writer = self.writer = self.writer or BulkWriter(db.session.connection())
        now = rows.storage_time(utcnow(), writer.sqlite)
        import_id = self.import_row.id
        chat_rows, messages, shares, check_rows = [], [], [], []
        for chat_id, chat in zip(writer.next_ids("chats", len(keep)), keep, strict=True):
            shop = self.shop(chat.shop)
            if isinstance(chat, ParsedChat):
                chat = rows.prepare(chat, shop.rules, writer.sqlite)
            # the chat's own nickname first: its shares then find it known (counted once per chat)
            agent_id = self.agent_id(shop.id, chat.agent, chat.shop)
            chat_rows.append(
                (
                    chat_id,
                    shop.id,
                    chat.external_id,
                    *chat.head,
                    chat.agent,
                    agent_id,
                    *chat.tail,
                    import_id,
                    now,
                    chat.transferred,
                )
            )
            messages.extend([(chat_id, *message) for message in chat.messages])
            shares.extend(
                [
                    (chat_id, nickname, self.agent_id(shop.id, nickname, chat.shop, count=False), *share)
                    for nickname, *share in chat.shares
                ]
            )
            check_rows.extend([(chat_id, *outcome, now) for outcome in chat.checks])
        writer.insert("chats", CHAT_COLUMNS, chat_rows)
        writer.insert("chat_messages", MESSAGE_COLUMNS, messages)
        writer.insert("chat_agents", SHARE_COLUMNS, shares)
        writer.insert("check_results", CHECK_COLUMNS, check_rows)
        chats_written.send(self, chat_ids=[row[0] for row in chat_rows])  # past the session: say so
        self.summary.imported += len(keep)
        self._keep_plans_right()

    def _keep_plans_right(self) -> None:
        """PostgreSQL plans each batch's lookup of chats already present (_drop_present) from the
        table's statistics. During a large first import, or a new shop's, they say the shop has a
        handful of chats, so the lookup walks every chat this transaction has written instead of
        probing the unique index: 2-3 s per batch at 100,000 chats, quadratic in the file. ANALYZE
        counts this transaction's rows; refreshing at 1k, 4k, 16k... chats written keeps the
        estimate near the truth (5 times for a million chats, well under a second each)."""
        if self.writer.sqlite or self.summary.imported < self.analyze_at:
            return
        self.writer.analyze("chats")
        self.analyze_at = self.summary.imported * 4

    def _drop_present(self, batch: list[ParsedChat]) -> list[ParsedChat]:
        """Skip (or delete, to replace) chats already stored; reject ids repeated in this file."""
        seen: set[tuple[str, str]] = set()
        unique = []
        for chat in batch:
            key = (chat.shop, chat.external_id)
            if key in seen:
                self.reject(
                    Problem("", chat.line, "id", f"id {chat.external_id!r} appears twice in this file")
                )
                continue
            seen.add(key)
            unique.append(chat)
        by_shop = _by_shop(unique, self.shop)
        present: dict[tuple[int, str], tuple[int, int | None]] = {}
        for shop_id, external_ids in by_shop.items():
            rows = db.session.execute(
                sa.select(Chat.id, Chat.external_id, Chat.import_id).where(
                    Chat.shop_id == shop_id, Chat.external_id.in_(external_ids)
                )
            )
            for chat_id, external_id, import_id in rows:
                present[(shop_id, external_id)] = (chat_id, import_id)
        held = _held_elsewhere([found[0] for found in present.values()]) if self.replace else {}
        keep, doomed = [], []
        for chat in unique:
            found = present.get((self.shop(chat.shop).id, chat.external_id))
            if found is None:
                keep.append(chat)
            elif found[1] == self.import_row.id:
                self.reject(
                    Problem("", chat.line, "id", f"id {chat.external_id!r} appears twice in this file")
                )
            elif found[0] in held:
                self.reject(
                    Problem(
                        "",
                        chat.line,
                        "id",
                        f"chat {chat.external_id!r} has {held[found[0]]}; it cannot be replaced",
                    )
                )
            elif self.replace:
                doomed.append(found[0])
                keep.append(chat)
            else:
                self.summary.skipped += 1
        if doomed:
            delete_chats(doomed)
            self.summary.replaced += len(doomed)
        return keep


def _by_shop(chats: list, shop_for) -> dict[int, list[str]]:
    by_shop: dict[int, list[str]] = {}
    for chat in chats:
        by_shop.setdefault(shop_for(chat.shop).id, []).append(chat.external_id)
    return by_shop


# Rows of other domains that keep a chat: deleting it under them would break them (and the
# database refuses it), so a chat they refer to is never replaced. Found from the foreign keys,
# so a new one is covered; these words name the known ones in the message.
_HOLDERS = {"qa_scores": "QA scores", "qa_samples": "a QA sample"}


def _held_elsewhere(chat_ids: list[int]) -> dict[int, str]:
    """Of `chat_ids`, the chats that rows outside this domain refer to, with what refers."""
    held: dict[int, list[str]] = {}
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name != "chats" or key.ondelete == "CASCADE" or not chat_ids:
                continue
            found = db.session.scalars(sa.select(key.parent).where(key.parent.in_(chat_ids)).distinct())
            for chat_id in found:
                held.setdefault(chat_id, []).append(_HOLDERS.get(table.name, table.name))
    return {chat_id: " and ".join(sorted(names)) for chat_id, names in held.items()}


def delete_chats(chat_ids: list[int]) -> None:
    for model in (CheckResult, ChatAgent, ChatMessage):
        db.session.execute(sa.delete(model).where(model.chat_id.in_(chat_ids)))
    db.session.execute(sa.delete(Chat).where(Chat.id.in_(chat_ids)))
