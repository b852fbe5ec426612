"""Any review export either imports exactly its valid reviews or is rejected with the line and
field of each problem, storing nothing; it never crashes the importer, the CLI or the web page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import example, given
from hypothesis import strategies as st

from qa_app.accounts.models import Shop
from qa_app.extensions import db as _db
from qa_app.reviews.importer import ImportRejected, import_file
from qa_app.reviews.models import Review
from qa_app.reviews.parsing import COLUMNS

from .files import csv_lines, encode, jsonl_lines
from .strategies import CHARS, HTML, SETTINGS, deep_json

#: review text that must be stored exactly (after the documented strip of surrounding space)
TEXT = st.one_of(
    st.text(CHARS.filter(lambda c: c != "\x00"), min_size=1, max_size=80).filter(lambda s: s.strip()), HTML
)
VALID = st.fixed_dictionaries(
    {
        "text": TEXT,
        "rating": st.sampled_from(["", "1", "5", "好评", "差评", "3.0"]),
        "service_rating": st.sampled_from(["", "1", "4"]),
        "created_at": st.sampled_from(
            ["", "2026-11-01 10:03:00", "2026-11-01T10:03:00+08:00", "2026/11/01", "2026-11-01T02:00:00Z"]
        ),
        "agent": st.sampled_from(["", "小美", "<b>mei</b>"]),
        "order_id": st.sampled_from(["", "T2026110112345"]),
    }
)
#: (field, bad value): each makes a line invalid on its own
CORRUPTIONS = st.one_of(
    st.tuples(st.just("id"), st.sampled_from(["", "  ", "x" * 129])),
    st.tuples(st.just("text"), st.sampled_from(["", " \t ", "好" * 20_001, "a\x00b"])),
    st.tuples(
        st.just("rating"), st.sampled_from(["6", "0", "-1", "2.5", "abc", "NaN", "inf", "1e309", "中评中评"])
    ),
    st.tuples(st.just("service_rating"), st.sampled_from(["好评", "9", "nan"])),
    st.tuples(
        st.just("created_at"),
        st.sampled_from(
            [
                "yesterday",
                "2026-13-01",
                "0001-01-01 00:00:00",
                "0001-01-01T00:00:00+01:00",
                "9999-12-31T23:59:59-08:00",
            ]
        ),
    ),
    st.tuples(st.sampled_from(["shop", "order_id", "agent"]), st.just("y" * 65)),
)


def count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def reset() -> None:
    _db.session.rollback()
    _db.session.execute(sa.delete(Review))
    _db.session.execute(sa.delete(Shop))
    _db.session.commit()


def records(valid: list[dict], shop: str = "prop-shop") -> list[dict]:
    return [{"id": f"r-{n}", "shop": shop, **fields} for n, fields in enumerate(valid)]


def write(tmp_path, records_: list[dict], kind: str, encoding: str = "utf-8", gzipped: bool = False):
    if kind == "csv":
        text, starts = csv_lines(list(COLUMNS), [[r.get(c, "") for c in COLUMNS] for r in records_])
    else:
        text, starts = jsonl_lines(records_)
    path = tmp_path / f"reviews.{kind}{'.gz' if gzipped else ''}"
    path.write_bytes(encode(text, encoding, gzipped=gzipped))
    return path, starts


def stored_texts() -> dict[str, str]:
    return dict(_db.session.execute(sa.select(Review.external_id, Review.text)).all())


# -- arbitrary bytes ------------------------------------------------------------------------------


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".jsonl", ".txt", ".csv.gz"]))
@example(data=b"\x1f\x8b\x08\x00garbage", suffix=".csv")
@example(data=deep_json(100_000).encode(), suffix=".jsonl")
@example(data=b'{"id": "a", "text": "\\ud800"}\n', suffix=".jsonl")
@example(data=b"id,text\n\x00,\x00\n", suffix=".csv")
@example(data='{"id": "a", "text": "x\u2028y"}\n'.encode(), suffix=".jsonl")
def test_arbitrary_bytes_import_cleanly_or_not_at_all(db, tmp_path, data, suffix):
    reset()
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        result = import_file(path)
    except ImportRejected as error:  # either outcome is right, so no pytest.raises
        assert error.problems and all(p.line >= 1 and p.field for p in error.problems)  # noqa: PT017
        assert (count(Review), count(Shop)) == (0, 0)
    else:
        assert count(Review) == result.imported


# -- one bad line ---------------------------------------------------------------------------------


@SETTINGS
@given(
    valid=st.lists(VALID, min_size=1, max_size=6),
    data=st.data(),
    corruption=CORRUPTIONS,
    kind=st.sampled_from(["csv", "jsonl"]),
)
def test_one_bad_line_rejects_the_file_naming_line_and_field(db, tmp_path, valid, data, corruption, kind):
    reset()
    rows = records(valid)
    bad = data.draw(st.integers(0, len(rows) - 1))
    field, value = corruption
    rows[bad][field] = value
    path, starts = write(tmp_path, rows, kind)
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    assert (starts[bad], field) in {(p.line, p.field) for p in caught.value.problems}
    assert (count(Review), count(Shop)) == (0, 0)


@SETTINGS
@given(
    valid=st.lists(VALID, min_size=2, max_size=6),
    data=st.data(),
    corruption=CORRUPTIONS,
    kind=st.sampled_from(["csv", "jsonl"]),
)
def test_skip_invalid_stores_exactly_the_valid_lines(db, tmp_path, valid, data, corruption, kind):
    reset()
    rows = records(valid)
    bad = data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=1, max_size=len(rows) - 1))
    field, value = corruption
    for index in bad:
        rows[index][field] = value
    path, starts = write(tmp_path, rows, kind)
    report = tmp_path / "rejects.csv"
    result = import_file(path, skip_invalid=True, rejects_path=report)
    expected = {r["id"]: r["text"].strip() for i, r in enumerate(rows) if i not in bad}
    assert stored_texts() == expected
    assert (result.imported, result.rejected) == (len(expected), len(bad))
    assert {(starts[i], field) for i in bad} <= {(p.line, p.field) for p in result.problems}
    reported = report.read_text(encoding="utf-8")
    assert all(f"{path.name},{starts[i]},{field}," in reported for i in bad)


# -- valid files, any encoding the contract allows --------------------------------------------------


@SETTINGS
@given(
    valid=st.lists(VALID, min_size=1, max_size=5),
    kind=st.sampled_from(["csv", "jsonl"]),
    bom=st.booleans(),
    gzipped=st.booleans(),
)
def test_valid_text_is_stored_verbatim(db, tmp_path, valid, kind, bom, gzipped):
    reset()
    rows = records(valid)
    path, _ = write(tmp_path, rows, kind, "utf-8-sig" if bom else "utf-8", gzipped)
    result = import_file(path)
    assert result.imported == len(rows)
    assert stored_texts() == {r["id"]: r["text"].strip() for r in rows}


GBK_TEXT = st.text(
    st.sampled_from("客服很耐心态度差发货慢好评<>&\"' abc123"), min_size=1, max_size=30
).filter(lambda s: s.strip())


@SETTINGS
@given(texts=st.lists(GBK_TEXT, min_size=1, max_size=5))
def test_gbk_file_is_read_with_the_gbk_option_and_refused_without(db, tmp_path, texts):
    reset()
    rows = records([{"text": t} for t in texts])
    path, _ = write(tmp_path, rows, "csv", "gbk")
    if any(ord(c) > 127 for t in texts for c in t):
        with pytest.raises(ImportRejected, match=r"reviews\.csv:\d+:file: not valid utf-8"):
            import_file(path)
        assert count(Review) == 0
    import_file(path, encoding="gbk")
    assert stored_texts() == {r["id"]: r["text"].strip() for r in rows}


# -- the command line ---------------------------------------------------------------------------------


@SETTINGS
@given(valid=st.lists(VALID, min_size=1, max_size=4), data=st.data(), corruption=CORRUPTIONS)
def test_cli_exits_1_naming_line_and_field_and_stores_nothing(db, runner, tmp_path, valid, data, corruption):
    reset()
    rows = records(valid)
    bad = data.draw(st.integers(0, len(rows) - 1))
    field, value = corruption
    rows[bad][field] = value
    path, starts = write(tmp_path, rows, "jsonl")
    result = runner.invoke(args=["reviews", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path.name}:{starts[bad]}:{field}:" in result.stderr
    assert count(Review) == 0
    classified = runner.invoke(args=["reviews", "classify", str(path)])
    assert classified.exit_code == 1 and f":{starts[bad]}:{field}:" in classified.stderr
    skipped = runner.invoke(args=["reviews", "import", "--skip-invalid", str(path)])
    assert skipped.exit_code == 0, skipped.output
    assert f"imported {len(rows) - 1}, skipped 0 (already present), rejected 1" in skipped.stdout
    assert count(Review) == len(rows) - 1


@SETTINGS
@given(data=st.binary(max_size=300))
@example(data=deep_json(50_000).encode())
def test_cli_never_crashes_on_arbitrary_bytes(db, runner, tmp_path, data):
    reset()
    path = tmp_path / "any.jsonl"
    path.write_bytes(data)
    for args in (["reviews", "import", str(path)], ["reviews", "classify", str(path)]):
        result = runner.invoke(args=args)
        assert result.exit_code in (0, 1), (args, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit)


# -- shown escaped ------------------------------------------------------------------------------------


@SETTINGS
@given(text=HTML, agent=st.sampled_from(["<b>mei</b>", '"><script>x()</script>']))
def test_html_in_a_review_is_shown_escaped(db, client, login_as, tmp_path, text, agent):
    reset()
    login_as("qa")
    path, _ = write(tmp_path, records([{"text": text, "agent": agent, "order_id": text[:60]}]), "jsonl")
    import_file(path)
    review_id = _db.session.scalar(sa.select(Review.id))
    for url in (f"/reviews/{review_id}", "/reviews"):
        page = client.get(url).get_data(as_text=True)
        assert text not in page and agent not in page, url
