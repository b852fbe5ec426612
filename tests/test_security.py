"""Security properties of the whole site: headers, cookies, CSRF, login, passwords, templates."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from qa_app import config as config_module
from qa_app.accounts import services as accounts
from qa_app.accounts.models import LoginFailure, User
from qa_app.dbtypes import utcnow
from qa_app.extensions import db as _db

from .factories import PASSWORD, make_user

PACKAGE = Path(__file__).resolve().parent.parent / "qa_app"


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


# -- headers ------------------------------------------------------------------------------------


def test_pages_carry_security_headers(client, db):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/login", "/", "/admin/users", "/no/such/page"])
def test_content_security_policy_never_allows_inline_or_eval(client, login_as, path):
    login_as("admin")
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "default-src 'self'" in policy


def test_pages_for_a_logged_in_user_are_not_stored(client, login_as):
    login_as("admin")
    assert client.get("/admin/users").headers["Cache-Control"] == "no-store"


def test_exports_are_not_stored(client, login_as):
    login_as("qa")
    response = client.get("/qa/reports/scores.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_api_answers_are_not_stored(client, db):
    from qa_app.api import tokens

    _token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    response = client.get("/api/v1/agents", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable_for_logged_in_users(client, login_as):
    login_as("admin")
    response = client.get("/static/ui/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_strict_transport_security_is_sent_when_cookies_are_secure(make_app, db):
    with make_app(SESSION_COOKIE_SECURE=True).test_client() as client:
        assert "max-age=" in client.get("/login").headers["Strict-Transport-Security"]


def test_no_strict_transport_security_on_plain_http_setups(client, db):
    assert "Strict-Transport-Security" not in client.get("/login").headers


# -- CSRF ---------------------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    with app.test_client() as client:
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 400


def test_login_form_works_with_its_csrf_token(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    with app.test_client() as client:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(
            "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<html" in response.get_data(as_text=True)


# -- cookies ------------------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site_lax(client, auth, db):
    user = make_user()
    cookie = _set_cookies(auth.login(user.username, PASSWORD))["session"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_remember_me_cookie_is_http_only_and_same_site_lax(client, db):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "remember": "y"})
    cookie = _set_cookies(response)["remember_token"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_not_secure_by_default(client, auth, db, monkeypatch, tmp_path):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    assert config_module.from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is False
    user = make_user()
    assert "Secure" not in _set_cookies(auth.login(user.username, PASSWORD))["session"]


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_session_cookie_secure_is_set_from_the_environment(monkeypatch, tmp_path, value):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    assert config_module.from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is True


def test_secure_setting_marks_the_session_cookie_secure(make_app, db):
    app = make_app(SESSION_COOKIE_SECURE=True)
    user = make_user()
    with app.test_client() as client:
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert "Secure" in _set_cookies(response)["session"]


# -- no user enumeration --------------------------------------------------------------------------


def _login_page(client, username: str) -> str:
    response = client.post("/login", data={"username": username, "password": "wrong-password-1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace(f'value="{username}"', 'value=""')
    # CSRF tokens carry a timestamp: equal pages may differ there from one second to the next.
    return re.sub(r'(name="csrf-token" content|name="csrf_token"[^>]*? value)="[^"]*"', r'\1=""', page)


def test_unknown_and_existing_names_get_the_same_page(client, db):
    make_user(username="real")
    make_user(username="gone", active=False)
    assert _login_page(client, "real") == _login_page(client, "ghost") == _login_page(client, "gone")


def test_unknown_names_cost_the_same_password_hashing_as_real_ones(client, db, monkeypatch):
    import werkzeug.security

    calls = []
    original = werkzeug.security._hash_internal
    monkeypatch.setattr(
        werkzeug.security, "_hash_internal", lambda *args: calls.append(args[0]) or original(*args)
    )
    make_user(username="real")
    make_user(username="gone", active=False)
    counts = {}
    for name in ("real", "ghost", "gone"):
        calls.clear()
        _login_page(client, name)
        counts[name] = list(calls)
    assert counts["real"] == counts["ghost"] == counts["gone"] and counts["real"], counts


def test_lockout_answer_is_the_same_for_unknown_names(client, app, db):
    make_user(username="real")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login_page(client, "real")
        _login_page(client, "ghost")
    assert _login_page(client, "real") == _login_page(client, "ghost")


# -- lockout ------------------------------------------------------------------------------------


def test_lockout_refuses_the_right_password_after_too_many_failures(client, auth, app, db):
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(user.username, "wrong-password-1")
    page = auth.login(user.username, PASSWORD).get_data(as_text=True)
    assert "Too many failed attempts" in page or "失败次数过多" in page or "尝试" in page
    assert client.get("/").status_code == 302


def test_one_failure_short_of_the_limit_still_lets_the_user_in(client, auth, app, db):
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        auth.login(user.username, "wrong-password-1")
    auth.login(user.username, PASSWORD)
    assert client.get("/").status_code == 200


def test_lockout_ends_after_the_lockout_period(client, auth, app, db):
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(user.username, "wrong-password-1")
    long_ago = utcnow() - timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"] + 1)
    _db.session.execute(sa.update(LoginFailure).values(at=long_ago))
    _db.session.commit()
    auth.login(user.username, PASSWORD)
    assert client.get("/").status_code == 200


def test_lockout_of_one_name_leaves_other_users_alone(client, auth, app, db):
    victim, other = make_user(), make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(victim.username, "wrong-password-1")
    auth.login(other.username, PASSWORD)
    assert client.get("/").status_code == 200


# -- password policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "short1",  # fewer than 10 characters
        "1234567890123",  # digits only
        "onlyletterspassword",  # letters only
        "xmaria2026xx",  # contains the username
    ],
)
def test_password_policy_refuses_weak_passwords(password):
    assert accounts.password_problem(password, "maria") is not None


def test_password_policy_accepts_a_long_mixed_password():
    assert accounts.password_problem("blue-kettle-42", "maria") is None


def test_admin_cannot_create_a_user_with_a_weak_password(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "newbie",
            "display_name": "New",
            "password": "123456",
            "roles": ["agent"],
            "team_id": "0",
            "locale": "",
        },
    )
    assert response.status_code == 200
    assert _db.session.scalar(sa.select(User).where(User.username == "newbie")) is None


def test_password_reset_obeys_the_policy(client, login_as):
    login_as("admin")
    user = make_user()
    old_hash = user.password_hash
    client.post(f"/admin/users/{user.id}/password", data={"password": "abc"})
    assert _db.session.get(User, user.id).password_hash == old_hash


def test_passwords_are_stored_hashed(db):
    user = make_user(password="blue-kettle-42")
    assert "blue-kettle-42" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


# -- templates obey the Content Security Policy --------------------------------------------------

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
FORBIDDEN_IN_TEMPLATES = [
    (re.compile(r"<script\b[^>]*>\s*(?!</script>)\S", re.I | re.S), "inline <script> content"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\|\s*safe\b"), "|safe filter"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
FORBIDDEN_IN_TAGS = [
    (re.compile(r"(?<![\w-])on[a-z]+\s*=", re.I), "on...= event handler attribute"),
    (re.compile(r"(?<![\w-])style\s*=", re.I), "style= attribute"),
]


def _templates() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.glob("**/templates/**/*")
        if p.is_file() and p.suffix in (".html", ".htm", ".j2", ".jinja", ".txt", ".xml", ".svg")
    )


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def template_problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE.parent) else path.name
    found = []
    for pattern, what in FORBIDDEN_IN_TEMPLATES:
        found += [f"{name}:{_line(text, m.start())}: {what}" for m in pattern.finditer(text)]
    for tag in TAG.finditer(text):
        for pattern, what in FORBIDDEN_IN_TAGS:
            found += [
                f"{name}:{_line(text, tag.start() + m.start())}: {what}"
                for m in pattern.finditer(tag.group())
            ]
    return found


def test_template_scanner_catches_each_forbidden_construct(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<p>ok</p>\n<script>alert(1)</script>\n<a href="#" onclick="x()">a</a>\n'
        '<div class="x"\n     style="color: red">b</div>\n{{ text|safe }}\n'
        '<style>p {}</style>\n<a href="javascript:void(0)">c</a>\n'
    )
    problems = "\n".join(template_problems(bad))
    for expected in (
        "2: inline <script>",
        "3: on...=",
        "5: style=",
        "6: |safe",
        "7: <style>",
        "8: javascript:",
    ):
        assert expected in problems, problems


def test_template_scanner_allows_external_scripts_and_data_attributes(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(
        '<script src="/static/ui/app.js" defer></script>\n'
        '<form data-confirm="Sure?" class="inline"><button name="done">x</button></form>\n'
        "{% set online = 1 %}<p>Reason: {{ reason }}</p>\n"
    )
    assert template_problems(good) == []


def test_templates_have_no_inline_scripts_styles_handlers_or_safe_filters():
    templates = _templates()
    assert templates, "no templates found"
    problems = [problem for path in templates for problem in template_problems(path)]
    assert not problems, (
        "templates break the Content Security Policy (move JS/CSS into the "
        "blueprint's static/ folder; let autoescaping work):\n" + "\n".join(problems)
    )


# -- input that no database column can hold --------------------------------------------------------


def test_nul_character_in_a_form_field_is_refused(client, login_as):
    login_as("admin")
    response = client.post("/admin/teams", data={"name": "Team\x00One", "lead_id": "0"})
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True)


def test_nul_character_in_a_query_string_is_refused(client, login_as):
    login_as("admin")
    assert client.get("/admin/users?q=%00").status_code == 400
