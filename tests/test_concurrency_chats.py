"""Chat imports racing each other and racing evaluations, with real threads, each with its own
app context (so its own session and database connection), started together by a barrier."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.chats.checks import CHECKS
from qa_app.chats.importer import import_file
from qa_app.chats.models import Chat, ChatAgent, ChatMessage, CheckResult
from qa_app.evaluations import periods, services
from qa_app.extensions import db as _db
from tests.chats.factories import chat_record, message, write_jsonl
from tests.factories import make_shop, make_user

NOVEMBER = "2026-11"


@dataclass
class Outcome:
    results: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def in_threads(app, *jobs, timeout: float = 120) -> list[Outcome]:
    """Run each job in its own thread and app context, all released at once; returns what each
    returned or raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [Outcome() for _ in jobs]

    def run(job, outcome: Outcome) -> None:
        with app.app_context():
            try:
                barrier.wait()
                job(outcome)
            except Exception as error:  # reported to the test, which fails on it
                outcome.errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(jobs, outcomes, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread is stuck (deadlock?)"
    return outcomes


def count(model) -> int:
    _db.session.commit()  # a fresh snapshot: SQLite's WAL would show the old one
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def records(n: int, agent: str = "小美", slow: bool = False) -> list[dict]:
    reply = 400 if slow else 40  # seconds: over or under the shop's 300 s first-response limit
    return [
        chat_record(
            agent=agent,
            messages=[
                message("customer", "在吗", 0),
                message("agent", "亲，您好，在的", reply),
                message("customer", "好的谢谢", reply + 60),
            ],
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("new_shop", [True, False], ids=["new-shop", "known-shop"])
def test_the_same_file_imported_twice_at_once_is_stored_once(app, db, tmp_path, new_shop):
    if not new_shop:  # then the race is on the chats' unique constraint, not the shop's
        make_shop(slug="tmall-flagship")
    path = write_jsonl(tmp_path / "chats.jsonl", records(1500))  # two batches

    def importing(outcome: Outcome) -> None:
        outcome.results.append(import_file(path))

    first, second = in_threads(app, importing, importing)
    assert first.errors == second.errors == []
    summaries = first.results + second.results
    assert sorted((s.imported, s.skipped, s.rejected) for s in summaries) == [(0, 1500, 0), (1500, 0, 0)]
    assert (count(Chat), count(ChatMessage), count(ChatAgent), count(CheckResult)) == (
        1500,
        4500,
        1500,
        1500 * len(CHECKS),
    )


def test_files_sharing_chats_imported_at_once_store_each_chat_once(app, db, tmp_path):
    shared = records(800)
    a = write_jsonl(tmp_path / "a.jsonl", shared + records(300))
    b = write_jsonl(tmp_path / "b.jsonl", records(200) + shared[::-1])  # the other way round

    def importing(path):
        def job(outcome: Outcome) -> None:
            outcome.results.append(import_file(path))

        return job

    first, second = in_threads(app, importing(a), importing(b))
    assert first.errors == second.errors == []
    summaries = first.results + second.results
    assert sum(s.imported for s in summaries) == 800 + 300 + 200
    assert sum(s.skipped for s in summaries) == 800
    assert count(Chat) == 1300
    assert count(CheckResult) == 1300 * len(CHECKS)


@pytest.fixture
def agent_with_chats(db, tmp_path):
    shop = make_shop(slug="tmall-flagship")
    agent = make_user(nickname="阿杰", shop=shop)
    import_file(write_jsonl(tmp_path / "before.jsonl", records(50, agent="阿杰")))
    return agent


def evaluation_of(agent_id: int) -> tuple:
    """What an evaluation says, as comparable values, from a fresh transaction."""
    _db.session.commit()  # SQLite's WAL would otherwise keep showing an older snapshot
    agent = _db.session.get(User, agent_id)
    (evaluation,) = services.evaluate_many([agent], periods.parse(NOVEMBER, "Asia/Shanghai"))
    return (
        evaluation.overall,
        tuple(
            sorted(
                (name, component.value, repr(sorted(component.details.items())))
                for name, component in evaluation.components.items()
            )
        ),
    )


def test_an_evaluation_during_an_import_sees_it_all_or_not_at_all(app, agent_with_chats, tmp_path):
    agent_id = agent_with_chats.id
    never_answered = [
        chat_record(agent="阿杰", messages=[message("customer", "在吗", 0)]) for _ in range(500)
    ]
    # slow replies change the first aggregate of the chat evidence, unanswered chats the second:
    # an evaluation reading one before the import's commit and one after would mix them
    path = write_jsonl(tmp_path / "during.jsonl", records(1500, agent="阿杰", slow=True) + never_answered)
    before = evaluation_of(agent_id)
    done = threading.Event()

    def importing(outcome: Outcome) -> None:
        try:
            outcome.results.append(import_file(path))
        finally:
            done.set()

    def evaluating(outcome: Outcome) -> None:
        after_the_import = 0
        while after_the_import < 3:  # from the start of the import to past its commit
            after_the_import += done.is_set()
            outcome.results.append(evaluation_of(agent_id))
            _db.session.remove()  # the next one in a new session and transaction

    imported, evaluated = in_threads(app, importing, evaluating)
    assert imported.errors == evaluated.errors == []
    assert imported.results[0].imported == 2000
    after = evaluation_of(agent_id)
    assert after != before  # 2,000 failed first responses change the service component
    assert set(evaluated.results) <= {before, after}
    assert evaluated.results[-1] == after


@pytest.fixture
def always_losing(monkeypatch):
    """Every attempt ends as if a concurrent import had committed the same chats first."""
    from qa_app import database
    from qa_app.chats import writer

    real_flush = writer.ChatWriter.flush

    def flush(self, batch):
        real_flush(self, batch)
        raise sa.exc.IntegrityError("INSERT INTO chats …", {}, Exception("duplicate key value"))

    monkeypatch.setattr(writer.ChatWriter, "flush", flush)
    monkeypatch.setattr(database.time, "sleep", lambda seconds: None)


def test_an_import_that_keeps_losing_the_race_stores_nothing_and_says_so(db, tmp_path, always_losing):
    from qa_app.chats.importer import ImportConflict

    path = write_jsonl(tmp_path / "chats.jsonl", records(3))
    with pytest.raises(ImportConflict, match="nothing was stored, import it again"):
        import_file(path)
    assert count(Chat) == 0


def test_the_command_reports_a_lost_race_on_stderr_and_exits_1(runner, tmp_path, always_losing):
    path = write_jsonl(tmp_path / "chats.jsonl", records(3))
    result = runner.invoke(args=["chats", "import", str(path)])
    assert result.exit_code == 1
    assert "not imported, the database refused it while other imports were running" in result.stderr
    assert result.stdout == "imported 0, skipped 0 (already present), rejected 0\n"


def test_a_database_error_that_is_no_race_is_not_retried(db, tmp_path, monkeypatch):
    from qa_app.chats import writer

    calls = []

    def flush(self, batch):
        calls.append(len(batch))
        raise sa.exc.OperationalError("SELECT …", {}, Exception("no such table: chats"))

    monkeypatch.setattr(writer.ChatWriter, "flush", flush)
    with pytest.raises(sa.exc.OperationalError, match="no such table"):
        import_file(write_jsonl(tmp_path / "chats.jsonl", records(3)))
    assert calls == [3]


def test_two_commands_importing_one_large_file_at_once_store_it_once(app, db, tmp_path):
    """Two processes, each reading the file in its own reading process (worker.py)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from qa_app.chats import worker

    chats = records(3000)
    for record in chats:
        record["messages"][1]["text"] += " 亲，" * 60  # past worker.MIN_BYTES on disk
    path = write_jsonl(tmp_path / "large.jsonl", chats)
    assert path.stat().st_size >= worker.MIN_BYTES
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test"}
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "qa_app", "chats", "import", str(path)]
    root = Path(__file__).resolve().parents[1]
    runs = [
        subprocess.Popen(
            command, env=env, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(out for out, _err in outputs) == [
        "imported 0, skipped 3000 (already present), rejected 0\n",
        "imported 3000, skipped 0 (already present), rejected 0\n",
    ]
    assert (count(Chat), count(ChatMessage), count(CheckResult)) == (3000, 9000, 3000 * len(CHECKS))
