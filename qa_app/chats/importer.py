"""Importing chat exports: streaming, atomic per file, idempotent per (shop, id).

One file is one transaction. A malformed chat rejects the whole file (nothing stored) unless
`skip_invalid` is set, in which case the valid chats are stored and every rejected one is listed
in `<file>.rejects.csv` (line, field, message). A chat whose id is already stored for its shop is
skipped, or replaced with `replace=True`. Rows go in with bulk INSERTs, a batch at a time, so
memory stays flat however large the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Shop
from ..database import in_one_transaction, lost_race, refresh_statistics
from ..extensions import db
from ..ingest import ImportRejected, LimitExceeded, Problem, RejectsFile, Source, check_encoding
from . import checks as autochecks
from . import worker
from .parsing import detect_format, read_chats
from .writer import ChatWriter, ImportSummary

ATTEMPTS = 3  # a file is tried again after losing a race with a concurrent import


class ImportConflict(RuntimeError):
    """Concurrent imports (or another writer holding SQLite's lock) kept the file from being
    stored after every attempt; nothing of it was stored."""

    def __init__(self, filename: str, error: Exception):
        self.filename = filename
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        super().__init__(
            f"{filename}: not imported, the database refused it while other imports "
            f"were running ({detail}); nothing was stored, import it again"
        )


def _shop_settings() -> dict[str, tuple[str, autochecks.Rules]]:
    """Each stored shop's time zone and check rules, for a reading process (worker.py)."""
    return {
        shop.slug: (shop.timezone or "UTC", autochecks.Rules.for_shop(shop))
        for shop in db.session.scalars(sa.select(Shop))
    }


def import_file(
    path: str | Path,
    *,
    encoding: str = "utf-8",
    replace: bool = False,
    skip_invalid: bool = False,
    user=None,
    progress: Callable | None = None,
    display_name: str | None = None,
) -> ImportSummary:
    """Import one export file in one transaction; raises ImportRejected (nothing stored) on the
    first malformed chat unless `skip_invalid`, ImportConflict when concurrent imports kept it
    from being stored. `progress(bytes_read, file_size)` is called after every batch."""
    path = Path(path)
    kind = detect_format(path)
    check_encoding(encoding)
    name = display_name or str(path)
    rejects_path = Path(str(path) + ".rejects.csv")

    def attempt() -> ImportSummary:
        source = Source(path, encoding, name=name)
        rejects = RejectsFile(rejects_path) if skip_invalid else None
        kept = False
        try:
            writer = ChatWriter(
                path,
                replace=replace,
                skip_invalid=skip_invalid,
                user=user,
                name=name,
                progress=progress,
                rejects=rejects,
            )
            items, position = _items(source, kind, writer)
            summary = writer.run(items, position, source.size)
            kept = True
            return summary
        except LimitExceeded as error:  # the whole file, whatever skip_invalid says
            problem = Problem(name, error.line, "file", error.message)
            raise ImportRejected([problem], spaced=True, limit=error) from None
        finally:
            if rejects:
                rejects.close(keep=kept)

    summary = _in_one_transaction(attempt, name)
    refresh_statistics(db.engine, changed_rows=summary.imported, table="chats")
    if skip_invalid:
        summary.rejects_path = str(rejects_path) if summary.rejected else None
    return summary


def _items(source: Source, kind: str, writer: ChatWriter) -> tuple:
    """The file's chats and rejects, and how far reading has got: from a reading process for
    a large file (worker.py), else read here."""
    limit = current_app.config.get("CHATS_IMPORT_WORKER_BYTES", worker.MIN_BYTES)
    if limit and worker.wanted(source.size, limit):
        items = worker.ReadInWorker(
            source,
            kind,
            _shop_settings(),
            current_app.config["SHOP_TIMEZONE"],
            sqlite=db.engine.dialect.name == "sqlite",
        )
        return items, items.position
    return read_chats(source.lines(), kind, writer.zone_for), source.position


def _in_one_transaction(attempt: Callable, name: str):
    """Run `attempt()` as one transaction and commit it (database.in_one_transaction).

    Two imports of the same chats at once: neither sees the other's uncommitted chats, so both
    insert them; the unique constraint on (shop, id) makes the later one fail (PostgreSQL) when
    the first commits. It then starts over and finds them stored: skipped, as if it had come
    second. On SQLite the transaction takes the write lock at BEGIN (IMMEDIATE), so a second
    import waits for the first (busy_timeout) and then reads the committed chats. A file that
    loses every attempt is reported as ImportConflict, nothing stored."""
    try:
        return in_one_transaction(attempt, attempts=ATTEMPTS)
    except Exception as error:
        if lost_race(error, db.engine.dialect.loaded_dbapi):
            raise ImportConflict(name, error) from error
        raise


class _Collected(list):
    """A rejects "file" that keeps the problems for the caller instead of writing them."""

    def add(self, problem: Problem) -> None:
        self.append(problem)


def import_records(records: list, *, user=None, source: str = "api") -> tuple[ImportSummary, list[dict]]:
    """Import chats given as FORMATS.md objects (the API's batches), in one transaction.

    Invalid items are left out and reported as `{"index", "field", "message"}` (index from 0);
    the valid ones are stored, and ids already present are skipped, as with a file."""
    import json

    def lines():
        for item in records:
            yield json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else "[]"

    collected = _Collected()

    def attempt() -> ImportSummary:
        collected.clear()
        writer = ChatWriter(
            Path(source),
            replace=False,
            skip_invalid=True,
            user=user,
            name=source,
            progress=None,
            rejects=collected,
        )
        return writer.run(read_chats(lines(), "jsonl", writer.zone_for), lambda: 0, len(records))

    summary = _in_one_transaction(attempt, source)
    refresh_statistics(db.engine, changed_rows=summary.imported, table="chats")
    errors = [{"index": p.line - 1, "field": p.field, "message": p.message} for p in collected]
    return summary, errors
