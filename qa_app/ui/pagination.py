"""Pagination of select() statements, so that long lists never load whole tables."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(stmt: sa.Select, number: int, per_page: int, *, scalars: bool = True) -> Page:
    number = max(1, number or 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(number, pages)
    window = stmt.limit(per_page).offset((number - 1) * per_page)
    rows = db.session.scalars(window) if scalars else db.session.execute(window)
    return Page(items=list(rows), number=number, per_page=per_page, total=total)
