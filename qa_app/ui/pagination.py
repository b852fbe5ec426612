"""Pagination of select() statements, so that long lists never load whole tables."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db


@dataclass
class Page:
    """One page of a list; `capped`: the count stopped at a cap and there are more than `total`."""

    items: list
    number: int
    per_page: int
    total: int
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.capped or self.number < self.pages


def paginate(stmt: sa.Select, number: int, per_page: int, *, scalars: bool = True) -> Page:
    number = max(1, number or 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(number, pages)
    window = stmt.limit(per_page).offset((number - 1) * per_page)
    rows = db.session.scalars(window) if scalars else db.session.execute(window)
    return Page(items=list(rows), number=number, per_page=per_page, total=total)


def capped_count(stmt: sa.Select, limit: int, column) -> int:
    """Rows of `stmt`, counted no further than `limit` (`column`: a cheap column to count)."""
    first = stmt.order_by(None).with_only_columns(column).limit(limit).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(first))


def paginate_capped(stmt: sa.Select, number: int, per_page: int, *, cap: int, column, options=()) -> Page:
    """Like paginate, for lists too long to count on every view: the count goes up to `cap`
    (or just past the page asked for), and the page says "more than" beyond it. `options`:
    loader options for the page's rows only."""
    number = max(1, number or 1)
    limit = max(cap, number * per_page) + 1
    counted = capped_count(stmt, limit, column)
    capped = counted >= limit
    total = limit - 1 if capped else counted
    if not capped:
        number = min(number, max(1, -(-total // per_page)))
    window = stmt.options(*options).limit(per_page).offset((number - 1) * per_page)
    return Page(
        items=list(db.session.scalars(window)), number=number, per_page=per_page, total=total, capped=capped
    )
