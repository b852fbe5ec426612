"""Replacing a chat that QA work refers to: refused with the real reason, at once, nothing stored."""

import logging

import pytest
import sqlalchemy as sa

from qa_app.chats.importer import ImportRejected
from qa_app.chats.models import Chat, ChatMessage
from qa_app.database import lost_race
from qa_app.extensions import db as _db
from tests.factories import make_shop, make_user

from ..qa.factories import make_rubric, make_sample, submitted_score
from .factories import chat_record, message, write_jsonl


def _stored(record) -> Chat:
    return _db.session.scalar(sa.select(Chat).where(Chat.external_id == record["id"]))


@pytest.fixture
def agent(db):
    """The agent the records' nickname belongs to (QA samples need one)."""
    return make_user(nickname="小美", shop=make_shop(slug="tmall-flagship"))


@pytest.fixture
def scored(agent, import_records):
    """A record imported once, whose chat a QA specialist has scored since."""
    record = chat_record()
    import_records([record])
    submitted_score(_stored(record), make_rubric(), make_user(roles=("qa",)))
    record["messages"] = [message("customer", "还在吗", 0)]
    return record


def test_replacing_a_scored_chat_names_the_chat_and_the_reason(import_records, scored):
    with pytest.raises(
        ImportRejected, match=f"chat '{scored['id']}' has QA scores and a QA sample; it cannot be replaced"
    ):
        import_records([scored], replace=True)


def test_replacing_a_scored_chat_stores_nothing_of_the_file(import_records, scored):
    other = chat_record()
    with pytest.raises(ImportRejected):
        import_records([other, scored], replace=True)
    assert _stored(other) is None
    assert (
        _db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ChatMessage)
            .where(ChatMessage.chat_id == _stored(scored).id)
        )
        == 4
    )


def test_replacing_a_scored_chat_is_not_retried(import_records, scored, caplog):
    with caplog.at_level(logging.INFO, logger="qa_app.database"), pytest.raises(ImportRejected):
        import_records([scored], replace=True)
    assert "trying again" not in caplog.text


def test_a_sampled_chat_is_not_replaced_either(agent, import_records):
    record = chat_record()
    import_records([record])
    make_sample(_stored(record), make_rubric(), make_user(roles=("qa",)))
    with pytest.raises(ImportRejected, match="has a QA sample; it cannot be replaced"):
        import_records([record], replace=True)


def test_skip_invalid_replaces_the_others_and_lists_the_scored_chat(import_records, scored):
    other = chat_record()
    import_records([other])
    summary = import_records([other, scored], replace=True, skip_invalid=True)
    assert (summary.replaced, summary.rejected) == (1, 1)
    assert "cannot be replaced" in summary.first_rejects[0]


def test_the_command_names_the_chat_on_stderr_and_exits_1(runner, tmp_path, scored):
    path = write_jsonl(tmp_path / "again.jsonl", [scored])
    result = runner.invoke(args=["chats", "import", "--replace", str(path)])
    assert result.exit_code == 1
    assert f"chat '{scored['id']}' has QA scores" in result.stderr
    assert "other imports were running" not in result.stderr


def test_a_foreign_key_refusal_is_no_race():
    import sqlite3

    error = sa.exc.IntegrityError(
        "DELETE FROM chats", {}, sqlite3.IntegrityError("FOREIGN KEY constraint failed")
    )
    assert not lost_race(error, sqlite3)


def test_a_duplicate_key_is_a_race():
    import sqlite3

    error = sa.exc.IntegrityError(
        "INSERT INTO chats",
        {},
        sqlite3.IntegrityError("UNIQUE constraint failed: chats.shop_id, chats.external_id"),
    )
    assert lost_race(error, sqlite3)
