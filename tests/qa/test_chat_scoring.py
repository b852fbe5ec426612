"""Scoring a chat picked from its transcript page (a sample outside any plan)."""

import sqlalchemy as sa

from qa_app.qa.models import Sample, Score

from ..factories import make_user
from .factories import make_chat, make_sample


def test_chat_page_offers_qa_to_score_the_chat(client, login_as, db, team_setup):
    chat = make_chat(team_setup["agent"])
    login_as("qa")
    page = client.get(f"/chats/{chat.id}").get_data(as_text=True)
    assert f'href="/qa/chats/{chat.id}/score"' in page


def test_chat_page_does_not_offer_scoring_to_an_agent(client, auth, db, team_setup):
    chat = make_chat(team_setup["agent"])
    auth.login_user(team_setup["agent"])
    assert "/qa/chats/" not in client.get(f"/chats/{chat.id}").get_data(as_text=True)


def test_opening_the_score_chat_page_creates_nothing(client, login_as, db, rubric, team_setup):
    chat = make_chat(team_setup["agent"])
    login_as("qa")
    assert client.get(f"/qa/chats/{chat.id}/score").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sample)) == 0


def test_posting_samples_the_chat_and_opens_its_draft_score(client, login_as, db, rubric, team_setup):
    chat = make_chat(team_setup["agent"])
    qa = login_as("qa")
    response = client.post(f"/qa/chats/{chat.id}/score", data={"rubric": rubric.id})
    sample = db.session.scalar(sa.select(Sample))
    assert (sample.chat_id, sample.assigned_to_id, sample.plan_id) == (chat.id, qa.id, None)
    assert response.headers["Location"] == f"/qa/scores/{sample.score.id}"


def test_a_chat_already_scored_for_the_rubric_opens_that_score(client, login_as, db, rubric, team_setup):
    chat = make_chat(team_setup["agent"])
    qa = login_as("qa")
    client.post(f"/qa/chats/{chat.id}/score", data={"rubric": rubric.id})
    response = client.post(f"/qa/chats/{chat.id}/score", data={"rubric": rubric.id})
    score = db.session.scalar(sa.select(Score))
    assert response.headers["Location"] == f"/qa/scores/{score.id}" and score.grader_id == qa.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sample)) == 1


def test_a_chat_in_another_queue_is_not_taken_over(client, login_as, db, rubric, team_setup):
    chat = make_chat(team_setup["agent"])
    make_sample(chat, rubric, team_setup["qa"])
    login_as("qa")
    response = client.post(f"/qa/chats/{chat.id}/score", data={"rubric": rubric.id})
    assert response.status_code == 200 and "already in" in response.get_data(as_text=True)


def test_posting_without_a_rubric_names_the_field(client, login_as, db, rubric, team_setup):
    chat = make_chat(team_setup["agent"])
    login_as("qa")
    response = client.post(f"/qa/chats/{chat.id}/score", data={"rubric": "x"})
    assert "Rubric: choose one from the list." in response.get_data(as_text=True)


def test_a_qa_specialist_cannot_sample_their_own_chat(client, auth, db, rubric):
    me = make_user(roles=("qa", "agent"))
    chat = make_chat(me)
    auth.login_user(me)
    response = client.post(f"/qa/chats/{chat.id}/score", data={"rubric": rubric.id})
    assert "Nobody scores their own chats." in response.get_data(as_text=True)
