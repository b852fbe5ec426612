"""Report definitions: completion, pass rate, overdue, item difficulty, scope, CSV."""

from datetime import timedelta

from qa_app.training.services import assigning, attempts, reports

from ..factories import make_team, make_user
from .factories import RIGHT, make_course, start_attempt


def _setup():
    lead = make_user(roles=("lead",))
    team = make_team(lead=lead)
    other_team = make_team()
    course = make_course(cooloff_minutes=0)
    passer, failer, outsider = make_user(team=team), make_user(team=team), make_user(team=other_team)
    assigning.assign(
        None, [passer, failer, outsider], course=course, due_on=assigning.today() - timedelta(days=3)
    )
    # both failed attempts miss "single-q" and one other question (60 % < 80 %)
    attempts.submit_attempt(
        failer, start_attempt(failer, course), dict(RIGHT, **{"single-q": [0], "tf-q": False})
    )
    attempts.submit_attempt(
        passer, start_attempt(passer, course), dict(RIGHT, **{"single-q": [0], "multi-q": [0]})
    )
    attempts.submit_attempt(passer, start_attempt(passer, course), RIGHT)
    return lead, course, passer, failer, outsider


def test_completion_and_pass_rates_per_course(db):
    _setup()
    row = reports.course_report(make_user(roles=("trainer",)))[0]
    assert (row.assigned, row.completed, row.completion_rate) == (3, 1, 33.3)
    assert (row.attempts, row.passed_attempts, row.pass_rate) == (3, 1, 33.3)


def test_lead_sees_only_their_own_teams(db):
    lead, *_ = _setup()
    row = reports.course_report(lead)[0]
    assert (row.assigned, row.completed) == (2, 1)


def test_overdue_lists_unfinished_assignments_past_due(db):
    lead, course, passer, failer, outsider = _setup()
    rows = reports.overdue_report(make_user(roles=("trainer",)))
    assert {r.user.id for r in rows} == {failer.id, outsider.id}
    assert rows[0].days_overdue == 3


def test_item_difficulty_ranks_the_most_missed_question_first(db):
    _setup()
    rows = reports.item_difficulty(make_user(roles=("trainer",)), lang="en")
    assert rows[0].key == "single-q" and (rows[0].answered, rows[0].wrong) == (3, 2)
    assert rows[0].prompt == "Pick one"


def test_report_csv_export(client, login_as, db):
    _setup()
    login_as("trainer")
    response = client.get("/training/reports/courses.csv?headers=machine")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert text.lstrip("\ufeff").splitlines()[0].startswith("course,title,team,assigned,completed")


def test_reports_page_renders_each_view(client, login_as, db):
    _setup()
    login_as("trainer")
    for view in ("courses", "teams", "overdue", "items"):
        assert client.get(f"/training/reports?view={view}").status_code == 200


def test_recent_pass_rates_count_the_last_30_days_per_course(db):
    from qa_app.dbtypes import utcnow
    from qa_app.extensions import db as _db
    from qa_app.training.models import Attempt

    _lead, course, passer, *_ = _setup()
    untried = make_course()
    failed = next(a for a in attempts.attempts_of(passer, course) if not a.passed)
    _db.session.get(Attempt, failed.id).finished_at = utcnow() - timedelta(days=31)  # falls out
    _db.session.commit()
    assert reports.recent_pass_rates([course, untried]) == {course.id: 50.0, untried.id: None}
