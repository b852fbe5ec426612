"""The library's content: every course complete in both languages, and the price-protection
(价保) and invoice (发票) courses that real JD chats ask for (issue 20) loaded, gradeable and on
the learning paths."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from qa_app.extensions import db as _db
from qa_app.training.models import Course, LearningPath
from qa_app.training.services.grading import grade

NEW = ("price-protection", "invoices")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _version(slug: str):
    return _db.session.scalar(sa.select(Course).filter_by(slug=slug)).published


def _path(slug: str) -> list[str]:
    path = _db.session.scalar(sa.select(LearningPath).filter_by(slug=slug))
    return [course.slug for course in path.courses]


def _texts(version, lang: str) -> list[str]:
    """Every text a learner reads in `lang`: course, lessons, prompts, choices, explanations."""
    texts = [getattr(version, f"title_{lang}"), getattr(version, f"summary_{lang}")]
    for lesson in version.lessons:
        texts += [getattr(lesson, f"title_{lang}"), getattr(lesson, f"body_{lang}")]
    for question in version.questions:
        texts += [question.prompt[lang], question.explanation[lang]]
        texts += [choice[lang] for choice in question.choices or []]
    return texts


def _right_answer(question):
    if question.type == "true_false":
        return question.answer
    if question.type == "ordering":
        return list(range(len(question.choices)))
    return list(question.answer)


@pytest.mark.parametrize("slug", NEW)
def test_new_course_loads_with_lessons_and_at_least_eight_questions(library, slug):
    version = _version(slug)
    assert len(version.lessons) >= 3
    assert len(version.questions) >= 8


@pytest.mark.parametrize("slug", NEW)
def test_new_course_quiz_uses_every_question_type(library, slug):
    assert {q.type for q in _version(slug).questions} == {"single", "multiple", "true_false", "ordering"}


@pytest.mark.parametrize("slug", NEW)
def test_new_course_answer_key_scores_full_marks(library, slug):
    version = _version(slug)
    result = grade(version.questions, {q.key: _right_answer(q) for q in version.questions}, version.pass_mark)
    assert (result.score, result.passed) == (100, True)


@pytest.mark.parametrize("slug", NEW)
def test_new_course_chinese_texts_contain_no_english_words(library, slug):
    found = {word for text in _texts(_version(slug), "zh") for word in LATIN_WORD.findall(text)}
    assert found == set()


@pytest.mark.parametrize("slug", NEW)
def test_new_course_english_texts_contain_no_chinese(library, slug):
    assert [text for text in _texts(_version(slug), "en") if CJK.search(text)] == []


def test_every_course_has_every_text_in_both_languages(library):
    for course in _db.session.scalars(sa.select(Course)):
        zh, en = _texts(course.published, "zh"), _texts(course.published, "en")
        assert len(zh) == len(en)
        assert all(text.strip() for text in zh + en), course.slug


def test_onboarding_teaches_invoices_and_price_protection_after_orders(library):
    courses = _path("onboarding")
    assert (
        courses.index("orders-and-payment")
        < courses.index("invoices")
        < courses.index("price-protection")
        < courses.index("after-sales")
    )


def test_complaint_desk_path_includes_price_protection(library):
    assert "price-protection" in _path("complaint-desk")


@pytest.mark.parametrize(
    ("slug", "locale", "lang"),
    [
        ("price-protection", "zh_CN", "zh"),
        ("price-protection", "en", "en"),
        ("invoices", "zh_CN", "zh"),
        ("invoices", "en", "en"),
    ],
)
def test_learner_reads_a_lesson_and_sees_the_quiz_in_their_language(
    client, login_as, library, slug, locale, lang
):
    login_as("agent", locale=locale)
    version = _version(slug)
    lesson = version.lessons[0]
    page = unescape(client.get(f"/training/courses/{slug}/lessons/{lesson.key}").get_data(as_text=True))
    assert getattr(lesson, f"title_{lang}") in page
    attempt_url = client.post(f"/training/courses/{slug}/attempts").headers["Location"]
    quiz = unescape(client.get(attempt_url).get_data(as_text=True))
    assert [q.key for q in version.questions if q.prompt[lang] not in quiz] == []
