"""The size limits through every entry point: chats and reviews imports, their commands, the
web upload (message in the user's language) and the job's own process (issue 14 item 5)."""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc

import pytest
import sqlalchemy as sa

from qa_app.chats.importer import import_file as import_chats
from qa_app.chats.models import Chat
from qa_app.ingest import ImportRejected
from qa_app.jobs import services as jobs
from qa_app.jobs.models import Job
from qa_app.reviews.importer import import_file as import_reviews
from qa_app.reviews.models import Review
from tests.factories import make_user

MIB = 1 << 20
REVIEWS = "id,order_id,shop,created_at,rating,service_rating,agent,text\nr1,,,,5,,,客服很耐心\n"


def _reviews_bomb(path, size=16 * MIB):
    """A valid reviews.csv.gz of a few KiB that expands to `size` bytes (blank rows of spaces)."""
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(REVIEWS.encode())
        for _ in range(size // MIB):
            handle.write((b" " * 1023 + b"\n") * 1024)
    return path


def _chats_with_a_huge_line(path, size=16 * MIB):
    chat = {"id": "c1", "agent": "小美", "messages": [{"from": "customer", "text": "你好" * (size // 6)}]}
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(chat, ensure_ascii=False) + "\n")
    return path


def _count(model) -> int:
    from qa_app.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", MIB)
    monkeypatch.setitem(app.config, "IMPORT_MAX_LINE_BYTES", 64 * 1024)


def test_a_reviews_gzip_bomb_is_rejected_naming_the_limit(db, tmp_path, limits):
    path = _reviews_bomb(tmp_path / "reviews.csv.gz")
    with pytest.raises(ImportRejected, match=r"reviews\.csv\.gz:\d+:file: .*1 MiB.*IMPORT_MAX_BYTES"):
        import_reviews(path, skip_invalid=True)
    assert _count(Review) == 0


def test_a_reviews_import_streams_with_memory_far_below_the_decompressed_size(db, tmp_path):
    warm = tmp_path / "warm.csv"
    warm.write_text(REVIEWS.replace("r1", "r0"), encoding="utf-8")
    import_reviews(warm)  # the classifier's model loads once, on first use: not this file's cost
    path = _reviews_bomb(tmp_path / "reviews.csv.gz")
    tracemalloc.start()
    try:
        result = import_reviews(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.imported == 1
    assert peak < 4 * MIB  # 16 MiB once decompressed


def test_a_huge_review_line_is_rejected_naming_line_and_limit(db, tmp_path, limits):
    path = tmp_path / "reviews.jsonl"
    path.write_text('{"id": "a", "text": "好"}\n{"id": "b", "text": "' + "x" * MIB + '"}\n', encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"reviews\.jsonl:2:file: .*64 KiB.*IMPORT_MAX_LINE_BYTES"):
        import_reviews(path)


@pytest.mark.parametrize("worker_bytes", [0, 1], ids=["in-process", "reading-process"])
def test_a_chat_line_over_the_limit_rejects_the_file_even_skipping_invalid(
    db, app, tmp_path, limits, monkeypatch, worker_bytes
):
    monkeypatch.setitem(app.config, "CHATS_IMPORT_WORKER_BYTES", worker_bytes)
    path = _chats_with_a_huge_line(tmp_path / "chats.jsonl.gz")
    with pytest.raises(ImportRejected, match=r"chats\.jsonl\.gz:1: file: .*IMPORT_MAX_LINE_BYTES") as caught:
        import_chats(path, skip_invalid=True)
    assert caught.value.limit.setting == "IMPORT_MAX_LINE_BYTES"
    assert _count(Chat) == 0
    assert not (tmp_path / "chats.jsonl.gz.rejects.csv").exists()


@pytest.mark.parametrize(
    ("group", "name", "write"),
    [("reviews", "reviews.csv.gz", _reviews_bomb), ("chats", "chats.jsonl.gz", _chats_with_a_huge_line)],
)
def test_the_import_command_exits_1_naming_file_and_limit(runner, tmp_path, limits, group, name, write):
    path = write(tmp_path / name)
    result = runner.invoke(args=[group, "import", str(path)])
    assert result.exit_code == 1
    assert name in result.stderr and "IMPORT_MAX_" in result.stderr


def test_classify_refuses_a_file_over_the_limit_with_exit_1(runner, tmp_path, limits):
    path = _reviews_bomb(tmp_path / "reviews.csv.gz")
    result = runner.invoke(args=["reviews", "classify", str(path)])
    assert result.exit_code == 1 and "IMPORT_MAX_BYTES" in result.stderr


def test_the_web_upload_says_the_limit_in_the_users_language(client, login_as, db, limits):
    login_as("qa", locale="zh_CN")
    data = {"file": (io.BytesIO(_reviews_bomb(io.BytesIO()).getvalue()), "reviews.csv.gz")}
    client.post("/reviews/import", data=data, content_type="multipart/form-data")
    job = db.session.scalar(sa.select(Job))
    assert job.status == "failed"
    assert "reviews.csv.gz" in job.message and "IMPORT_MAX_BYTES" in job.message
    assert "导入上限" in job.message and "the file is larger" not in job.message


def test_without_redis_an_upload_is_parsed_in_a_process_of_its_own(db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODE", "process")
    path = tmp_path / "r.csv"
    path.write_text(REVIEWS, encoding="utf-8")
    job = jobs.submit("reviews.import", make_user(), {"path": str(path), "filename": "r.csv"})
    deadline = time.monotonic() + 120
    while True:
        db.session.commit()
        status = db.session.get(Job, job.id).status
        if status in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    stored = db.session.get(Job, job.id)
    assert (stored.status, stored.result["imported"]) == ("done", 1)
