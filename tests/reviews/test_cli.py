import csv
import io
import json
from datetime import UTC, datetime

import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.reviews.models import Review

from .factories import make_review, write_csv


def test_classify_prints_the_contract_columns_and_stores_nothing(runner, org, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,tmall-flagship,,5,,,客服小美很耐心", "b,,,,1,,,物流太慢了")
    result = runner.invoke(args=["reviews", "classify", path])
    rows = list(csv.reader(io.StringIO(result.output)))
    assert result.exit_code == 0
    assert rows[0] == ["id", "sentiment", "service_polarity", "agent", "evidence"]
    assert [row[0] for row in rows[1:]] == ["a", "b"]
    assert all(row[1] in ("positive", "negative", "neutral") for row in rows[1:])
    assert all(row[2] in ("praise", "criticism", "mixed", "none") for row in rows[1:])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_classify_agent_is_the_field_when_given(runner, org, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,tmall-flagship,,5,,小雪,客服小美很耐心")
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["reviews", "classify", path]).output)))
    assert rows[0]["agent"] == "小雪"


def test_classify_agent_is_a_known_nickname_mentioned_in_the_text(runner, org, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,tmall-flagship,,5,,,客服小美很耐心", "b,,,,5,,,小红很好")
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["reviews", "classify", path]).output)))
    assert [row["agent"] for row in rows] == ["小美", ""]


def test_classify_json_writes_one_object_per_review(runner, db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好", "b,,,,5,,,好")
    lines = runner.invoke(args=["reviews", "classify", "--format", "json", path]).output.splitlines()
    assert [set(json.loads(line)) for line in lines] == [
        {"id", "sentiment", "service_polarity", "agent", "evidence"}
    ] * 2


def test_classify_rejects_bad_input_with_exit_1(runner, db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,")
    result = runner.invoke(args=["reviews", "classify", path])
    assert result.exit_code == 1 and "r.csv:2:text" in result.output


def test_classify_unknown_format_is_a_usage_error(runner, db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好")
    assert runner.invoke(args=["reviews", "classify", "--format", "xml", path]).exit_code == 2


def test_import_prints_the_summary_line(runner, db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好", "b,,,,5,,,好")
    runner.invoke(args=["reviews", "import", path])
    result = runner.invoke(args=["reviews", "import", path])
    assert result.exit_code == 0
    assert result.output.strip() == "imported 0, skipped 2 (already present), rejected 0"


def test_import_of_a_bad_file_exits_1_and_stores_nothing(runner, db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好", "b,,,,好极了,,,好")
    result = runner.invoke(args=["reviews", "import", path])
    assert result.exit_code == 1
    assert "r.csv:3:rating" in result.stderr
    assert "imported 0, skipped 0 (already present), rejected 1" in result.stdout
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_import_skip_invalid_writes_rejects_beside_the_file(runner, db, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好", "b,,,,好极了,,,好")
    result = runner.invoke(args=["reviews", "import", "--skip-invalid", path])
    assert result.exit_code == 0 and "imported 1, skipped 0 (already present), rejected 1" in result.stdout
    assert (tmp_path / "r.csv.rejects.csv").exists()


def test_import_missing_file_is_a_usage_error(runner, db, tmp_path):
    assert runner.invoke(args=["reviews", "import", str(tmp_path / "nope.csv")]).exit_code == 2


def test_export_corrections_writes_corrected_reviews(runner, org):
    from qa_app.reviews.corrections import correct_classification

    review = make_review(org.shop, org.mei, text="=cmd 客服回复太慢")
    correct_classification(
        org.lead,
        review,
        sentiment="negative",
        service_polarity="criticism",
        evidence="客服回复太慢",
        reason="criticism, not praise",
    )
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["reviews", "export-corrections"]).output)))
    assert [(r["text"], r["service_polarity"], r["corrected_by"]) for r in rows] == [
        ("=cmd 客服回复太慢", "criticism", org.lead.username)
    ]


def test_classify_works_without_a_database(make_app, db, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,小美,客服很耐心", "b,,,,5,,,客服小雪很耐心")
    result = app.test_cli_runner().invoke(args=["reviews", "classify", path])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert result.exit_code == 0 and [row["agent"] for row in rows] == ["小美", ""]


EXPORT_COLUMNS = [
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
]


def test_export_prints_the_contract_columns_with_user_names_and_codes(runner, org):
    make_review(org.shop, org.mei, order_id="T1", attribution_route="text")
    make_review(org.shop, None, text="=HYPERLINK(1)", evidence=None)
    result = runner.invoke(args=["reviews", "export"])
    rows = list(csv.reader(io.StringIO(result.output)))
    assert result.exit_code == 0 and rows[0] == EXPORT_COLUMNS
    named = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
    assert (named["shop"], named["order_id"], named["agent"], named["attributed_by"]) == (
        "tmall-flagship",
        "T1",
        org.mei.username,
        "text",
    )
    assert (named["sentiment"], named["service_polarity"]) == ("positive", "praise")
    assert (named["follow_up_status"], named["follow_up_due"]) == ("", "")
    assert rows[2][3:5] == ["", ""]  # unattributed: no agent, no route


def test_export_headers_and_codes_do_not_follow_the_ui_language(runner, org, app):
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh_CN"  # the CLI's language: Chinese
    make_review(org.shop, org.mei)
    output = runner.invoke(args=["reviews", "export"]).output
    assert output.startswith(",".join(EXPORT_COLUMNS)) and "praise" in output
    assert "表扬" not in output


def test_export_csv_cells_cannot_run_as_formulas(runner, org):
    make_review(org.shop, org.mei, evidence="=cmd|' /C calc'!A0")
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["reviews", "export"]).output)))
    assert rows[0]["evidence"] == "'=cmd|' /C calc'!A0"


def test_export_json_writes_one_object_per_review_untouched(runner, org):
    make_review(org.shop, org.mei, evidence="=1+1")
    lines = runner.invoke(args=["reviews", "export", "--format", "json"]).output.splitlines()
    row = json.loads(lines[0])
    assert list(row) == EXPORT_COLUMNS and row["evidence"] == "=1+1"


def test_export_since_counts_the_shops_day(runner, org):
    # 2026-11-01 07:00 in Shanghai is 2026-10-31 23:00 UTC: written on the 1st in the shop's day
    make_review(org.shop, org.mei, external_id="late", created_at=datetime(2026, 10, 31, 23, 0, tzinfo=UTC))
    make_review(org.shop, org.mei, external_id="early", created_at=datetime(2026, 10, 31, 15, 0, tzinfo=UTC))
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(args=["reviews", "export", "--since", "2026-11-01"]).output))
    )
    assert [row["id"] for row in rows] == ["late"]


def test_export_rejects_a_bad_since_date_as_a_usage_error(runner, db):
    assert runner.invoke(args=["reviews", "export", "--since", "yesterday"]).exit_code == 2
