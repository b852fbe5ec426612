from qa_app.accounts.models import LoginFailure, User
from qa_app.extensions import db as _db

from ..factories import PASSWORD, make_user


def test_login_with_correct_password_opens_the_home_page(client, auth, db):
    user = make_user(roles=("agent",))
    response = auth.login(user.username, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    assert user.display_name in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_generic_message(client, auth, db):
    user = make_user()
    page = client.post(
        "/login", data={"username": user.username, "password": "nope"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Wrong username or password" in page or "用户名或密码错误" in page


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, db):
    make_user(username="real")
    known = client.post("/login", data={"username": "real", "password": "x"}).get_data(as_text=True)
    unknown = client.post("/login", data={"username": "ghost", "password": "x"}).get_data(as_text=True)
    assert known.replace('value="real"', "") == unknown.replace('value="ghost"', "")


def test_repeated_failures_lock_the_name_even_for_the_right_password(client, auth, app, db):
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(user.username, "wrong")
    response = auth.login(user.username, PASSWORD)
    assert response.status_code == 200  # stays on the login page
    assert client.get("/").status_code == 302


def test_lockout_applies_to_names_that_do_not_exist(client, auth, app, db):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("ghost", "wrong")
    assert _db.session.query(LoginFailure).filter_by(username="ghost").count() == 5


def test_successful_login_clears_failures(client, auth, db):
    user = make_user()
    auth.login(user.username, "wrong")
    auth.login(user.username, PASSWORD)
    assert _db.session.query(LoginFailure).filter_by(username=user.username).count() == 0


def test_deactivated_user_cannot_log_in(client, auth, db):
    user = make_user(active=False)
    auth.login(user.username, PASSWORD)
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(client, auth, db):
    user = make_user()
    auth.login(user.username, PASSWORD)
    auth.logout()
    assert client.get("/").status_code == 302


def test_anonymous_visitor_is_sent_to_login_with_next(client, db):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_login_never_redirects_off_site(client, db):
    user = make_user()
    response = client.post(
        "/login?next=//evil.example/x", data={"username": user.username, "password": PASSWORD}
    )
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_password_reset_logs_out_existing_sessions(client, auth, db):
    user = make_user()
    auth.login(user.username, PASSWORD)
    user = _db.session.get(User, user.id)
    user.set_password("another-password-7")
    _db.session.commit()
    assert client.get("/").status_code == 302
