"""An administrator sets up a new agent and a team, in Chinese, then switches to English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, logout, nav_link, page_language, switch_language

pytestmark = pytest.mark.browser


def test_admin_creates_a_team_and_an_agent_then_switches_to_english(page, console_errors, screenshot):
    login(page, "admin")
    assert page_language(page) == "zh-CN"
    expect(page.locator("h1")).to_contain_text("你好")

    nav_link(page, "小组").click()
    page.locator("#name").fill("浏览器测试组")
    page.locator("#lead_id").select_option(label="李主管")
    page.get_by_role("button", name="创建小组").click()
    expect(page.locator("table")).to_contain_text("浏览器测试组")
    expect(page.locator("table")).to_contain_text("李主管")

    nav_link(page, "用户").click()
    page.locator("main a.button.primary").click()  # 新建用户
    page.locator("#username").fill("mei.browser")
    page.locator("#display_name").fill("浏览器小美")
    page.locator("#email").fill("mei@shop.example")
    page.locator("#password").fill("blue-kettle-42")
    page.locator("input[name=roles][value=agent]").check()
    page.locator("#team_id").select_option(label="浏览器测试组")
    page.locator("main form.card button.primary").click()
    expect(page.locator(".flash-success")).to_contain_text("mei.browser")

    nav_link(page, "用户").click()
    page.locator("input[name=q]").fill("mei.browser")
    page.locator("form.filters button").click()
    row = page.locator("table tbody tr", has_text="mei.browser")
    expect(row).to_contain_text("浏览器小美")
    expect(row).to_contain_text("浏览器测试组")
    expect(row).to_contain_text("客服")

    assert switch_language(page) == "en"
    expect(page.locator("h1")).to_have_text("Users")
    expect(row).to_contain_text("Agent")
    assert re.search(r"q=mei\.browser", page.url), "the language switch keeps the page"
    screenshot("-english")

    logout(page)
    expect(page.locator("h1")).to_be_visible()
    screenshot()
    assert console_errors == []
