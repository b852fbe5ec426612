"""`orders import` by the FORMATS.md contract: atomic per file, idempotent by (shop, id), bad
lines named with line and field, GBK, gzip, --skip-invalid."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from qa_app.extensions import db as database
from qa_app.orders.importer import ImportRejected, import_file, import_records
from qa_app.orders.models import Order

HEADER = "id,shop,customer,created_at,paid_at,amount,status,refund_amount,refunded_at\n"
GOOD = [
    "T1,tmall-flagship,buyer_1,2026-11-01 10:00:00,2026-11-01 10:05:00,99.50,paid,,\n",
    "T2,tmall-flagship,buyer_2,2026-11-01T11:00:00+08:00,,,unpaid,,\n",
]


def stored() -> dict[str, Order]:
    return {order.external_id: order for order in database.session.scalars(sa.select(Order))}


@pytest.fixture
def write(tmp_path):
    def run(name: str, text: str, *, encoding: str = "utf-8", gz: bool = False):
        path = tmp_path / name
        data = text.encode(encoding)
        path.write_bytes(gzip.compress(data) if gz else data)
        return path

    return run


def test_a_csv_export_is_stored_with_amounts_in_yuan_and_times_in_the_shop_zone(db, write):
    result = import_file(write("orders.csv", HEADER + "".join(GOOD)))
    orders = stored()
    assert (result.imported, result.skipped, result.rejected) == (2, 0, 0)
    assert orders["T1"].amount == Decimal("99.50")
    assert orders["T1"].paid_at.isoformat() == "2026-11-01T02:05:00+00:00"
    assert orders["T2"].paid_at is None


def test_importing_the_same_file_again_adds_nothing(db, write):
    path = write("orders.csv", HEADER + "".join(GOOD))
    import_file(path)
    again = import_file(path)
    assert (again.imported, again.skipped) == (0, 2)
    assert len(stored()) == 2


def test_a_bad_line_rejects_the_whole_file_naming_line_and_field(db, write):
    bad = "T3,tmall-flagship,buyer_3,2026-11-01 10:00:00,,12.345,paid,,\n"
    with pytest.raises(ImportRejected) as error:
        import_file(write("orders.csv", HEADER + GOOD[0] + bad))
    assert "orders.csv:3:amount" in error.value.describe()
    assert stored() == {}


def test_an_unknown_status_and_a_missing_customer_are_both_named(db, write):
    bad = "T3,tmall-flagship,,2026-11-01 10:00:00,,,lost,,\n"
    with pytest.raises(ImportRejected) as error:
        import_file(write("orders.csv", HEADER + bad))
    described = error.value.describe()
    assert "orders.csv:2:customer" in described and "orders.csv:2:status" in described


def test_skip_invalid_stores_the_good_lines_and_counts_the_bad(db, write, tmp_path):
    bad = "T3,tmall-flagship,buyer_3,not a time,,,paid,,\n"
    rejects = tmp_path / "rejects.csv"
    result = import_file(write("orders.csv", HEADER + GOOD[0] + bad), skip_invalid=True, rejects_path=rejects)
    assert result.summary() == "imported 1, skipped 0 (already present), rejected 1"
    assert "created_at" in rejects.read_text(encoding="utf-8")
    assert set(stored()) == {"T1"}


def test_a_gbk_export_reads_with_the_gbk_encoding(db, write):
    line = "T9,淘宝店,买家甲,2026-11-01 10:00:00,,,unpaid,,\n"
    import_file(write("orders.csv", HEADER + line, encoding="gbk"), encoding="gbk")
    assert stored()["T9"].customer == "买家甲"


def test_gzipped_json_lines_are_read(db, write):
    record = {"id": "J1", "customer": "buyer_1", "created_at": "2026-11-01 10:00:00", "amount": 12}
    import_file(write("orders.jsonl.gz", json.dumps(record) + "\n", gz=True))
    assert stored()["J1"].amount == Decimal("12.00")


def test_the_cli_prints_the_summary_line_and_exits_1_on_a_rejected_file(runner, write):
    good = write("good.csv", HEADER + "".join(GOOD))
    bad = write("bad.csv", HEADER + "T5,s,,2026-11-01,,,,,\n")
    outcome = runner.invoke(args=["orders", "import", str(good), str(bad)])
    assert outcome.exit_code == 1
    assert outcome.stdout.strip().splitlines()[-1] == "imported 2, skipped 0 (already present), rejected 1"
    assert "bad.csv:2:customer" in outcome.stderr


def test_records_pushed_by_the_api_report_errors_per_item(db):
    good = {"id": "A1", "customer": "buyer_1", "created_at": "2026-11-01 10:00:00"}
    result, errors = import_records([good, {"id": "A2", "created_at": "2026-11-01"}])
    assert result.imported == 1
    assert errors == [{"index": 1, "field": "customer", "message": "required, but empty"}]
