"""Large files are read and checked in a second process (worker.py): the import tests run again
here with every file going through it, and the stored rows equal those of an in-process import."""

import pytest
import sqlalchemy as sa

from qa_app.chats import worker
from qa_app.chats.importer import import_file
from qa_app.chats.models import Chat, ChatAgent, ChatMessage, CheckResult
from qa_app.extensions import db as _db
from tests.factories import make_shop

from .factories import chat_record, ecd_records, message, twcs_records, write_jsonl
from .test_import import *  # noqa: F403  (the same behaviours, through the worker)
from .test_samples import *  # noqa: F403


@pytest.fixture(autouse=True)
def through_the_worker(app, monkeypatch):
    monkeypatch.setitem(app.config, "CHATS_IMPORT_WORKER_BYTES", 1)  # every non-empty file


@pytest.fixture
def used(monkeypatch):
    """How many files went through a worker process."""
    started = []
    original = worker.ReadInWorker.__iter__

    def iterate(self):
        started.append(self)
        return original(self)

    monkeypatch.setattr(worker.ReadInWorker, "__iter__", iterate)
    return started


def stored() -> list:
    """Everything an import stores, without ids and times of the import itself."""
    _db.session.commit()
    chats = _db.session.execute(
        sa.select(
            Chat.external_id,
            Chat.shop_id,
            Chat.channel,
            Chat.customer,
            Chat.order_id,
            Chat.agent_nickname,
            Chat.agent_id,
            Chat.started_at,
            Chat.ended_at,
            Chat.tags,
            Chat.message_count,
            Chat.first_response_seconds,
            Chat.failed_checks,
        ).order_by(Chat.external_id)
    ).all()
    messages = _db.session.execute(
        sa.select(
            Chat.external_id,
            ChatMessage.position,
            ChatMessage.at,
            ChatMessage.sender,
            ChatMessage.agent_nickname,
            ChatMessage.text,
        )
        .join(Chat)
        .order_by(Chat.external_id, ChatMessage.position)
    ).all()
    shares = _db.session.execute(
        sa.select(
            Chat.external_id,
            ChatAgent.nickname,
            ChatAgent.agent_id,
            ChatAgent.message_count,
            ChatAgent.characters,
            ChatAgent.seconds,
            ChatAgent.first_position,
        )
        .join(Chat)
        .order_by(Chat.external_id, ChatAgent.nickname)
    ).all()
    checks = _db.session.execute(
        sa.select(
            Chat.external_id,
            CheckResult.check,
            CheckResult.result,
            CheckResult.value,
            CheckResult.evidence_position,
            CheckResult.evidence,
        )
        .join(Chat)
        .order_by(Chat.external_id, CheckResult.check)
    ).all()
    return [chats, messages, shares, checks]


def forget_chats() -> None:
    for model in (CheckResult, ChatAgent, ChatMessage, Chat):
        _db.session.execute(sa.delete(model))
    _db.session.commit()


def test_a_file_read_by_the_worker_stores_what_an_in_process_import_stores(
    app, db, tmp_path, used, monkeypatch
):
    make_shop(slug="tmall-flagship", forbidden_phrases="不知道")
    records = [
        *ecd_records(20),
        *twcs_records(),
        chat_record(tags=["退货", "vip"]),
        chat_record(
            shop="brand-new",
            messages=[
                message("customer", "在吗", 0),
                message("agent", "不知道", 30, agent="阿珍"),
                message("agent", "稍等", 50, agent="小美"),
                message("customer", "差评", 400),
            ],
        ),
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl.gz", records, gz=True)
    assert import_file(path).imported == len(records)
    assert len(used) == 1
    through_worker = stored()
    forget_chats()
    monkeypatch.setitem(app.config, "CHATS_IMPORT_WORKER_BYTES", 0)  # off
    assert import_file(path).imported == len(records)
    assert len(used) == 1  # this time in-process
    assert stored() == through_worker


def test_the_worker_reports_progress_up_to_the_file_size(db, tmp_path, used):
    path = write_jsonl(tmp_path / "chats.jsonl", [chat_record() for _ in range(2500)])
    seen = []
    import_file(path, progress=lambda done, total: seen.append((done, total)))
    assert used and seen[-1][0] == seen[-1][1] == path.stat().st_size
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


@pytest.fixture
def children(monkeypatch):
    """The process ids the importer forked."""
    import os

    forked = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(worker.os, "fork", fork)
    return forked


def reaped(pid: int) -> bool:
    import os

    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_an_import_stopped_by_a_bad_line_leaves_no_reading_process_behind(db, tmp_path, children):
    from qa_app.chats.importer import ImportRejected

    records = [chat_record() for _ in range(2000)]
    records[1500]["messages"] = "not a list"
    with pytest.raises(ImportRejected):
        import_file(write_jsonl(tmp_path / "chats.jsonl", records))
    assert len(children) == 1 and reaped(children[0])


def test_a_reading_process_that_dies_fails_the_import_and_stores_nothing(db, tmp_path, children, monkeypatch):
    import os

    monkeypatch.setattr(worker, "_read", lambda *args: os._exit(3))
    with pytest.raises(RuntimeError, match="the process reading chats.jsonl ended unexpectedly"):
        import_file(write_jsonl(tmp_path / "chats.jsonl", [chat_record() for _ in range(10)]))
    assert reaped(children[0])
    assert stored()[0] == []


def test_a_reading_error_in_the_child_is_raised_in_the_importer(db, tmp_path, monkeypatch):
    def failing(*args):
        raise OSError("disk gone")

    monkeypatch.setattr(worker, "read_chats", failing)
    with pytest.raises(RuntimeError, match=r"reading chats.jsonl failed: OSError\('disk gone'\)"):
        import_file(write_jsonl(tmp_path / "chats.jsonl", [chat_record() for _ in range(10)]))


def test_a_reading_process_that_stops_sending_is_killed_and_the_import_fails(
    db, tmp_path, children, monkeypatch
):
    import time

    monkeypatch.setattr(worker, "STALL_SECONDS", 0.5)
    monkeypatch.setattr(worker, "_read", lambda *args: time.sleep(60))
    with pytest.raises(RuntimeError, match="the process reading chats.jsonl sent nothing for 0.5 s"):
        import_file(write_jsonl(tmp_path / "chats.jsonl", [chat_record() for _ in range(10)]))
    assert reaped(children[0])
    assert stored()[0] == []
