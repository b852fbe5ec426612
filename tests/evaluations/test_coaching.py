"""Coaching dates stay within the window pages compute with; the agent's lead deletes a session."""

from datetime import date

import pytest

from qa_app.audit.models import AuditEntry
from qa_app.evaluations import coaching
from qa_app.evaluations.models import CoachingSession
from qa_app.evaluations.services import EvaluationError
from qa_app.extensions import db as _db

from ..factories import make_user
from .factories import make_team_with_agents


def _stored_session(lead, agent, held_on=date(2026, 10, 1)) -> CoachingSession:
    """A session written straight to the table, as rows typed before dates were checked are."""
    session = CoachingSession(
        agent_id=agent.id,
        lead_id=lead.id,
        held_on=held_on,
        notes="旧记录",
        actions="",
        criterion_keys=["greeting"],
        chat_ids=[],
        review_ids=[],
    )
    _db.session.add(session)
    _db.session.commit()
    return session


def test_coaching_dated_year_one_is_refused_beside_the_field(client, auth, db, team):
    lead, _, (agent, _) = team
    auth.login_user(lead)
    response = client.post(
        "/evaluations/coaching", data={"agent_id": agent.id, "held_on": "0001-01-01", "notes": "x"}
    )
    assert response.status_code == 200
    assert "Choose a date between 2000-01-01 and 2099-12-31." in response.get_data(as_text=True)
    assert db.session.query(CoachingSession).count() == 0


def test_follow_up_at_the_calendars_end_is_refused(client, auth, db, team):
    lead, _, (agent, _) = team
    auth.login_user(lead)
    client.post(
        "/evaluations/coaching",
        data={"agent_id": agent.id, "held_on": "2026-11-20", "notes": "x", "follow_up_on": "9999-12-31"},
    )
    assert db.session.query(CoachingSession).count() == 0


def test_record_session_refuses_a_date_outside_the_window(db, team):
    lead, _, (agent, _) = team
    with pytest.raises(EvaluationError):
        coaching.record_session(lead, agent, held_on=date(1, 1, 1), notes="x", actions="", follow_up_on=None)


def test_agent_page_opens_with_a_session_stored_at_year_one(client, auth, db, team):
    lead, _, (agent, _) = team
    _stored_session(lead, agent, held_on=date(1, 1, 1))
    auth.login_user(agent)
    response = client.get(f"/evaluations/agents/{agent.id}?period=2026-10")
    assert response.status_code == 200
    assert "旧记录" in response.get_data(as_text=True)


def test_lead_deletes_a_session_of_their_agent(client, auth, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    auth.login_user(lead)
    response = client.post(f"/evaluations/coaching/{session_id}/delete")
    assert response.status_code == 302
    assert db.session.get(CoachingSession, session_id) is None


def test_deleting_a_session_is_audited_with_what_it_said(client, auth, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    auth.login_user(lead)
    client.post(f"/evaluations/coaching/{session_id}/delete")
    entry = db.session.query(AuditEntry).filter_by(action="coaching.delete").one()
    assert (entry.actor_id, entry.target_id, entry.before["notes"]) == (lead.id, str(session_id), "旧记录")


def test_another_teams_lead_cannot_delete_a_session(client, auth, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    other_lead, _, _ = make_team_with_agents(1)
    auth.login_user(other_lead)
    assert client.post(f"/evaluations/coaching/{session_id}/delete").status_code == 404
    assert db.session.get(CoachingSession, session_id) is not None


def test_admin_cannot_delete_a_session(client, auth, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    auth.login_user(make_user(roles=("admin",)))
    assert client.post(f"/evaluations/coaching/{session_id}/delete").status_code == 403
    assert db.session.get(CoachingSession, session_id) is not None


def test_delete_needs_the_csrf_token(make_app, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    with client.session_transaction() as browser:
        browser["_user_id"], browser["_fresh"] = lead.get_id(), True
    assert client.post(f"/evaluations/coaching/{session_id}/delete").status_code == 400
    _db.session.rollback()
    assert _db.session.get(CoachingSession, session_id) is not None


def test_lead_sees_a_delete_button_with_a_confirmation(client, auth, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    auth.login_user(lead)
    page = client.get(f"/evaluations/agents/{agent.id}?period=2026-10").get_data(as_text=True)
    assert f"/evaluations/coaching/{session_id}/delete" in page
    assert "data-confirm=" in page


def test_agent_sees_no_delete_button(client, auth, db, team):
    lead, _, (agent, _) = team
    session_id = _stored_session(lead, agent).id
    auth.login_user(agent)
    page = client.get(f"/evaluations/agents/{agent.id}?period=2026-10").get_data(as_text=True)
    assert f"/evaluations/coaching/{session_id}/delete" not in page
