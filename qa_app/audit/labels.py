"""Words for the audit log's keys: an administrator reads "Score submitted", never `score.submitted`.

Every action recorded anywhere in qa_app must be listed here (tests/audit/test_labels.py reads the
code and fails on a missing one); an unknown key still reads as words, not as the raw key.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "api_token.issue": _l("API token issued"),
    "api_token.revoke": _l("API token revoked"),
    "calibration.closed": _l("Calibration closed"),
    "calibration.created": _l("Calibration created"),
    "chats.import": _l("Chats imported"),
    "coaching.delete": _l("Coaching session deleted"),
    "coaching.record": _l("Coaching session recorded"),
    "course.create": _l("Course created"),
    "course.discard_draft": _l("Course draft discarded"),
    "course.draft": _l("Course draft started"),
    "course.edit": _l("Course edited"),
    "course.publish": _l("Course published"),
    "dispute.opened": _l("Dispute opened"),
    "dispute.resolved": _l("Dispute resolved"),
    "evaluation.finalise": _l("Evaluation finalised"),
    "evaluation.note": _l("Evaluation note saved"),
    "evaluation.settings": _l("Evaluation settings changed"),
    "evaluation.priority_settings": _l("Coaching priority settings changed"),
    "evaluation.reopen": _l("Final evaluation re-opened"),
    "follow_up.status": _l("Follow-up case status changed"),
    "lesson.delete": _l("Lesson deleted"),
    "lesson.save": _l("Lesson saved"),
    "question.delete": _l("Question deleted"),
    "question.save": _l("Question saved"),
    "review.attribute": _l("Review attributed"),
    "review.confirm": _l("Review confirmed"),
    "review.correct": _l("Review corrected"),
    "rubric.archived": _l("Rubric archived"),
    "rubric.restored": _l("Rubric restored"),
    "rubric.version_added": _l("Rubric version added"),
    "sample.created_by_hand": _l("Chat picked for scoring by hand"),
    "sampling_plan.created": _l("Sampling plan created"),
    "sampling_plan.run": _l("Sampling plan run"),
    "score.changed": _l("Score changed"),
    "score.submitted": _l("Score submitted"),
    "setting.changed": _l("Setting changed"),
    "shop.update": _l("Shop updated"),
    "team.save": _l("Team saved"),
    "training.assign": _l("Training assigned"),
    "training.unassign": _l("Training unassigned"),
    "user.activate": _l("User reactivated"),
    "user.create": _l("User created"),
    "user.deactivate": _l("User deactivated"),
    "user.nickname": _l("Nickname mapped"),
    "user.nickname_removed": _l("Nickname removed"),
    "user.reset_password": _l("Password reset"),
    "user.update": _l("User updated"),
}

# Model class names as stored in audit_entries.target_type.
TARGETS = {
    "ApiToken": _l("API token"),
    "Assignment": _l("Training assignment"),
    "CalibrationSession": _l("Calibration"),
    "ChatImport": _l("Chat import"),
    "CoachingSession": _l("Coaching session"),
    "Course": _l("Course"),
    "Dispute": _l("Dispute"),
    "Evaluation": _l("Evaluation"),
    "FollowUpCase": _l("Follow-up case"),
    "LeadNote": _l("Evaluation note"),
    "Review": _l("Review"),
    "Rubric": _l("Rubric"),
    "SamplingPlan": _l("Sampling plan"),
    "Score": _l("QA score"),
    "Setting": _l("Setting"),
    "Shop": _l("Shop"),
    "Team": _l("Team"),
    "User": _l("User"),
}


def action_label(key: str) -> str:
    label = ACTIONS.get(key)
    if label is not None:
        return str(label)
    return _("Other change (%(words)s)", words=_words(key))


def target_label(key: str) -> str:
    label = TARGETS.get(key)
    return str(label) if label is not None else _("Other record (%(words)s)", words=_words(key))


def _words(key: str) -> str:
    # a key added without a label still reads as words: "rubric.version_added" -> "rubric version added"
    return key.replace(".", " ").replace("_", " ")
