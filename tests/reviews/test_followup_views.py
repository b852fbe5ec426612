"""The follow-up queues over HTTP: who sees which cases, the lead's on-time share, moving a case."""

from datetime import UTC, datetime, timedelta

from qa_app.extensions import db
from qa_app.reviews.followup import open_cases

from .factories import make_review


def case_for(org, agent, text, **fields):
    review = make_review(
        org.shop,
        agent,
        rating=1,
        text=text,
        created_at=datetime.now(UTC) - timedelta(days=1),
        sentiment="negative",
        service_polarity="criticism",
        **fields,
    )
    (case,) = open_cases([review])
    db.session.commit()
    return case


def test_an_agents_queue_shows_only_their_cases(client, auth, org):
    case_for(org, org.mei, "小美的差评")
    case_for(org, org.xue, "小雪的差评")
    auth.login_user(org.mei)
    page = client.get("/reviews/follow-ups").get_data(as_text=True)
    assert "小美的差评" in page and "小雪的差评" not in page


def test_a_leads_queue_shows_their_team_and_the_on_time_share(client, auth, org):
    case_for(org, org.mei, "小美的差评")
    case_for(org, org.xue, "小雪的差评")
    auth.login_user(org.lead)
    page = client.get("/reviews/follow-ups").get_data(as_text=True)
    assert "小美的差评" in page and "小雪的差评" not in page
    assert org.mei.display_name in page and "Resolved within 3 days" in page


def test_the_search_finds_a_case_by_its_text(client, auth, org):
    case_for(org, org.mei, "物流太慢了")
    case_for(org, org.mei, "包装破了")
    auth.login_user(org.mei)
    page = client.get("/reviews/follow-ups?q=包装").get_data(as_text=True)
    assert "包装破了" in page and "物流太慢了" not in page


def test_closing_without_a_result_leaves_the_case_open(client, auth, org):
    case = case_for(org, org.mei, "差评")
    auth.login_user(org.mei)
    client.post(f"/reviews/follow-ups/{case.id}/move", data={"f-status": "resolved", "f-result": ""})
    db.session.refresh(case)
    assert case.status == "open"


def test_an_agent_closes_their_case_with_a_result(client, auth, org):
    case = case_for(org, org.mei, "差评")
    auth.login_user(org.mei)
    client.post(
        f"/reviews/follow-ups/{case.id}/move", data={"f-status": "resolved", "f-result": "已补发配件"}
    )
    db.session.refresh(case)
    assert (case.status, case.result) == ("resolved", "已补发配件")


def test_an_agent_cannot_move_another_agents_case(client, auth, org):
    case = case_for(org, org.xue, "差评")
    auth.login_user(org.mei)
    response = client.post(f"/reviews/follow-ups/{case.id}/move", data={"f-status": "contacted"})
    assert response.status_code == 404


def test_an_agent_sees_their_own_on_time_share(client, auth, org):
    case = case_for(org, org.mei, "差评")
    auth.login_user(org.mei)
    client.post(f"/reviews/follow-ups/{case.id}/move", data={"f-status": "resolved", "f-result": "已补发"})
    page = client.get("/reviews/follow-ups").get_data(as_text=True)
    assert "Of your 1 cases on reviews of the last 30 days, you resolved 100%" in page


def test_an_agent_reaches_the_queue_from_my_reviews(client, auth, org):
    auth.login_user(org.mei)
    assert "/reviews/follow-ups" in client.get("/reviews/mine").get_data(as_text=True)
