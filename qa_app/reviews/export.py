"""CSV export of a review list, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from ..extensions import db
from .models import Review

COLUMNS = ("id", "shop", "order_id", "created_at", "rating", "service_rating", "agent",
           "attribution_route", "attribution_rule", "sentiment", "service_polarity", "evidence",
           "probability", "corrected", "text")
# cells starting with these run as formulas in spreadsheets (CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text, with a leading quote when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def review_row(review: Review) -> dict:
    return {
        "id": review.external_id, "shop": review.shop.slug, "order_id": review.order_id,
        "created_at": review.created_at.isoformat(), "rating": review.rating,
        "service_rating": review.service_rating,
        "agent": review.agent.display_name if review.agent else "",
        "attribution_route": review.attribution_route, "attribution_rule": review.attribution_rule,
        "sentiment": review.sentiment, "service_polarity": review.service_polarity,
        "evidence": review.evidence,
        "probability": f"{review.probability:.3f}" if review.probability is not None else "",
        "corrected": "yes" if review.corrected else "no", "text": review.text,
    }


def iter_csv(stmt: sa.Select, chunk: int = 500):
    """The CSV in pieces, for a streamed download of a long list."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    out.write("\ufeff")  # spreadsheets then read the Chinese text as UTF-8
    writer.writeheader()
    offset = 0
    while True:
        reviews = list(db.session.scalars(stmt.limit(chunk).offset(offset)))
        for review in reviews:
            writer.writerow({key: safe_cell(value) for key, value in review_row(review).items()})
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        if len(reviews) < chunk:
            return
        offset += chunk
