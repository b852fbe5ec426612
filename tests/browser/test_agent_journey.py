"""An agent takes an assigned course: reads every lesson, fails the quiz once, retries (no
cooling-off for this course here), passes and opens the certificate, in Chinese then English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from . import seeding
from .conftest import login, nav_link, switch_language

pytestmark = pytest.mark.browser

COURSE = "service-basics"
AGENT = "agent"


@pytest.fixture
def assigned_course(in_app, libraries):
    lessons = in_app(seeding.assign_course, AGENT, COURSE, cooloff_minutes=0)
    questions = in_app(seeding.quiz_answers, COURSE)
    return lessons, questions


def answer_quiz(page, questions, *, right: bool) -> None:
    """Fill the quiz form: the answers from quiz.toml, or a wrong answer to every question."""
    for q in questions:
        name, key, count = f"q-{q['key']}", q["key"], q["choices"]
        box = page.locator(f"fieldset#q-{key}")
        if q["type"] == "single":
            index = q["answer"][0] if right else (q["answer"][0] + 1) % count
            box.locator(f"input[name='{name}'][value='{index}']").check()
        elif q["type"] == "multiple":
            indexes = q["answer"] if right else [i for i in range(count) if i not in q["answer"]][:1]
            for index in indexes:
                box.locator(f"input[name='{name}'][value='{index}']").check()
        elif q["type"] == "true_false":
            value = q["answer"] if right else not q["answer"]
            box.locator(f"input[name='{name}'][value='{'true' if value else 'false'}']").check()
        elif q["type"] == "ordering":  # the right order is the order in quiz.toml
            for index in range(count):
                position = index + 1 if right else count - index
                box.locator(f"select[name='{name}-{index}']").select_option(str(position))
        else:
            raise AssertionError(f"unknown question type {q['type']}")


def test_agent_reads_fails_retries_passes_and_opens_the_certificate(
    page, console_errors, screenshot, assigned_course
):
    lesson_count, questions = assigned_course
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", on_dialog)
    login(page, AGENT)

    # My courses lists the assignment; open the course
    nav_link(page, "我的课程").click()
    expect(page.locator("h1")).to_have_text("我的课程")
    row = page.locator("main table tbody tr", has_text="服务基础与礼仪")
    expect(row).to_contain_text(f"0 / {lesson_count}")
    row.get_by_role("link", name="服务基础与礼仪").click()
    expect(page.locator("h1")).to_have_text("服务基础与礼仪")
    course_url = page.url

    # read every lesson: "mark as read" leads to the next one, the last one back to the course
    lesson_links = page.locator("ol.t-lessons li a")
    expect(lesson_links).to_have_count(lesson_count)
    hrefs = [lesson_links.nth(i).get_attribute("href") for i in range(lesson_count)]
    lesson_links.first.click()
    for index in range(lesson_count):
        page.wait_for_url(re.compile(re.escape(hrefs[index]) + "$"))
        expect(page.locator("article.lesson-body")).not_to_be_empty()
        page.get_by_role("button", name=re.compile("标记为已读")).click()
        following = hrefs[index + 1] if index + 1 < lesson_count else course_url
        page.wait_for_url(re.compile(re.escape(following) + "$"))
    expect(page.locator(".flash-success")).to_contain_text("已标记为已读")
    expect(page.locator("ol.t-lessons .tag.pass")).to_have_count(lesson_count)

    # first attempt: every answer wrong
    page.get_by_role("button", name="开始测验").click()
    page.wait_for_url(re.compile(r"/training/attempts/\d+$"))
    expect(page.locator("fieldset.question")).to_have_count(len(questions))
    answer_quiz(page, questions, right=False)
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator(".kpi .bad")).to_have_text("未通过")
    assert dialogs and "提交" in dialogs[0], "the quiz asks before submitting"
    expect(page.locator("section.question.wrong")).to_have_count(len(questions))

    # cooling-off is 0 for this course: straight back to the course and again, rightly this time
    page.get_by_role("link", name="返回课程").click()
    page.wait_for_url(course_url)
    expect(page.locator("main table tbody tr")).to_have_count(1)  # the failed attempt
    page.get_by_role("button", name="开始测验").click()
    page.wait_for_url(re.compile(r"/training/attempts/\d+$"))
    answer_quiz(page, questions, right=True)
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator(".kpi .ok")).to_have_text("已通过")
    expect(page.locator(".kpi")).to_contain_text(re.compile(r"100(\.0)?%"))
    expect(page.locator(".flash-success")).to_be_visible()
    assert len(dialogs) == 2

    # My courses now shows the course passed, with its certificate
    nav_link(page, "我的课程").click()
    row = page.locator("main table tbody tr", has_text="服务基础与礼仪")
    expect(row).to_contain_text(f"{lesson_count} / {lesson_count}")
    expect(row.locator(".tag.pass")).to_have_text("已通过")
    row.get_by_role("link", name="证书").click()
    page.wait_for_url(re.compile(r"/training/certificates/[A-Z0-9-]+$"))
    expect(page.locator(".cert-kicker")).to_have_text("结业证书")
    expect(page.locator(".cert-name")).to_have_text("林小美")
    expect(page.locator(".cert-course")).to_have_text("服务基础与礼仪")
    screenshot("-zh")

    assert switch_language(page) == "en"
    expect(page.locator(".cert-kicker")).to_have_text("Certificate of completion")
    expect(page.locator(".cert-course")).to_have_text("Service basics and etiquette")
    expect(page.locator(".certificate")).to_contain_text(re.compile(r"100(\.0)?%"))
    screenshot()
    assert console_errors == []
