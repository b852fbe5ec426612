"""Computed evidence per (agent, period), shared by every worker process through the database.

A cached row is used only while (1) the sum of the input stamps covering its agent and period
equals the sum it was computed from (freshness.py: any committed change to an input raises it),
and (2) for a period not over yet, it was computed today (shop time): overdue courses depend on
the date. Weights and minimums are not part of it, they are applied on every read.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from ..database import impatient_on_sqlite, upsert_for
from ..dbtypes import utcnow
from ..extensions import db
from . import sources
from .models import CachedStats
from .periods import Period

log = logging.getLogger(__name__)
_PENDING = "evaluation_cache_pending"


@dataclass(frozen=True)
class Evidence:
    qa: sources.QaStats
    training: sources.TrainingStats
    reviews: sources.ReviewStats
    chats: sources.ChatStats

    def as_dict(self) -> dict:
        return {
            "qa": asdict(self.qa),
            "training": asdict(self.training),
            "reviews": asdict(self.reviews),
            "chats": asdict(self.chats),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(
            sources.QaStats(**data["qa"]),
            sources.TrainingStats(**data["training"]),
            sources.ReviewStats(**data["reviews"]),
            sources.ChatStats(**data["chats"]),
        )


def compute(agent_ids: list[int], period: Period, today: date) -> dict[int, Evidence]:
    """Evidence read live from the other domains: one aggregate query per source."""
    qa = sources.qa_stats(agent_ids, period)
    training = sources.training_stats(agent_ids, period, today)
    reviews = sources.review_stats(agent_ids, period)
    chats = sources.chat_stats(agent_ids, period)
    return {i: Evidence(qa[i], training[i], reviews[i], chats[i]) for i in agent_ids}


def holds(row: CachedStats, inputs: int, period: Period, today: date) -> bool:
    if row.inputs != inputs:
        return False
    return row.computed_on == today or period.last_day < row.computed_on


def load(
    pairs: dict[tuple[int, str], int], span: list[Period], today: date
) -> dict[tuple[int, str], Evidence]:
    """The cached evidence still valid for (agent, period key) → its current inputs sum."""
    if not pairs:
        return {}
    by_key = {p.key: p for p in span}
    agents = sorted({agent for agent, _ in pairs})
    rows = db.session.execute(
        sa.select(
            CachedStats.agent_id,
            CachedStats.period,
            CachedStats.inputs,
            CachedStats.computed_on,
            CachedStats.stats,
        ).where(CachedStats.agent_id.in_(agents), CachedStats.period.in_(list(by_key)))
    ).all()
    return {
        (row.agent_id, row.period): Evidence.from_dict(row.stats)
        for row in rows
        if (row.agent_id, row.period) in pairs
        and holds(row, pairs[(row.agent_id, row.period)], by_key[row.period], today)
    }


def keep(session, entries: list[tuple[int, str, int, Evidence]], today: date) -> None:
    """Store freshly computed evidence once the session's transaction is over.

    Not at once, and not in the session's own transaction: on SQLite a transaction that has read
    cannot write after another connection committed (its snapshot is stale), so storing in
    between would make e.g. finalising fail; and committing the session itself would expire
    every object the page is about to render."""
    if entries:
        session.info.setdefault(_PENDING, []).extend(
            {
                "agent_id": agent,
                "period": key,
                "inputs": inputs,
                "computed_on": today,
                "stats": evidence.as_dict(),
                "computed_at": utcnow(),
            }
            for agent, key, inputs, evidence in entries
        )


def _store_pending(session, transaction) -> None:
    if transaction.parent is None and session.info.get(_PENDING):
        store(session.info.pop(_PENDING))


def watch() -> None:
    if not event.contains(so.Session, "after_transaction_end", _store_pending):
        event.listen(so.Session, "after_transaction_end", _store_pending)


def store(rows: list[dict]) -> None:
    """Upsert cache rows, best effort: in a transaction of its own, giving up at once if another
    writer holds the lock (the next request computes and stores again)."""
    table = CachedStats.__table__
    # one row per key (an upsert may not touch a row twice), in key order (no lock-order deadlocks)
    rows = sorted(
        {(r["agent_id"], r["period"]): r for r in rows}.values(), key=lambda r: (r["agent_id"], r["period"])
    )
    try:
        with db.engine.connect() as connection, impatient_on_sqlite(connection):
            if connection.dialect.name != "sqlite":
                connection.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            for start in range(0, len(rows), 500):
                stmt = upsert_for(connection.dialect.name)(table).values(rows[start : start + 500])
                connection.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[table.c.agent_id, table.c.period],
                        set_={c: stmt.excluded[c] for c in ("inputs", "computed_on", "stats", "computed_at")},
                    )
                )
            connection.commit()  # own transaction: best effort, after the session's transaction ended
    except DBAPIError as error:  # locked or racing: the next request computes and stores again
        log.info("evaluation cache not stored: %s", error)
