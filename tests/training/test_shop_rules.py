"""Course texts quote the shop's first-response limit from the Shop setting, not a copy of it."""

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import AgentNickname
from qa_app.extensions import db as _db
from qa_app.training.models import Question
from qa_app.training.services import rules

from ..factories import make_shop, make_user
from .factories import QUESTIONS, make_course, start_attempt, t

LIMIT = "{first_response_limit}"


@pytest.mark.parametrize(
    ("seconds", "lang", "text"),
    [
        (300, "zh", "5 分钟"),
        (300, "en", "5 minutes"),
        (60, "en", "1 minute"),
        (90, "zh", "90 秒"),
        (90, "en", "90 seconds"),
    ],
)
def test_the_limit_reads_as_a_duration(seconds, lang, text):
    assert rules.duration(seconds, lang) == text


def test_text_without_the_placeholder_is_unchanged():
    assert rules.fill("回复 {其他}", 120, "zh") == "回复 {其他}"


def test_a_learner_gets_their_shops_limit(db):
    make_shop(first_response_limit_seconds=600)
    agent = make_user(nickname="小林", shop=make_shop(first_response_limit_seconds=120))
    assert rules.first_response_limit(agent) == 120


def test_an_agent_of_several_shops_gets_the_strictest_limit(db):
    agent = make_user(nickname="小林", shop=make_shop(first_response_limit_seconds=240))
    make_user(nickname="小周", shop=make_shop(first_response_limit_seconds=600))
    _db.session.add(AgentNickname(shop=make_shop(first_response_limit_seconds=90), user=agent, nickname="林"))
    _db.session.commit()
    assert rules.first_response_limit(agent) == 90


def test_a_user_without_a_shop_gets_the_first_shops_limit(db):
    make_shop(first_response_limit_seconds=180)
    make_shop(first_response_limit_seconds=600)
    assert rules.first_response_limit(make_user(roles=("trainer",))) == 180


def test_without_any_shop_the_default_applies(db):
    assert rules.first_response_limit(make_user()) == 300


def test_the_lesson_page_shows_the_learners_limit(client, auth, db):
    body = f"首次回复应在 {LIMIT}以内"
    course = make_course(
        lessons=[
            {
                "key": "01-x",
                "position": 0,
                "minutes": 1,
                "title": t("标题", "Title"),
                "body": t(body, f"Reply within {LIMIT}."),
            }
        ]
    )
    auth.login_user(make_user(nickname="小林", shop=make_shop(first_response_limit_seconds=120)))
    page = client.get(f"/training/courses/{course.slug}/lessons/01-x").get_data(as_text=True)
    assert "Reply within 2 minutes." in page and LIMIT not in page


def test_quiz_choices_and_prompt_show_the_limit(client, auth, db):
    question = dict(
        QUESTIONS[0],
        position=0,
        prompt=t(f"{LIMIT}内？", f"Within {LIMIT}?"),
        choices=[t(f"{LIMIT}以内", f"Within {LIMIT}"), t("24 小时", "24 hours")],
        answer=[0],
    )
    course = make_course(questions=[question])
    agent = auth.login_user(make_user(nickname="小林", shop=make_shop(first_response_limit_seconds=90)))
    attempt = start_attempt(agent, course)
    page = client.get(f"/training/attempts/{attempt.id}").get_data(as_text=True)
    assert "Within 90 seconds?" in page and "Within 90 seconds</p>" in page and LIMIT not in page


def test_the_librarys_first_reply_question_reads_the_shops_limit(library):
    question = _db.session.scalars(sa.select(Question).where(Question.key == "first-reply-limit")).first()
    right = question.choices[question.answer[0]]
    assert LIMIT in right["zh"] and LIMIT in right["en"]
