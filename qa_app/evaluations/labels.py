"""Words for the codes the formula returns (flags, outliers, component states)."""

from __future__ import annotations

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from .forms import COMPONENT_LABELS

FLAG_LABELS = {
    "critical_failures": _l("Critical failures in QA"),
    "low_overall": _l("Low overall"),
    "low_qa": _l("Low QA score"),
    "low_training": _l("Training behind"),
    "low_reviews": _l("Customers criticise the service"),
    "low_service": _l("Slow first responses"),
    "many_criticisms": _l("Many criticisms in reviews"),
    "overdue_training": _l("Overdue required courses"),
}
OUTLIER_LABELS = {
    "high_qa_many_criticisms": _l("High QA score but many criticisms"),
    "low_qa_much_praise": _l("Low QA score but much praise"),
    "high_qa_slow_service": _l("High QA score but slow first responses"),
}
STATE_LABELS = {
    "ok": _l("enough data"),
    "too_little": _l("too little data"),
    "no_data": _l("no data"),
}
CHANGE_LABELS = {
    "improved": _l("improved"),
    "worse": _l("got worse"),
    "same": _l("unchanged"),
    "unknown": _l("not enough scores yet"),
}
KIND_LABELS = {"week": _l("Week"), "month": _l("Month"), "quarter": _l("Quarter")}
SORT_LABELS = {
    "name": _l("Agent"),
    "overall": _l("Overall"),
    **COMPONENT_LABELS,
    "priority": _l("Coaching priority"),
}


def label(kind: str, code: str) -> str:
    table = {
        "flag": FLAG_LABELS,
        "outlier": OUTLIER_LABELS,
        "state": STATE_LABELS,
        "change": CHANGE_LABELS,
        "component": COMPONENT_LABELS,
        "kind": KIND_LABELS,
    }[kind]
    return str(table.get(code, code))


def reason_text(reason) -> str:
    """Why an agent is on the coaching list (priority.Reason), with the numbers."""
    component = str(COMPONENT_LABELS.get(reason.component, reason.component or ""))
    if reason.code == "critical_failures":
        return ngettext(
            "%(num)s critical failure in QA", "%(num)s critical failures in QA", int(reason.value or 0)
        )
    if reason.code == "overdue_training":
        return ngettext(
            "%(num)s required course overdue", "%(num)s required courses overdue", int(reason.value or 0)
        )
    if reason.code == "low_vs_team":
        return gettext(
            "%(component)s %(value).1f: %(difference).1f points below the team's %(team).1f",
            component=component,
            value=reason.value,
            difference=-reason.difference,
            team=reason.reference,
        )
    if reason.code == "falling":
        return gettext(
            "%(component)s fell from %(before).1f to %(value).1f (%(difference).1f)",
            component=component,
            before=reason.reference,
            value=reason.value,
            difference=reason.difference,
        )
    return reason.code
