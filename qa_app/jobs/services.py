"""Creating, running and reporting jobs.

A domain registers a handler: `@handler("chats.import") def run(job, progress): ...`; the handler
calls `progress(done, total)` now and then and returns a JSON-able result. Progress is written in
a separate session so that it is visible while the handler's own transaction is still open.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext

from flask import current_app
from sqlalchemy.exc import OperationalError

from ..database import impatient_on_sqlite
from ..dbtypes import utcnow
from ..extensions import db
from .models import Job

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable] = {}


class JobFailed(Exception):
    """Raised by a handler with a message for the user (e.g. the file:line:field of bad input)."""


def handler(kind: str) -> Callable[[Callable], Callable]:
    def register(function: Callable) -> Callable:
        HANDLERS[kind] = function
        return function

    return register


def submit(kind: str, owner, params: dict) -> Job:
    """Record a job and start it: RQ when REDIS_URL is set, else a thread, or inline in tests."""
    if kind not in HANDLERS:
        raise KeyError(f"no job handler registered for {kind!r}")
    job = Job(kind=kind, owner_id=getattr(owner, "id", None), params=params, status="queued")
    db.session.add(job)
    db.session.commit()
    mode = current_app.config.get("JOBS_MODE") or ("rq" if current_app.config.get("REDIS_URL") else "thread")
    if mode == "inline":
        run(job.id)
    elif mode == "rq":
        from redis import Redis
        from rq import Queue

        Queue("qa_app", connection=Redis.from_url(current_app.config["REDIS_URL"])).enqueue(
            "qa_app.jobs.worker.run_in_app", job.id, job_timeout=6 * 3600)
    else:
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_thread, args=(app, job.id), daemon=True).start()
    return job


def _run_in_thread(app, job_id: int) -> None:
    with app.app_context():
        run(job_id)
        db.session.remove()


def run(job_id: int) -> None:
    """Execute a job to its end, recording success or the failure message."""
    job = db.session.get(Job, job_id)
    kind = job.kind
    db.session.commit()  # end the read transaction: SQLite would keep showing its snapshot
    _update(job_id, status="running")

    def progress(done: int, total: int | None = None) -> None:
        _update(job_id, best_effort=True, done=done, **({"total": total} if total is not None else {}))

    try:
        result = HANDLERS[kind](job, progress)
        db.session.commit()
    except JobFailed as error:
        db.session.rollback()
        _update(job_id, status="failed", message=str(error), finished_at=utcnow())
    except Exception as error:  # a bug: keep the worker alive, tell the user, log the trace
        db.session.rollback()
        log.exception("job %s (%s) crashed", job_id, kind)
        _update(job_id, status="failed", message=f"internal error: {type(error).__name__}",
                finished_at=utcnow())
    else:
        _update(job_id, status="done", result=result, finished_at=utcnow())


def _update(job_id: int, best_effort: bool = False, **values) -> None:
    """Write job fields on a separate connection: the handler's transaction may hold
    uncommitted rows. On SQLite that transaction also holds the only write lock, so progress
    updates then give up after a moment instead of waiting (the final status always waits)."""
    try:
        with db.engine.begin() as connection, \
                (impatient_on_sqlite(connection) if best_effort else nullcontext()):
            connection.execute(Job.__table__.update().where(Job.__table__.c.id == job_id)
                               .values(**values))
    except OperationalError:
        if not best_effort:
            raise


def get_for(user, job_id: int) -> Job | None:
    job = db.session.get(Job, job_id)
    if job is None or (job.owner_id != user.id and not user.has_role("admin")):
        return None
    return job
