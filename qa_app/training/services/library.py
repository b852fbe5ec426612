"""The course library in the database: importing the files read by course_format, versions and
publishing.

`import_library(dir)` reads and checks everything first (course_format raises LibraryError
listing every problem); only a clean library is written, in one transaction. A course whose
content is unchanged gets no new version.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlalchemy as sa

from ...audit.services import record
from ...dbtypes import utcnow
from ...extensions import db
from ..models import Course, CourseVersion, LearningPath, Lesson, PathCourse, Question
from .course_format import Library, read_library


def load_library(directory: str | Path) -> Library:
    """Read and validate the whole library; raise LibraryError with every problem found."""
    return read_library(directory, set(db.session.scalars(sa.select(Course.slug))))


# Content of a version as plain data: the same shape from files and from the database, so that
# one hash says whether anything changed.


def spec_hash(spec: dict) -> str:
    keys = (
        "category",
        "title",
        "summary",
        "estimated_minutes",
        "pass_mark",
        "max_attempts",
        "cooloff_minutes",
        "lessons",
        "questions",
    )
    content = {k: spec.get(k) for k in keys}
    if spec.get("show_answers", "final") != "final":
        # only a non-default setting joins the hash: versions stored before it existed keep theirs
        content["show_answers"] = spec["show_answers"]
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def version_spec(version: CourseVersion) -> dict:
    return {
        "slug": version.course.slug,
        "category": version.course.category,
        "title": {"zh": version.title_zh, "en": version.title_en},
        "summary": {"zh": version.summary_zh, "en": version.summary_en},
        "estimated_minutes": version.estimated_minutes,
        "pass_mark": version.pass_mark,
        "max_attempts": version.max_attempts,
        "cooloff_minutes": version.cooloff_minutes,
        "show_answers": version.show_answers,
        "lessons": [
            {
                "key": les.key,
                "position": i,
                "minutes": les.minutes,
                "title": {"zh": les.title_zh, "en": les.title_en},
                "body": {"zh": les.body_zh, "en": les.body_en},
            }
            for i, les in enumerate(version.lessons)
        ],
        "questions": [
            {
                "key": q.key,
                "type": q.type,
                "prompt": q.prompt,
                "choices": q.choices,
                "answer": q.answer,
                "explanation": q.explanation,
                "points": q.points,
                "position": i,
            }
            for i, q in enumerate(version.questions)
        ],
    }


def fill_version(version: CourseVersion, spec: dict) -> None:
    """Set a (new) version's fields, lessons and questions from plain data."""
    version.title_zh, version.title_en = spec["title"]["zh"], spec["title"]["en"]
    summary = spec.get("summary") or {"zh": "", "en": ""}
    version.summary_zh, version.summary_en = summary["zh"], summary["en"]
    for name in ("estimated_minutes", "pass_mark", "max_attempts", "cooloff_minutes"):
        setattr(version, name, spec[name])
    version.show_answers = spec.get("show_answers") or "final"
    version.lessons = [
        Lesson(
            key=les["key"],
            position=les["position"],
            minutes=les["minutes"],
            title_zh=les["title"]["zh"],
            title_en=les["title"]["en"],
            body_zh=les["body"]["zh"],
            body_en=les["body"]["en"],
        )
        for les in spec["lessons"]
    ]
    version.questions = [
        Question(
            key=q["key"],
            position=q["position"],
            type=q["type"],
            prompt=q["prompt"],
            choices=q["choices"],
            answer=q["answer"],
            explanation=q["explanation"],
            points=q["points"],
        )
        for q in spec["questions"]
    ]
    version.content_hash = spec_hash(spec)


def publish(version: CourseVersion, actor=None) -> None:
    """Make `version` the one learners take; the one it replaces is archived, never edited."""
    for other in version.course.versions:
        if other is not version and other.status == "published":
            other.status = "archived"
    db.session.flush()
    version.status = "published"
    version.published_at = utcnow()
    record(actor, "course.publish", version.course, after={"version": version.number})


def next_number(course: Course) -> int:
    return max((v.number for v in course.versions), default=0) + 1


def import_library(directory: str | Path, actor=None) -> list[str]:
    """Load the library into the database; returns one line per course and path saying what
    happened. Raises LibraryError (nothing written) when the files are not valid."""
    library = load_library(directory)
    report = []
    courses = {}
    for spec in library.courses:
        course = db.session.scalar(sa.select(Course).where(Course.slug == spec["slug"]))
        if course is None:
            course = Course(slug=spec["slug"], category=spec["category"])
            db.session.add(course)
            action = "created"
        else:
            current = course.published
            if current is not None and spec_hash(version_spec(current)) == spec_hash(spec):
                report.append(f"unchanged {spec['slug']} (version {current.number})")
                courses[spec["slug"]] = course
                continue
            action = "updated"
        course.category = spec["category"]
        version = CourseVersion(
            course=course,
            number=next_number(course),
            status="draft",
            created_by_id=getattr(actor, "id", None),
        )
        fill_version(version, spec)
        db.session.add(version)
        db.session.flush()
        publish(version, actor)
        report.append(f"{action} {spec['slug']} (version {version.number})")
        courses[spec["slug"]] = course
    for spec in library.paths:
        report.append(_save_path(spec, courses))
    db.session.flush()
    return report


def _save_path(spec: dict, courses: dict[str, Course]) -> str:
    path = db.session.scalar(sa.select(LearningPath).where(LearningPath.slug == spec["slug"]))
    action = "updated"
    if path is None:
        path = LearningPath(slug=spec["slug"])
        db.session.add(path)
        action = "created"
    before = (
        path.title_zh,
        path.title_en,
        path.summary_zh,
        path.summary_en,
        path.onboarding,
        path.due_days,
        [s.course.slug for s in path.steps],
    )
    path.title_zh, path.title_en = spec["title"]["zh"], spec["title"]["en"]
    path.summary_zh, path.summary_en = spec["summary"]["zh"], spec["summary"]["en"]
    path.onboarding, path.due_days = spec["onboarding"], spec["due_days"]
    after = (
        path.title_zh,
        path.title_en,
        path.summary_zh,
        path.summary_en,
        path.onboarding,
        path.due_days,
        spec["courses"],
    )
    if action == "updated" and before == after:
        return f"unchanged path {spec['slug']}"
    path.steps.clear()
    db.session.flush()
    for position, slug in enumerate(spec["courses"]):
        course = courses.get(slug) or db.session.scalar(sa.select(Course).where(Course.slug == slug))
        path.steps.append(PathCourse(course=course, position=position))
    return f"{action} path {spec['slug']}"
