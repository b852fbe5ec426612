"""The coaching form offers the agent's own chats, reviews and lost-point criteria to tick."""

import re
from datetime import timedelta

from qa_app.evaluations import coaching_picks
from qa_app.evaluations.models import CoachingSession

from .factories import IN_OCTOBER, make_chat, make_review, make_rubric, make_score

AFTER_OCTOBER = IN_OCTOBER + timedelta(days=20)


def test_recent_chats_are_only_the_agents_own(db, team):
    _, _, (agent, other) = team
    own, foreign = make_chat(agent), make_chat(other)
    ids = [c.id for c in coaching_picks.recent_chats(agent)]
    assert own.id in ids and foreign.id not in ids


def test_recent_chats_show_the_submitted_qa_total(db, team):
    _, _, (agent, _) = team
    score = make_score(agent, 82.5)
    pick = next(c for c in coaching_picks.recent_chats(agent) if c.id == score.chat_id)
    assert pick.score == 82.5


def test_an_asked_for_chat_of_another_agent_is_not_offered(db, team):
    _, _, (agent, other) = team
    foreign = make_chat(other)
    assert foreign.id not in [c.id for c in coaching_picks.recent_chats(agent, include=[foreign.id])]


def test_recent_reviews_are_only_the_agents_own_with_their_polarity(db, team):
    _, _, (agent, other) = team
    own = make_review(agent, "criticism")
    make_review(other)
    picks = coaching_picks.recent_reviews(agent)
    assert [(r.id, r.polarity) for r in picks] == [(own.id, "criticism")]


def test_failed_criteria_count_the_scores_that_lost_points(db, team):
    _, _, (agent, _) = team
    version = make_rubric()
    make_score(agent, 50, version=version, values={"greeting": 0, "accuracy": 1})
    make_score(agent, 100, version=version, values={"greeting": 1, "accuracy": 1})
    picks = coaching_picks.failed_criteria(agent, now=AFTER_OCTOBER)
    assert [(c.key, c.lost, c.scored) for c in picks] == [("greeting", 1, 2)]


def test_failed_criteria_leave_out_scores_older_than_the_recent_days(db, team):
    _, _, (agent, _) = team
    make_score(agent, 50, values={"greeting": 0})
    later = IN_OCTOBER + timedelta(days=coaching_picks.RECENT_DAYS + 1)
    assert coaching_picks.failed_criteria(agent, now=later) == []


def test_coaching_form_lists_the_chosen_agents_chats_to_tick(client, auth, team):
    lead, _, (agent, other) = team
    own, foreign = make_chat(agent), make_chat(other)
    auth.login_user(lead)
    page = client.get(f"/evaluations/coaching?agent={agent.id}").get_data(as_text=True)
    assert f'name="chat_ids" value="{own.id}"' in page and foreign.external_id not in page


def test_coaching_form_has_no_typed_id_fields(client, auth, team):
    lead, _, (agent, _) = team
    make_chat(agent), make_review(agent)
    auth.login_user(lead)
    page = client.get(f"/evaluations/coaching?agent={agent.id}").get_data(as_text=True)
    inputs = re.findall(r"<input[^>]*name=\"(?:chat|review)_ids\"[^>]*>", page)
    assert all('type="checkbox"' in tag for tag in inputs)


def test_coaching_records_the_ticked_chat_and_review(client, auth, db, team):
    lead, _, (agent, _) = team
    chat, review = make_chat(agent), make_review(agent)
    auth.login_user(lead)
    data = {
        "agent_id": agent.id,
        "held_on": "2026-11-20",
        "notes": "x",
        "chat_ids": chat.id,
        "review_ids": review.id,
    }
    assert client.post("/evaluations/coaching", data=data).status_code == 302
    session = db.session.query(CoachingSession).one()
    assert (session.chat_ids, session.review_ids) == ([chat.id], [review.id])


def test_coaching_refuses_a_chat_of_another_agent(client, auth, db, team):
    lead, _, (agent, other) = team
    foreign = make_chat(other)
    auth.login_user(lead)
    data = {"agent_id": agent.id, "held_on": "2026-11-20", "notes": "x", "chat_ids": foreign.id}
    assert client.post("/evaluations/coaching", data=data).status_code == 200
    assert db.session.query(CoachingSession).count() == 0


def test_coaching_refuses_a_review_of_another_agent(client, auth, db, team):
    lead, _, (agent, other) = team
    foreign = make_review(other)
    auth.login_user(lead)
    data = {"agent_id": agent.id, "held_on": "2026-11-20", "notes": "x", "review_ids": foreign.id}
    assert client.post("/evaluations/coaching", data=data).status_code == 200
    assert db.session.query(CoachingSession).count() == 0


def test_the_agent_page_names_a_coached_chat_by_its_external_id(client, auth, db, team):
    lead, _, (agent, _) = team
    chat = make_chat(agent)
    auth.login_user(lead)
    data = {"agent_id": agent.id, "held_on": "2026-10-20", "notes": "x", "chat_ids": chat.id}
    client.post("/evaluations/coaching", data=data)
    page = client.get(f"/evaluations/agents/{agent.id}?period=2026-10").get_data(as_text=True)
    assert f">{chat.external_id}</a>" in page and f"#{chat.id}<" not in page
