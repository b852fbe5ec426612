"""QA reports: criteria most often failed."""

from datetime import date

from qa_app.qa import reports

from .factories import make_chat, submitted_score


def test_criteria_failed_counts_fails_and_mean_fraction_over_answered_criteria(app, db, rubric, team_setup):
    agent, qa = team_setup["agent"], team_setup["qa"]
    submitted_score(make_chat(agent), rubric, qa, {"greeting": 0, "answer": 5, "offers": "na", "honest": 1})
    submitted_score(make_chat(agent), rubric, qa, {"greeting": 1, "answer": 3, "offers": 0, "honest": 1})
    submitted_score(make_chat(agent), rubric, qa, {"greeting": 0, "answer": 1, "offers": 4, "honest": 1})
    with app.test_request_context():
        rows = reports.criteria_failed(
            reports.Filters(start=date(2020, 1, 1), end=date(2100, 1, 1)), zh=False
        )
    by_key = {r["key"]: (r["answered"], r["failed"], r["fail_rate"], r["mean_fraction"]) for r in rows}
    assert by_key == {
        "greeting": (3, 2, 66.7, 33.3),
        "answer": (3, 1, 33.3, 50.0),
        "offers": (2, 1, 50.0, 50.0),
        "honest": (3, 0, 0.0, 100.0),
    }
    assert [r["key"] for r in rows] == ["greeting", "offers", "answer", "honest"]
