"""The command-line contract in ../shared/FORMATS.md."""

import json

import sqlalchemy as sa

from qa_app.chats.checks import CHECKS
from qa_app.chats.models import Chat
from qa_app.extensions import db as _db

from .factories import chat_record, message, write_jsonl


def test_import_prints_the_summary_and_exits_0(runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [chat_record(), chat_record()])
    result = runner.invoke(args=["chats", "import", str(path)])
    assert result.exit_code == 0
    assert result.stdout == "imported 2, skipped 0 (already present), rejected 0\n"


def test_second_import_reports_skipped_chats(runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [chat_record(), chat_record()])
    runner.invoke(args=["chats", "import", str(path)])
    result = runner.invoke(args=["chats", "import", str(path)])
    assert result.stdout == "imported 0, skipped 2 (already present), rejected 0\n"


def test_rejected_file_exits_1_naming_file_line_and_field_on_stderr(runner, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [chat_record(), {"id": "x", "messages": []}])
    result = runner.invoke(args=["chats", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: agent: " in result.stderr
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Chat)) == 0


def test_skip_invalid_counts_rejected_chats(runner, tmp_path):
    path = write_jsonl(tmp_path / "m.jsonl", [chat_record(), "not json"])
    result = runner.invoke(args=["chats", "import", "--skip-invalid", str(path)])
    assert result.exit_code == 0
    assert result.stdout == "imported 1, skipped 0 (already present), rejected 1\n"


def test_missing_file_is_a_usage_error(runner, tmp_path):
    assert runner.invoke(args=["chats", "import", str(tmp_path / "nope.jsonl")]).exit_code == 2


def test_unknown_encoding_is_a_usage_error(runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [chat_record()])
    assert runner.invoke(args=["chats", "import", "--encoding", "klingon", str(path)]).exit_code == 2


def test_unknown_file_type_is_a_usage_error(runner, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("x")
    assert runner.invoke(args=["chats", "import", str(path)]).exit_code == 2


def test_autoqa_prints_one_csv_row_per_chat_and_check(runner, tmp_path):
    runner.invoke(
        args=["chats", "import", str(write_jsonl(tmp_path / "a.jsonl", [chat_record(), chat_record()]))]
    )
    result = runner.invoke(args=["chats", "autoqa"])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 0
    assert lines[0] == "chat_id,shop,check,result,value,evidence_position,evidence"
    assert len(lines) == 1 + 2 * len(CHECKS)


def test_autoqa_json_gives_one_object_per_line(runner, tmp_path):
    runner.invoke(args=["chats", "import", str(write_jsonl(tmp_path / "a.jsonl", [chat_record()]))])
    rows = [
        json.loads(line)
        for line in runner.invoke(args=["chats", "autoqa", "--format", "json"]).stdout.splitlines()
    ]
    first = next(r for r in rows if r["check"] == "first_response_time")
    assert (first["result"], first["value"], first["evidence_position"]) == ("pass", 40.0, 1)


def test_autoqa_since_leaves_out_older_chats(runner, tmp_path):
    old = chat_record(messages=[{"from": "customer", "text": "hi", "at": "2025-01-01T10:00:00+08:00"}])
    runner.invoke(args=["chats", "import", str(write_jsonl(tmp_path / "a.jsonl", [old, chat_record()]))])
    result = runner.invoke(args=["chats", "autoqa", "--since", "2026-01-01"])
    assert len(result.stdout.strip().splitlines()) == 1 + len(CHECKS)


def test_autoqa_applies_the_shops_current_rules(runner, tmp_path):
    record = chat_record(messages=[message("customer", "在吗", 0), message("agent", "在的", 100)])
    runner.invoke(args=["chats", "import", str(write_jsonl(tmp_path / "a.jsonl", [record]))])
    chat = _db.session.scalar(sa.select(Chat))
    chat.shop.first_response_limit_seconds = 60
    _db.session.commit()
    rows = runner.invoke(args=["chats", "autoqa", "--format", "json"]).stdout.splitlines()
    first = next(json.loads(r) for r in rows if '"first_response_time"' in r)
    assert first["result"] == "fail"


def test_bad_since_date_is_a_usage_error(runner):
    assert runner.invoke(args=["chats", "autoqa", "--since", "yesterday"]).exit_code == 2
