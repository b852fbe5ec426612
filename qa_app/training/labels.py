"""Words for the training report downloads' columns (the machine names with ?headers=machine)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REPORT_COLUMNS = {
    "course": _l("Course"),
    "title": _l("Title"),
    "team": _l("Team"),
    "assigned": _l("Assigned"),
    "completed": _l("Completed"),
    "completion_rate": _l("Completion rate"),
    "attempts": _l("Attempts"),
    "passed_attempts": _l("Passed attempts"),
    "pass_rate": _l("Pass rate"),
    "average_score": _l("Average score"),
    "active_learners": _l("Active learners"),
    "minutes_per_learner": _l("Minutes per learner"),
    "username": _l("Username"),
    "name": _l("Agent"),
    "assignment": _l("Course or path"),
    "due_on": _l("Due date"),
    "days_overdue": _l("Days overdue"),
    "courses_passed": _l("Courses passed"),
    "courses_total": _l("Courses in total"),
    "question_key": _l("Question key"),
    "prompt": _l("Question"),
    "answered": _l("Answered"),
    "wrong": _l("Wrong"),
    "wrong_rate": _l("Wrong rate"),
}
