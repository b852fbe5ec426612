"""Failed logins are throttled per name and address, per name, and per address (issue 14, item 11).

A stranger's wrong guesses lock a name at the stranger's address only; spraying one guess at
many names from one address is slowed; many addresses guessing one name meet a ceiling.
Failures live in the database, which every test starts empty (tests/conftest.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.accounts import services as accounts
from qa_app.accounts.models import LoginFailure
from qa_app.accounts.throttle import LoginLimits
from qa_app.extensions import db as _db

from ..factories import PASSWORD, make_user

LIMITS = LoginLimits(per_name_and_address=3, per_name=5, per_address=4, minutes=15)
STRANGER, OFFICE = "203.0.113.9", "198.51.100.7"


def _try(username: str, password: str, address: str) -> accounts.LoginResult:
    return accounts.authenticate(username, password, remote_addr=address, limits=LIMITS)


def _fail(username: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        assert _try(username, "wrong-password-1", address).user is None


def test_guesses_from_one_address_lock_the_name_there(db):
    user = make_user()
    _fail(user.username, STRANGER, LIMITS.per_name_and_address)
    assert _try(user.username, PASSWORD, STRANGER).locked


def test_a_strangers_guesses_do_not_lock_the_user_out_at_another_address(db):
    user = make_user()
    _fail(user.username, STRANGER, LIMITS.per_name_and_address)
    assert _try(user.username, PASSWORD, OFFICE).user == user


def test_guesses_from_many_addresses_meet_the_per_name_ceiling(db):
    user = make_user()
    for n in range(LIMITS.per_name):
        _fail(user.username, f"192.0.2.{n}")
    assert _try(user.username, PASSWORD, OFFICE).locked


def test_one_guess_per_name_from_one_address_is_throttled(db):
    user = make_user()
    for n in range(LIMITS.per_address):
        _fail(f"someone{n}", STRANGER)
    assert _try(user.username, PASSWORD, STRANGER).locked


def test_spraying_from_one_address_leaves_other_addresses_alone(db):
    user = make_user()
    for n in range(LIMITS.per_address):
        _fail(f"someone{n}", STRANGER)
    assert _try(user.username, PASSWORD, OFFICE).user == user


def test_success_forgets_only_that_names_failures_from_that_address(db):
    user = make_user()
    _fail(user.username, STRANGER, 2)
    _fail(user.username, OFFICE, 2)
    _fail("someone", OFFICE)
    assert _try(user.username, PASSWORD, OFFICE).user == user
    left = _db.session.execute(sa.select(LoginFailure.username, LoginFailure.remote_addr)).all()
    assert sorted(left) == [("someone", OFFICE), (user.username, STRANGER), (user.username, STRANGER)]


def test_a_very_long_name_is_counted_like_any_other(db):
    name = "x" * 200
    _fail(name, STRANGER, LIMITS.per_name_and_address)
    assert _try(name, "anything", STRANGER).locked


def test_unknown_address_is_counted_as_one_address(db):
    for n in range(LIMITS.per_address):
        _fail(f"someone{n}", None)
    assert _try("someone-else", "anything", None).locked


# -- through the login form -----------------------------------------------------------------------


def _post(client, username: str, password: str, address: str, **headers):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def test_login_page_counts_failures_by_client_address(client, app, db):
    user = make_user()
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        _post(client, f"someone{n}", "wrong-password-1", STRANGER)
    _post(client, user.username, PASSWORD, STRANGER)
    assert client.get("/").status_code == 302


def test_login_page_lets_the_user_in_from_the_office_while_a_stranger_is_locked(client, app, db):
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _post(client, user.username, "wrong-password-1", STRANGER)
    _post(client, user.username, PASSWORD, OFFICE)
    assert client.get("/").status_code == 200


def test_forwarded_for_header_is_ignored_without_trusted_proxies(client, app, db):
    user = make_user()
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        _post(client, f"someone{n}", "wrong-password-1", STRANGER, **{"X-Forwarded-For": f"10.9.9.{n}"})
    _post(client, user.username, PASSWORD, STRANGER)
    assert client.get("/").status_code == 302


def test_trusted_proxy_passes_on_the_client_address(make_app, db):
    app = make_app(TRUSTED_PROXIES=1)
    make_user()
    with app.test_client() as client:
        _post(client, "someone", "wrong-password-1", "127.0.0.1", **{"X-Forwarded-For": STRANGER})
    assert _db.session.scalar(sa.select(LoginFailure.remote_addr)) == STRANGER
