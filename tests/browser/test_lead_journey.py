"""A team lead opens the evaluations, picks an agent of the team, follows the number of reviews
to the reviews list filtered for that agent and opens one review with its evidence highlighted;
Chinese first, the review in English at the end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from . import seeding
from .conftest import login, nav_link, switch_language

pytestmark = pytest.mark.browser

AGENT = "agent03"  # 刘婷, nickname 小婷, team 售后组 (led by "lead")
NAME = "刘婷"
PRAISE = "客服小婷态度特别好，耐心解答"


def _seed(folder) -> int:
    seeding.import_chats(folder, agent=AGENT, prefix="bl", count=2, channel="browser-lead")
    seeding.sample_and_submit("browser-lead", grader="qa2")  # qa's own queue stays untouched
    when = seeding.shop_today_start().strftime("%Y-%m-%d %H:%M:%S")
    seeding.import_reviews(
        folder,
        [
            # attributed through the order's chat
            {
                "id": "bl-r1",
                "order_id": "BL-0",
                "created_at": when,
                "rating": 5,
                "service_rating": 5,
                "text": f"外套质量很好，{PRAISE}。",
            },
            # attributed by the nickname in the text
            {
                "id": "bl-r2",
                "created_at": when,
                "rating": 2,
                "service_rating": 1,
                "text": "物流太慢了，客服小婷回复也很慢，态度敷衍。",
            },
            # another agent of the same lead: must not show in the filtered list
            {
                "id": "bl-r3",
                "created_at": when,
                "rating": 5,
                "service_rating": 5,
                "text": "客服小美非常热情，推荐的尺码很合适。",
            },
        ],
    )
    seeding.confirm_reviews("lead")  # the classifier may ask a person to confirm short reviews
    return seeding.user(AGENT).id


@pytest.fixture
def team_evidence(in_app, libraries, tmp_path):
    return in_app(_seed, tmp_path)


def test_lead_drills_from_an_evaluation_into_a_highlighted_review(
    page, console_errors, screenshot, team_evidence
):
    agent_id = team_evidence
    login(page, "lead")

    nav_link(page, "考评").click()
    page.wait_for_url(re.compile(r"/evaluations/"))
    # the dashboard opens on the last complete month; the evidence was made today
    page.locator(".ev-period-switch a").click()
    expect(page.locator(".ev-period-switch .tag")).to_have_text("进行中")
    row = page.locator("table.ev-table tbody tr", has_text=NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("售后组")
    row.get_by_role("link", name=NAME).click()
    page.wait_for_url(re.compile(rf"/evaluations/agents/{agent_id}\b"))
    expect(page.locator("h1")).to_contain_text(NAME)

    evidence = page.locator("section.card", has=page.locator("h2", has_text="依据"))
    # the live server's database is shared by the browser journeys of one worker: the QA journey
    # may have scored this agent too, so the count is at least the one made here
    expect(evidence).to_contain_text(re.compile(r"[1-9]\d* 条已提交的质检评分"))
    expect(evidence.get_by_role("link", name="表扬 1")).to_be_visible()
    expect(evidence.get_by_role("link", name="批评 1")).to_be_visible()
    all_reviews = evidence.get_by_role("link", name="共 2 条评价")
    expect(all_reviews).to_have_attribute("href", re.compile(rf"^/reviews\?agent={agent_id}&"))
    all_reviews.click()

    # the reviews list, filtered for that agent and the evaluation's period
    page.wait_for_url(re.compile(rf"/reviews\?agent={agent_id}&since=\d{{4}}-\d\d-\d\d&until="))
    expect(page.locator("select[name=agent]")).to_have_value(str(agent_id))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("main table")).not_to_contain_text("小美")
    for i in range(2):  # the service judgement is highlighted in every row
        expect(rows.nth(i).locator("td:nth-child(2) mark").first).to_be_visible()

    praised = rows.filter(has_text="耐心解答")
    expect(praised.locator("mark").first).to_contain_text("态度特别好")
    praised.locator("td:nth-child(2) a").click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    expect(page.locator("h1")).to_have_text("评价 bl-r1")
    mark = page.locator(".review-text mark").first
    expect(mark).to_be_visible()
    expect(mark).to_contain_text("态度特别好")
    expect(page.locator("main")).to_contain_text(NAME)
    chat_link = page.get_by_role("link", name="bl-0", exact=True)  # the order's chat
    assert page.request.get(chat_link.get_attribute("href")).status == 200
    screenshot("-zh")

    assert switch_language(page) == "en"
    expect(page.locator("h1")).to_have_text("Review bl-r1")
    expect(page.locator(".review-text mark").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("praise")
    screenshot()
    assert console_errors == []
