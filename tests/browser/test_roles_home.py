"""Every demo role logs in and sees its home page, in Chinese and in English."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import login, logout, page_language, switch_language

pytestmark = pytest.mark.browser

GREETING = {"zh-CN": "你好", "en": "Hello"}
LOGOUT = {"zh-CN": "退出", "en": "Log out"}


@pytest.mark.parametrize("username", ["admin", "trainer", "qa", "lead", "agent"])
def test_each_role_sees_its_home_page_in_both_languages(page, console_errors, screenshot, username):
    login(page, username)
    assert urlsplit(page.url).path == "/"
    admin_link = page.locator("header nav a[href='/admin/users']")
    expect(admin_link).to_have_count(1 if username == "admin" else 0)
    for _ in range(2):  # whichever language the account starts in, then the other one
        language = page_language(page)
        expect(page.locator("h1")).to_contain_text(GREETING[language])
        expect(page.locator("header .usermenu")).to_contain_text(LOGOUT[language])
        screenshot(f"-{language}")
        switch_language(page)
    assert page_language(page) in GREETING
    screenshot()
    logout(page)
    assert console_errors == []
