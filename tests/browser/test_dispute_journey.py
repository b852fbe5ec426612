"""An agent disputes a submitted score; the team lead decides on the dispute page by changing a
criterion beside the transcript (the total follows live); the agent is told old -> new total and
finds the dispute with its decision on the score page, with no offer to dispute again. Once in
Chinese (agent06, lead "lead") and once in English (agent05, lead2, both switched to English)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from . import seeding
from .conftest import login, logout, switch_language

pytestmark = pytest.mark.browser

CASES = {
    # language: (agent, lead, channel, the notification's words around the totals)
    "zh": ("agent06", "lead", "browser-dispute-zh", "分数由 {old} 改为 {new}"),
    "en": ("agent05", "lead2", "browser-dispute-en", "changed from {old} to {new}"),
}


def _seed(folder, agent: str, channel: str) -> int:
    seeding.import_chats(folder, agent=agent, prefix=channel[-10:], count=1, channel=channel)
    return seeding.sample_and_submit(channel, grader="qa2")


def _login(page, username: str, language: str) -> None:
    login(page, username)
    if language == "en" and page.locator("html").get_attribute("lang") != "en":
        assert switch_language(page) == "en"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_lead_decides_a_dispute_by_editing_a_criterion(
    page, console_errors, screenshot, in_app, libraries, tmp_path, language
):
    agent, lead, channel, notice = CASES[language]
    score_id = in_app(_seed, tmp_path, agent, channel)

    # the agent disputes the score from its page
    _login(page, agent, language)
    page.goto(f"/qa/scores/{score_id}")
    expect(page.locator("[data-criterion-value]").first).to_be_visible()
    page.locator(f"a[href$='/qa/scores/{score_id}/dispute']").click()
    page.locator("#reason").fill("问候语其实有的，请再看一下。")
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r"/qa/disputes/\d+$"))
    dispute_url = page.url
    expect(page.locator(".flash-success")).to_be_visible()
    screenshot("-1-agent-disputed")
    logout(page)

    # the lead reads the transcript and sets one criterion to 0
    _login(page, lead, language)
    page.goto(dispute_url)
    expect(page.locator(".qa-transcript")).to_contain_text("这件羊毛外套有 M 码吗")
    live = page.locator("[data-live-total]")
    old = live.inner_text()
    # a criterion that is not critical (a critical one would zero the score) and can be 0
    lowest = "#qa-score-form [data-criterion][data-critical='0']:has(input[value='0'])"
    page.locator(lowest).first.locator("input[value='0']").check()
    expect(live).not_to_have_text(old)
    new = live.inner_text()
    page.locator("#outcome").select_option("changed")
    page.locator("#note").fill("第一项确实没有做到，已更正。")
    screenshot("-2-lead-deciding")
    page.locator("#qa-score-form button.primary").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("[data-total-after]")).to_have_text(new)
    logout(page)

    # the agent is told what changed and sees the history, with no second dispute offered
    _login(page, agent, language)
    expect(page.locator("main")).to_contain_text(notice.format(old=old, new=new))
    page.goto(f"/qa/scores/{score_id}")
    history = page.locator("[data-dispute-history]")
    expect(history).to_contain_text("第一项确实没有做到，已更正。")
    expect(history).to_contain_text(f"{old} → {new}")
    expect(page.locator("[data-no-dispute]")).to_be_visible()
    expect(page.locator(f"a[href$='/qa/scores/{score_id}/dispute']")).to_have_count(0)
    assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-CN")
    screenshot("-3-agent-history")
    assert console_errors == []
