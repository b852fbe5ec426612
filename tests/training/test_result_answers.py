"""When a quiz result shows the right answers and explanations (course setting `show_answers`)."""

import pytest
import sqlalchemy as sa

from qa_app.extensions import db as _db
from qa_app.training.models import Attempt, Course
from qa_app.training.services import attempts
from qa_app.training.services.course_format import LibraryError
from qa_app.training.services.library import import_library, spec_hash
from qa_app.training.services.results import reveals_answers

from ..factories import make_user
from .factories import course_spec, make_course, start_attempt


def _failed(agent, course) -> Attempt:
    attempt = start_attempt(agent, course)
    attempts.submit_attempt(agent, attempt, {})
    return attempt


def _retry_later(attempt: Attempt) -> None:
    attempt.finished_at = attempt.finished_at.replace(year=attempt.finished_at.year - 1)
    _db.session.commit()


def test_failed_attempt_with_attempts_left_hides_the_answers(db):
    agent = make_user()
    assert not reveals_answers(agent, _failed(agent, make_course(max_attempts=3)))


def test_the_last_failed_attempt_shows_the_answers(db):
    agent, course = make_user(), make_course(max_attempts=2, cooloff_minutes=0)
    _failed(agent, course)
    assert reveals_answers(agent, _failed(agent, course))


def test_always_setting_shows_the_answers_after_a_failed_attempt(db):
    agent = make_user()
    assert reveals_answers(agent, _failed(agent, make_course(show_answers="always")))


def test_someone_reviewing_anothers_attempt_sees_the_answers(db):
    agent = make_user()
    attempt = _failed(agent, make_course())
    assert reveals_answers(make_user(roles=("trainer",)), attempt)


def test_result_page_hides_explanations_and_says_when_they_come(client, auth, db):
    agent = make_user()
    course = make_course(max_attempts=3)
    attempt = _failed(agent, course)
    auth.login_user(agent)
    page = client.get(f"/training/attempts/{attempt.id}").get_data(as_text=True)
    assert "data-answers-hidden" in page and "data-explanation" not in page


def test_result_page_of_the_last_attempt_shows_explanations(client, auth, db):
    agent = make_user()
    course = make_course(max_attempts=1)
    attempt = _failed(agent, course)
    auth.login_user(agent)
    page = client.get(f"/training/attempts/{attempt.id}").get_data(as_text=True)
    assert "data-explanation" in page and "data-answers-hidden" not in page


def test_course_toml_sets_show_answers(db, library_copy):
    meta = library_copy / "service-basics" / "course.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + '\nshow_answers = "always"\n', encoding="utf-8")
    import_library(library_copy)
    course = _db.session.scalar(sa.select(Course).filter_by(slug="service-basics"))
    assert course.published.show_answers == "always"


def test_unknown_show_answers_value_names_the_file_and_key(db, library_copy):
    meta = library_copy / "service-basics" / "course.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + '\nshow_answers = "never"\n', encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        import_library(library_copy)
    assert any("service-basics/course.toml" in p and "show_answers" in p for p in caught.value.problems)


def test_default_setting_leaves_the_content_hash_as_before(db):
    spec = course_spec()
    assert spec_hash(spec) == spec_hash(spec | {"show_answers": "final"})
    assert spec_hash(spec) != spec_hash(spec | {"show_answers": "always"})


def test_course_editor_saves_the_setting(client, login_as, db):
    login_as("trainer")
    course = make_course(published=False)
    client.post(
        f"/training/manage/{course.id}/settings",
        data={
            "title_zh": "课",
            "title_en": "Course",
            "summary_zh": "",
            "summary_en": "",
            "estimated_minutes": "20",
            "pass_mark": "80",
            "max_attempts": "3",
            "cooloff_minutes": "0",
            "category": "communication",
            "show_answers": "always",
        },
    )
    assert _db.session.get(Course, course.id).draft.show_answers == "always"
