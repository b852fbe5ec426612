from datetime import UTC, datetime, timedelta

from ..factories import make_team, make_user
from ..qa.factories import make_chat, make_rubric, submitted_score


def _scored_agent():
    agent = make_user(roles=("agent",), team=make_team())
    grader = make_user(roles=("qa",))
    score = submitted_score(make_chat(agent), make_rubric(), grader)
    return agent, score


def test_scores_feed_lists_submitted_scores(client, issue_token, db):
    agent, score = _scored_agent()
    body = client.get("/api/v1/scores", headers=issue_token("evaluations:read")).get_json()
    assert [(item["id"], item["agent_id"], item["total"]) for item in body["items"]] == [
        (score.id, agent.id, score.total)
    ]


def test_scores_feed_polls_by_updated_since(client, issue_token, db):
    _scored_agent()
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    body = client.get(
        "/api/v1/scores", query_string={"updated_since": later}, headers=issue_token("evaluations:read")
    ).get_json()
    assert body["items"] == [] and body["total"] == 0


def test_bad_updated_since_is_a_400(client, issue_token, db):
    response = client.get("/api/v1/scores?updated_since=yesterday", headers=issue_token())
    assert response.status_code == 400 and "updated_since" in response.get_json()["message"]


def test_samples_feed_shows_the_sample_with_its_score(client, issue_token, db):
    _agent, score = _scored_agent()
    item = client.get("/api/v1/samples", headers=issue_token()).get_json()["items"][0]
    assert (item["score_id"], item["status"]) == (score.id, "submitted")


def test_evaluations_list_each_active_agent_for_the_period(client, issue_token, db):
    agent, score = _scored_agent()
    period = score.submitted_at.astimezone(UTC).strftime("%Y-%m")
    body = client.get(f"/api/v1/evaluations?period={period}", headers=issue_token()).get_json()
    [item] = body["items"]
    assert item["agent_id"] == agent.id and item["period"] == period
    assert item["components"]["qa"]["count"] == 1


def test_unknown_period_is_a_400(client, issue_token, db):
    response = client.get("/api/v1/evaluations?period=someday", headers=issue_token())
    assert response.status_code == 400 and response.get_json()["code"] == "invalid_parameter"
