"""Evaluations as CSV (UTF-8 with BOM, for Excel) and .xlsx.

Cells that a spreadsheet would read as a formula (starting with = + - @, or tab / carriage
return) are prefixed with an apostrophe: an agent's name or a lead's note can never run code.
"""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from ..spreadsheets import safe_cell
from .formula import COMPONENTS


def header() -> list[str]:
    return [
        _("Agent"),
        _("Username"),
        _("Team"),
        _("Period"),
        _("Status"),
        _("Overall"),
        _("QA"),
        _("Number of QA scores"),
        _("Critical failures"),
        _("Training"),
        _("Courses due"),
        _("Completed on time"),
        _("Quiz average"),
        _("Review index"),
        _("Praise"),
        _("Criticism"),
        _("Mixed"),
        _("Average service rating"),
        _("Service"),
        _("Chats handled"),
        _("First response within limit"),
        _("Average first response (s)"),
        _("Lead's praise"),
        _("Lead's criticism"),
        *[_("Weight: %(name)s", name=key) for key in COMPONENTS],
    ]


def _value(component):
    return component.value if component.enough else None


def row(evaluation) -> list:
    c = evaluation.components
    qa, training, reviews, service = c["qa"], c["training"], c["reviews"], c["service"]
    return [
        evaluation.agent.display_name,
        evaluation.agent.username,
        evaluation.agent.team.name if evaluation.agent.team else "",
        evaluation.period.key,
        _("final") if evaluation.final else _("draft"),
        evaluation.overall,
        _value(qa),
        qa.count,
        qa.details.get("critical_failures"),
        _value(training),
        training.details.get("due"),
        training.details.get("on_time"),
        training.details.get("quiz_average"),
        _value(reviews),
        reviews.details.get("praise"),
        reviews.details.get("criticism"),
        reviews.details.get("mixed"),
        reviews.details.get("average_service_rating"),
        _value(service),
        service.details.get("chats"),
        service.details.get("passed"),
        service.details.get("average_first_response"),
        evaluation.note_praise,
        evaluation.note_criticism,
        *[evaluation.weights.get(k) for k in COMPONENTS],
    ]


def to_csv(evaluations) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(v) for v in header()])
    for evaluation in evaluations:
        writer.writerow([safe_cell(v) for v in row(evaluation)])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(evaluations, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([safe_cell(v) for v in header()])
    for evaluation in evaluations:
        sheet.append([safe_cell(v) for v in row(evaluation)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
