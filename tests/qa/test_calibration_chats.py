"""Calibration names each chat by its external id, linked to the transcript, and only to
viewers who may see it: a lead of another team learns nothing about the chat."""

import pytest

from qa_app.dbtypes import utcnow
from qa_app.qa import calibration, calibration_chats, scores

from ..factories import make_team, make_user
from .factories import answers_for, make_chat


@pytest.fixture
def closed_session(db, rubric):
    """A closed session over one chat of a team's agent, where two QA graders disagree."""
    own_lead = make_user(roles=("lead",))
    agent = make_user(team=make_team(lead=own_lead))
    graders = [make_user(roles=("qa",)), make_user(roles=("qa",))]
    chat = make_chat(agent, started_at=utcnow())
    session = calibration.create_session(
        graders[0],
        title="W45",
        rubric=rubric,
        grader_ids=[g.id for g in graders],
        chat_count=1,
        chat_ids=[chat.id],
    )
    for grader, greeting in zip(graders, (1, 0), strict=True):
        score = calibration.score_for(session, chat.id, grader, create=True)
        values = {"greeting": greeting, "answer": 5, "offers": 4, "honest": 1}
        scores.save(
            score, grader, expected_version=score.version_id, answers=answers_for(score, values), submit=True
        )
    calibration.close(graders[0], session)
    return session, chat, own_lead, graders


def test_a_qa_viewer_sees_the_external_id_linked_to_the_transcript(app, closed_session):
    session, chat, _, graders = closed_session
    with app.test_request_context():
        ref = calibration_chats.chat_refs(session, graders[0])[chat.id]
    assert ref.text == chat.external_id and ref.url == f"/chats/{chat.id}"


def test_the_agents_own_lead_sees_the_chat(app, closed_session):
    session, chat, own_lead, _ = closed_session
    with app.test_request_context():
        assert calibration_chats.chat_refs(session, own_lead)[chat.id].external_id == chat.external_id


def test_a_lead_of_another_team_gets_neither_id_nor_link(app, closed_session):
    session, chat, _, _ = closed_session
    stranger = make_user(roles=("lead",))
    make_team(lead=stranger)
    with app.test_request_context():
        ref = calibration_chats.chat_refs(session, stranger)[chat.id]
    assert (ref.external_id, ref.url) == (None, None)


def test_the_session_page_hides_another_teams_chat_from_a_lead(client, auth, closed_session):
    session, chat, _, _ = closed_session
    stranger = make_user(roles=("lead",))
    make_team(lead=stranger)
    auth.login_user(stranger)
    page = client.get(f"/qa/calibration/{session.id}").get_data(as_text=True)
    assert chat.external_id not in page and f"/chats/{chat.id}" not in page and "#" + str(chat.id) not in page


def test_the_session_page_links_the_chat_for_its_own_lead(client, auth, closed_session):
    session, chat, own_lead, _ = closed_session
    auth.login_user(own_lead)
    page = client.get(f"/qa/calibration/{session.id}").get_data(as_text=True)
    assert f'<a href="/chats/{chat.id}">{chat.external_id}</a>' in page


def test_a_grader_sees_the_external_id_in_their_scores_table(client, auth, db, rubric):
    grader, other = make_user(roles=("qa",)), make_user(roles=("qa",))
    chat = make_chat(make_user(), started_at=utcnow())
    session = calibration.create_session(
        grader, title="W46", rubric=rubric, grader_ids=[grader.id, other.id], chat_count=1, chat_ids=[chat.id]
    )
    auth.login_user(grader)
    page = client.get(f"/qa/calibration/{session.id}").get_data(as_text=True)
    assert f'<a href="/chats/{chat.id}">{chat.external_id}</a>' in page
