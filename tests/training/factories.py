"""Builders for training data: courses from plain specs (the quiz.toml shape)."""

from __future__ import annotations

import itertools

from qa_app.extensions import db
from qa_app.training.models import Course, CourseVersion
from qa_app.training.services.library import fill_version, publish

_sequence = itertools.count(1)


def t(zh: str, en: str | None = None) -> dict:
    return {"zh": zh, "en": en if en is not None else zh}


QUESTIONS = [
    {
        "key": "single-q",
        "type": "single",
        "prompt": t("单选", "Pick one"),
        "choices": [t("甲", "A"), t("乙", "B"), t("丙", "C")],
        "answer": [1],
        "explanation": t("因为乙", "Because B"),
        "points": 1,
    },
    {
        "key": "multi-q",
        "type": "multiple",
        "prompt": t("多选", "Pick several"),
        "choices": [t("甲", "A"), t("乙", "B"), t("丙", "C"), t("丁", "D")],
        "answer": [0, 2],
        "explanation": t("甲和丙", "A and C"),
        "points": 1,
    },
    {
        "key": "tf-q",
        "type": "true_false",
        "prompt": t("对吗", "True?"),
        "choices": [],
        "answer": True,
        "explanation": t("对", "True"),
        "points": 1,
    },
    {
        "key": "order-q",
        "type": "ordering",
        "prompt": t("排序", "Order"),
        "choices": [t("一", "first"), t("二", "second"), t("三", "third")],
        "answer": None,
        "explanation": t("一二三", "1 2 3"),
        "points": 2,
    },
]
RIGHT = {"single-q": [1], "multi-q": [0, 2], "tf-q": True, "order-q": [0, 1, 2]}


def course_spec(**overrides) -> dict:
    spec = {
        "category": "communication",
        "title": t("测试课程", "Test course"),
        "summary": t("简介", "Summary"),
        "estimated_minutes": 20,
        "pass_mark": 80,
        "max_attempts": 3,
        "cooloff_minutes": 30,
        "lessons": [
            {
                "key": f"0{i}-lesson",
                "position": i - 1,
                "minutes": 5,
                "title": t(f"第{i}课", f"Lesson {i}"),
                "body": t(f"正文{i}", f"Body {i}"),
            }
            for i in (1, 2)
        ],
        "questions": [dict(q, position=i) for i, q in enumerate(QUESTIONS)],
    }
    spec.update(overrides)
    return spec


def make_course(slug: str | None = None, published: bool = True, **overrides) -> Course:
    course = Course(
        slug=slug or f"course-{next(_sequence)}", category=overrides.get("category", "communication")
    )
    version = CourseVersion(course=course, number=1, status="draft")
    fill_version(version, course_spec(**overrides))
    db.session.add(course)
    db.session.flush()
    if published:
        publish(version)
    db.session.commit()
    return course


def start_attempt(user, course, now=None):
    """`attempts.start_attempt` as a new request meets it: the earlier steps of the test were
    requests of their own, committed by their views (services only flush)."""
    from qa_app.training.services import attempts

    db.session.commit()
    return attempts.start_attempt(user, course, now)
