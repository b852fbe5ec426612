"""Importing review exports: atomic per file, idempotent by (shop, id), attributed and classified.

A file with a bad line is rejected as a whole (every problem named as file:line:field) unless
`skip_invalid` is set; then the bad lines are left out and listed in a rejects report. The file
is streamed (qa_app/ingest): reviews are stored a batch at a time as they are read, in one
transaction, so memory stays flat whatever the file's size; once a bad line has rejected the
file, the rest is only checked (every problem is reported) and the transaction rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Shop
from ..database import in_one_transaction
from ..dbtypes import utcnow
from ..extensions import db
from ..ingest import MAX_PROBLEMS_KEPT, ImportRejected, ImportSummary, LimitExceeded, RejectsFile
from ..ingest.reasons import coded
from ..jobs.services import JobFailed, in_owner_language
from .attribution import Attributor
from .classification import classify_review
from .followup import open_cases
from .models import Review
from .parsing import Problem, ReviewRow, UnreadableFile, localise, open_source, read_reviews, validate

BATCH = 200
REJECT_COLUMNS = ("file", "line", "field", "message")
# Another import of the same reviews may commit between our look-up of the stored ids and our
# insert; storing again then finds them present and skips them. More tries than two importers
# racing for the same file ever need.
ATTEMPTS = 3

__all__ = ["ImportRejected", "ImportResult", "import_file", "import_records", "run_import_job"]


@dataclass
class ImportResult(ImportSummary):
    """The ingest summary, with how many reviews were attributed to an agent."""

    attributed: int = 0

    def add(self, other: ImportResult) -> None:
        super().add(other)
        self.attributed += other.attributed

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "attributed": self.attributed,
            "rejects": [str(p) for p in self.problems[:50]],
        }


def import_file(
    path: str | Path,
    *,
    name: str | None = None,
    encoding: str = "utf-8",
    skip_invalid: bool = False,
    rejects_path: str | Path | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportResult:
    """Import one export file in one transaction. Raises ImportRejected (nothing stored) when
    the file is unreadable or over a size limit, or has a bad line and `skip_invalid` is not set."""
    try:
        source = open_source(path, encoding=encoding, name=name)
    except UnreadableFile as error:
        raise ImportRejected([error.problem]) from None

    def attempt() -> ImportResult:
        rejects = RejectsFile(rejects_path, REJECT_COLUMNS) if rejects_path is not None else None
        kept = False
        try:
            result = _stream(source, skip_invalid, rejects, progress)
            kept = True
            return result
        finally:
            if rejects:
                rejects.close(keep=kept)

    try:
        return in_one_transaction(attempt, attempts=ATTEMPTS)
    except UnreadableFile as error:
        raise ImportRejected([error.problem]) from None
    except LimitExceeded as error:  # the whole file, whatever skip_invalid says
        raise ImportRejected([Problem(error.file, error.line, "file", error.message)], limit=error) from None


def _stream(source, skip_invalid: bool, rejects: RejectsFile | None, progress) -> ImportResult:
    """Read and store; the bad lines go to `rejects` (skip_invalid) or reject the file."""
    result = ImportResult(file=source.name)
    store = _Store(result, progress=lambda: progress and progress(source.position(), source.size))
    failed: list[Problem] = []
    more = bad_lines = 0
    for item in read_reviews(source):
        if isinstance(item, ReviewRow):
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
    if progress:  # bytes read while reading (the only total known up front), records at the end
        progress(result.imported + result.skipped, result.imported + result.skipped)
    return result


def _store_atomically(rows: list[ReviewRow], new_result: Callable[[], ImportResult]) -> ImportResult:
    """Store the rows in one transaction, starting over when a concurrent import stored some
    of the same reviews (or created the same shop) first (database.in_one_transaction). On
    SQLite the transaction takes the write lock at BEGIN, so a second import waits for the first
    and then reads what it stored (a read snapshot taken earlier could never be turned into a
    write)."""

    def attempt() -> ImportResult:
        result = new_result()
        store = _Store(result)
        for row in rows:
            store.add(row)
        store.finish()
        return result

    return in_one_transaction(attempt, attempts=ATTEMPTS)


class _Store:
    """Stores reviews a batch at a time: ids already stored (or met earlier in this file) are
    skipped, new ones attributed and classified. The database holds what this transaction has
    flushed, so looking up each batch's ids there also finds repeats within the file."""

    def __init__(self, result: ImportResult, progress: Callable[[], None] | None = None):
        self.result = result
        self.progress = progress
        self.batch: list[ReviewRow] = []
        self.shops: dict[str, Shop] = {}
        self.attributor = Attributor()
        self.now = utcnow()

    def add(self, row: ReviewRow) -> None:
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
        stored = []
        for row in rows:
            shop = self.shops[row.shop]
            key = (shop.id, row.external_id)
            if key in present:
                self.result.skipped += 1
                continue
            present.add(key)
            review = _review(row, shop, self.attributor, self.now)
            db.session.add(review)
            stored.append(review)
            self.result.imported += 1
            self.result.attributed += review.agent_id is not None
        db.session.flush()
        open_cases(stored, self.now)  # skipped repeats open nothing: idempotent re-import
        if self.progress:
            self.progress()


def _review(row: ReviewRow, shop: Shop, attributor: Attributor, now) -> Review:
    review = Review(
        shop_id=shop.id,
        external_id=row.external_id,
        order_id=row.order_id,
        created_at=localise(row.created_at, shop.timezone) or now,
        rating=row.rating,
        service_rating=row.service_rating,
        agent_field=row.agent,
        text=row.text,
        corrected=False,
    )
    found = attributor.attribute(shop=shop, agent_field=row.agent, order_id=row.order_id, text=row.text)
    review.agent_id, review.attribution_route, review.attribution_rule = (
        found.agent_id,
        found.route,
        found.rule,
    )
    classify_review(review)
    return review


def _shop(slug: str) -> Shop:
    """The shop with this slug, created when an export names one we don't know yet."""
    shop = _find_shop(slug)
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
            chunk = unique[start : start + 500]
            present.update(
                db.session.execute(
                    sa.select(Review.shop_id, Review.external_id).where(
                        Review.shop_id == shop_id, Review.external_id.in_(chunk)
                    )
                ).tuples()
            )
    return present


def run_import_job(job, progress) -> dict:
    """A web upload: params are the stored file's path, its original name, the encoding and
    whether bad lines are skipped. The upload is deleted afterwards, imported or not."""
    params = dict(job.params)
    path = Path(params["path"])
    # end the read transaction: on SQLite a snapshot older than the progress writes could not
    # be upgraded to the import's write transaction
    db.session.commit()  # own transaction: the job runner ends its read snapshot before importing
    try:
        result = import_file(
            path,
            name=params.get("filename"),
            encoding=params.get("encoding") or "utf-8",
            skip_invalid=bool(params.get("skip_invalid")),
            progress=progress,
        )
    except ImportRejected as error:
        if error.limit is not None:
            with in_owner_language(job):
                raise JobFailed(error.limit.localised()) from None
        raise JobFailed(error.describe(20), result=_refused(error)) from None
    finally:
        path.unlink(missing_ok=True)
    report = result.as_dict()
    # the job page lists these with localised reasons and offers them as CSV
    report["problems"] = [coded(problem) for problem in result.problems]
    return report


def _refused(error: ImportRejected) -> dict:
    return {
        "refused": True,
        "rejected": error.lines,
        "problems": [coded(problem) for problem in error.problems],
    }


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
        rows, lambda: ImportResult(rejected=len({p.line for p in problems}), problems=list(problems))
    )
    errors = [{"index": p.line - 1, "field": p.field, "message": p.message} for p in problems]
    return result, errors
