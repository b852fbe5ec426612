"""A score's change history as people read it: who, when (in the shop's zone, to the minute),
what happened in words, and each changed field from -> to with its label, never audit keys."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit.labels import action_label
from ..audit.models import AuditEntry
from ..audit.services import history
from ..i18n import local_datetime
from .models import Score
from .scores import ROOT_CAUSES

FIELD_LABELS = {
    "status": _l("Status"),
    "total": _l("Total"),
    "critical_failed": _l("Critical criterion failed"),
    "praise": _l("What went well"),
    "criticism": _l("What must improve"),
    "root_causes": _l("Root causes"),
}
STATUS_LABELS = {"draft": _l("Draft"), "submitted": _l("Submitted")}
#: fields a first submission shows (the rest is the score itself, shown above the history)
ON_SUBMIT = ("total", "critical_failed")
TEXT_SHOWN = 80


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the field had no value before (a first submission)
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: str
    who: str
    what: str
    changes: list[Change]
    reason: str


def score_history(score: Score) -> list[HistoryRow]:
    titles = {c.key: c.t("title") for c in score.rubric_version.criteria}
    return [_row(entry, titles) for entry in history("Score", score.id)]


def _row(entry: AuditEntry, titles: dict[str, str]) -> HistoryRow:
    before, after = entry.before or {}, entry.after or {}
    if entry.before is None:
        changes = [Change(_field(k, titles), None, _value(k, after.get(k))) for k in ON_SUBMIT if k in after]
    else:
        changes = _differences(before, after, titles)
    return HistoryRow(
        local_datetime(entry.at),
        entry.actor.display_name if entry.actor else "—",
        action_label(entry.action),
        changes,
        entry.reason or "",
    )


def _differences(before: dict, after: dict, titles: dict[str, str]) -> list[Change]:
    changes = []
    for key in after:
        if key == "values":
            old, new = before.get("values") or {}, after.get("values") or {}
            changes += [
                Change(titles.get(k, k), _answer(old.get(k)), _answer(new.get(k)))
                for k in new
                if old.get(k) != new.get(k)
            ]
        elif before.get(key) != after.get(key):
            changes.append(
                Change(_field(key, titles), _value(key, before.get(key)), _value(key, after.get(key)))
            )
    return changes


def _field(key: str, titles: dict[str, str]) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else titles.get(key, key.replace("_", " "))


def _answer(value) -> str:
    if value is None:
        return "—"
    if value == "n/a":
        return _("N/A")
    return f"{value:g}" if isinstance(value, float | int) else str(value)


def _value(key: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "status":
        return str(STATUS_LABELS.get(value, value))
    if key == "total":
        return f"{value:.1f}"
    if key == "critical_failed":
        return _("yes") if value else _("no")
    if key == "root_causes":
        return ", ".join(str(ROOT_CAUSES.get(code, code)) for code in value)
    text = str(value)
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"
