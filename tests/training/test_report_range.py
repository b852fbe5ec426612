"""Training reports: a date range on the activity, drill-down links and a chart."""

from datetime import UTC, date, datetime, timedelta

from qa_app.training.report_range import ReportRange, range_arg
from qa_app.training.services import assigning, attempts, reports

from ..factories import make_team, make_user
from .factories import RIGHT, make_course

LONG_AGO = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)


def _one_pass_long_ago_and_one_now():
    """Two learners of a lead's team: one passed in January, one failed today."""
    lead = make_user(roles=("lead",))
    team = make_team(lead=lead)
    course = make_course(cooloff_minutes=0)
    early, late = make_user(team=team), make_user(team=team)
    assigning.assign(None, [early, late], course=course, due_on=assigning.today() + timedelta(days=3))
    attempt = attempts.start_attempt(early, course)
    attempts.submit_attempt(early, attempt, RIGHT)
    attempt.started_at, attempt.finished_at = LONG_AGO - timedelta(minutes=5), LONG_AGO
    attempts.submit_attempt(
        late, attempts.start_attempt(late, course), dict(RIGHT, **{"single-q": [0], "tf-q": False})
    )
    return lead, course


def test_a_range_counts_only_attempts_finished_in_it(app, db):
    lead, _ = _one_pass_long_ago_and_one_now()
    with app.test_request_context():
        span = ReportRange(date(2026, 1, 1), date(2026, 1, 31))
        row = reports.course_report(lead, start=span.start, end=span.end)[0]
    assert (row.attempts, row.passed_attempts) == (1, 1)


def test_without_a_range_every_attempt_counts(db):
    lead, _ = _one_pass_long_ago_and_one_now()
    assert reports.course_report(lead)[0].attempts == 2


def test_hardest_questions_follow_the_range(app, db):
    lead, _ = _one_pass_long_ago_and_one_now()
    with app.test_request_context():
        span = ReportRange(date(2026, 1, 1), date(2026, 1, 31))
        rows = reports.item_difficulty(lead, lang="en", start=span.start, end=span.end)
    assert all(r.wrong == 0 for r in rows) and rows


def test_the_range_ends_after_its_last_local_day(app):
    with app.test_request_context():
        span = ReportRange(date(2026, 1, 1), date(2026, 1, 31))
        assert span.end == datetime(2026, 1, 31, 16, 0, tzinfo=UTC)  # midnight in Shanghai


def test_reversed_dates_are_swapped(app):
    with app.test_request_context("/?start=2026-02-01&end=2026-01-01"):
        assert range_arg() == ReportRange(date(2026, 1, 1), date(2026, 2, 1))


def test_the_report_page_keeps_the_range_in_its_inputs_and_csv_link(client, auth, db):
    lead, _ = _one_pass_long_ago_and_one_now()
    auth.login_user(lead)
    page = client.get("/training/reports?start=2026-01-01&end=2026-01-31").get_data(as_text=True)
    assert (
        'name="start" value="2026-01-01"' in page
        and "courses.csv?start=2026-01-01&amp;end=2026-01-31" in page
    )


def test_a_course_row_drills_down_to_its_hardest_questions(client, auth, db):
    lead, course = _one_pass_long_ago_and_one_now()
    auth.login_user(lead)
    page = client.get("/training/reports").get_data(as_text=True)
    assert f"/training/reports?view=items&amp;course={course.id}" in page


def test_the_course_report_draws_a_completion_chart(client, auth, db):
    lead, _ = _one_pass_long_ago_and_one_now()
    auth.login_user(lead)
    page = client.get("/training/reports").get_data(as_text=True)
    assert '<svg class="chart"' in page


def test_the_overdue_report_links_each_agent_to_their_assignments(client, auth, db):
    lead = make_user(roles=("lead",))
    agent = make_user(team=make_team(lead=lead), username="late-agent")
    assigning.assign(None, [agent], course=make_course(), due_on=assigning.today() - timedelta(days=2))
    auth.login_user(lead)
    page = client.get("/training/reports?view=overdue").get_data(as_text=True)
    assert "/training/assignments?q=late-agent&amp;status=overdue" in page
