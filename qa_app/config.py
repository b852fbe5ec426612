"""Configuration from the environment, in one place.

Every setting here can be overridden by an environment variable of the same name; the README lists
them. `create_app(config)` accepts a mapping that overrides both (tests use it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
# Keys that were once shipped in this code or its docs: anyone can sign a session with them.
PUBLIC_KEYS = frozenset({"dev-only-change-me"})


class ConfigError(click.ClickException):
    """A setting makes the site unsafe or unusable; the message says which and how to fix it.
    A ClickException so that `flask ...` commands print it as one line ("Error: ...") and exit
    2, a usage error in the command-line contract (../shared/FORMATS.md)."""

    exit_code = 2


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'qa_app.sqlite3'}"
    # Hosted PostgreSQL often hands out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def secret_key_file(instance_path: Path) -> Path:
    return Path(os.environ.get("SECRET_KEY_FILE") or instance_path / "secret_key")


def read_secret_key(instance_path: Path) -> str | None:
    """SECRET_KEY from the environment, else the key file `make demo` writes; None when neither.
    There is deliberately no built-in default: a constant key lets anyone forge a session."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = secret_key_file(instance_path)
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"SECRET_KEY_FILE {path} cannot be read: {error.strerror}") from None


def secret_key_problem(key: str | None, instance_path: Path) -> str | None:
    """Why `key` must not sign sessions on a running server, in one line; None when it may."""
    if not key:
        return (
            f"SECRET_KEY is not set: export SECRET_KEY (e.g. `python3 -c 'import secrets; "
            f"print(secrets.token_hex(32))'`) or write one to {secret_key_file(instance_path)} "
            f"(`make secret-key`); refusing to start with a guessable key"
        )
    if key in PUBLIC_KEYS:
        return "SECRET_KEY is a published example value: set a random one"
    return None


def settle_secret_key(config: dict, *, debug: bool, instance_path: Path) -> None:
    """Refuse to run without a private key; debug and test runs get a random one per process."""
    key = config.get("SECRET_KEY")
    if not key and (debug or config.get("TESTING")):
        config["SECRET_KEY"] = secrets.token_hex(32)
        return
    problem = secret_key_problem(key, instance_path)
    if problem:
        raise ConfigError(problem)


def from_environment(instance_path: Path) -> dict:
    return {
        "SECRET_KEY": read_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "SHOP_TIMEZONE": os.environ.get("SHOP_TIMEZONE", "Asia/Shanghai"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "zh_CN"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "512")) * 1024 * 1024,
        # Failed logins within LOGIN_LOCKOUT_MINUTES: per name from one address, per name from
        # everywhere (the ceiling a distributed guesser meets), per address for any names
        # (password spraying); see qa_app/accounts/throttle.py.
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_MAX_FAILURES_PER_NAME": _int("LOGIN_MAX_FAILURES_PER_NAME", 50),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30),
        "LOGIN_LOCKOUT_MINUTES": _int("LOGIN_LOCKOUT_MINUTES", 15),
        # Reverse proxies in front of the app whose X-Forwarded-For is trusted: without it every
        # client has the proxy's address, and per-address limits would apply to everyone at once.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "COURSES_DIR": os.environ.get("COURSES_DIR", str(ROOT / "courses")),
        "RUBRICS_DIR": os.environ.get("RUBRICS_DIR", str(ROOT / "rubrics")),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance_path / "uploads")),
        # files at least this large are read by a second process while the importer writes
        # (qa_app/chats/worker.py); 0 turns that off
        "CHATS_IMPORT_WORKER_BYTES": int(os.environ.get("CHATS_IMPORT_WORKER_BYTES", str(1 << 20))),
        # every import (qa_app/ingest): bytes per file once decompressed, bytes per line; a file
        # over either is refused as a whole, naming the setting (docs/ingest.md)
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(2 << 30))),
        "IMPORT_MAX_LINE_BYTES": int(os.environ.get("IMPORT_MAX_LINE_BYTES", str(1 << 20))),
        "PER_PAGE": 25,
        # the check trust page (/qa/trust) flags an automatic check whose pre-fills graders kept
        # less often than this share, once it has at least this many submitted answers
        "QA_CHECK_TRUST_MIN_AGREEMENT": float(os.environ.get("QA_CHECK_TRUST_MIN_AGREEMENT", "0.8")),
        "QA_CHECK_TRUST_MIN_ANSWERS": int(os.environ.get("QA_CHECK_TRUST_MIN_ANSWERS", "20")),
        # spotlight sampling (qa_app/qa/spotlight.py): agents hired fewer than QA_NEW_HIRE_DAYS days
        # before a chat have their weekly quota multiplied by QA_NEW_HIRE_RATE; a first reply
        # after QA_LONG_WAIT_SECONDS counts as a long wait
        "QA_NEW_HIRE_DAYS": int(os.environ.get("QA_NEW_HIRE_DAYS", "60")),
        "QA_NEW_HIRE_RATE": float(os.environ.get("QA_NEW_HIRE_RATE", "2")),
        "QA_LONG_WAIT_SECONDS": int(os.environ.get("QA_LONG_WAIT_SECONDS", "300")),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600 per minute"),
        # Shared counters across gunicorn workers when Redis is there; per process otherwise.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
    }
