"""Pages: who sees which evaluation, exports, finalising, coaching, settings."""

import io
from datetime import date

from openpyxl import load_workbook

from qa_app.evaluations.models import CoachingSession, Evaluation, LeadNote

from .factories import make_review, make_score, make_team_with_agents


def test_agent_sees_own_evaluation(client, auth, team):
    _, _, (agent, _) = team
    auth.login_user(agent)
    response = client.get(f"/evaluations/agents/{agent.id}?period=2026-10")
    assert response.status_code == 200
    assert agent.display_name in response.get_data(as_text=True)


def test_my_evaluation_redirects_to_own_page(client, auth, team):
    _, _, (agent, _) = team
    auth.login_user(agent)
    response = client.get("/evaluations/me")
    assert response.status_code == 302
    assert f"/evaluations/agents/{agent.id}" in response.location


def test_agent_never_sees_another_agents_evaluation(client, auth, team):
    _, _, (agent, colleague) = team
    auth.login_user(agent)
    assert client.get(f"/evaluations/agents/{colleague.id}").status_code == 404
    assert client.get(f"/evaluations/agents/{colleague.id}/evidence?kind=reviews").status_code == 404


def test_lead_sees_only_own_teams_agents(client, auth, team):
    lead, _, (agent, _) = team
    _, _, (stranger,) = make_team_with_agents(1)
    auth.login_user(lead)
    assert client.get(f"/evaluations/agents/{agent.id}").status_code == 200
    assert client.get(f"/evaluations/agents/{stranger.id}").status_code == 404
    page = client.get("/evaluations/?period=2026-10").get_data(as_text=True)
    assert agent.display_name in page and stranger.display_name not in page


def test_qa_specialist_has_no_evaluation_pages(client, login_as, team):
    login_as("qa")
    assert client.get("/evaluations/").status_code == 403
    assert client.get(f"/evaluations/agents/{team[2][0].id}").status_code == 404


def test_agent_cannot_open_the_dashboard(client, auth, team):
    auth.login_user(team[2][0])
    assert client.get("/evaluations/").status_code == 403


def test_bad_period_and_sort_fall_back_instead_of_failing(client, auth, team):
    auth.login_user(team[0])
    assert client.get("/evaluations/?period=2026-99&sort=drop&dir=x&team=abc").status_code == 200
    assert client.get(f"/evaluations/agents/{team[2][0].id}/evidence?kind=nope").status_code == 404


def test_dashboard_shows_weights_and_too_little_data(client, auth, team):
    lead, _, (agent, _) = team
    make_score(agent, 88)
    auth.login_user(lead)
    page = client.get("/evaluations/?period=2026-10").get_data(as_text=True)
    assert "too little data" in page
    assert "40" in page and "<svg" in page


def test_evidence_page_lists_the_qa_scores_behind_the_number(client, auth, team):
    lead, _, (agent, _) = team
    score = make_score(agent, 77.5)
    auth.login_user(lead)
    page = client.get(f"/evaluations/agents/{agent.id}/evidence?period=2026-10&kind=qa").get_data(
        as_text=True
    )
    assert "77.5" in page and f"#{score.chat_id}" in page


def test_review_numbers_link_to_the_filtered_reviews_list(client, auth, team):
    lead, _, (agent, _) = team
    make_review(agent, "criticism")
    auth.login_user(lead)
    page = client.get(f"/evaluations/agents/{agent.id}?period=2026-10").get_data(as_text=True)
    assert f"agent={agent.id}" in page and "polarity=criticism" in page and "since=2026-10-01" in page


def test_lead_finalises_the_team_for_an_ended_period(client, auth, db, team):
    lead, _, agents = team
    auth.login_user(lead)
    response = client.post("/evaluations/finalise", data={"period": "2026-10"})
    assert response.status_code == 302
    assert db.session.query(Evaluation).filter_by(period="2026-10").count() == len(agents)


def test_agent_cannot_finalise(client, auth, db, team):
    auth.login_user(team[2][0])
    assert client.post("/evaluations/finalise", data={"period": "2026-10"}).status_code == 403
    assert db.session.query(Evaluation).count() == 0


def test_lead_saves_notes(client, auth, db, team):
    lead, _, (agent, _) = team
    auth.login_user(lead)
    client.post(
        f"/evaluations/agents/{agent.id}/notes",
        data={"period": "2026-10", "praise": "耐心细致", "criticism": "=HYPERLINK()"},
    )
    assert db.session.query(LeadNote).one().praise == "耐心细致"


def test_csv_export_has_bom_and_defuses_formulas(client, auth, team):
    lead, _, (agent, _) = team
    agent.display_name = "=cmd|' /C calc'!A0"
    from qa_app.extensions import db

    db.session.commit()
    auth.login_user(lead)
    body = client.get("/evaluations/export.csv?period=2026-10").get_data()
    assert body.startswith("\ufeff".encode())
    assert "'=cmd" in body.decode("utf-8-sig")


def test_xlsx_export_opens_in_openpyxl(client, auth, team):
    lead, _, agents = team
    auth.login_user(lead)
    response = client.get("/evaluations/export.xlsx?period=2026-10")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.max_row == len(agents) + 1


def test_lead_records_coaching(client, auth, db, team):
    lead, _, (agent, _) = team
    auth.login_user(lead)
    response = client.post(
        "/evaluations/coaching",
        data={
            "agent_id": agent.id,
            "held_on": "2026-11-20",
            "notes": "首次响应太慢",
            "actions": "开启快捷短语",
            "follow_up_on": "2026-12-01",
            "chat_ids": "",
            "review_ids": "",
        },
    )
    assert response.status_code == 302
    session = db.session.query(CoachingSession).one()
    assert (session.agent_id, session.follow_up_on) == (agent.id, date(2026, 12, 1))


def test_coaching_refuses_an_agent_outside_the_leads_teams(client, auth, db, team):
    _, _, (stranger,) = make_team_with_agents(1)
    auth.login_user(team[0])
    response = client.post(
        "/evaluations/coaching", data={"agent_id": stranger.id, "held_on": "2026-11-20", "notes": "x"}
    )
    assert response.status_code == 200  # the form shows the choice as invalid
    assert db.session.query(CoachingSession).count() == 0


def test_coaching_with_bad_ids_is_refused_with_a_message(client, auth, db, team):
    lead, _, (agent, _) = team
    auth.login_user(lead)
    response = client.post(
        "/evaluations/coaching",
        data={"agent_id": agent.id, "held_on": "2026-11-20", "notes": "x", "chat_ids": "abc"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert db.session.query(CoachingSession).count() == 0


def test_admin_edits_weights(client, login_as, db):
    login_as("admin")
    data = {
        "weight_qa": "50",
        "weight_training": "10",
        "weight_reviews": "20",
        "weight_service": "20",
        "minimum_qa": "2",
        "minimum_training": "1",
        "minimum_reviews": "3",
        "minimum_service": "10",
    }
    assert client.post("/evaluations/settings", data=data).status_code == 302
    from qa_app.evaluations import services

    assert services.weights()["qa"] == 50.0 and services.minimums()["service"] == 10


def test_lead_cannot_edit_weights(client, auth, team):
    auth.login_user(team[0])
    assert client.get("/evaluations/settings").status_code == 403


def test_home_panels_render_for_lead_and_agent(client, auth, team):
    lead, _, (agent, _) = team
    auth.login_user(lead)
    assert "Coach first" in client.get("/").get_data(as_text=True)
    auth.login_user(agent)
    assert "My evaluation" in client.get("/").get_data(as_text=True)


def test_admin_sees_every_agent(client, login_as, team):
    login_as("admin")
    page = client.get("/evaluations/?period=2026-10").get_data(as_text=True)
    assert all(a.display_name in page for a in team[2])


def test_pages_have_no_inline_styles(client, auth, team):
    lead, _, (agent, _) = team
    make_score(agent, 60)
    auth.login_user(lead)
    for url in (
        "/evaluations/?period=2026-10",
        f"/evaluations/agents/{agent.id}?period=2026-10",
        "/evaluations/coaching",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "style=" not in page and "<script>" not in page


def test_evidence_chat_offers_coaching_prefilled_with_the_chat(client, auth, team):
    from .factories import make_chat

    lead, _, (agent, _) = team
    chat = make_chat(agent)
    auth.login_user(lead)
    page = client.get(f"/evaluations/agents/{agent.id}/evidence?period=2026-10&kind=chats").get_data(
        as_text=True
    )
    assert f"chats={chat.id}" in page
    form = client.get(f"/evaluations/coaching?agent={agent.id}&chats={chat.id}").get_data(as_text=True)
    assert f'value="{chat.id}"' in form
