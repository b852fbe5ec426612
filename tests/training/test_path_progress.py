"""A learning path's progress: each course an equal share, the passed quiz most of a course."""

from qa_app.extensions import db
from qa_app.training.models import LearningPath, PathCourse
from qa_app.training.services import assigning, attempts, learner_progress

from ..factories import make_user
from .factories import RIGHT, make_course, start_attempt, t


def _lessons(count: int) -> list[dict]:
    return [
        {
            "key": f"{i:02d}-lesson",
            "position": i,
            "minutes": 5,
            "title": t(f"第{i}课", f"Lesson {i}"),
            "body": t(f"正文{i}", f"Body {i}"),
        }
        for i in range(count)
    ]


def _path(courses) -> LearningPath:
    path = LearningPath(slug=f"path-{courses[0].id}", title_zh="路径", title_en="Path")
    for position, course in enumerate(courses):
        path.steps.append(PathCourse(course_id=course.id, position=position))
    db.session.add(path)
    db.session.commit()
    return path


def _path_percent(agent, path) -> int:
    assigning.assign(None, [agent], path=path)
    db.session.commit()
    return learner_progress.my_assignments(agent)[0].percent


def _pass(agent, course) -> None:
    attempt = start_attempt(agent, course)
    attempts.submit_attempt(agent, attempt, RIGHT)


def test_passing_a_course_moves_a_path_more_than_reading_four_lessons(db):
    courses = [make_course(lessons=_lessons(6)) for _ in range(4)]
    path = _path(courses)
    reader, passer = make_user(), make_user()
    for lesson in courses[0].published.lessons[:4]:
        learner_progress.mark_read(reader, lesson)
    _pass(passer, courses[1])
    assert _path_percent(passer, path) == 25
    assert _path_percent(reader, path) == 6  # 4/6 of the lessons' 40 %, a quarter of the path


def test_reading_every_lesson_is_less_than_half_of_a_course(db):
    course = make_course(lessons=_lessons(3))
    agent = make_user()
    for lesson in course.published.lessons:
        learner_progress.mark_read(agent, lesson)
    assert learner_progress.course_progress(agent, course).percent == learner_progress.LESSON_SHARE
    _pass(agent, course)
    assert learner_progress.course_progress(agent, course).percent == 100
