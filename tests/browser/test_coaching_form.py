"""A team lead records coaching by ticking the agent's own chats (no typed ids), in Chinese,
and sees the same form in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import seeding
from .conftest import login, nav_link, switch_language

pytestmark = pytest.mark.browser

AGENT = "agent03"  # 刘婷, team 售后组 (led by "lead")
NAME = "刘婷"


def _seed(folder) -> list[str]:
    chats = seeding.import_chats(folder, agent=AGENT, prefix="bc", count=2, channel="browser-coach")
    seeding.sample_and_submit("browser-coach", grader="qa2")
    return chats


@pytest.fixture(scope="module")
def coached_chats(in_app, libraries, tmp_path_factory):
    return in_app(_seed, tmp_path_factory.mktemp("coaching"))


def _open_form(page, coaching: str, show: str) -> None:
    nav_link(page, coaching).click()
    page.locator("select[name=agent]").select_option(label=NAME)
    page.get_by_role("button", name=show).click()


def test_lead_ticks_the_agents_chat_for_coaching(page, coached_chats, screenshot):
    login(page, "lead")
    _open_form(page, "辅导", "显示其会话和评价")
    page.get_by_label(coached_chats[0], exact=True).check()
    page.locator("textarea[name=notes]").fill("首次响应可以更快")
    screenshot("_zh")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("辅导记录已保存。")).to_be_visible()


def test_coaching_form_reads_in_english(page, coached_chats, screenshot):
    login(page, "lead")
    switch_language(page)
    _open_form(page, "Coaching", "Show their chats and reviews")
    expect(page.get_by_label(coached_chats[0], exact=True)).to_be_visible()
    expect(page.get_by_role("columnheader", name="Failed checks")).to_be_visible()
    screenshot("_en")
