"""Creating, running and reporting jobs.

A domain registers a handler in its `register(app)`: `handler("chats.import")(run)` with
`def run(job, progress): ...`; the handler
calls `progress(done, total)` now and then and returns a JSON-able result. Progress is written in
a separate session so that it is visible while the handler's own transaction is still open.

Jobs never run in the web process: an uploaded file is parsed by the RQ worker when REDIS_URL is
set, otherwise by a child process started for the job (`python -m qa_app jobs run ID`), so a
hostile or huge file costs that process's memory, not the web worker's. Tests run them inline
(JOBS_MODE=inline).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.exc import OperationalError

from ..database import impatient_on_sqlite
from ..dbtypes import utcnow
from ..extensions import db
from .models import Job

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable] = {}


class JobFailed(Exception):
    """Raised by a handler with a message for the user (e.g. the file:line:field of bad input)
    and, optionally, a result the job page shows (the lines that refused the file)."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result


def handler(kind: str) -> Callable[[Callable], Callable]:
    def register(function: Callable) -> Callable:
        HANDLERS[kind] = function
        return function

    return register


def submit(kind: str, owner, params: dict) -> Job:
    """Record a job and start it: RQ when REDIS_URL is set, else a child process, or inline
    (JOBS_MODE=inline, the tests)."""
    if kind not in HANDLERS:
        raise KeyError(f"no job handler registered for {kind!r}")
    job = Job(kind=kind, owner_id=getattr(owner, "id", None), params=params, status="queued")
    db.session.add(job)
    db.session.commit()  # own transaction: the worker or child process looks the job row up
    mode = current_app.config.get("JOBS_MODE") or ("rq" if current_app.config.get("REDIS_URL") else "process")
    if mode == "inline":
        run(job.id)
    elif mode == "rq":
        from redis import Redis
        from rq import Queue

        Queue("qa_app", connection=Redis.from_url(current_app.config["REDIS_URL"])).enqueue(
            "qa_app.jobs.worker.run_in_app", job.id, job_timeout=6 * 3600
        )
    elif mode == "process":
        start_process(job.id)
    else:
        raise ValueError(f"unknown JOBS_MODE {mode!r} (inline, rq or process)")
    return job


# settings the child must share with this app even when they were given to create_app()
# rather than through the environment (the child builds its app from the environment)
CHILD_SETTINGS = {
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL",
    "UPLOAD_DIR": "UPLOAD_DIR",
    "SHOP_TIMEZONE": "SHOP_TIMEZONE",
    "IMPORT_MAX_BYTES": "IMPORT_MAX_BYTES",
    "IMPORT_MAX_LINE_BYTES": "IMPORT_MAX_LINE_BYTES",
    "CHATS_IMPORT_WORKER_BYTES": "CHATS_IMPORT_WORKER_BYTES",
    # the child refuses to start without a key; a debug run's key is per process
    "SECRET_KEY": "SECRET_KEY",
}


def start_process(job_id: int) -> subprocess.Popen:
    """Run the job in a new process (`jobs run`); a thread here only waits for it, so that it is
    reaped, and marks the job failed if the process died before recording an outcome."""
    config = current_app.config
    env = dict(os.environ)
    env.update(
        {name: str(config[key]) for key, name in CHILD_SETTINGS.items() if config.get(key) is not None}
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "qa_app", "jobs", "run", str(job_id)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],  # this code, not another copy
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    app = current_app._get_current_object()
    threading.Thread(target=_watch, args=(app, job_id, child), daemon=True).start()
    return child


def _watch(app, job_id: int, child: subprocess.Popen) -> None:
    code = child.wait()
    if code == 0:
        return
    with app.app_context():
        log.error("job %s: its process ended with exit code %s", job_id, code)
        with db.engine.begin() as connection:
            connection.execute(
                Job.__table__.update()
                .where(Job.__table__.c.id == job_id, Job.__table__.c.status.in_(("queued", "running")))
                .values(
                    status="failed",
                    message=f"internal error: the job's process ended ({code})",
                    finished_at=utcnow(),
                )
            )


@contextmanager
def in_owner_language(job):
    """Messages made inside are in the job owner's language (a job has no request to ask)."""
    from ..accounts.models import User

    owner = db.session.get(User, job.owner_id) if job.owner_id else None
    with force_locale(getattr(owner, "locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def run(job_id: int) -> None:
    """Execute a job to its end, recording success or the failure message."""
    job = db.session.get_one(Job, job_id)
    kind = job.kind
    db.session.commit()  # own transaction: ends the read, or SQLite would keep showing its snapshot
    _update(job_id, status="running")

    # the last progress is written again with the outcome: on SQLite a progress write gives
    # up while the handler holds the lock, and the page must not end on "0 read"
    last: dict = {}

    def progress(done: int, total: int | None = None) -> None:
        last.update(done=done, **({"total": total} if total is not None else {}))
        _update(job_id, best_effort=True, **last)

    try:
        result = HANDLERS[kind](job, progress)
        db.session.commit()  # own transaction: the job runner commits the handler's work once
    except JobFailed as error:
        db.session.rollback()
        _update(job_id, status="failed", message=str(error), result=error.result, finished_at=utcnow())
    except Exception as error:  # a bug: keep the worker alive, tell the user, log the trace
        db.session.rollback()
        log.exception("job %s (%s) crashed", job_id, kind)
        _update(
            job_id, status="failed", message=f"internal error: {type(error).__name__}", finished_at=utcnow()
        )
    else:
        _update(job_id, status="done", result=result, finished_at=utcnow(), **last)


def _update(job_id: int, best_effort: bool = False, **values) -> None:
    """Write job fields on a separate connection: the handler's transaction may hold
    uncommitted rows. On SQLite that transaction also holds the only write lock, so progress
    updates then give up after a moment instead of waiting (the final status always waits)."""
    try:
        with (
            db.engine.begin() as connection,
            impatient_on_sqlite(connection) if best_effort else nullcontext(),
        ):
            connection.execute(Job.__table__.update().where(Job.__table__.c.id == job_id).values(**values))
    except OperationalError:
        if not best_effort:
            raise


def get_for(user, job_id: int) -> Job | None:
    job = db.session.get(Job, job_id)
    if job is None or (job.owner_id != user.id and not user.has_role("admin")):
        return None
    return job
