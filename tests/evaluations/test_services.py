"""Evaluations computed from rows of the other domains, without HTTP."""

from datetime import UTC, date, datetime, timedelta

import pytest

from qa_app.audit.models import AuditEntry
from qa_app.evaluations import coaching, finals, periods, services
from qa_app.evaluations.models import Evaluation

from ..factories import make_user
from ..sql import counted
from .factories import (
    make_assignment,
    make_attempt,
    make_chat,
    make_course,
    make_review,
    make_rubric,
    make_score,
    make_team_with_agents,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_qa_component_is_mean_of_submitted_scores_in_the_period(db, team, october):
    _, _, (agent, _) = team
    for total in (80, 90, 100):
        make_score(agent, total)
    make_score(agent, 10, status="draft")  # not submitted
    make_score(agent, 10, submitted_at=october.end + timedelta(hours=1))  # next period
    evaluation = services.evaluate(agent, october)
    assert evaluation.components["qa"].value == 90.0
    assert evaluation.components["qa"].count == 3


def test_score_at_local_month_end_counts_in_that_month(db, team, october):
    _, _, (agent, _) = team
    # 23:30 on 31 October in Shanghai is 15:30 UTC
    make_score(agent, 70, submitted_at=datetime(2026, 10, 31, 15, 30, tzinfo=UTC))
    assert services.evaluate(agent, october).components["qa"].count == 1


def test_all_na_scores_are_left_out_of_the_qa_mean(db, team, october):
    _, _, (agent, _) = team
    make_score(agent, 80)
    make_score(agent, None)
    assert services.evaluate(agent, october).components["qa"].count == 1


def test_critical_failures_are_counted(db, team, october):
    _, _, (agent, _) = team
    make_score(agent, 0, critical_failed=True)
    make_score(agent, 90)
    assert services.evaluate(agent, october).components["qa"].details["critical_failures"] == 1


def test_review_component_counts_only_the_agents_reviews(db, team, october):
    _, _, (agent, other) = team
    for polarity in ("praise", "praise", "praise", "criticism", "none"):
        make_review(agent, polarity)
    make_review(other, "criticism")
    reviews = services.evaluate(agent, october).components["reviews"]
    assert (reviews.details["praise"], reviews.details["criticism"], reviews.details["total"]) == (3, 1, 5)
    assert reviews.value == 75.0


def test_service_component_is_first_response_compliance(db, team, october):
    _, _, (agent, _) = team
    for result in ["pass"] * 3 + ["fail"] + ["not_measurable"]:
        make_chat(agent, first_response=result)
    service = services.evaluate(agent, october).components["service"]
    assert service.value == 75.0
    assert service.details["chats"] == 5
    assert service.state == "too_little"  # 4 measured, 10 needed by default


def test_chat_never_answered_counts_as_too_slow(db, team, october):
    _, _, (agent, _) = team
    make_chat(agent, first_response="pass")
    make_chat(agent, first_response="fail", unanswered=True)
    service = services.evaluate(agent, october).components["service"]
    assert (service.details["passed"], service.details["failed"]) == (1, 1)
    assert service.details["average_first_response"] == 40.0


def test_training_counts_courses_completed_by_their_due_date(db, team, october):
    _, _, (agent, _) = team
    on_time, late, never = make_course(), make_course(), make_course()
    make_assignment(agent, on_time, date(2026, 10, 15))
    make_assignment(agent, late, date(2026, 10, 5))
    make_assignment(agent, never, date(2026, 10, 20))
    make_attempt(agent, on_time, 90, finished_at=datetime(2026, 10, 14, 2, tzinfo=UTC))
    make_attempt(agent, late, 70, finished_at=datetime(2026, 10, 10, 2, tzinfo=UTC))
    training = services.evaluate(agent, october).components["training"]
    assert (training.details["due"], training.details["on_time"]) == (3, 1)
    assert training.details["overdue"] == 2  # `late` was never passed either
    assert training.details["quiz_average"] == 80.0
    assert training.value == pytest.approx(0.5 * 100 / 3 + 0.5 * 80, abs=0.05)


def test_agent_without_any_evidence_has_no_overall(db, team, october):
    _, _, (agent, _) = team
    evaluation = services.evaluate(agent, october)
    assert evaluation.overall is None
    assert all(c.state == "no_data" for c in evaluation.components.values())


def test_weights_come_from_the_settings(db, team, october):
    lead, _, (agent, _) = team
    admin = make_user(roles=("admin",))
    services.save_settings(
        admin,
        {"qa": 1, "training": 0, "reviews": 0, "service": 0},
        {"qa": 1, "training": 1, "reviews": 1, "service": 1},
    )
    make_score(agent, 64)
    make_review(agent, "criticism")
    evaluation = services.evaluate(agent, october)
    assert evaluation.overall == 64.0
    assert db.session.query(AuditEntry).filter_by(action="evaluation.settings").count() == 1


def test_finalised_evaluation_keeps_its_numbers_when_evidence_changes(db, team, october):
    lead, _, (agent, _) = team
    for total in (80, 90, 100):
        make_score(agent, total)
    finals.finalise(lead, [agent], october, now=NOW)
    make_score(agent, 0)
    services.save_settings(
        make_user(roles=("admin",)), {"qa": 5, "training": 5, "reviews": 5, "service": 5}, {}
    )
    evaluation = services.evaluate(agent, october)
    assert evaluation.final
    assert evaluation.components["qa"].value == 90.0
    assert evaluation.weights["qa"] == 40.0


def test_finalising_is_audited_with_the_snapshot(db, team, october):
    lead, _, agents = team
    assert finals.finalise(lead, agents, october, now=NOW) == 2
    entries = db.session.query(AuditEntry).filter_by(action="evaluation.finalise").all()
    assert len(entries) == 2
    assert entries[0].after["period"] == "2026-10"


def test_finalising_twice_changes_nothing(db, team, october):
    lead, _, agents = team
    finals.finalise(lead, agents, october, now=NOW)
    assert finals.finalise(lead, agents, october, now=NOW) == 0
    assert db.session.query(Evaluation).count() == 2


def test_a_period_that_has_not_ended_cannot_be_finalised(db, team):
    lead, _, agents = team
    with pytest.raises(services.EvaluationError):
        finals.finalise(lead, agents, periods.parse("2026-11"), now=NOW)


def test_a_lead_cannot_finalise_another_teams_agent(db, team, october):
    other_lead, _, _ = make_team_with_agents(1)
    with pytest.raises(services.EvaluationError):
        finals.finalise(other_lead, team[2], october, now=NOW)


def test_notes_are_frozen_with_the_evaluation(db, team, october):
    lead, _, (agent, _) = team
    finals.save_note(lead, agent, october, praise="耐心", criticism="回复慢")
    finals.finalise(lead, [agent], october, now=NOW)
    with pytest.raises(services.EvaluationError):
        finals.save_note(lead, agent, october, praise="x", criticism="y")
    assert services.evaluate(agent, october).note_criticism == "回复慢"


def test_lead_sees_only_agents_of_own_teams(db, team):
    lead, _, agents = team
    make_team_with_agents(2)
    assert {a.id for a in services.visible_agents(lead)} == {a.id for a in agents}


def test_sorting_puts_missing_values_last(db, team, october):
    _, _, (first, second) = team
    for _ in range(3):
        make_score(second, 70)
    rows = services.evaluate_many([first, second], october)
    assert [e.agent.id for e in services.sort_rows(rows, "qa", descending=False)] == [second.id, first.id]
    assert [e.agent.id for e in services.sort_rows(rows, "qa", descending=True)] == [second.id, first.id]


def test_coaching_outcome_compares_criterion_before_and_after(db, team):
    lead, _, (agent, _) = team
    version = make_rubric()
    before = datetime(2026, 9, 20, 2, tzinfo=UTC)
    after = datetime(2026, 10, 20, 2, tzinfo=UTC)
    make_score(agent, 50, before, version=version, values={"greeting": 0})
    make_score(agent, 50, before, version=version, values={"greeting": 1})
    make_score(agent, 100, after, version=version, values={"greeting": 1})
    session = coaching.record_session(
        lead,
        agent,
        held_on=date(2026, 10, 1),
        notes="问候语",
        actions="每次先问候",
        follow_up_on=date(2026, 10, 31),
        criterion_keys=["greeting"],
    )
    (result,) = coaching.outcome(session, periods.parse("2026-10").end)
    assert (result.before, result.after, result.change) == (0.5, 1.0, "improved")


def test_coaching_links_only_the_agents_own_chats(db, team):
    lead, _, (agent, other) = team
    chat = make_chat(other)
    with pytest.raises(services.EvaluationError):
        coaching.record_session(
            lead,
            agent,
            held_on=date(2026, 10, 1),
            notes="x",
            actions="",
            follow_up_on=None,
            chat_ids=[chat.id],
        )


def test_another_lead_cannot_record_coaching(db, team):
    other_lead, _, _ = make_team_with_agents(1)
    with pytest.raises(services.EvaluationError):
        coaching.record_session(
            other_lead, team[2][0], held_on=date(2026, 10, 1), notes="x", actions="", follow_up_on=None
        )


def test_sources_use_one_query_per_source_whatever_the_number_of_agents(db, october):
    _, _, agents = make_team_with_agents(6)
    for agent in agents:
        make_score(agent, 80)
        make_review(agent)
        make_chat(agent)
    [agent.display_name for agent in agents]  # reload what the commits expired
    with counted() as statements:
        services.evaluate_many(agents, october)
    selects = [s.split("FROM")[1].split()[0] for s in statements if s.startswith("SELECT")]
    # constant: evaluations, settings, input stamps, cache, one per source, notes
    assert len(selects) <= 12, selects


def test_coaching_priority_sort_puts_the_most_flagged_agent_first(db, team, october):
    _, _, (fine, flagged) = team
    make_score(flagged, 0, critical_failed=True)
    rows = services.evaluate_many([fine, flagged], october)
    assert services.sort_rows(rows, "priority", descending=True)[0].agent.id == flagged.id
