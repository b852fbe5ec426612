"""The course editor's question form: each problem under its field, numbered as the form shows
choices (from 1), in the trainer's language; a one-language course needs only that language."""

import re
from types import SimpleNamespace

import pytest

from qa_app.extensions import db as _db
from qa_app.training.models import Course
from qa_app.training.services import authoring
from qa_app.training.services.question_form import QuestionFormError, course_languages

from .factories import make_course

FORM = {
    "key": "refund-days",
    "qtype": "single",
    "points": 1,
    "prompt_zh": "几天内可退款？",
    "prompt_en": "Refund within how many days?",
    "choices_zh": "3 天\n7 天\n15 天",
    "choices_en": "3 days\n7 days\n15 days",
    "correct": "2",
    "true_false": "true",
    "explanation_zh": "七天无理由退货。",
    "explanation_en": "Seven days, no reason needed.",
}


def _errors(**changes) -> dict:
    with pytest.raises(QuestionFormError) as raised:
        authoring.parse_question_form(**{**FORM, **changes})
    return {name: [str(m) for m in messages] for name, messages in raised.value.errors.items()}


def test_a_missing_english_explanation_is_reported_on_that_field(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert _errors(explanation_en=" ") == {"explanation_en": ["Write the explanation in English."]}


def test_a_right_choice_beyond_the_last_is_numbered_from_one(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert _errors(correct="4") == {"correct": ["There are 3 choices: give numbers from 1 to 3."]}


def test_choice_number_one_is_the_first_choice(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert authoring.parse_question_form(**{**FORM, "correct": "1"})["answer"] == [0]


def test_a_chinese_only_course_needs_no_english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        question = authoring.parse_question_form(
            **{**FORM, "prompt_en": "", "explanation_en": "", "choices_en": ""}, languages=("zh",)
        )
    assert question["prompt"]["en"] == FORM["prompt_zh"] and question["choices"][1]["en"] == "7 天"


def test_a_course_titled_only_in_chinese_is_a_chinese_course():
    assert course_languages(SimpleNamespace(title_zh="退款规则", title_en=" ")) == ("zh",)


def test_the_question_page_shows_the_problem_under_its_field_in_chinese(client, login_as, db):
    login_as("trainer", locale="zh_CN")
    course = make_course()
    authoring.editable_draft(None, course)
    data = {**FORM, "type": FORM["qtype"], "correct": "4", "explanation_en": ""}
    page = client.post(f"/training/manage/{course.id}/questions/new", data=data).get_data(as_text=True)
    correct = re.search(r'id="correct".*?</div>', page, re.S).group(0)
    assert "共 3 个选项：请填 1 到 3 之间的编号。" in correct
    assert "questions[" not in page and "out of range" not in page
    assert len(_db.session.get(Course, course.id).draft.questions) == 4
