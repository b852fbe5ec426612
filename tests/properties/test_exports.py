"""Every CSV and .xlsx download defuses cells a spreadsheet would run as a formula.

The data behind each export is full of formula look-alikes (= + - @, tab, carriage return) in
every text it exports: names, team names, course titles, question prompts, rubric titles,
review texts, evidence, reasons. Every cell of every export must come out either as a number
or with a leading apostrophe. Export routes are found in the URL map: a new one without an
entry in EXPORTS fails test_every_export_route_is_checked.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from qa_app import create_app
from qa_app.audit.services import record
from qa_app.dbtypes import utcnow
from qa_app.extensions import db as _db
from qa_app.jobs.models import Job
from qa_app.reviews.models import ReviewCorrection
from qa_app.training.services import assigning, attempts

from ..conftest import TEST_CONFIG
from ..evaluations.factories import make_rubric, make_score
from ..factories import make_shop, make_team, make_user
from ..reviews.factories import make_review
from ..training.factories import QUESTIONS, RIGHT, make_course, start_attempt, t

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = {
    "lead": "=cmd|' /C calc'!A0",
    "team": "+1+1",
    "agent": "-2+3",
    "username": "@agent",
    "course": '=HYPERLINK("http://x")',
    "prompt": "\t=1+1",
    "rubric": "\r=1+1",
    "review": "=2*3",
    "evidence": "@SUM(1,1)",
    "rule": "-1-1",
    "reason": "+cmd",
    "comment": "=comment",
}
NUMBER = re.compile(r"-?\d+(\.\d+)?")

#: endpoint -> URLs to fetch (as an admin) for it
EXPORTS = {
    "training.reports_csv": [
        f"/training/reports/{view}.csv" for view in ("courses", "teams", "overdue", "items")
    ],
    "reviews.export": ["/reviews/export.csv"],
    "reviews.corrections_csv": ["/reviews/corrections.csv"],
    "evaluations.export_csv": ["/evaluations/export.csv"],
    "evaluations.export_xlsx": ["/evaluations/export.xlsx"],
    "qa.reports_scores_csv": ["/qa/reports/scores.csv"],
    "qa.reports_criteria_csv": ["/qa/reports/criteria.csv"],
    "audit.export": ["/admin/audit.csv"],
    "jobs.rejects": ["/jobs/{job}/rejects.csv"],
}


def _export_endpoints() -> set[str]:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith((".csv", ".xlsx")) and "GET" in rule.methods
    }


def test_every_export_route_is_checked():
    assert _export_endpoints() == set(EXPORTS)


@pytest.fixture
def hostile(db):
    """One agent's data in every domain, each text a formula."""
    lead = make_user(roles=("lead",), display_name=PAYLOADS["lead"])
    team = make_team(lead=lead, name=PAYLOADS["team"])
    agent = make_user(team=team, display_name=PAYLOADS["agent"], username=PAYLOADS["username"])
    questions = [dict(q, position=i, prompt=t(PAYLOADS["prompt"])) for i, q in enumerate(QUESTIONS)]
    course = make_course(title=t(PAYLOADS["course"]), questions=questions, cooloff_minutes=0)
    assigning.assign(None, [agent], course=course, due_on=assigning.today() - timedelta(days=3))
    attempts.submit_attempt(
        agent, start_attempt(agent, course), dict(RIGHT, **{"single-q": [0], "tf-q": False})
    )
    version = make_rubric()
    version.title_en = version.title_zh = PAYLOADS["rubric"]
    score = make_score(agent, 80.0, utcnow() - timedelta(days=1), version=version, values={"greeting": 1})
    for item in score.items:
        item.comment = PAYLOADS["comment"]
    review = make_review(
        shop=make_shop(),
        agent=agent,
        text=PAYLOADS["review"],
        evidence=PAYLOADS["evidence"],
        attribution_rule=PAYLOADS["rule"],
        created_at=utcnow() - timedelta(days=1),
        corrected=True,
    )
    _db.session.add(
        ReviewCorrection(
            review=review,
            field="sentiment",
            old="positive",
            new="negative",
            reason=PAYLOADS["reason"],
            by_id=lead.id,
        )
    )
    # an audit entry by the hostile lead, and an import job whose rejected line quotes the file
    record(lead, "review.correct", review, reason=PAYLOADS["reason"])
    job = Job(
        kind="chats.import",
        owner_id=lead.id,
        status="failed",
        result={
            "problems": [
                {"file": PAYLOADS["rule"], "line": 3, "field": "text", "message": PAYLOADS["review"]}
            ]
        },
    )
    _db.session.add(job)
    _db.session.commit()
    return {"job": job.id}


def cells(response) -> list[str | float | int]:
    if response.mimetype.endswith("spreadsheetml.sheet"):
        sheet = load_workbook(io.BytesIO(response.data)).active
        return [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def formulas(values) -> list[str]:
    return [v for v in values if isinstance(v, str) and v.startswith(DANGEROUS) and not NUMBER.fullmatch(v)]


@pytest.mark.parametrize("url", [url for urls in EXPORTS.values() for url in urls])
def test_export_defuses_every_formula(client, login_as, hostile, url):
    login_as("admin")
    response = client.get(url.format(**hostile))
    assert response.status_code == 200, response.status_code
    values = cells(response)
    assert not formulas(values), formulas(values)
    defused = {v[1:] for v in values if isinstance(v, str) and v.startswith("'")}
    assert defused & set(PAYLOADS.values()), f"{url}: none of the payloads exported"
