"""A team lead's evaluation dashboard opens on the last complete month, in Chinese and in
English, with the month in progress one click away."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import login, nav_link, page_language, switch_language

pytestmark = pytest.mark.browser


def _months(live_server) -> tuple[str, str]:
    """(last complete month, current month) of the shop's calendar."""
    today = datetime.now(ZoneInfo(live_server.app.config["SHOP_TIMEZONE"])).date()
    current = f"{today.year:04d}-{today.month:02d}"
    last = f"{today.year - (today.month == 1):04d}-{(today.month - 2) % 12 + 1:02d}"
    return last, current


def test_dashboard_defaults_to_the_last_complete_month(page, console_errors, screenshot, live_server):
    last, current = _months(live_server)
    login(page, "lead")
    if page_language(page) != "zh-CN":  # the account keeps the language it was left in
        switch_language(page)
    nav_link(page, "考评").click()
    page.wait_for_url(re.compile(r"/evaluations/$"))
    expect(page.locator("h1")).to_have_text(f"考评 · {last}")
    switch = page.locator(".ev-period-switch")
    expect(switch.locator(".tag")).to_have_text("上一个完整周期")
    expect(switch.get_by_role("link")).to_contain_text(current)
    screenshot("-zh")

    assert switch_language(page) == "en"
    expect(page.locator("h1")).to_have_text(f"Evaluations · {last}")
    expect(switch.locator(".tag")).to_have_text("Last complete period")
    switch.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"period={current}"))
    expect(page.locator("h1")).to_have_text(f"Evaluations · {current}")
    expect(switch.locator(".tag")).to_have_text("Not over yet")
    expect(switch.get_by_role("link")).to_contain_text(last)
    screenshot("-en")
    assert switch_language(page) == "zh-CN"  # leave the demo lead as the other journeys expect
    assert console_errors == []
