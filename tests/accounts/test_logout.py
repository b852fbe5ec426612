"""Logging out ends the session for good: a copied cookie opens nothing (issue 14, item 6)."""

from __future__ import annotations

from qa_app.accounts import services as accounts
from qa_app.accounts.models import User
from qa_app.extensions import db as _db

from ..factories import PASSWORD, make_user


def _log_in(client, user, *, remember: bool = False) -> None:
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def test_session_cookie_copied_before_logout_opens_nothing_after_it(client, db):
    _log_in(client, make_user())
    copied = client.get_cookie("session").value
    client.post("/logout")
    client.set_cookie("session", copied, domain="localhost")
    assert client.get("/").status_code == 302


def test_remember_cookie_copied_before_logout_opens_nothing_after_it(app, client, db):
    _log_in(client, make_user(), remember=True)
    copied = client.get_cookie("remember_token").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("remember_token", copied, domain="localhost")
    assert thief.get("/").status_code == 302


def test_remember_cookie_alone_opens_the_site_before_logout(app, client, db):
    """The replay above fails because of the logout, not because the cookie never worked."""
    _log_in(client, make_user(), remember=True)
    thief = app.test_client()
    thief.set_cookie("remember_token", client.get_cookie("remember_token").value, domain="localhost")
    assert thief.get("/").status_code == 200


def test_logout_ends_the_users_sessions_everywhere(app, client, db):
    user = make_user()
    elsewhere = app.test_client()
    _log_in(elsewhere, user)
    _log_in(client, user)
    client.post("/logout")
    assert elsewhere.get("/").status_code == 302


def test_end_sessions_changes_the_id_that_sessions_carry(db):
    user = make_user()
    before = user.get_id()
    accounts.end_sessions(user)
    _db.session.commit()
    assert _db.session.get(User, user.id).get_id() != before
    assert accounts.load_user(before) is None
