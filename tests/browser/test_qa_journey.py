"""A QA specialist samples imported chats with a new plan, opens the next chat of the queue,
finds the automatic checks' results pre-filled, answers the rest with the keyboard shortcuts of
scoring.js and submits; the score shows as submitted, in Chinese then English."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from . import seeding
from .conftest import login, nav_link, switch_language

pytestmark = pytest.mark.browser

AGENT = "agent04"  # 黄佳, nickname 小佳
CHANNEL = "browser-qa"  # the plan filters on it, so only these chats are drawn


def _seed(folder):
    ids = seeding.import_chats(folder, agent=AGENT, prefix="bq", count=3, channel=CHANNEL)
    return ids, seeding.shop_today_start().date()


@pytest.fixture
def qa_chats(in_app, libraries, tmp_path):
    return in_app(_seed, tmp_path)


def _answered(criterion) -> bool:
    return criterion.locator("input[type=radio]:checked:not([value=''])").count() == 1


def test_qa_samples_and_scores_a_chat_with_the_keyboard(page, console_errors, screenshot, qa_chats):
    chat_ids, today = qa_chats
    login(page, "qa")

    # a sampling plan: one chat per agent per week, this channel, assigned to me
    nav_link(page, "抽样计划").click()
    page.get_by_role("link", name="新建抽样计划").first.click()
    page.locator("#name").fill("浏览器测试抽样")
    page.locator("#rubric_id").select_option(label="服务礼仪质检表")
    page.locator("#mode").select_option("per_agent")
    page.locator("#per_agent_per_week").fill("1")
    page.locator("#date_from").fill((today - timedelta(days=7)).isoformat())
    page.locator("#date_to").fill(today.isoformat())
    page.locator("#shop_id").select_option(label="天猫旗舰店")
    page.locator("#channel").select_option(CHANNEL)
    page.get_by_label("赵质检", exact=True).check()
    page.get_by_role("button", name="保存计划").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("h1")).to_have_text("浏览器测试抽样")

    page.get_by_role("button", name="运行：抽样并加入队列").click()
    expect(page.locator(".flash-success")).to_contain_text("已抽取 1 条对话")
    expect(page.locator("main table tbody tr", has_text="黄佳")).to_contain_text("1")

    # the queue holds that one chat; open it
    nav_link(page, "质检队列").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("黄佳")
    chat_id = rows.first.locator("td").first.inner_text().strip()
    assert chat_id in chat_ids
    page.get_by_role("button", name="评下一条对话").click()  # a form: only a POST starts the draft
    page.wait_for_url(re.compile(r"/qa/scores/\d+$"))
    expect(page.locator(".qa-transcript h2")).to_contain_text(chat_id)
    expect(page.locator(".titlebar")).to_contain_text("草稿")

    # automatic checks pre-filled what a machine can judge
    criteria = page.locator("[data-criterion]")
    count = criteria.count()
    assert count >= 5
    auto = page.locator(".qa-auto")
    expect(auto.first).to_have_text("由自动检查预填")
    prefilled = [i for i in range(count) if criteria.nth(i).locator(".qa-auto").count()]
    assert prefilled, "no criterion was pre-filled"
    for i in prefilled:
        assert _answered(criteria.nth(i)), f"criterion {i} is marked pre-filled but empty"

    # scoring.js: J/K move the current criterion, a digit picks the value
    expect(criteria.nth(0)).to_have_class(re.compile(r"\bqa-current\b"))
    page.keyboard.press("j")
    expect(criteria.nth(1)).to_have_class(re.compile(r"\bqa-current\b"))
    expect(criteria.nth(0)).not_to_have_class(re.compile(r"\bqa-current\b"))
    page.keyboard.press("k")
    expect(criteria.nth(0)).to_have_class(re.compile(r"\bqa-current\b"))
    by_keyboard = 0
    for i in range(count):
        if i:
            page.keyboard.press("j")
        criterion = criteria.nth(i)
        expect(criterion).to_have_class(re.compile(r"\bqa-current\b"))
        if _answered(criterion):
            continue
        values = [
            v
            for v in criterion.locator("input[type=radio]").evaluate_all("rs => rs.map(r => r.value)")
            if v.isdigit()
        ]
        best = max(values, key=int)
        page.keyboard.press(best)
        expect(criterion.locator(f"input[type=radio][value='{best}']")).to_be_checked()
        by_keyboard += 1
    assert by_keyboard >= 1, "every criterion was pre-filled: nothing left for the keyboard"
    for i in range(count):
        assert _answered(criteria.nth(i)), f"criterion {i} is still unanswered"

    page.locator("#praise").fill("问候亲切，回复及时，结束语完整。")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("评分已提交。")
    expect(page.locator(".titlebar")).to_contain_text("已提交")
    expect(page.locator("#qa-score-form")).to_have_count(1)  # still editable, with a reason
    expect(page.locator("#reason")).to_be_visible()
    for i in range(count):
        assert _answered(criteria.nth(i)), f"criterion {i} lost its answer"
    screenshot("-zh")

    assert switch_language(page) == "en"
    expect(page.locator(".titlebar")).to_contain_text("Submitted")
    expect(page.locator(".qa-transcript h2")).to_contain_text(chat_id)

    nav_link(page, "Scoring queue").click()
    expect(page.locator("main")).to_contain_text("0 to score, 0 drafts, 1 submitted")
    page.go_back()
    expect(page.locator(".titlebar")).to_contain_text("Submitted")
    screenshot()
    assert console_errors == []
