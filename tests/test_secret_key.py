"""Sessions are signed with a private key or the site does not start (issue 14, item 1)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import encode_cookie

from qa_app import create_app
from qa_app.config import PUBLIC_KEYS, ConfigError

from .conftest import TEST_CONFIG
from .factories import make_user

OLD_DEFAULT = "dev-only-change-me"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    """Neither SECRET_KEY nor a key file: the path of the file the app would read is returned."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key_file = tmp_path / "secret_key"
    monkeypatch.setenv("SECRET_KEY_FILE", str(key_file))
    return key_file


def _server_config(**settings) -> dict:
    """A server's settings: not testing, and no key unless given."""
    return {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings}


def test_server_refuses_to_start_without_a_secret_key(no_key):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app(_server_config())


def test_refusal_is_one_line_naming_the_setting_and_the_key_file(no_key):
    with pytest.raises(ConfigError) as refusal:
        create_app(_server_config())
    message = refusal.value.format_message()
    assert "\n" not in message
    assert "SECRET_KEY" in message and str(no_key) in message


def test_refusal_is_a_usage_error_for_the_command_line(no_key):
    with pytest.raises(ConfigError) as refusal:
        create_app(_server_config())
    assert refusal.value.exit_code == 2


@pytest.mark.parametrize("key", sorted(PUBLIC_KEYS))
def test_published_default_key_is_refused_even_when_set_on_purpose(no_key, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(_server_config())


def test_server_reads_the_key_file_when_secret_key_is_unset(no_key):
    no_key.write_text("a7f3c9e1d2b4a6f8c0e2d4b6a8f0c2e4\n", encoding="utf-8")
    assert create_app(_server_config()).secret_key == "a7f3c9e1d2b4a6f8c0e2d4b6a8f0c2e4"


def test_secret_key_from_the_environment_wins_over_the_key_file(no_key, monkeypatch):
    no_key.write_text("from-the-file-0123456789", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-0123456789")
    assert create_app(_server_config()).secret_key == "from-the-environment-0123456789"


@pytest.mark.parametrize("mode", [{"DEBUG": True}, {"TESTING": True}])
def test_debug_and_test_runs_without_a_key_get_a_random_one_per_process(no_key, mode):
    first = create_app(_server_config(**mode)).secret_key
    second = create_app(_server_config(**mode)).secret_key
    assert first and second and first != second
    assert first not in PUBLIC_KEYS


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_secret_key_writes_a_private_random_key_once(tmp_path):
    key_file = tmp_path / "instance" / "secret_key"
    command = [
        "make",
        "--no-print-directory",
        "-C",
        str(ROOT),
        "secret-key",
        f"SECRET_FILE={key_file}",
        f"PYTHON={sys.executable}",
    ]
    subprocess.run(command, check=True, capture_output=True)
    key = key_file.read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    subprocess.run(command, check=True, capture_output=True)
    assert key_file.read_text(encoding="utf-8").strip() == key


# -- a cookie signed with the old built-in key opens nothing ------------------------------------


def _forger(key: str) -> Flask:
    forger = Flask("forger")
    forger.secret_key = key
    return forger


def _forged_session(user_id: str, key: str = OLD_DEFAULT) -> str:
    serializer = SecureCookieSessionInterface().get_signing_serializer(_forger(key))
    return serializer.dumps({"_user_id": user_id, "_fresh": True})


def _forged_remember_token(user_id: str, key: str = OLD_DEFAULT) -> str:
    with _forger(key).app_context():
        return encode_cookie(user_id)


@pytest.fixture
def keyless_app(app, no_key):
    """The test app's database, with no SECRET_KEY set anywhere: what `make serve` once ran."""
    settings = {k: v for k, v in TEST_CONFIG.items() if k != "SECRET_KEY"}
    return create_app({**settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})


@pytest.fixture
def demo_key_app(app, no_key):
    """As after `make demo`: the key comes from the instance key file."""
    no_key.write_text("9b1e0c7f5a3d2e4c6b8a0f1e3d5c7b9a", encoding="utf-8")
    return create_app(
        _server_config(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SERVER_NAME="localhost")
    )


@pytest.mark.parametrize("which", ["keyless_app", "demo_key_app"])
def test_session_cookie_signed_with_the_old_default_key_opens_nothing(request, db, which):
    app = request.getfixturevalue(which)
    admin = make_user(roles=("admin",))
    with app.test_client() as client:
        client.set_cookie("session", _forged_session(admin.get_id()), domain="localhost")
        response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("which", ["keyless_app", "demo_key_app"])
def test_remember_cookie_signed_with_the_old_default_key_opens_nothing(request, db, which):
    app = request.getfixturevalue(which)
    admin = make_user(roles=("admin",))
    with app.test_client() as client:
        client.set_cookie("remember_token", _forged_remember_token(admin.get_id()), domain="localhost")
        response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_forged_cookie_would_open_the_page_if_the_key_matched(make_app, db, cookie):
    """The forgery itself is sound: the tests above pass only because the key differs."""
    key = "a-key-the-forger-happens-to-know"
    app = make_app(SECRET_KEY=key, TESTING=False)
    admin = make_user(roles=("admin",))
    forge = _forged_session if cookie == "session" else _forged_remember_token
    with app.test_client() as client:
        client.set_cookie(cookie, forge(admin.get_id(), key), domain="localhost")
        assert client.get("/admin/users").status_code == 200


# -- gunicorn (`make serve`) ---------------------------------------------------------------------


def _gunicorn_check(env: dict) -> subprocess.CompletedProcess:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.run(
        [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "--check-config", "qa_app:create_app()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_refuses_to_start_without_a_key_in_one_line(no_key):
    done = _gunicorn_check(dict(os.environ))
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "SECRET_KEY is not set" in done.stderr


def test_gunicorn_starts_with_the_key_file(no_key):
    no_key.write_text("5e0c2a9f7b1d3e5c7a9b1d3f5e7c9a0b", encoding="utf-8")
    done = _gunicorn_check(dict(os.environ))
    assert done.returncode == 0, done.stderr
