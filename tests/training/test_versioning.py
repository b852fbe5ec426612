"""Publishing freezes a version; editing makes a new draft; attempts keep their version."""

import pytest

from qa_app.extensions import db as _db
from qa_app.training.models import Attempt
from qa_app.training.services import TrainingError, attempts, authoring
from qa_app.training.services.question_form import QuestionFormError

from ..factories import make_user
from .factories import RIGHT, make_course, start_attempt


def test_editing_a_published_course_creates_a_draft_copy(db):
    course = make_course()
    draft = authoring.editable_draft(make_user(roles=("trainer",)), course)
    assert (draft.number, draft.status) == (2, "draft")
    assert [q.key for q in draft.questions] == [q.key for q in course.published.questions]
    assert course.published.number == 1


def test_published_versions_refuse_changes(db):
    course = make_course()
    with pytest.raises(TrainingError):
        authoring.save_lesson(
            None,
            course.published,
            course.published.lessons[0],
            title_zh="x",
            title_en="x",
            body_zh="",
            body_en="",
            minutes=1,
        )


def test_publishing_a_draft_archives_the_previous_version(db):
    course = make_course()
    trainer = make_user(roles=("trainer",))
    draft = authoring.editable_draft(trainer, course)
    authoring.publish_draft(trainer, course)
    assert [(v.number, v.status) for v in course.versions] == [(1, "archived"), (2, "published")]
    assert course.published is draft


def test_past_attempts_keep_their_version_and_score_after_an_edit(db):
    course = make_course()
    agent, trainer = make_user(), make_user(roles=("trainer",))
    attempt = start_attempt(agent, course)
    attempts.submit_attempt(agent, attempt, RIGHT)
    old_version_id = attempt.version_id

    draft = authoring.editable_draft(trainer, course)
    question = draft.questions[0]
    data = authoring.parse_question_form(
        key=question.key,
        qtype="single",
        points=1,
        prompt_zh="新",
        prompt_en="New",
        choices_zh="甲\n乙\n丙",
        choices_en="A\nB\nC",
        correct="1",
        true_false="true",
        explanation_zh="解",
        explanation_en="Why",
    )
    authoring.save_question(trainer, draft, question, data)
    authoring.publish_draft(trainer, course)

    attempt = _db.session.get(Attempt, attempt.id)
    assert attempt.version_id == old_version_id and attempt.version.status == "archived"
    assert attempt.version.questions[0].answer == [1] and attempt.score == 100.0
    assert course.published.questions[0].answer == [0]


def test_new_attempts_use_the_newly_published_version(db):
    course = make_course()
    trainer = make_user(roles=("trainer",))
    authoring.editable_draft(trainer, course)
    version = authoring.publish_draft(trainer, course)
    attempt = start_attempt(make_user(), course)
    assert attempt.version_id == version.id


def test_publishing_needs_lessons_and_questions(db):
    trainer = make_user(roles=("trainer",))
    course = authoring.create_course(
        trainer, slug="empty-course", category="products", title_zh="空", title_en="Empty"
    )
    with pytest.raises(TrainingError):
        authoring.publish_draft(trainer, course)


def test_question_form_rejects_an_answer_outside_the_choices(db):
    with pytest.raises(QuestionFormError) as raised:
        authoring.parse_question_form(
            key="k",
            qtype="single",
            points=1,
            prompt_zh="问",
            prompt_en="Q",
            choices_zh="甲\n乙",
            choices_en="A\nB",
            correct="3",
            true_false="true",
            explanation_zh="解",
            explanation_en="E",
        )
    assert list(raised.value.errors) == ["correct"]


def test_question_form_needs_as_many_choices_in_each_language(db):
    with pytest.raises(TrainingError):
        authoring.parse_question_form(
            key="k",
            qtype="multiple",
            points=1,
            prompt_zh="问",
            prompt_en="Q",
            choices_zh="甲\n乙\n丙",
            choices_en="A\nB",
            correct="1,2",
            true_false="true",
            explanation_zh="解",
            explanation_en="E",
        )


def test_discarding_a_draft_keeps_the_published_version(db):
    course = make_course()
    authoring.editable_draft(None, course)
    authoring.discard_draft(None, course)
    assert [(v.number, v.status) for v in course.versions] == [(1, "published")]


def test_the_management_list_counts_the_latest_versions_lessons_and_questions(db):
    course = make_course()
    empty = make_course(lessons=[], questions=[])
    sizes = authoring.version_sizes([course, empty])
    assert sizes[course.latest.id] == (len(course.latest.lessons), len(course.latest.questions))
    assert sizes[empty.latest.id] == (0, 0)
    assert len(course.latest.lessons) > 0 and len(course.latest.questions) > 0
