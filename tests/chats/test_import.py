"""Importing chat exports: formats, atomicity, idempotency, agents."""

import gzip
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from qa_app.accounts import services as accounts
from qa_app.accounts.models import Shop
from qa_app.chats.checks import CHECKS
from qa_app.chats.importer import ImportRejected, import_file
from qa_app.chats.models import Chat, ChatAgent, ChatMessage, CheckResult
from qa_app.extensions import db as _db
from tests.factories import make_shop, make_user

from .factories import chat_record, message, write_csv, write_jsonl


def count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_jsonl_import_stores_chats_messages_and_all_checks(import_records):
    summary = import_records([chat_record(), chat_record()])
    assert (summary.imported, summary.skipped, summary.rejected) == (2, 0, 0)
    assert (count(Chat), count(ChatMessage), count(CheckResult)) == (2, 8, 2 * len(CHECKS))


def test_first_response_seconds_is_kept_on_the_chat(import_records):
    import_records([chat_record()])
    assert _db.session.scalar(sa.select(Chat.first_response_seconds)) == 40.0


def test_reimporting_the_same_file_adds_nothing(import_records):
    records = [chat_record(), chat_record()]
    import_records(records)
    again = import_records(records)
    assert (again.imported, again.skipped) == (0, 2)
    assert (count(Chat), count(ChatMessage)) == (2, 8)


def test_reimport_with_replace_stores_the_new_version(import_records):
    record = chat_record()
    import_records([record])
    record["messages"] = [message("customer", "还在吗", 0)]
    summary = import_records([record], replace=True)
    assert (summary.imported, summary.replaced) == (1, 1)
    assert (count(Chat), count(ChatMessage)) == (1, 1)


def test_same_id_in_another_shop_is_another_chat(import_records):
    import_records([chat_record(id="c-1", shop="a"), chat_record(id="c-1", shop="b")])
    assert count(Chat) == 2


@pytest.mark.parametrize(
    ("bad_line", "field"),
    [
        ('{"id": "x", "agent": "小美", "messages": [', "json"),
        ({"id": "x", "messages": [{"from": "customer", "text": "hi"}]}, "agent"),
        ({"agent": "小美", "messages": [{"from": "customer", "text": "hi"}]}, "id"),
        ({"id": "x", "agent": "小美", "messages": []}, "messages"),
        ({"id": "x", "agent": "小美", "messages": [{"from": "bot", "text": "hi"}]}, "messages[0].from"),
        ({"id": "x", "agent": "小美", "messages": [{"from": "agent"}]}, "messages[0].text"),
        (
            {"id": "x", "agent": "小美", "messages": [{"from": "agent", "text": "hi", "at": "yesterday"}]},
            "messages[0].at",
        ),
        # no database stores these: they must reject the file, not crash the INSERT
        (
            '{"id": "x", "agent": "小美", "messages": [{"from": "agent", "text": "\\udfff"}]}',
            "messages[0].text",
        ),
        (
            '{"id": "x", "agent": "小美", "messages": [{"from": "agent", "text": "a\\u0000b"}]}',
            "messages[0].text",
        ),
        ('{"id": "x\\ud800", "agent": "小美", "messages": [{"from": "agent", "text": "hi"}]}', "id"),
        (
            '{"id": "x", "agent": "小美", "tags": ["\\u0000"], "messages": [{"from": "agent", "text": "hi"}]}',
            "tags",
        ),
    ],
)
def test_malformed_line_rejects_the_file_naming_line_and_field(db, tmp_path, bad_line, field):
    path = write_jsonl(tmp_path / "bad.jsonl", [chat_record(), bad_line, chat_record()])
    with pytest.raises(ImportRejected) as error:
        import_file(path)
    assert str(error.value).startswith(f"{path}:2: {field}: ")
    assert count(Chat) == 0 and count(ChatMessage) == 0


def test_rejected_file_creates_no_shop(db, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [chat_record(shop="brand-new"), "{oops"])
    with pytest.raises(ImportRejected):
        import_file(path)
    assert _db.session.scalar(sa.select(Shop).where(Shop.slug == "brand-new")) is None


def test_skip_invalid_imports_valid_chats_and_writes_a_rejects_report(db, tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [chat_record(), "{oops", chat_record()])
    summary = import_file(path, skip_invalid=True)
    assert (summary.imported, summary.rejected) == (2, 1)
    report = (tmp_path / "mixed.jsonl.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "line,field,message" and report[1].startswith("2,json,")


def test_id_repeated_within_a_file_is_rejected(db, tmp_path):
    record = chat_record()
    path = write_jsonl(tmp_path / "twice.jsonl", [record, chat_record(), record])
    with pytest.raises(ImportRejected, match=r":3: id: "):
        import_file(path)


def test_gzipped_json_lines_import(db, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl.gz", [chat_record()], gz=True)
    assert import_file(path).imported == 1


def test_default_shop_is_used_and_created_when_the_record_names_none(import_records):
    record = chat_record()
    del record["shop"]
    import_records([record])
    chat = _db.session.scalar(sa.select(Chat))
    assert chat.shop.slug == "default"


def test_time_without_offset_is_read_in_the_shops_timezone(db, import_records):
    make_shop(slug="ny", timezone="America/New_York")
    import_records(
        [
            chat_record(
                shop="ny", messages=[{"from": "customer", "text": "hello", "at": "2026-11-01T10:00:00"}]
            )
        ]
    )
    at = _db.session.scalar(sa.select(ChatMessage.at))
    assert at == datetime(2026, 11, 1, 15, 0, tzinfo=UTC)


CSV_ROWS = [
    ["c-9", "2026-11-01T10:05:00+08:00", "agent", "小美", "buyer_1", "T1", "tmall", "亲，在的"],
    ["c-9", "2026-11-01T10:04:00+08:00", "customer", "", "buyer_1", "T1", "tmall", "有货吗"],
    ["c-10", "", "customer", "", "buyer_2", "", "tmall", "在吗"],
    ["c-10", "", "agent", "小林", "buyer_2", "", "tmall", "您好"],
]


def test_csv_rows_are_grouped_by_chat_and_ordered_by_time(db, tmp_path):
    path = write_csv(tmp_path / "chats.csv", CSV_ROWS)
    assert import_file(path).imported == 2
    chat = _db.session.scalar(sa.select(Chat).where(Chat.external_id == "c-9"))
    assert [m.sender for m in chat.messages] == ["customer", "agent"]
    assert (chat.agent_nickname, chat.order_id, chat.first_response_seconds) == ("小美", "T1", 60.0)


def test_csv_with_byte_order_mark_imports(db, tmp_path):
    path = write_csv(tmp_path / "bom.csv", CSV_ROWS, encoding="utf-8-sig")
    assert import_file(path).imported == 2


def test_gbk_csv_imports_with_the_encoding_option(db, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", CSV_ROWS, encoding="gbk")
    assert import_file(path, encoding="gbk").imported == 2
    assert (
        _db.session.scalar(
            sa.select(ChatMessage.text).where(ChatMessage.position == 0).order_by(ChatMessage.id)
        )
        == "有货吗"
    )


def test_gbk_file_read_as_utf8_is_rejected_with_its_line(db, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", CSV_ROWS, encoding="gbk")
    with pytest.raises(ImportRejected, match=r"gbk\.csv:2: encoding: "):
        import_file(path)


def test_csv_row_with_unknown_sender_names_its_line(db, tmp_path):
    rows = CSV_ROWS[:3] + [["c-10", "", "robot", "", "", "", "tmall", "?"]]
    with pytest.raises(ImportRejected, match=r"chats\.csv:5: from: "):
        import_file(write_csv(tmp_path / "chats.csv", rows))


def test_agents_are_matched_by_shop_nickname(db, import_records):
    shop = make_shop(slug="tmall-flagship")
    agent = make_user(nickname="小美", shop=shop)
    summary = import_records([chat_record()])
    chat = _db.session.scalar(sa.select(Chat))
    assert chat.agent_id == agent.id and not summary.unknown_nicknames


def test_unknown_nicknames_are_listed(import_records):
    summary = import_records([chat_record(agent="阿珍")])
    assert summary.unknown_nicknames == {("tmall-flagship", "阿珍"): 1}


def test_assigning_the_nickname_later_attaches_the_chats(db, import_records):
    import_records([chat_record(agent="阿珍"), chat_record(agent="阿珍")])
    shop = _db.session.scalar(sa.select(Shop).where(Shop.slug == "tmall-flagship"))
    agent = make_user()
    accounts.set_nickname(None, agent, shop, "阿珍")
    assert _db.session.scalars(sa.select(Chat.agent_id)).all() == [agent.id, agent.id]
    assert _db.session.scalars(sa.select(ChatAgent.agent_id)).all() == [agent.id, agent.id]


def test_progress_is_reported_up_to_the_file_size(db, tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [chat_record() for _ in range(3)])
    calls = []
    import_file(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)


def test_per_message_agents_record_each_agents_share(import_records):
    import_records(
        [
            chat_record(
                messages=[
                    message("customer", "在吗", 0),
                    message("agent", "在的", 10, agent="小美"),
                    message("agent", "我是小林，接着为您处理", 60, agent="小林"),
                    message("agent", "已处理好了", 90, agent="小林"),
                ]
            )
        ]
    )
    shares = dict(_db.session.execute(sa.select(ChatAgent.nickname, ChatAgent.message_count)).all())
    assert shares == {"小美": 1, "小林": 2}


def test_truncated_gzip_is_a_clean_error(db, tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(b'{"id": "a", "agent": "x", "messages": [{"from": "agent", "text": "hi"}]}\n' * 50)
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportRejected, match=r"cut\.jsonl\.gz:\d+: file: "):
        import_file(path)
    assert count(Chat) == 0
