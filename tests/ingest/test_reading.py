"""Opening, decompressing, decoding and the size limits (qa_app/ingest/reading.py)."""

import gzip
import tracemalloc

import pytest

from qa_app.ingest import DecodeFailure, LimitExceeded, Limits, Source, csv_lines, detect_format

KIB = 1 << 10
MIB = 1 << 20


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


LINE = b'{"id": "x", "text": "' + b"a" * 1000 + b'"}\n'  # 1 KiB


def _gzip_bomb(path, size: int):
    """A gzip of `size` bytes of short JSON lines: a few KiB on disk."""
    with gzip.open(path, "wb", compresslevel=9) as handle:
        for _ in range(size // MIB):
            handle.write(LINE * (MIB // len(LINE)))
    return path


def test_a_gzip_bomb_stops_at_the_decompressed_limit_naming_it(tmp_path):
    path = _gzip_bomb(tmp_path / "bomb.jsonl.gz", 64 * MIB)
    source = Source(path, name="bomb.jsonl.gz", limits=Limits(max_bytes=8 * MIB))
    with pytest.raises(LimitExceeded) as caught:
        for _ in source.lines():
            pass
    assert caught.value.setting == "IMPORT_MAX_BYTES"
    assert str(caught.value).startswith("bomb.jsonl.gz:")
    assert "8 MiB" in str(caught.value) and "IMPORT_MAX_BYTES" in str(caught.value)


def test_reading_a_large_gzip_keeps_memory_to_a_line(tmp_path):
    path = _gzip_bomb(tmp_path / "big.jsonl.gz", 32 * MIB)
    tracemalloc.start()
    try:
        count = sum(1 for _ in Source(path, limits=Limits()).lines())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 32 * MIB // len(LINE)
    assert peak < 4 * MIB  # the file holds 32 MiB once decompressed


def test_a_huge_line_is_refused_without_being_read_whole(tmp_path):
    path = _write(tmp_path / "one.jsonl", b'{"id": "' + b"a" * (32 * MIB) + b'"}\n')
    source = Source(path, name="one.jsonl", limits=Limits(max_line_bytes=MIB))
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as caught:
            list(source.lines())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (caught.value.setting, caught.value.line) == ("IMPORT_MAX_LINE_BYTES", 1)
    assert "1 MiB" in str(caught.value)
    assert peak < 4 * MIB


def test_the_line_limit_names_the_line_that_broke_it(tmp_path):
    path = _write(tmp_path / "r.csv", b"id,text\n1,short\n2," + b"x" * 200 + b"\n")
    with pytest.raises(LimitExceeded) as caught:
        list(Source(path, limits=Limits(max_line_bytes=100)).lines())
    assert caught.value.line == 3


def test_a_line_exactly_at_the_limit_is_read(tmp_path):
    path = _write(tmp_path / "r.csv", b"x" * 100 + b"\n" + b"y" * 100)
    assert [len(line) for line in Source(path, limits=Limits(max_line_bytes=100)).lines()] == [101, 100]


def test_the_limits_come_from_the_settings(app):
    with app.app_context():
        app.config.update(IMPORT_MAX_BYTES=5000, IMPORT_MAX_LINE_BYTES=300)
        try:
            assert Limits.configured() == Limits(5000, 300)
        finally:
            app.config.pop("IMPORT_MAX_BYTES")
            app.config.pop("IMPORT_MAX_LINE_BYTES")


def test_the_default_limits_are_2_gib_and_1_mib():
    assert Limits() == Limits(2 << 30, 1 << 20)


def test_a_byte_order_mark_is_dropped(tmp_path):
    path = _write(tmp_path / "r.csv", "\ufeffid,text\n1,好\n".encode())
    assert list(Source(path).lines()) == ["id,text\n", "1,好\n"]


def test_gbk_is_read_with_its_encoding(tmp_path):
    path = _write(tmp_path / "r.csv", "id,text\n1,客服很耐心\n".encode("gbk"))
    assert list(Source(path, "gbk").lines())[1] == "1,客服很耐心\n"


def test_text_not_in_the_encoding_names_its_line_and_suggests_gbk(tmp_path):
    path = _write(tmp_path / "r.csv", "id,text\n1,好\n2,客服\n".encode("gbk"))
    with pytest.raises(DecodeFailure) as caught:
        list(Source(path).lines())
    assert caught.value.line == 2 and "--encoding gbk" in caught.value.reason


def test_a_truncated_gzip_is_a_file_failure(tmp_path):
    data = gzip.compress(b'{"id": 1}\n' * 10000)
    path = _write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    with pytest.raises(DecodeFailure) as caught:
        list(Source(path).lines())
    assert caught.value.field == "file"


def test_gzip_is_recognised_by_its_bytes_whatever_the_name(tmp_path):
    path = _write(tmp_path / "upload.csv", gzip.compress(b"id,text\n1,a\n"))
    assert list(Source(path).lines()) == ["id,text\n", "1,a\n"]


def test_an_unknown_encoding_is_refused_up_front(tmp_path):
    with pytest.raises(LookupError):
        Source(_write(tmp_path / "r.csv", b""), "klingon")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.csv", "csv"),
        ("a.CSV.gz", "csv"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson.gz", "jsonl"),
        ("a.json", "jsonl"),
        ("a.txt", None),
    ],
)
def test_the_format_is_told_by_the_name(name, kind):
    assert detect_format(name) == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b'\n  {"id": 1}\n', "jsonl"), (b"id,text\n", "csv"), (b'\xef\xbb\xbf{"id": 1}\n', "jsonl")],
)
def test_a_name_that_does_not_say_is_sniffed_from_the_first_character(tmp_path, data, kind):
    assert Source(_write(tmp_path / "upload", data)).format() == kind


def test_a_lone_carriage_return_ends_a_csv_line():
    assert list(csv_lines(iter(["a\rb\r\n", "c\r\n", "d\n"]))) == ["a\r", "b\r\n", "c\r\n", "d\n"]


def test_position_follows_the_file_on_disk(tmp_path):
    path = _write(tmp_path / "r.jsonl", b'{"id": 1}\n' * 1000)
    source = Source(path)
    lines = source.lines()
    next(lines)
    assert 0 < source.position() <= source.size
