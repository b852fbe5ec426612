"""Two imports of the same reviews at the same moment store each review once, and neither fails:
the one that loses the race finds the reviews present and reports them as skipped."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Shop
from qa_app.extensions import db as _db
from qa_app.reviews import importer
from qa_app.reviews.models import Review

from ..factories import make_shop
from ..reviews.factories import write_csv

REVIEWS = 30


def meet(monkeypatch, name: str, *, after: bool) -> None:
    """Make the two importers wait for each other before (or after) `importer.<name>`, the
    first time each calls it, so that both go on from the same point."""
    barrier = threading.Barrier(2)
    held = set()
    original = getattr(importer, name)

    def meeting(*args, **kwargs):
        first = threading.get_ident() not in held
        held.add(threading.get_ident())
        if first and not after:
            barrier.wait(timeout=30)
        result = original(*args, **kwargs)
        if first and after:
            barrier.wait(timeout=30)
        return result

    monkeypatch.setattr(importer, name, meeting)


@pytest.fixture(params=["known shop", "new shop"])
def overlapping(request, db, monkeypatch):
    """PostgreSQL: both importers have looked up what is stored (the ids; or the shop, which
    then both create) before either inserts anything. SQLite: an import holds the only write
    lock from BEGIN, so no two can be inside their transactions at once; both start together."""
    if request.param == "known shop":
        make_shop(slug="race-shop")
    if db.engine.dialect.name == "sqlite":
        meet(monkeypatch, "_store_atomically", after=False)
    else:
        meet(monkeypatch, "_present_ids" if request.param == "known shop" else "_find_shop", after=True)


def run_together(app, work) -> list:
    outcomes: list = [None, None]

    def worker(index: int) -> None:
        with app.app_context():
            try:
                outcomes[index] = work()
            except Exception as error:  # reported by the assertion below, with its type
                outcomes[index] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def stored(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_same_file_imported_twice_at_once_stores_each_review_once(app, tmp_path, overlapping):
    path = write_csv(tmp_path / "r.csv", *(f"r-{n},,race-shop,,5,,,客服很耐心 {n}" for n in range(REVIEWS)))
    outcomes = run_together(app, lambda: importer.import_file(path))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted((o.imported, o.skipped) for o in outcomes) == [(0, REVIEWS), (REVIEWS, 0)]
    assert (stored(Review), stored(Shop)) == (REVIEWS, 1)


def test_same_api_batch_pushed_twice_at_once_stores_each_review_once(app, overlapping):
    batch = [{"id": f"r-{n}", "shop": "race-shop", "text": f"发货很快 {n}"} for n in range(REVIEWS)]
    outcomes = run_together(app, lambda: importer.import_records(batch)[0])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted((o.imported, o.skipped) for o in outcomes) == [(0, REVIEWS), (REVIEWS, 0)]
    assert (stored(Review), stored(Shop)) == (REVIEWS, 1)
