"""Calibration: blind scoring and agreement results."""

import pytest

from qa_app.dbtypes import utcnow
from qa_app.qa import access, calibration, scores

from ..factories import make_team, make_user
from .factories import answers_for, make_chat


@pytest.fixture
def session(db, rubric):
    graders = [make_user(roles=("qa",)), make_user(roles=("qa",))]
    agent = make_user()
    chats = [make_chat(agent, started_at=utcnow()) for _ in range(2)]
    s = calibration.create_session(
        graders[0],
        title="Week 45",
        rubric=rubric,
        grader_ids=[g.id for g in graders],
        chat_count=2,
        chat_ids=[c.id for c in chats],
    )
    return s, graders, chats


def _score(session, chat, grader, values):
    score = calibration.score_for(session, chat.id, grader, create=True)
    return scores.save(
        score, grader, expected_version=score.version_id, answers=answers_for(score, values), submit=True
    )


def test_scores_are_blind_while_the_session_is_open(db, session):
    s, graders, chats = session
    score = _score(s, chats[0], graders[0], {"greeting": 1, "answer": 5, "offers": 4, "honest": 1})
    assert not access.can_view(graders[1], score)
    calibration.close(graders[0], s)
    assert access.can_view(graders[1], score)


def test_closed_session_can_no_longer_be_scored(db, session):
    s, graders, chats = session
    calibration.close(graders[0], s)
    with pytest.raises(calibration.CalibrationError):
        calibration.score_for(s, chats[0].id, graders[1], create=True)


def test_results_show_where_graders_disagree_and_alpha(db, session):
    s, graders, chats = session
    _score(s, chats[0], graders[0], {"greeting": 1, "answer": 5, "offers": 4, "honest": 1})
    _score(s, chats[0], graders[1], {"greeting": 1, "answer": 1, "offers": 4, "honest": 1})
    _score(s, chats[1], graders[0], {"greeting": 0, "answer": 3, "offers": "na", "honest": 1})
    _score(s, chats[1], graders[1], {"greeting": 0, "answer": 3, "offers": 2, "honest": 1})
    calibration.close(graders[0], s)
    results = calibration.results(s)
    by_key = {row.criterion.key: row for row in results["criteria"]}
    assert by_key["greeting"].alpha == 1.0 and not by_key["greeting"].disagreements
    [(chat_id, unit, gap)] = by_key["answer"].disagreements
    assert chat_id == chats[0].id and gap == 1.0
    assert results["alpha"] is not None and results["alpha"] < 1
    assert results["deviations"][graders[0].id] == results["deviations"][graders[1].id] > 0


def test_deviation_history_lists_closed_sessions(db, session):
    s, graders, chats = session
    _score(s, chats[0], graders[0], {"greeting": 1, "answer": 5, "offers": 4, "honest": 1})
    _score(s, chats[0], graders[1], {"greeting": 0, "answer": 5, "offers": 4, "honest": 1})
    calibration.close(graders[0], s)
    sessions, series = calibration.deviation_history()
    assert sessions == [s] and series[graders[0].id] == [0.125]


def test_calibration_needs_two_graders(db, rubric):
    qa = make_user(roles=("qa",))
    with pytest.raises(calibration.CalibrationError):
        calibration.create_session(qa, title="x", rubric=rubric, grader_ids=[qa.id], chat_count=2)


def test_a_closed_calibration_score_is_hidden_from_the_lead_of_another_team(db, session):
    s, graders, chats = session
    score = _score(s, chats[0], graders[0], {"greeting": 1, "answer": 5, "offers": 4, "honest": 1})
    calibration.close(graders[0], s)
    assert not access.can_view(make_user(roles=("lead",)), score)


def test_a_closed_calibration_score_is_shown_to_the_lead_of_the_agents_team(db, rubric):
    lead = make_user(roles=("lead",))
    agent = make_user(team=make_team(lead=lead))
    graders = [make_user(roles=("qa",)), make_user(roles=("qa",))]
    chat = make_chat(agent, started_at=utcnow())
    s = calibration.create_session(
        graders[0],
        title="Week 46",
        rubric=rubric,
        grader_ids=[g.id for g in graders],
        chat_count=1,
        chat_ids=[chat.id],
    )
    score = _score(s, chat, graders[0], {"greeting": 1, "answer": 5, "offers": 4, "honest": 1})
    calibration.close(graders[0], s)
    assert access.can_view(lead, score)


def test_lead_of_another_team_cannot_open_a_closed_calibration_score_page(client, auth, db, session):
    s, graders, chats = session
    score = _score(s, chats[0], graders[0], {"greeting": 1, "answer": 5, "offers": 4, "honest": 1})
    calibration.close(graders[0], s)
    auth.login_user(make_user(roles=("lead",)))
    response = client.get(f"/qa/scores/{score.id}")
    assert response.status_code == 404
    assert chats[0].external_id.encode() not in response.data
