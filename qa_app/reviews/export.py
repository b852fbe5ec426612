"""CSV export of a review list, safe to open in a spreadsheet; the attribution rule is written in
the exporting user's language (the export runs in their request). Also the rows of
`flask reviews export` (machine columns and codes)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..extensions import db
from ..spreadsheets import safe_cell
from . import explanations
from .models import FollowUpCase, Review

COLUMNS = (
    "id",
    "shop",
    "order_id",
    "created_at",
    "rating",
    "service_rating",
    "agent",
    "attribution_route",
    "attribution_rule",
    "sentiment",
    "service_polarity",
    "evidence",
    "probability",
    "corrected",
    "text",
)


def review_row(review: Review) -> dict:
    return {
        "id": review.external_id,
        "shop": review.shop.slug,
        "order_id": review.order_id,
        "created_at": review.created_at.isoformat(),
        "rating": review.rating,
        "service_rating": review.service_rating,
        "agent": review.agent.display_name if review.agent else "",
        "attribution_route": review.attribution_route,
        "attribution_rule": explanations.render(review.attribution_rule),
        "sentiment": review.sentiment,
        "service_polarity": review.service_polarity,
        "evidence": review.evidence,
        "probability": f"{review.probability:.3f}" if review.probability is not None else "",
        "corrected": "yes" if review.corrected else "no",
        "text": review.text,
    }


def iter_csv(stmt: sa.Select, chunk: int = 500):
    """The CSV in pieces, for a streamed download of a long list.

    One query read `chunk` rows at a time: pages by OFFSET re-read every earlier row, so a
    lead's export of ~120,000 reviews took 136 s (87 s to reach row 100,000)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    out.write("\ufeff")  # spreadsheets then read the Chinese text as UTF-8
    writer.writeheader()
    for n, review in enumerate(db.session.scalars(stmt.execution_options(yield_per=chunk)), 1):
        writer.writerow({key: safe_cell(value) for key, value in review_row(review).items()})
        if n % chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


# --- `flask reviews export`: machine columns and codes (../shared/FORMATS.md) -----------------

MACHINE_COLUMNS = (
    "id",
    "shop",
    "order_id",
    "agent",
    "attributed_by",
    "sentiment",
    "service_polarity",
    "evidence",
    "follow_up_status",
    "follow_up_due",
)
#: a shop's day starts at most 14 hours before UTC's (UTC+14): the query reads from there and
#: each review is then placed in its own shop's day
_EARLIEST_ZONE = timedelta(hours=14)


def machine_rows(since: date | None = None):
    """Every stored review (created on or after `since` in its shop's zone), oldest first, as
    dicts of MACHINE_COLUMNS: user names and stored codes, never words of the UI language.
    A review without a follow-up case has empty follow-up columns."""
    stmt = (
        sa.select(Review, FollowUpCase)
        .outerjoin(FollowUpCase, FollowUpCase.review_id == Review.id)
        .options(so.joinedload(Review.agent), so.joinedload(Review.shop))
    )
    if since is not None:
        stmt = stmt.where(Review.created_at >= datetime.combine(since, time(), UTC) - _EARLIEST_ZONE)
    zones: dict[str, ZoneInfo] = {}
    for review, case in db.session.execute(
        stmt.order_by(Review.created_at, Review.id).execution_options(yield_per=500)
    ):
        zone = zones.setdefault(review.shop.timezone, ZoneInfo(review.shop.timezone))
        if since is not None and review.created_at.astimezone(zone).date() < since:
            continue
        yield {
            "id": review.external_id,
            "shop": review.shop.slug,
            "order_id": review.order_id or "",
            "agent": review.agent.username if review.agent else "",
            "attributed_by": review.attribution_route or "",
            "sentiment": review.sentiment or "",
            "service_polarity": review.service_polarity or "",
            "evidence": review.evidence or "",
            "follow_up_status": case.status if case else "",
            "follow_up_due": case.due_at.astimezone(zone).isoformat() if case else "",
        }
