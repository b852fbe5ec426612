"""Words for the automatic checks' keys and results: a page says "First response time", never
`first_response_time` (the keys stay in the data, the rubric files and machine exports)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHECK_LABELS = {
    "first_response_time": _l("First response time"),
    "longest_wait": _l("Longest wait"),
    "average_response_time": _l("Average response time"),
    "greeting": _l("Greeting"),
    "closing": _l("Closing"),
    "forbidden_phrases": _l("Forbidden phrases"),
    "unanswered_end": _l("Customer left unanswered"),
    "transfers": _l("Transfers between agents"),
    "negative_ending": _l("Negative ending"),
    "self_introduction": _l("Self-introduction"),
}
RESULT_LABELS = {"pass": _l("pass"), "fail": _l("fail"), "not_measurable": _l("not measurable")}


def check_label(name: str) -> str:
    return str(CHECK_LABELS.get(name, name))


def result_label(name: str) -> str:
    return str(RESULT_LABELS.get(name, name))
