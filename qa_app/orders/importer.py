"""Importing order exports: atomic per file, idempotent by (shop, id), `--skip-invalid`.

A file with a bad line is rejected as a whole (every problem named file:line:field) unless
`skip_invalid` is set; then the bad lines are left out and listed in a rejects report. Orders
are stored a batch at a time in one transaction (memory stays flat).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Shop
from ..database import in_one_transaction
from ..extensions import db
from ..ingest import MAX_PROBLEMS_KEPT, ImportRejected, ImportSummary, LimitExceeded, Problem, RejectsFile
from .models import Order
from .parsing import OrderRow, UnreadableFile, localise, open_source, read_orders, validate

BATCH = 500
REJECT_COLUMNS = ("file", "line", "field", "message")
ATTEMPTS = 3  # a concurrent import of the same orders: start over and skip what it stored

__all__ = ["ImportRejected", "ImportSummary", "import_file", "import_records"]


def import_file(
    path: str | Path,
    *,
    name: str | None = None,
    encoding: str = "utf-8",
    skip_invalid: bool = False,
    rejects_path: str | Path | None = None,
) -> ImportSummary:
    """Import one export in one transaction; raises ImportRejected (nothing stored) when the
    file is unreadable, over a limit, or has a bad line and `skip_invalid` is not set."""
    try:
        source = open_source(path, encoding=encoding, name=name)
    except UnreadableFile as error:
        raise ImportRejected([error.problem]) from None

    def attempt() -> ImportSummary:
        rejects = RejectsFile(rejects_path, REJECT_COLUMNS) if rejects_path is not None else None
        kept = False
        try:
            result = _stream(source, skip_invalid, rejects)
            kept = True
            return result
        finally:
            if rejects:
                rejects.close(keep=kept)

    try:
        return in_one_transaction(attempt, attempts=ATTEMPTS)
    except UnreadableFile as error:
        raise ImportRejected([error.problem]) from None
    except LimitExceeded as error:
        raise ImportRejected([Problem(error.file, error.line, "file", error.message)], limit=error) from None


def _stream(source, skip_invalid: bool, rejects: RejectsFile | None) -> ImportSummary:
    result = ImportSummary(file=source.name)
    store = _Store(result)
    failed: list[Problem] = []
    more = bad_lines = 0
    for item in read_orders(source):
        if isinstance(item, OrderRow):
            if skip_invalid or not bad_lines:  # a rejected file's rest is only checked
                store.add(item)
            continue
        bad_lines += 1
        if skip_invalid:
            result.rejected += 1
            for problem in item:
                result.note(problem)
                if rejects:
                    rejects.add(problem)
        else:
            room = max(0, MAX_PROBLEMS_KEPT - len(failed))
            failed.extend(item[:room])
            more += len(item) - len(item[:room])
    if bad_lines and not skip_invalid:
        raise ImportRejected(failed, more=more, lines=bad_lines)
    store.finish()
    return result


class _Store:
    """Stores orders a batch at a time; ids already stored (or met earlier in this file) are
    skipped, so importing a file twice adds nothing."""

    def __init__(self, result: ImportSummary):
        self.result = result
        self.batch: list[OrderRow] = []
        self.shops: dict[str, Shop] = {}

    def add(self, row: OrderRow) -> None:
        self.batch.append(row)
        if len(self.batch) >= BATCH:
            self._flush()

    def finish(self) -> None:
        if self.batch:
            self._flush()

    def _flush(self) -> None:
        rows, self.batch = self.batch, []
        for slug in sorted({row.shop for row in rows} - self.shops.keys()):
            self.shops[slug] = _shop(slug)
        present = _present_ids(rows, self.shops)
        for row in rows:
            shop = self.shops[row.shop]
            if (shop.id, row.external_id) in present:
                self.result.skipped += 1
                continue
            present.add((shop.id, row.external_id))
            db.session.add(_order(row, shop))
            self.result.imported += 1
        db.session.flush()


def _order(row: OrderRow, shop: Shop) -> Order:
    zone = shop.timezone
    return Order(
        shop_id=shop.id,
        external_id=row.external_id,
        customer=row.customer,
        created_at=localise(row.created_at, zone),
        paid_at=localise(row.paid_at, zone),
        amount=row.amount,
        status=row.status,
        refund_amount=row.refund_amount,
        refunded_at=localise(row.refunded_at, zone),
    )


def _shop(slug: str) -> Shop:
    """The shop with this slug, created when an export names one we don't know yet."""
    shop = db.session.scalar(sa.select(Shop).where(Shop.slug == slug))
    if shop is None:
        shop = Shop(
            slug=slug,
            name=slug,
            platform="other",
            timezone=current_app.config.get("SHOP_TIMEZONE", "Asia/Shanghai"),
            first_response_limit_seconds=300,
            forbidden_phrases="",
        )
        db.session.add(shop)
        db.session.flush()
    return shop


def _present_ids(rows: list[OrderRow], shops: dict[str, Shop]) -> set[tuple[int, str]]:
    wanted: dict[int, set[str]] = {}
    for row in rows:
        wanted.setdefault(shops[row.shop].id, set()).add(row.external_id)
    present: set[tuple[int, str]] = set()
    for shop_id, ids in wanted.items():
        unique = sorted(ids)
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            query = sa.select(Order.shop_id, Order.external_id).where(
                Order.shop_id == shop_id, Order.external_id.in_(chunk)
            )
            present.update((shop, external) for shop, external in db.session.execute(query).tuples())
    return present


def import_records(records: list, *, source: str = "api") -> tuple[ImportSummary, list[dict]]:
    """Import orders given as objects (an API batch) in one transaction: valid ones stored,
    invalid ones reported as `{"index", "field", "message"}` with the index from 0."""
    rows, problems = [], []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(Problem(source, index + 1, "record", "must be a JSON object"))
            continue
        row, found = validate(record, index + 1, source)
        problems.extend(found)
        if row is not None:
            rows.append(row)

    def attempt() -> ImportSummary:
        result = ImportSummary(rejected=len({p.line for p in problems}), problems=list(problems))
        store = _Store(result)
        for row in rows:
            store.add(row)
        store.finish()
        return result

    result = in_one_transaction(attempt, attempts=ATTEMPTS)
    return result, [{"index": p.line - 1, "field": p.field, "message": p.message} for p in problems]
