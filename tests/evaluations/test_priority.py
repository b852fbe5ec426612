"""The coaching list is selective, ranked, tunable per lead, and says why each agent is on it."""

from types import SimpleNamespace

import pytest

from qa_app.audit.models import AuditEntry
from qa_app.evaluations import priority
from qa_app.evaluations.formula import Component
from qa_app.evaluations.services import EvaluationError

DEFAULTS = priority.PrioritySettings()


def _row(agent_id: int, critical: int = 0, overdue: int = 0, **values):
    """An evaluation with the given component values (enough data for each one given)."""
    components = {}
    for key in ("qa", "training", "reviews", "service"):
        value = values.get(key)
        details = {"critical_failures": critical} if key == "qa" else {}
        if key == "training":
            details["overdue"] = overdue
        components[key] = Component(key, value, 50 if value is not None else 0, 1, details)
    return SimpleNamespace(
        agent=SimpleNamespace(id=agent_id, display_name=f"Agent {agent_id:02d}"), components=components
    )


def _team(reviews_values, **others):
    return [_row(i, reviews=value, **others) for i, value in enumerate(reviews_values, 1)]


def test_a_team_criticised_alike_needs_no_one_coached_first():
    # November in the demo: nearly everyone has three criticisms and a review index in the 60s
    rows = _team([58 + i % 7 for i in range(20)], qa=85)
    assert priority.rank(rows, [], DEFAULTS) == []


def test_an_agent_far_below_the_team_is_listed_with_the_gap():
    rows = _team([60] * 9 + [40], qa=85)
    [candidate] = priority.rank(rows, [], DEFAULTS)
    assert candidate.evaluation.agent.id == 10
    [reason] = candidate.reasons
    assert (reason.code, reason.component, reason.value) == ("low_vs_team", "reviews", 40)
    assert reason.reference == 58.0 and reason.difference == -18.0


def test_a_component_above_the_low_threshold_is_not_listed_for_its_gap():
    rows = _team([95] * 9 + [75], qa=85)
    assert priority.rank(rows, [], DEFAULTS) == []


def test_a_fall_since_the_previous_period_is_a_reason():
    before = [_row(1, qa=92), _row(2, qa=80)]
    now = [_row(1, qa=78), _row(2, qa=80)]
    [candidate] = priority.rank(now, before, DEFAULTS)
    [reason] = candidate.reasons
    assert (reason.code, reason.component, reason.reference, reason.value) == ("falling", "qa", 92, 78)
    assert reason.difference == -14.0


def test_a_critical_failure_always_lists_the_agent_first():
    rows = _team([60] * 8 + [30], qa=85) + [_row(99, critical=1, qa=85, reviews=60)]
    ranked = priority.rank(rows, [], DEFAULTS)
    assert [c.evaluation.agent.id for c in ranked] == [99, 9]
    assert ranked[0].reasons[0].code == "critical_failures"


def test_the_leads_top_n_are_the_furthest_behind():
    rows = [_row(i, qa=value) for i, value in enumerate([90, 90, 90, 90, 90, 50, 40, 30], 1)]
    ranked = priority.rank(rows, [], priority.PrioritySettings(top=2))
    assert [c.evaluation.agent.id for c in ranked[:2]] == [8, 7]
    assert len(ranked) == 3  # the page shows 2 and says one more has a reason


def test_stored_settings_out_of_range_fall_back_to_the_defaults():
    settings = priority.PrioritySettings.from_value({"top": 0, "low": "x", "gap": 5, "drop": 500})
    assert settings == priority.PrioritySettings(gap=5.0)


def test_a_lead_keeps_own_thresholds_and_the_change_is_audited(db, team):
    lead, _, _ = team
    priority.save_settings(lead, {"top": 3, "low": 65, "gap": 8, "drop": 12})
    db.session.commit()
    assert priority.settings_for(lead) == priority.PrioritySettings(3, 65.0, 8.0, 12.0)
    entry = db.session.query(AuditEntry).filter_by(action="evaluation.priority_settings").one()
    assert entry.actor_id == lead.id and entry.after["top"] == 3


def test_another_leads_thresholds_stay_the_defaults(db, team):
    lead, _, _ = team
    priority.save_settings(lead, {"top": 3, "low": 65, "gap": 8, "drop": 12})
    db.session.commit()
    other = type(lead)(id=lead.id + 1000)
    assert priority.settings_for(other) == DEFAULTS


def test_a_threshold_out_of_range_is_refused_naming_the_field(db, team):
    lead, _, _ = team
    with pytest.raises(EvaluationError, match="最多显示"):
        priority.save_settings(lead, {"top": 0, "low": 65, "gap": 8, "drop": 12})
