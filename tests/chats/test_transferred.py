"""The chat-level `transferred` flag (FORMATS.md) is stored on import and decides the transfers
check when messages do not name their agents."""

import pytest
import sqlalchemy as sa

from qa_app.chats.importer import ImportRejected
from qa_app.chats.models import Chat, CheckResult
from qa_app.chats.services import rerun_checks
from qa_app.extensions import db as _db

from .factories import chat_record, message, write_csv


def stored(external_id: str) -> tuple:
    chat = _db.session.scalar(sa.select(Chat).where(Chat.external_id == external_id))
    check = _db.session.scalar(
        sa.select(CheckResult).where(CheckResult.chat_id == chat.id, CheckResult.check == "transfers")
    )
    return chat.transferred, check.result, check.value


def test_the_transferred_flag_is_stored_and_counts_one_hand_over(import_records):
    import_records([chat_record(id="t", transferred=True)])
    assert stored("t") == (True, "pass", 1.0)


def test_without_flag_or_per_message_agents_transfers_are_not_measurable(import_records):
    import_records([chat_record(id="u")])
    assert stored("u") == (None, "not_measurable", None)


def test_per_message_agents_make_hand_overs_known(import_records):
    one = [
        message("customer", "在吗"),
        message("agent", "您好", agent="小美"),
        message("agent", "好的", agent="小美"),
    ]
    two = [
        message("customer", "在吗"),
        message("agent", "您好", agent="小美"),
        message("agent", "我来", agent="小王"),
    ]
    import_records([chat_record(one, id="one"), chat_record(two, id="two")])
    assert (stored("one"), stored("two")) == ((False, "pass", 0.0), (True, "pass", 1.0))


def test_a_transferred_flag_that_is_not_a_boolean_rejects_the_file_naming_the_field(import_records):
    with pytest.raises(ImportRejected, match="transferred: expected true or false"):
        import_records([chat_record(transferred="yes")])


def test_csv_rows_naming_their_agent_make_hand_overs_known(db, tmp_path):
    from qa_app.chats.importer import import_file

    path = write_csv(
        tmp_path / "a.csv",
        [["k", "", "customer", "", "", "", "s", "在吗"], ["k", "", "agent", "小美", "", "", "s", "您好"]],
    )
    import_file(path)
    assert stored("k") == (False, "pass", 0.0)


def test_rerunning_the_checks_keeps_reading_the_stored_flag(import_records):
    import_records([chat_record(id="t", transferred=True)])
    for _batch in rerun_checks():
        _db.session.commit()
    assert stored("t") == (True, "pass", 1.0)
