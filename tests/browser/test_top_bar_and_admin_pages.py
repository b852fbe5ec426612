"""Issue 18's gaps seen in a browser: the admin's top bar at 1024 px, its menus by keyboard, the
audit log, the login page's language switch and the API-token page, in Chinese and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import login, nav_link, page_language, switch_language

pytestmark = pytest.mark.browser


def test_admin_top_bar_fits_one_line_at_1024_px_and_opens_by_keyboard(page, console_errors, screenshot):
    page.set_viewport_size({"width": 1024, "height": 700})
    login(page, "admin")
    for _ in range(2):
        language = page_language(page)
        bar = page.locator("header.topbar").bounding_box()
        assert bar["height"] < 60, f"top bar wraps in {language}: {bar}"
        summary = page.locator("header nav details summary").last
        summary.focus()
        page.keyboard.press("Enter")
        expect(page.locator("header nav details").last.get_by_role("link").first).to_be_visible()
        screenshot(f"-{language}")
        page.keyboard.press("Escape")
        expect(page.locator("header nav details[open]")).to_have_count(0)
        switch_language(page)
    assert console_errors == []


AUDIT_LOG = {"zh-CN": "审计日志", "en": "Audit log"}


def test_admin_reads_the_audit_log_in_both_languages(page, console_errors, screenshot):
    login(page, "admin")  # whichever language the account is in (other journeys switch it)
    nav_link(page, AUDIT_LOG[page_language(page)]).click()
    for _ in range(2):
        language = page_language(page)
        expect(page.locator("h1")).to_have_text(AUDIT_LOG[language])
        screenshot(f"-{language}")
        switch_language(page)
    assert console_errors == []


def test_visitor_switches_the_login_page_to_english(page, console_errors, screenshot):
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("登录")
    screenshot("-zh-CN")
    page.locator("main form button[name=locale]").click()
    expect(page.locator("h1")).to_have_text("Log in")
    screenshot("-en")
    assert console_errors == []


def test_new_api_token_has_a_copy_button_and_an_empty_form(page, console_errors, screenshot):
    login(page, "admin")
    page.goto("/admin/api-tokens")
    page.locator("#name").fill("browser-crm")
    page.locator("input[name=scopes]").first.check()
    page.locator("main form.card button.primary").click()
    expect(page.locator("#new-token")).to_contain_text("qat_")
    expect(page.locator("[data-copy='#new-token']")).to_be_visible()
    expect(page.locator("#name")).to_have_value("")
    screenshot("-zh-CN")
    assert console_errors == []
