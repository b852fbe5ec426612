"""Importing chat exports: streaming, atomic per file, idempotent per (shop, id).

One file is one transaction. A malformed chat rejects the whole file (nothing stored) unless
`skip_invalid` is set, in which case the valid chats are stored and every rejected one is listed
in `<file>.rejects.csv` (line, field, message). A chat whose id is already stored for its shop is
skipped, or replaced with `replace=True`. Rows go in with bulk INSERTs, a batch at a time, so
memory stays flat however large the file.
"""

from __future__ import annotations

import csv
import os
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
from . import checks as autochecks
from .models import Chat, ChatAgent, ChatImport, ChatMessage, CheckResult
from .parsing import ParsedChat, Reject, check_encoding, detect_format, open_lines, read_chats

BATCH = 1000


class ImportRejected(ValueError):
    """The file was rejected; str() is `file:line: field: message`."""

    def __init__(self, filename: str, reject: Reject):
        self.filename = filename
        self.reject = reject
        super().__init__(f"{filename}:{reject.line}: {reject.field}: {reject.message}")


@dataclass
class ImportSummary:
    file: str
    imported: int = 0
    skipped: int = 0
    rejected: int = 0
    replaced: int = 0
    unknown_nicknames: Counter = field(default_factory=Counter)
    rejects_path: str | None = None
    import_id: int | None = None
    first_rejects: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file": self.file, "imported": self.imported, "skipped": self.skipped,
                "rejected": self.rejected, "replaced": self.replaced,
                "unknown_nicknames": [{"shop": s, "nickname": n, "chats": c}
                                      for (s, n), c in self.unknown_nicknames.most_common(50)],
                "rejects_path": self.rejects_path, "first_rejects": self.first_rejects[:20]}


@dataclass
class _ShopInfo:
    id: int
    zone: ZoneInfo
    rules: autochecks.Rules


class _Importer:
    def __init__(self, path: Path, *, replace: bool, skip_invalid: bool, user, name: str,
                 progress: Callable | None, rejects_writer):
        self.path = path
        self.name = name
        self.replace = replace
        self.skip_invalid = skip_invalid
        self.user = user
        self.progress = progress
        self.rejects_writer = rejects_writer
        self.summary = ImportSummary(file=name)
        self.shops: dict[str, _ShopInfo] = {}
        self.agents: dict[tuple[int, str], int | None] = {}
        self.import_row: ChatImport | None = None

    # shops and agents ------------------------------------------------------------------------

    def shop(self, slug: str) -> _ShopInfo:
        info = self.shops.get(slug)
        if info is None:
            shop = db.session.scalar(sa.select(Shop).where(Shop.slug == slug))
            if shop is None:
                shop = Shop(slug=slug, name=slug, timezone=current_app.config["SHOP_TIMEZONE"],
                            first_response_limit_seconds=300, forbidden_phrases="")
                db.session.add(shop)
                db.session.flush()
            info = self.shops[slug] = _ShopInfo(shop.id, ZoneInfo(shop.timezone or "UTC"),
                                                autochecks.Rules.for_shop(shop))
        return info

    def zone_for(self, slug: str) -> ZoneInfo:
        return self.shop(slug).zone

    def agent_id(self, shop_id: int, nickname: str, shop_slug: str) -> int | None:
        key = (shop_id, nickname)
        if key not in self.agents:
            user = agent_for_nickname(shop_id, nickname)
            self.agents[key] = user.id if user else None
        if self.agents[key] is None:
            self.summary.unknown_nicknames[(shop_slug, nickname)] += 1
        return self.agents[key]

    # the run ---------------------------------------------------------------------------------

    def reject(self, reject: Reject) -> None:
        if not self.skip_invalid:
            raise ImportRejected(self.name, reject)
        self.summary.rejected += 1
        text = f"{self.name}:{reject.line}: {reject.field}: {reject.message}"
        self.summary.first_rejects.append(text) if len(self.summary.first_rejects) < 20 else None
        self.rejects_writer.writerow([reject.line, reject.field, reject.message])

    def run(self, lines, kind: str, position: Callable[[], int], size: int) -> ImportSummary:
        self.import_row = ChatImport(filename=self.name[:255], user_id=getattr(self.user, "id", None))
        db.session.add(self.import_row)
        db.session.flush()
        batch: list[ParsedChat] = []
        for item in read_chats(lines, kind, self.zone_for):
            if isinstance(item, Reject):
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
        record(self.user, "chats.import", row, after={
            "file": self.name, "imported": row.imported, "skipped": row.skipped,
            "rejected": row.rejected, "replaced": row.replaced})
        self.summary.import_id = row.id
        if self.progress:
            self.progress(size, size)
        return self.summary

    def flush(self, batch: list[ParsedChat]) -> None:
        keep = self._drop_present(batch)
        if not keep:
            return
        now = utcnow()
        chat_rows, outcomes = [], []
        for chat in keep:
            shop = self.shop(chat.shop)
            results = autochecks.run_all(chat.messages, shop.rules)
            outcomes.append(results)
            times = [m.at for m in chat.messages if m.at is not None]
            first = next(r for r in results if r.check == "first_response_time")
            chat_rows.append({
                "shop_id": shop.id, "external_id": chat.external_id, "channel": chat.channel,
                "customer": chat.customer, "order_id": chat.order_id,
                "agent_nickname": chat.agent,
                "agent_id": self.agent_id(shop.id, chat.agent, chat.shop),
                "started_at": chat.started_at or (min(times) if times else None),
                "ended_at": max(times) if times else None, "tags": chat.tags,
                "message_count": len(chat.messages),
                "first_response_seconds": first.value if first.result != "not_measurable" else None,
                "failed_checks": sum(r.result == "fail" for r in results),
                "import_id": self.import_row.id, "imported_at": now,
            })
        # Core executemany (not ORM bulk, not RETURNING: both go row by row on SQLite), then
        # one query for the new ids
        db.session.execute(Chat.__table__.insert(), chat_rows)
        new_ids = {}
        for shop_id, external_ids in _by_shop(keep, self.shop).items():
            new_ids.update(((shop_id, external_id), chat_id) for chat_id, external_id in db.session.execute(
                sa.select(Chat.id, Chat.external_id).where(
                    Chat.shop_id == shop_id, Chat.import_id == self.import_row.id,
                    Chat.external_id.in_(external_ids))))
        ids = [new_ids[(self.shop(chat.shop).id, chat.external_id)] for chat in keep]
        messages, shares, check_rows = [], [], []
        for chat_id, chat, results in zip(ids, keep, outcomes, strict=True):
            shop = self.shop(chat.shop)
            per_agent: dict[str, dict] = {}
            for position, message in enumerate(chat.messages):
                nickname = (message.agent or chat.agent) if message.sender == "agent" else message.agent
                messages.append({"chat_id": chat_id, "position": position, "at": message.at,
                                 "sender": message.sender, "agent_nickname": nickname,
                                 "text": message.text})
                if message.sender == "agent":
                    share = per_agent.setdefault(nickname, {"count": 0, "chars": 0, "times": [],
                                                            "first": position})
                    share["count"] += 1
                    share["chars"] += len(message.text)
                    if message.at is not None:
                        share["times"].append(message.at)
            for nickname, share in per_agent.items():
                times = share["times"]
                shares.append({"chat_id": chat_id, "nickname": nickname,
                               "agent_id": self.agents.get((shop.id, nickname))
                               if (shop.id, nickname) in self.agents
                               else self.agent_id(shop.id, nickname, chat.shop),
                               "message_count": share["count"], "characters": share["chars"],
                               "seconds": (max(times) - min(times)).total_seconds() if times else None,
                               "first_position": share["first"]})
            check_rows.extend(_check_row(chat_id, outcome, now) for outcome in results)
        db.session.execute(ChatMessage.__table__.insert(), messages)
        if shares:
            db.session.execute(ChatAgent.__table__.insert(), shares)
        db.session.execute(CheckResult.__table__.insert(), check_rows)
        self.summary.imported += len(keep)

    def _drop_present(self, batch: list[ParsedChat]) -> list[ParsedChat]:
        """Skip (or delete, to replace) chats already stored; reject ids repeated in this file."""
        seen: set[tuple[str, str]] = set()
        unique = []
        for chat in batch:
            key = (chat.shop, chat.external_id)
            if key in seen:
                self.reject(Reject(chat.line, "id", f"id {chat.external_id!r} appears twice in this file"))
                continue
            seen.add(key)
            unique.append(chat)
        by_shop = _by_shop(unique, self.shop)
        present: dict[tuple[int, str], tuple[int, int | None]] = {}
        for shop_id, external_ids in by_shop.items():
            rows = db.session.execute(sa.select(Chat.id, Chat.external_id, Chat.import_id).where(
                Chat.shop_id == shop_id, Chat.external_id.in_(external_ids)))
            for chat_id, external_id, import_id in rows:
                present[(shop_id, external_id)] = (chat_id, import_id)
        keep, doomed = [], []
        for chat in unique:
            found = present.get((self.shop(chat.shop).id, chat.external_id))
            if found is None:
                keep.append(chat)
            elif found[1] == self.import_row.id:
                self.reject(Reject(chat.line, "id", f"id {chat.external_id!r} appears twice in this file"))
            elif self.replace:
                doomed.append(found[0])
                keep.append(chat)
            else:
                self.summary.skipped += 1
        if doomed:
            delete_chats(doomed)
            self.summary.replaced += len(doomed)
        return keep


def _by_shop(chats: list[ParsedChat], shop_for) -> dict[int, list[str]]:
    by_shop: dict[int, list[str]] = {}
    for chat in chats:
        by_shop.setdefault(shop_for(chat.shop).id, []).append(chat.external_id)
    return by_shop


def _check_row(chat_id: int, outcome: autochecks.Outcome, now) -> dict:
    return {"chat_id": chat_id, "check_name": outcome.check, "result": outcome.result,
            "value": outcome.value, "evidence_position": outcome.position,
            "evidence": outcome.evidence, "computed_at": now}


def delete_chats(chat_ids: list[int]) -> None:
    for model in (CheckResult, ChatAgent, ChatMessage):
        db.session.execute(sa.delete(model).where(model.chat_id.in_(chat_ids)))
    db.session.execute(sa.delete(Chat).where(Chat.id.in_(chat_ids)))


class _Source:
    """Lines of a file, with how far into the (compressed) file reading has got."""

    def __init__(self, path: Path, encoding: str):
        self.path = path
        self.encoding = encoding
        self.size = os.path.getsize(path)
        self._handle = None

    def lines(self):
        import gzip

        codec = check_encoding(self.encoding)
        with open(self.path, "rb") as raw:
            self._handle = raw
            if str(self.path).lower().endswith(".gz"):
                with gzip.open(raw, "rb") as unzipped:
                    yield from open_lines(unzipped, codec)
            else:
                yield from open_lines(raw, codec)

    def position(self) -> int:
        try:
            return self._handle.tell() if self._handle else 0
        except (ValueError, OSError):
            return self.size


def import_file(path: str | Path, *, encoding: str = "utf-8", replace: bool = False,
                skip_invalid: bool = False, user=None, progress: Callable | None = None,
                display_name: str | None = None) -> ImportSummary:
    """Import one export file in one transaction; raises ImportRejected (nothing stored) on the
    first malformed chat unless `skip_invalid`. `progress(bytes_read, file_size)` is called after
    every batch."""
    path = Path(path)
    kind = detect_format(path)
    check_encoding(encoding)
    name = display_name or str(path)
    source = _Source(path, encoding)
    rejects_path = Path(str(path) + ".rejects.csv")
    db.session.commit()  # start from a clean transaction: the file is one unit of work
    handle = open(rejects_path, "w", newline="", encoding="utf-8") if skip_invalid else None
    try:
        writer = csv.writer(handle) if handle else None
        if writer:
            writer.writerow(["line", "field", "message"])
        importer = _Importer(path, replace=replace, skip_invalid=skip_invalid, user=user,
                             name=name, progress=progress, rejects_writer=writer)
        summary = importer.run(source.lines(), kind, source.position, source.size)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        if handle:
            handle.close()
    if skip_invalid:
        summary.rejects_path = str(rejects_path) if summary.rejected else None
        if not summary.rejected:
            rejects_path.unlink(missing_ok=True)
    return summary


class _Collected(list):
    """A rejects "writer" that keeps the rows for the caller instead of writing a file."""

    def writerow(self, row) -> None:
        self.append(row)


def import_records(records: list, *, user=None, source: str = "api") -> tuple[ImportSummary, list[dict]]:
    """Import chats given as FORMATS.md objects (the API's batches), in one transaction.

    Invalid items are left out and reported as `{"index", "field", "message"}` (index from 0);
    the valid ones are stored, and ids already present are skipped, as with a file."""
    import json

    def lines():
        for record in records:
            yield json.dumps(record, ensure_ascii=False) if isinstance(record, dict) else "[]"

    collected = _Collected()
    db.session.commit()
    try:
        importer = _Importer(Path(source), replace=False, skip_invalid=True, user=user, name=source,
                             progress=None, rejects_writer=collected)
        summary = importer.run(lines(), "jsonl", lambda: 0, len(records))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    errors = [{"index": line - 1, "field": field, "message": message} for line, field, message in collected]
    return summary, errors
