"""Issue 18 on the pages: default period, the coaching list's reasons and thresholds, a final
evaluation whose evidence moved, re-opening it."""

from datetime import UTC, datetime

from qa_app.evaluations import finals, periods, priority, services
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db as _db

from ..factories import make_user
from .factories import make_score

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_dashboard_opens_on_the_last_complete_month_with_the_current_one_a_click_away(client, auth, team):
    auth.login_user(team[0])
    page = client.get("/evaluations/").get_data(as_text=True)
    last, current = periods.last_complete("month", TZ), periods.current("month", TZ)
    assert f"<h1>Evaluations · {last.key}</h1>" in page
    assert f"period={current.key}" in page and "Show the current period" in page


def test_the_current_month_says_it_is_in_progress(client, auth, team):
    auth.login_user(team[0])
    current = periods.current("month", TZ)
    page = client.get(f"/evaluations/?period={current.key}").get_data(as_text=True)
    assert "Not over yet" in page and "Show the last complete period" in page


def test_agent_page_opens_on_the_last_complete_month(client, auth, team):
    _, _, (agent, _) = team
    auth.login_user(agent)
    page = client.get(f"/evaluations/agents/{agent.id}").get_data(as_text=True)
    assert f"· {periods.last_complete('month', TZ).key}</h1>" in page


def test_lead_home_panel_reads_the_last_complete_month(client, auth, team):
    auth.login_user(team[0])
    page = client.get("/").get_data(as_text=True)
    assert f"Team overall for {periods.last_complete('month', TZ).key}" in page
    assert "This month so far" in page


def test_dashboard_says_why_an_agent_is_listed(client, auth, team):
    lead, _, (agent, _) = team
    make_score(agent, 0, critical_failed=True)
    auth.login_user(lead)
    page = client.get("/evaluations/?period=2026-10").get_data(as_text=True)
    coaching = page.split('id="coaching-first"', 1)[1].split("</section>", 1)[0]
    assert agent.display_name in coaching and "1 critical failure in QA" in coaching


def test_a_lead_saves_thresholds_from_the_dashboard(client, auth, team):
    lead = team[0]
    auth.login_user(lead)
    response = client.post("/evaluations/priority", data={"top": 3, "low": 60, "gap": 5, "drop": 15})
    assert response.status_code == 302
    assert priority.settings_for(lead) == priority.PrioritySettings(3, 60.0, 5.0, 15.0)


def test_bad_thresholds_are_refused_with_the_field_named(client, auth, team):
    lead = team[0]
    auth.login_user(lead)
    response = client.post(
        "/evaluations/priority", data={"top": 0, "low": 60, "gap": 5, "drop": 15}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Show at most (agents)" in response.get_data(as_text=True)
    assert priority.settings_for(lead) == priority.PrioritySettings()


def _disputed_final(team):
    lead, _, (agent, _) = team
    services.save_settings(
        make_user(roles=("admin",)), {"qa": 1, "training": 0, "reviews": 0, "service": 0}, {}
    )
    scores = [make_score(agent, total) for total in (60.0, 70.0, 70.7)]
    finals.finalise(lead, [agent], periods.parse("2026-10"), now=NOW)
    scores[0].total = 97.5
    _db.session.commit()
    return lead, agent


def test_a_final_evaluation_page_shows_frozen_and_current_values(client, auth, team):
    lead, agent = _disputed_final(team)
    auth.login_user(lead)
    page = client.get(f"/evaluations/agents/{agent.id}?period=2026-10").get_data(as_text=True)
    assert "The evidence changed after this evaluation was finalised." in page
    assert "Frozen overall 66.9; from today's evidence it would be 79.4 (+12.5)." in page
    assert "Re-open this evaluation" in page


def test_the_agent_sees_the_change_but_no_reopen_button(client, auth, team):
    _, agent = _disputed_final(team)
    auth.login_user(agent)
    page = client.get(f"/evaluations/agents/{agent.id}?period=2026-10").get_data(as_text=True)
    assert "The evidence changed" in page and "Re-open this evaluation" not in page


def test_the_lead_reopens_the_evaluation_from_its_page(client, auth, team):
    lead, agent = _disputed_final(team)
    auth.login_user(lead)
    response = client.post(f"/evaluations/agents/{agent.id}/reopen", data={"period": "2026-10"})
    assert response.status_code == 302
    assert _db.session.query(Evaluation).count() == 0


def test_an_admin_cannot_reopen_from_the_page(client, login_as, team):
    _, agent = _disputed_final(team)
    login_as("admin")
    assert (
        client.post(f"/evaluations/agents/{agent.id}/reopen", data={"period": "2026-10"}).status_code == 403
    )
    assert _db.session.query(Evaluation).count() == 1
