from qa_app.extensions import db as _db
from qa_app.jobs import services
from qa_app.jobs.models import Job

from ..factories import make_user


@services.handler("test.count")
def _count(job, progress):
    for n in range(1, 4):
        progress(n, 3)
    return {"counted": 3}


@services.handler("test.reject")
def _reject(job, progress):
    raise services.JobFailed("bad.csv:2:text: missing")


def test_finished_job_records_its_result_and_progress(db):
    job = services.submit("test.count", make_user(), {})
    job = _db.session.get(Job, job.id)
    _db.session.refresh(job)
    assert (job.status, job.done, job.total, job.result) == ("done", 3, 3, {"counted": 3})


def test_rejected_job_keeps_the_message_for_the_user(db):
    job = services.submit("test.reject", make_user(), {})
    _db.session.refresh(job)
    assert job.status == "failed" and job.message == "bad.csv:2:text: missing"


def test_job_status_is_only_for_its_owner(client, auth, db):
    owner, other = make_user(), make_user()
    job = services.submit("test.count", owner, {})
    auth.login_user(other)
    assert client.get(f"/jobs/{job.id}.json").status_code == 404
    auth.login_user(owner)
    assert client.get(f"/jobs/{job.id}.json").get_json()["status"] == "done"


def test_a_progress_write_given_up_leaves_its_connection_waiting_as_long_as_ever(db, database_url):
    import sqlite3

    import pytest
    from sqlalchemy import event

    from qa_app.database import BUSY_TIMEOUT_MS

    if database_url.startswith("postgresql"):
        pytest.skip("SQLite-only by nature: progress writes lower SQLite's busy timeout")
    used = []

    def remember(connection):
        used.append(connection.connection.dbapi_connection)

    event.listen(_db.engine, "begin", remember)
    holder = sqlite3.connect(_db.engine.url.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock: the write gives up
        services._update(1, best_effort=True, done=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        event.remove(_db.engine, "begin", remember)
    assert used[-1].execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
