"""How far the stored automatic checks agree with a QA specialist's verdicts.

`chats autoqa --evaluate LABELS.csv` (../shared/FORMATS.md): the labels name chats by `chat_id`
(and optionally `shop`, for ids used by several shops) and hold one column per check with `pass`,
`fail`, `not_measurable` or empty (not judged). Nothing is recomputed: the checks as stored are
what QA specialists see pre-filled, so those are what is measured.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..accounts.models import Shop
from ..extensions import db
from .checks import CHECKS
from .models import RESULTS, Chat, CheckResult

FAIL = "fail"


class LabelsRejected(ValueError):
    """A labels file that cannot be compared: names the file, line and column."""


@dataclass
class Verdicts:
    line: int
    chat_id: str
    shop: str | None
    verdicts: dict[str, str]


@dataclass
class CheckAgreement:
    check: str
    judged: int = 0
    agreed: int = 0
    predicted_fail: int = 0
    labelled_fail: int = 0
    true_fail: int = 0
    disagreeing: list[tuple[str, str, str]] = field(default_factory=list)  # id, label, stored

    def add(self, chat_id: str, label: str, stored: str) -> None:
        self.judged += 1
        self.agreed += label == stored
        self.predicted_fail += stored == FAIL
        self.labelled_fail += label == FAIL
        self.true_fail += label == FAIL and stored == FAIL
        if label != stored:
            self.disagreeing.append((chat_id, label, stored))

    @property
    def agreement(self) -> float | None:
        return _share(self.agreed, self.judged)

    @property
    def fail_precision(self) -> float | None:
        return _share(self.true_fail, self.predicted_fail)

    @property
    def fail_recall(self) -> float | None:
        return _share(self.true_fail, self.labelled_fail)

    def as_dict(self) -> dict:
        return {
            "check": self.check,
            "judged": self.judged,
            "agreement": self.agreement,
            "fail_precision": self.fail_precision,
            "fail_recall": self.fail_recall,
            "disagreeing": [chat_id for chat_id, _label, _stored in self.disagreeing],
        }


def _share(part: int, whole: int) -> float | None:
    """None, never 0, when there is nothing to divide by."""
    return round(part / whole, 3) if whole else None


def read_labels(path: str | Path) -> tuple[list[str], list[Verdicts]]:
    """The check columns the file holds and its rows; LabelsRejected on a bad header or value."""
    name = Path(path).name
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if "chat_id" not in header:
            raise LabelsRejected(f"{name}:1: chat_id: required column is missing")
        checks = [column for column in header if column in CHECKS]
        if not checks:
            raise LabelsRejected(f"{name}:1: no column names a check ({', '.join(CHECKS)})")
        rows = []
        for row in reader:
            line = reader.line_num
            chat_id = (row.get("chat_id") or "").strip()
            if not chat_id:
                raise LabelsRejected(f"{name}:{line}: chat_id: required field is empty")
            verdicts = {}
            for check in checks:
                value = (row.get(check) or "").strip()
                if value and value not in RESULTS:
                    raise LabelsRejected(
                        f"{name}:{line}: {check}: unknown verdict {value!r} "
                        f"(pass, fail, not_measurable or empty)"
                    )
                if value:
                    verdicts[check] = value
            rows.append(Verdicts(line, chat_id, (row.get("shop") or "").strip() or None, verdicts))
    return checks, rows


def _stored(rows: list[Verdicts], name: str) -> dict[int, dict[str, str]]:
    """Per labels row (by index) the stored results; LabelsRejected naming unknown or ambiguous ids."""
    ids = sorted({row.chat_id for row in rows})
    chats: dict[str, list[tuple[int, str]]] = {}
    for start in range(0, len(ids), 500):
        query = (
            sa.select(Chat.external_id, Chat.id, Shop.slug)
            .join(Shop, Shop.id == Chat.shop_id)
            .where(Chat.external_id.in_(ids[start : start + 500]))
        )
        for external_id, chat_id, slug in db.session.execute(query):
            chats.setdefault(external_id, []).append((chat_id, slug))
    found: dict[int, int] = {}
    for index, row in enumerate(rows):
        matches = [c for c, slug in chats.get(row.chat_id, []) if row.shop in (None, slug)]
        if not matches:
            raise LabelsRejected(
                f"{name}:{row.line}: chat_id: unknown chat {row.chat_id!r}"
                + (f" in shop {row.shop!r}" if row.shop else "")
            )
        if len(matches) > 1:
            raise LabelsRejected(
                f"{name}:{row.line}: chat_id: {row.chat_id!r} is stored in several shops; add a shop column"
            )
        found[index] = matches[0]
    results: dict[int, dict[str, str]] = {chat_id: {} for chat_id in found.values()}
    chat_ids = sorted(results)
    for start in range(0, len(chat_ids), 500):
        query = sa.select(CheckResult.chat_id, CheckResult.check, CheckResult.result).where(
            CheckResult.chat_id.in_(chat_ids[start : start + 500])
        )
        for chat_id, check, result in db.session.execute(query):
            results[chat_id][check] = result
    return {index: results[chat_id] for index, chat_id in found.items()}


def evaluate(path: str | Path) -> list[CheckAgreement]:
    """Per check column of the labels file, in file order: judged, agreement, fail precision and
    recall, and the chats where the stored result differs ("" when the check was never stored)."""
    checks, rows = read_labels(path)
    stored = _stored(rows, Path(path).name)
    agreements = {check: CheckAgreement(check) for check in checks}
    for index, row in enumerate(rows):
        for check, label in row.verdicts.items():
            agreements[check].add(row.chat_id, label, stored[index].get(check, ""))
    return list(agreements.values())
