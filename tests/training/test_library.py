"""Importing the course library: exact format, versions on change, nothing written on errors."""

import pytest
import sqlalchemy as sa

from qa_app.extensions import db as _db
from qa_app.training.models import Course, CourseVersion, LearningPath, Question
from qa_app.training.services.course_format import LibraryError
from qa_app.training.services.library import import_library

from .conftest import LIBRARY


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_starter_library_imports_every_course_and_path(db):
    report = import_library(LIBRARY)
    slugs = sorted(p.name for p in LIBRARY.iterdir() if p.is_dir())
    assert sorted(_db.session.scalars(sa.select(Course.slug))) == slugs
    assert all(line.startswith("created") for line in report)
    onboarding = _db.session.scalar(sa.select(LearningPath).filter_by(slug="onboarding"))
    assert onboarding.onboarding and onboarding.due_days == 14
    assert [c.slug for c in onboarding.courses][:2] == ["service-basics", "communication-skills"]


def test_imported_course_keeps_settings_lessons_and_questions(db):
    import_library(LIBRARY)
    course = _db.session.scalar(sa.select(Course).filter_by(slug="service-basics"))
    version = course.published
    assert (version.title_en, version.pass_mark, version.max_attempts, version.cooloff_minutes) == (
        "Service basics and etiquette",
        80,
        3,
        30,
    )
    assert [lesson.key for lesson in version.lessons][0] == "01-agent-role"
    assert version.lessons[0].title_zh == "客服的角色：售前、售中、售后"
    assert not version.lessons[0].body_zh.startswith("+++")
    first = version.questions[0]
    assert (first.key, first.type, first.answer, first.points) == ("first-reply-limit", "single", [1], 1)


def test_question_points_default_to_one_and_can_be_set(db):
    import_library(LIBRARY)
    points = set(_db.session.scalars(sa.select(Question.points)))
    assert points == {1, 2}


def test_reimporting_unchanged_library_adds_no_version(db):
    import_library(LIBRARY)
    report = import_library(LIBRARY)
    assert all(line.startswith("unchanged") for line in report)
    assert _count(CourseVersion) == len([p for p in LIBRARY.iterdir() if p.is_dir()])


def test_changed_lesson_publishes_a_new_version_and_archives_the_old(db, library_copy):
    import_library(library_copy)
    lesson = library_copy / "service-basics" / "lessons" / "01-agent-role.en.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    report = import_library(library_copy)
    assert "updated service-basics (version 2)" in report
    course = _db.session.scalar(sa.select(Course).filter_by(slug="service-basics"))
    assert [(v.number, v.status) for v in course.versions] == [(1, "archived"), (2, "published")]
    assert course.published.lessons[0].body_en.endswith("One more line.")


def _reject(library_copy) -> list[str]:
    with pytest.raises(LibraryError) as caught:
        import_library(library_copy)
    return caught.value.problems


def test_answer_out_of_range_names_file_line_and_field(db, library_copy):
    quiz = library_copy / "service-basics" / "quiz.toml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace("answer = [1]", "answer = [7]", 1), encoding="utf-8"
    )
    problems = _reject(library_copy)
    assert problems == [
        "courses/service-basics/quiz.toml:11: questions[first-reply-limit].answer: "
        "index out of range: there are 4 choices (0–3)"
    ]


def test_rejected_library_writes_nothing(db, library_copy):
    (library_copy / "after-sales" / "lessons" / "01-after-sale-basics.en.md").unlink()
    problems = _reject(library_copy)
    assert "01-after-sale-basics.en.md is missing" in problems[0]
    assert _count(Course) == 0 and _count(LearningPath) == 0


def test_unknown_category_and_broken_front_matter_are_both_reported(db, library_copy):
    meta = library_copy / "communication-skills" / "course.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"communication"', '"misc"'), encoding="utf-8")
    lesson = library_copy / "bad-reviews" / "lessons" / "01-reviews-and-ratings.zh.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("+++", "", 1), encoding="utf-8")
    problems = _reject(library_copy)
    assert any("communication-skills/course.toml:3: category" in p for p in problems)
    assert any("01-reviews-and-ratings.zh.md:1: front matter" in p for p in problems)


def test_path_naming_an_unknown_course_is_rejected(db, library_copy):
    paths = library_copy / "paths.toml"
    paths.write_text(
        paths.read_text(encoding="utf-8").replace('"after-sales", "complaint', '"no-such", "complaint'),
        encoding="utf-8",
    )
    assert any("paths[onboarding].courses: unknown course 'no-such'" in p for p in _reject(library_copy))


def test_cli_import_exits_0_and_reports(runner):
    result = runner.invoke(args=["courses", "import", str(LIBRARY)])
    assert result.exit_code == 0
    assert "created service-basics (version 1)" in result.output


def test_cli_import_exits_1_with_the_problem_on_stderr(runner, library_copy):
    (library_copy / "service-basics" / "quiz.toml").write_text("questions = [", encoding="utf-8")
    result = runner.invoke(args=["courses", "import", str(library_copy)])
    assert result.exit_code == 1
    assert "courses/service-basics/quiz.toml:1: toml" in result.stderr
    assert _count(Course) == 0


def test_cli_import_exits_2_on_a_missing_directory(runner, tmp_path):
    result = runner.invoke(args=["courses", "import", str(tmp_path / "nope")])
    assert result.exit_code == 2


DEEPLY_NESTED = "x = " + "[" * 10_000 + "]" * 10_000 + "\n"


def test_cli_import_of_deeply_nested_toml_exits_1_naming_the_file(runner, library_copy):
    (library_copy / "service-basics" / "quiz.toml").write_text(DEEPLY_NESTED, encoding="utf-8")
    result = runner.invoke(args=["courses", "import", str(library_copy)])
    assert result.exit_code == 1
    assert "courses/service-basics/quiz.toml:1: toml: arrays or tables nested too deeply" in result.stderr
    assert _count(Course) == 0


def test_deeply_nested_lesson_front_matter_is_reported_with_the_file(db, library_copy):
    lesson = library_copy / "bad-reviews" / "lessons" / "01-reviews-and-ratings.zh.md"
    lesson.write_text(f"+++\n{DEEPLY_NESTED}+++\nBody\n", encoding="utf-8")
    assert any(
        "01-reviews-and-ratings.zh.md:2: front matter: arrays or tables nested too deeply" in p
        for p in _reject(library_copy)
    )
