"""Importing review exports: atomic per file, idempotent by (shop, id), attributed and classified.

A file with a bad line is rejected as a whole (every problem named as file:line:field) unless
`skip_invalid` is set; then the bad lines are left out and listed in a rejects report.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Shop
from ..database import in_one_transaction
from ..dbtypes import utcnow
from ..extensions import db
from ..jobs.services import JobFailed, handler
from .attribution import Attributor
from .classification import classify_review
from .models import Review
from .parsing import Problem, ReviewRow, UnreadableFile, localise, read_file, validate

BATCH = 200
MAX_PROBLEMS_SHOWN = 50
# Another import of the same reviews may commit between our look-up of the stored ids and our
# insert; storing again then finds them present and skips them. More tries than two importers
# racing for the same file ever need.
ATTEMPTS = 3


class ImportRejected(Exception):
    """The file was rejected; nothing of it was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.describe())

    def describe(self, limit: int = MAX_PROBLEMS_SHOWN) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        return "\n".join(lines)


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0
    rejected: int = 0
    attributed: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, other: ImportResult) -> None:
        self.imported += other.imported
        self.skipped += other.skipped
        self.rejected += other.rejected
        self.attributed += other.attributed
        self.problems.extend(other.problems)

    def summary(self) -> str:
        """The line the CLI prints (a contract: see FORMATS.md)."""
        return (f"imported {self.imported}, skipped {self.skipped} (already present), "
                f"rejected {self.rejected}")

    def as_dict(self) -> dict:
        return {"imported": self.imported, "skipped": self.skipped, "rejected": self.rejected,
                "attributed": self.attributed,
                "rejects": [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]}


def import_file(path: str | Path, *, name: str | None = None, encoding: str = "utf-8",
                skip_invalid: bool = False, rejects_path: str | Path | None = None,
                progress: Callable[[int, int | None], None] | None = None) -> ImportResult:
    """Import one export file in one transaction. Raises ImportRejected (nothing stored) when
    the file is unreadable, or has a bad line and `skip_invalid` is not set."""
    try:
        parsed = read_file(path, encoding=encoding, name=name)
    except UnreadableFile as error:
        raise ImportRejected([error.problem]) from None
    if parsed.problems and not skip_invalid:
        raise ImportRejected(parsed.problems)
    result = _store_atomically(
        parsed.rows, lambda: ImportResult(rejected=len({(p.file, p.line) for p in parsed.problems}),
                                          problems=list(parsed.problems)), progress)
    if rejects_path is not None and parsed.problems:
        write_rejects(rejects_path, parsed.problems)
    return result


def _store_atomically(rows: list[ReviewRow], new_result: Callable[[], ImportResult],
                      progress) -> ImportResult:
    """Store the rows in one transaction, starting over when a concurrent import stored some
    of the same reviews (or created the same shop) first (database.in_one_transaction). On
    SQLite the transaction takes the write lock at BEGIN, so a second import waits for the first
    and then reads what it stored (a read snapshot taken earlier could never be turned into a
    write)."""

    def attempt() -> ImportResult:
        result = new_result()
        _store(rows, result, progress)
        return result

    return in_one_transaction(attempt, attempts=ATTEMPTS)


def write_rejects(path: str | Path, problems: list[Problem]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "field", "message"])
        for problem in problems:
            writer.writerow([problem.file, problem.line, problem.field, problem.message])


def _store(rows: list[ReviewRow], result: ImportResult, progress) -> None:
    total = len(rows)
    if progress:
        progress(0, total)
    shops = {slug: _shop(slug) for slug in sorted({row.shop for row in rows})}
    present = _present_ids(rows, shops)
    attributor = Attributor()
    now = utcnow()
    for done, row in enumerate(rows, start=1):
        shop = shops[row.shop]
        key = (shop.id, row.external_id)
        if key in present:
            result.skipped += 1
        else:
            present.add(key)
            review = _review(row, shop, attributor, now)
            db.session.add(review)
            result.imported += 1
            result.attributed += review.agent_id is not None
        if done % BATCH == 0:
            db.session.flush()
            if progress:
                progress(done, total)
    db.session.flush()
    if progress:
        progress(total, total)


def _review(row: ReviewRow, shop: Shop, attributor: Attributor, now) -> Review:
    review = Review(shop_id=shop.id, external_id=row.external_id, order_id=row.order_id,
                    created_at=localise(row.created_at, shop.timezone) or now, rating=row.rating,
                    service_rating=row.service_rating, agent_field=row.agent, text=row.text,
                    corrected=False)
    found = attributor.attribute(shop=shop, agent_field=row.agent, order_id=row.order_id,
                                 text=row.text)
    review.agent_id, review.attribution_route, review.attribution_rule = (
        found.agent_id, found.route, found.rule)
    classify_review(review)
    return review


def _shop(slug: str) -> Shop:
    """The shop with this slug, created when an export names one we don't know yet."""
    shop = _find_shop(slug)
    if shop is None:
        shop = Shop(slug=slug, name=slug, platform="other",
                    timezone=current_app.config.get("SHOP_TIMEZONE", "Asia/Shanghai"),
                    first_response_limit_seconds=300, forbidden_phrases="")
        db.session.add(shop)
        db.session.flush()
    return shop


def _find_shop(slug: str) -> Shop | None:
    return db.session.scalar(sa.select(Shop).where(Shop.slug == slug))


def _present_ids(rows: list[ReviewRow], shops: dict[str, Shop]) -> set[tuple[int, str]]:
    wanted: dict[int, list[str]] = {}
    for row in rows:
        wanted.setdefault(shops[row.shop].id, []).append(row.external_id)
    present = set()
    for shop_id, ids in wanted.items():
        unique = sorted(set(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            present.update(db.session.execute(
                sa.select(Review.shop_id, Review.external_id)
                .where(Review.shop_id == shop_id, Review.external_id.in_(chunk))).tuples())
    return present


@handler("reviews.import")
def run_import_job(job, progress) -> dict:
    """A web upload: params are the stored file's path, its original name, the encoding and
    whether bad lines are skipped. The upload is deleted afterwards, imported or not."""
    params = dict(job.params)
    path = Path(params["path"])
    # end the read transaction: on SQLite a snapshot older than the progress writes could not
    # be upgraded to the import's write transaction
    db.session.commit()
    try:
        result = import_file(path, name=params.get("filename"),
                             encoding=params.get("encoding") or "utf-8",
                             skip_invalid=bool(params.get("skip_invalid")), progress=progress)
    except ImportRejected as error:
        raise JobFailed(error.describe(20)) from None
    finally:
        path.unlink(missing_ok=True)
    return result.as_dict()


def import_records(records: list, *, source: str = "api") -> tuple[ImportResult, list[dict]]:
    """Import reviews given as objects with the FORMATS.md fields (the API's batches) in one
    transaction: valid ones are stored (ids already present skipped), invalid ones reported as
    `{"index", "field", "message"}` with the index from 0."""
    rows, problems = [], []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(Problem(source, index + 1, "record", "must be a JSON object"))
            continue
        row, found = validate(record, index + 1, source)
        problems.extend(found)
        if row is not None:
            rows.append(row)
    result = _store_atomically(
        rows, lambda: ImportResult(rejected=len({p.line for p in problems}), problems=problems),
        None)
    errors = [{"index": p.line - 1, "field": p.field, "message": p.message} for p in problems]
    return result, errors
