"""Assignments, onboarding, reading, attempts with limits and cooling-off, certificates."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from qa_app.accounts import services as accounts
from qa_app.dbtypes import utcnow
from qa_app.extensions import db as _db
from qa_app.training.models import Assignment, Certificate, LearningPath
from qa_app.training.services import TrainingError, assigning, attempts, certificates, learner_progress

from ..factories import make_team, make_user
from .factories import RIGHT, make_course, start_attempt

WRONG = {"single-q": [0]}


def test_new_agent_gets_the_onboarding_path(library):
    agent = accounts.create_user(
        None, username="newhire", display_name="新人", password="a-good-pass-1", roles=["agent"]
    )
    assignment = _db.session.scalar(sa.select(Assignment).filter_by(user_id=agent.id))
    assert assignment.path.slug == "onboarding" and assignment.source == "onboarding"
    assert assignment.due_on == assigning.today() + timedelta(days=14)


def test_new_trainer_gets_no_onboarding(library):
    user = accounts.create_user(
        None, username="coach", display_name="Coach", password="a-good-pass-1", roles=["trainer"]
    )
    assert _db.session.scalar(sa.select(Assignment).filter_by(user_id=user.id)) is None


def test_assigning_a_team_skips_who_has_it_already(db):
    course = make_course()
    trainer = make_user(roles=("trainer",))
    team = make_team()
    first, second = make_user(team=team), make_user(team=team)
    assigning.assign(trainer, [first], course=course)
    learners = assigning.resolve_learners(trainer, [], [team.id])
    result = assigning.assign(trainer, learners, course=course)
    assert [a.user_id for a in result.created] == [second.id]
    assert result.skipped == [first]


def test_lead_cannot_assign_to_another_teams_agent(db):
    lead = make_user(roles=("lead",))
    make_team(lead=lead)
    stranger = make_user(team=make_team())
    with pytest.raises(TrainingError):
        assigning.resolve_learners(lead, [stranger.id], [])


def test_progress_counts_read_lessons_and_a_pass(db):
    course = make_course()
    agent = make_user()
    learner_progress.mark_read(agent, course.published.lessons[0])
    progress = learner_progress.course_progress(agent, course)
    assert (progress.lessons_read, progress.lessons_total, progress.percent) == (1, 2, 20)
    attempt = start_attempt(agent, course)
    attempts.submit_attempt(agent, attempt, RIGHT)
    assert learner_progress.course_progress(agent, course).percent == 100


def test_reading_time_runs_from_opening_to_marking_read(db):
    course = make_course()
    agent = make_user()
    lesson = course.published.lessons[0]
    row = learner_progress.open_lesson(agent, lesson)
    row = learner_progress.mark_read(agent, lesson, at=row.opened_at + timedelta(minutes=4))
    assert row.seconds == 240


def test_failed_attempt_shows_score_and_blocks_until_the_cooloff_ends(db):
    course = make_course(cooloff_minutes=30)
    agent = make_user()
    attempt = start_attempt(agent, course)
    result = attempts.submit_attempt(agent, attempt, WRONG)
    assert result.passed is False and result.score == 0.0
    check = attempts.can_start(agent, course)
    assert not check.allowed and check.wait_until == attempt.finished_at + timedelta(minutes=30)
    later = utcnow() + timedelta(minutes=31)
    assert attempts.can_start(agent, course, now=later).allowed


def test_attempt_limit_stops_further_attempts(db):
    course = make_course(max_attempts=2, cooloff_minutes=0)
    agent = make_user()
    for _ in range(2):
        attempts.submit_attempt(agent, start_attempt(agent, course), WRONG)
    with pytest.raises(TrainingError):
        start_attempt(agent, course)


def test_zero_max_attempts_means_unlimited(db):
    course = make_course(max_attempts=0, cooloff_minutes=0)
    agent = make_user()
    for _ in range(5):
        attempts.submit_attempt(agent, start_attempt(agent, course), WRONG)
    assert attempts.can_start(agent, course).allowed


def test_retry_after_failure_passes_and_issues_one_certificate(db):
    course = make_course(cooloff_minutes=0)
    agent = make_user()
    attempts.submit_attempt(agent, start_attempt(agent, course), WRONG)
    attempts.submit_attempt(agent, start_attempt(agent, course), RIGHT)
    issued = list(_db.session.scalars(sa.select(Certificate).filter_by(user_id=agent.id)))
    assert len(issued) == 1 and certificates.certificate_by_code(issued[0].code.lower())
    assert not attempts.can_start(agent, course).allowed


def test_a_submitted_attempt_cannot_be_submitted_again(db):
    course = make_course()
    agent = make_user()
    attempt = start_attempt(agent, course)
    attempts.submit_attempt(agent, attempt, RIGHT)
    with pytest.raises(TrainingError):
        attempts.submit_attempt(agent, attempt, WRONG)


def test_ordering_questions_are_shuffled_the_same_way_for_one_attempt(db):
    course = make_course()
    attempt = start_attempt(make_user(), course)
    question = next(q for q in course.published.questions if q.type == "ordering")
    order = attempts.display_order(attempt, question)
    assert order == attempts.display_order(attempt, question)
    assert sorted(order) == [0, 1, 2] and order != [0, 1, 2]


def test_quiz_form_answers_are_parsed_per_type(db):
    course = make_course()
    form = MultiDict(
        [
            ("q-single-q", "1"),
            ("q-multi-q", "0"),
            ("q-multi-q", "2"),
            ("q-tf-q", "true"),
            ("q-order-q-0", "1"),
            ("q-order-q-1", "2"),
            ("q-order-q-2", "3"),
        ]
    )
    answers, problems = attempts.parse_answers(course.published.questions, form)
    assert problems == [] and answers == RIGHT


def test_ordering_with_a_repeated_position_is_refused(db):
    course = make_course()
    form = MultiDict([("q-order-q-0", "1"), ("q-order-q-1", "1"), ("q-order-q-2", "3")])
    answers, problems = attempts.parse_answers(course.published.questions, form)
    assert [q.key for q, _ in problems] == ["order-q"] and "order-q" not in answers


def test_onboarding_path_lists_its_courses_in_order(library):
    agent = make_user()
    path = _db.session.scalar(sa.select(LearningPath).filter_by(slug="onboarding"))
    assigning.assign(None, [agent], path=path)
    item = learner_progress.my_assignments(agent)[0]
    assert [p.course.slug for p in item.courses] == [c.slug for c in path.courses]
    assert item.percent == 0 and not item.complete
