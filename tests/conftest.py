"""Test fixtures: one app and one database per session and backend.

Every test that touches the database runs twice: on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set (otherwise that variant is skipped with the reason). Each PostgreSQL
session works in a schema of its own, so parallel runs on one server don't collide. The schema is
built from the Alembic migrations, and every table is emptied after each test.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from qa_app import create_app
from qa_app.extensions import db as _db
from qa_app.extensions import limiter

from .factories import make_user

BACKENDS = ("sqlite", "postgresql")
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "test",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing: thousands of logins in tests
    "SERVER_NAME": "localhost",
    "JOBS_MODE": "inline",
    "RATELIMIT_STORAGE_URI": "memory://",  # never a Redis shared with other test runs
}


def _postgres_url(base: str, schema: str) -> str:
    url = sa.engine.make_url(base).set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL variant skipped: set TEST_DATABASE_URL to run it")
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sa.engine.make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_url(base, schema)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        }
    )
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def make_app(app):
    """Another app on the same database with other settings (e.g. CSRF switched on)."""

    def factory(**overrides):
        return create_app(
            {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **overrides}
        )

    return factory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """API rate-limit counters live in the one global limiter, shared by every app the tests
    build; each test starts with none, whatever ran before it."""
    yield
    with contextlib.suppress(AssertionError):  # no app has initialised the limiter yet
        limiter.reset()


def _empty_tables() -> None:
    # Only tables the migrations created: a model without a migration is caught by
    # tests/test_migrations.py, not here.
    existing = set(sa.inspect(_db.engine).get_table_names())
    tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name in existing]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def db(app):
    """The database, inside an app context, emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _empty_tables()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh app context, as in production.

    Tests hold an app context open for their factories; without this, requests would reuse it
    and share `g` (the logged-in user, the locale) from one request to the next. Afterwards the
    test's own session ends its transaction (SQLite's WAL would otherwise keep showing it the
    snapshot from before the request) and reloads what the request committed.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.rollback()
        return response


@pytest.fixture
def client(app, db):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str):
        return self._client.post("/login", data={"username": username, "password": password})

    def login_user(self, user) -> object:
        """Log in without the form (fast); the login form itself has its own tests."""
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(auth, db):
    """`login_as("qa")` creates a user holding that role (or roles) and logs the client in."""

    def login(*roles: str, **fields):
        return auth.login_user(make_user(roles=roles or ("agent",), **fields))

    return login


# `make test-fast` runs `-m "not slow"`. Slow by where they live, so a new file there is slow too:
# property tests, benchmarks, concurrency (threads, several connections), migration data, browser.
SLOW_DIRS = ("properties", "browser")
SLOW_FILES = ("test_bench.py", "test_migration_data.py", "test_sqlite_writers.py")


def _is_slow(path) -> bool:
    parts = path.relative_to(Path(__file__).parent).parts
    return (
        parts[0] in SLOW_DIRS
        or path.name in SLOW_FILES
        or path.name.startswith(("test_concurrency", "test_concurrent"))
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_slow(item.path):
            item.add_marker(pytest.mark.slow)
