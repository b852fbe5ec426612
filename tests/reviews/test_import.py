from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Shop
from qa_app.extensions import db
from qa_app.reviews.importer import ImportRejected, import_file
from qa_app.reviews.models import Review

from .factories import write_csv


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Review))


def test_import_stores_classified_reviews(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,shop-a,,5,4,,客服很耐心")
    result = import_file(path)
    review = db.session.scalar(sa.select(Review))
    assert (result.imported, review.rating, review.service_rating) == (1, 5, 4)
    assert review.sentiment in ("positive", "negative", "neutral")
    assert review.service_polarity in ("praise", "criticism", "mixed", "none")


def test_reimporting_the_same_file_adds_nothing(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,shop-a,,5,,,好", "b,,shop-a,,5,,,好")
    import_file(path)
    result = import_file(path)
    assert (result.imported, result.skipped, count()) == (0, 2, 2)


def test_same_id_in_another_shop_is_another_review(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,shop-a,,5,,,好", "a,,shop-b,,5,,,好")
    assert import_file(path).imported == 2


def test_a_bad_line_rejects_the_whole_file(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,new-shop,,5,,,好", "b,,new-shop,,9,,,好")
    with pytest.raises(ImportRejected, match="r.csv:3:rating"):
        import_file(path)
    assert count() == 0
    assert db.session.scalar(sa.select(Shop).where(Shop.slug == "new-shop")) is None


def test_skip_invalid_stores_the_rest_and_writes_a_rejects_report(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好", "b,,,,9,,,好")
    report = tmp_path / "rejects.csv"
    result = import_file(path, skip_invalid=True, rejects_path=report)
    assert (result.imported, result.rejected, count()) == (1, 1, 1)
    assert "r.csv,3,rating," in report.read_text(encoding="utf-8")


def test_unknown_shop_is_created_and_missing_shop_is_default(db, tmp_path):
    import_file(write_csv(tmp_path / "r.csv", "a,,jd-new,,5,,,好", "b,,,,5,,,好"))
    slugs = set(db.session.scalars(sa.select(Shop.slug)))
    assert {"jd-new", "default"} <= slugs


def test_time_without_zone_is_shop_local_time(db, tmp_path):
    import_file(write_csv(tmp_path / "r.csv", "a,,,2026-11-01 10:00:00,5,,,好"))
    review = db.session.scalar(sa.select(Review))
    assert review.created_at == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def test_time_with_zone_is_kept(db, tmp_path):
    import_file(write_csv(tmp_path / "r.csv", "a,,,2026-11-01T10:00:00+00:00,5,,,好"))
    assert db.session.scalar(sa.select(Review.created_at)) == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def test_gbk_import(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,差评,,,回复太慢", encoding="gbk")
    import_file(path, encoding="gbk")
    assert db.session.scalar(sa.select(Review.text)) == "回复太慢"


def test_progress_is_reported(db, tmp_path):
    seen = []
    import_file(write_csv(tmp_path / "r.csv", "a,,,,5,,,好"), progress=lambda d, t=None: seen.append((d, t)))
    assert seen[-1] == (1, 1)
