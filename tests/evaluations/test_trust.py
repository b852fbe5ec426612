"""Issue 18: the default period, training "behind" only past due, and final evaluations whose
evidence moved afterwards."""

from datetime import UTC, datetime, timedelta

from qa_app.audit.models import AuditEntry
from qa_app.evaluations import finals, periods, services
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db as _db

from ..factories import make_user
from .factories import make_assignment, make_course, make_score

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TZ = "Asia/Shanghai"


def test_a_page_without_a_period_shows_the_last_period_that_has_ended(app):
    with app.app_context():
        shown = services.parse_period(None)
    today = periods.local_today(TZ)
    assert shown.last_day < today
    assert shown.next().contains_day(today)


def test_a_bad_week_key_falls_back_to_the_last_complete_week(app):
    with app.app_context():
        shown = services.parse_period("nonsense", "week")
    assert shown.kind == "week" and shown.next().contains_day(periods.local_today(TZ))


def test_a_course_due_later_does_not_put_training_behind(db, team):
    _, _, (agent, _) = team
    due = periods.local_today(TZ) + timedelta(days=3)
    make_assignment(agent, make_course(), due)
    evaluation = services.evaluate(agent, periods.period_containing(due, "month", TZ))
    assert evaluation.components["training"].details["due"] == 0
    assert "low_training" not in evaluation.flags


def test_a_course_due_today_is_not_behind_yet(db, team):
    _, _, (agent, _) = team
    today = periods.local_today(TZ)
    make_assignment(agent, make_course(), today)
    training = services.evaluate(agent, periods.period_containing(today, "month", TZ)).components["training"]
    assert (training.details["due"], training.details["overdue"]) == (0, 0)


def test_a_user_created_today_is_not_behind(db, team):
    _, team_, _ = team
    newcomer = make_user(roles=("agent",), team=team_)
    make_assignment(newcomer, make_course(), periods.local_today(TZ) + timedelta(days=14))
    for period in (periods.current("month", TZ), periods.last_complete("month", TZ)):
        assert services.evaluate(newcomer, period).flags == []


def test_a_course_past_its_due_date_and_not_passed_still_counts(db, team, october):
    _, _, (agent, _) = team
    make_assignment(agent, make_course(), october.first_day + timedelta(days=4))
    training = services.evaluate(agent, october).components["training"]
    assert (training.details["due"], training.details["overdue"], training.value) == (1, 1, 0.0)


def _finalised_then_disputed(team, october):
    lead, _, (agent, _) = team
    services.save_settings(
        make_user(roles=("admin",)),  # the overall is the QA component
        {"qa": 1, "training": 0, "reviews": 0, "service": 0},
        {},
    )
    scores = [make_score(agent, total) for total in (60.0, 70.0, 70.7)]
    finals.finalise(lead, [agent], october, now=NOW)
    scores[0].total = 97.5  # a dispute moved the score after the evaluation was frozen
    _db.session.commit()
    return lead, agent, services.evaluate(agent, october)


def test_a_final_evaluation_tells_how_far_the_evidence_has_moved(db, team, october):
    _, _, evaluation = _finalised_then_disputed(team, october)
    change = finals.evidence_change(evaluation)
    assert evaluation.final and evaluation.components["qa"].value == 66.9
    assert change.components["qa"] == (66.9, 79.4)
    assert (change.frozen, change.now, change.difference) == (66.9, 79.4, 12.5)


def test_a_final_evaluation_with_unchanged_evidence_reports_no_change(db, team, october):
    lead, _, (agent, _) = team
    make_score(agent, 80.0)
    finals.finalise(lead, [agent], october, now=NOW)
    assert finals.evidence_change(services.evaluate(agent, october)) is None


def test_the_teams_lead_reopens_a_final_evaluation_and_it_is_audited(db, team, october):
    lead, agent, _ = _finalised_then_disputed(team, october)
    finals.reopen(lead, agent, october)
    _db.session.commit()
    evaluation = services.evaluate(agent, october)
    assert not evaluation.final and evaluation.components["qa"].value == 79.4
    entry = _db.session.query(AuditEntry).filter_by(action="evaluation.reopen").one()
    assert entry.actor_id == lead.id and entry.before["components"]["qa"]["value"] == 66.9


def test_an_admin_cannot_reopen_a_final_evaluation(db, team, october):
    _, agent, _ = _finalised_then_disputed(team, october)
    admin = make_user(roles=("admin",))
    assert not finals.can_reopen(admin, agent)
    assert _db.session.query(Evaluation).count() == 1
