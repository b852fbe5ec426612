"""After login or a language change the site only ever sends the browser to one of its own pages
(issue 14, item 4)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from qa_app.permissions import is_safe_redirect

from ..factories import PASSWORD, make_user

OFF_SITE = [
    "//evil.example/phish",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/x\\y",
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r/evil.example",
    "\t//evil.example",
    " /x",
    "/ /evil.example",
    "/\r\nSet-Cookie: x=1",
    "/x\x00",
    "/x\x7f",
    "/\u2028/evil.example",
    "/\u200b/evil.example",
    "/\u00a0/evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "HTTP://evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "evil.example",
    "",
    None,
]
LOCAL = [
    "/",
    "/admin/users",
    "/qa/scores?page=2&status=submitted",
    "/training/courses#top",
    "/a//b",
    "/培训/课程",
    "/reports?q=%2F%2Fx",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_anything_but_a_plain_local_path_is_unsafe(target):
    assert not is_safe_redirect(target)


@pytest.mark.parametrize("target", LOCAL)
def test_plain_local_paths_are_safe(target):
    assert is_safe_redirect(target)


def _login(client, next_value: str):
    user = make_user()
    return client.post(
        f"/login?next={quote(next_value, safe='')}", data={"username": user.username, "password": PASSWORD}
    )


def _is_home(location: str) -> bool:
    return location in ("/", "http://localhost/")


def test_login_with_a_tab_smuggled_into_next_goes_home(client, db):
    response = _login(client, "/\t/evil.example/phish")
    assert response.status_code == 302 and _is_home(response.headers["Location"])


@pytest.mark.parametrize("next_value", ["/\r\nSet-Cookie: x=1", "/\n", "/\r"])
def test_login_with_a_line_break_in_next_goes_home_not_to_an_error(client, db, next_value):
    response = _login(client, next_value)
    assert response.status_code == 302 and _is_home(response.headers["Location"])


def test_login_follows_a_local_next(client, db):
    response = _login(client, "/admin/users?q=x")
    assert response.headers["Location"] in ("/admin/users?q=x", "http://localhost/admin/users?q=x")


@pytest.mark.parametrize("next_value", ["/\t/evil.example/phish", "/\r\nX: y", "//evil.example"])
def test_language_switch_never_redirects_off_site(client, login_as, next_value):
    login_as("agent")
    response = client.post("/language", data={"locale": "en", "next": next_value})
    assert response.status_code == 302 and _is_home(response.headers["Location"])
