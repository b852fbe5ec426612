"""Configuration from the environment, in one place.

Every setting here can be overridden by an environment variable of the same name; the README lists
them. `create_app(config)` accepts a mapping that overrides both (tests use it).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment(instance_path: Path) -> dict:
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
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
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")),
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
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600 per minute"),
        # Shared counters across gunicorn workers when Redis is there; per process otherwise.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
    }
