"""Page latency under concurrent load: gunicorn (4 workers, gunicorn.conf.py) on 127.0.0.1, a
bounded number of requests per page from `users` threads, each with its own logged-in session.

Sessions are signed with the app's own serializer (the login form is rate-limited and has its
own tests); a hard time limit per page stops the loop and marks the figure partial.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the app on `database_url`, stopped on exit."""

    def __init__(self, database_url: str, secret: str, *, workers: int = 4, log: Path | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_CMD_ARGS": "--log-level=warning --graceful-timeout=5",
        }
        env.pop("REDIS_URL", None)
        # noqa reason: the log outlives this call; the server process writes to it until stop()
        self.log = open(log or os.devnull, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "--access-logfile",
                "/dev/null",
                "qa_app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def session_cookie(app, user_id: int, version: int) -> str:
    """The signed Flask session cookie of a logged-in user (what /login would set)."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": f"{user_id}:{version}", "_fresh": True})


@dataclass
class Result:
    p50_ms: float
    p95_ms: float
    requests: int
    errors: int
    seconds: float
    partial: bool
    statuses: dict = field(default_factory=dict)


def load(
    base: str,
    paths: list[str],
    cookies: list[str],
    *,
    requests_total: int,
    users: int = 20,
    time_limit: float = 120.0,
    warmup: int = 8,
    seed: int = 1,
    request_timeout: float = 60.0,
    think: tuple[float, float] = (0.0, 0.0),
) -> Result:
    """`requests_total` GETs spread over `users` threads (user i uses cookies[i % len]); each
    thread picks paths at random from `paths`. Latency is wall time to the full body. No request
    starts after `time_limit` seconds (requests in flight then finish and count). `think`: a user
    waits uniform(*think) seconds after each response, as a person reading the page would;
    (0, 0) is a closed loop where every user has a request in flight all the time."""
    sessions = []
    for i in range(users):
        s = requests.Session()
        s.cookies.set("session", cookies[i % len(cookies)], domain="127.0.0.1", path="/")
        s.headers["Accept-Language"] = "zh-CN"
        sessions.append(s)
    for i in range(min(warmup, len(paths) * 2)):  # first hits: template compile, caches
        with contextlib.suppress(requests.RequestException):
            sessions[i % users].get(base + paths[i % len(paths)], timeout=30)
    timings: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    lock = threading.Lock()
    remaining = [requests_total]
    deadline = time.monotonic() + time_limit
    stopped = [False]

    def worker(index: int) -> None:
        nonlocal errors
        rng = random.Random(f"{seed}:{index}")
        session = sessions[index]
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            if time.monotonic() > deadline:
                stopped[0] = True
                return
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                response = session.get(base + path, timeout=request_timeout, allow_redirects=False)
                elapsed = time.perf_counter() - started
                with lock:
                    timings.append(elapsed * 1000)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    if response.status_code != 200:
                        errors += 1
            except requests.RequestException:
                with lock:
                    errors += 1
            if think[1] > 0:
                time.sleep(rng.uniform(*think))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic() + request_timeout))
    seconds = time.perf_counter() - started
    for s in sessions:
        s.close()
    if not timings:
        return Result(float("nan"), float("nan"), 0, errors, seconds, True, statuses)
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return Result(
        round(statistics.median(ordered), 1),
        round(p95, 1),
        len(ordered),
        errors,
        round(seconds, 1),
        stopped[0] or remaining[0] > 0,
        statuses,
    )
