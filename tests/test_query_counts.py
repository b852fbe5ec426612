"""The busiest pages issue a bounded number of queries, whatever the number of rows they show.

Each test renders a page with a few rows, then with many more (more agents, samples, messages,
reviews — each row with its own related objects, so a lazy load per row would show), and
requires the same number of SQL statements (SQLAlchemy's "before_cursor_execute" event).
docs/benchmarks.md has the timings at scale.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from .evaluations import factories as ev
from .factories import make_shop, make_team, make_user
from .qa import factories as qa
from .reviews import factories as rv
from .sql import counted


def queries_for(client, path: str) -> int:
    client.get(path)  # warm: first-request work (e.g. loading settings) is not what is tested
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_lead_dashboard(client, auth, db):
    lead, team, agents = ev.make_team_with_agents(2)
    for agent in agents:
        ev.make_chat(agent)
        ev.make_score(agent, 90.0)
        ev.make_review(agent)
    auth.login_user(lead)
    few = queries_for(client, "/evaluations/?period=2026-10")
    for _ in range(10):
        agent = make_user(roles=("agent",), team=team)
        for _ in range(3):
            ev.make_chat(agent)
            ev.make_score(agent, 70.0, values={"greeting": 1})
            ev.make_review(agent, polarity="criticism")
    many = queries_for(client, "/evaluations/?period=2026-10")
    assert many == few, f"{few} queries for 2 agents, {many} for 12"


def test_qa_queue(client, auth, db):
    grader = make_user(roles=("qa",))
    rubric = qa.make_rubric()
    shop = make_shop()

    def add_samples(count: int) -> None:
        for _ in range(count):
            agent = make_user(roles=("agent",))
            qa.make_sample(qa.make_chat(agent, shop=shop), rubric, grader)

    add_samples(2)
    auth.login_user(grader)
    few = queries_for(client, "/qa/queue")
    add_samples(20)
    many = queries_for(client, "/qa/queue")
    assert many == few, f"{few} queries for 2 samples, {many} for 22"


def test_transcript(client, auth, db):
    viewer = make_user(roles=("qa",))
    shop = make_shop()
    agent = make_user(roles=("agent",))
    checks = {"first_response_time": "pass", "greeting": "fail", "closing": "pass"}
    short = qa.make_chat(agent, shop=shop, messages=4, checks=checks, order_id="T1")
    rv.make_review(shop=shop, order_id="T1")
    long = qa.make_chat(agent, shop=shop, messages=60, checks=checks, order_id="T2")
    for n in range(8):
        rv.make_review(
            shop=shop,
            order_id="T2",
            agent=make_user(roles=("agent",)),
            created_at=long.started_at + timedelta(days=n),
        )
    auth.login_user(viewer)
    few = queries_for(client, f"/chats/{short.id}")
    many = queries_for(client, f"/chats/{long.id}")
    assert many == few, f"{few} queries for 4 messages and 1 review, {many} for 60 and 8"


@pytest.mark.parametrize("viewer_role", ["lead", "qa"])
def test_review_list(client, auth, db, viewer_role):
    lead = make_user(roles=("lead",))
    team = make_team(lead=lead)
    shop = make_shop()

    def add_reviews(count: int) -> None:
        for _ in range(count):
            rv.make_review(shop=shop, agent=make_user(roles=("agent",), team=team))

    add_reviews(2)
    viewer = lead if viewer_role == "lead" else make_user(roles=("qa",))
    auth.login_user(viewer)
    few = queries_for(client, "/reviews")
    add_reviews(20)
    many = queries_for(client, "/reviews")
    assert many == few, f"{few} queries for 2 reviews, {many} for 22"


def test_my_courses(client, auth, db):
    from qa_app.training.services import assigning

    from .training.factories import make_course

    agent = make_user(roles=("agent",))

    def add_courses(count: int) -> None:
        for index in range(count):
            course = make_course()
            if index % 2 == 0:
                assigning.assign(None, [agent], course=course)

    add_courses(2)
    auth.login_user(agent)
    few = queries_for(client, "/training/")
    add_courses(10)
    many = queries_for(client, "/training/")
    assert many == few, f"{few} queries for 2 courses, {many} for 12"


def test_assignments_page(client, auth, db):
    from qa_app.extensions import db as _db
    from qa_app.training.models import LearningPath, PathCourse
    from qa_app.training.services import assigning

    from .training.factories import make_course

    trainer = make_user(roles=("trainer",))

    def add_learners(count: int) -> None:
        for _ in range(count):
            agent = make_user(roles=("agent",))
            path = LearningPath(
                slug=f"path-{agent.id}",
                steps=[PathCourse(course=make_course(), position=index) for index in range(2)],
            )
            _db.session.add(path)
            assigning.assign(None, [agent], course=make_course())
            assigning.assign(None, [agent], path=path)

    add_learners(1)
    auth.login_user(trainer)
    few = queries_for(client, "/training/assignments")
    add_learners(6)
    many = queries_for(client, "/training/assignments")
    assert many == few, f"{few} queries for 2 assignments, {many} for 14"


@pytest.mark.parametrize(("role", "path"), [("lead", "/my-team"), ("admin", "/admin/teams")])
def test_team_pages(client, auth, db, role, path):
    from qa_app.accounts.models import AgentNickname
    from qa_app.extensions import db as _db

    viewer = make_user(roles=(role,))
    shop = make_shop()

    def add_team(agents: int) -> None:
        team = make_team(lead=viewer if role == "lead" else make_user(roles=("lead",)))
        for _ in range(agents):
            agent = make_user(roles=("agent",), team=team)
            agent.nicknames.append(AgentNickname(shop=shop, nickname=f"nick-{agent.id}"))
        _db.session.commit()

    add_team(1)
    auth.login_user(viewer)
    few = queries_for(client, path)
    add_team(8)
    add_team(3)
    many = queries_for(client, path)
    assert many == few, f"{few} queries for 1 team, {many} for 3"


def test_course_management_list(client, auth, db):
    from .training.factories import make_course

    trainer = make_user(roles=("trainer",))
    make_course()
    auth.login_user(trainer)
    few = queries_for(client, "/training/manage")
    for _ in range(8):
        make_course()
    many = queries_for(client, "/training/manage")
    assert many == few, f"{few} queries for 1 course, {many} for 9"


def test_trainer_home(client, auth, db):
    from .training.factories import make_course

    trainer = make_user(roles=("trainer",))
    make_course()
    auth.login_user(trainer)
    few = queries_for(client, "/")
    for _ in range(6):
        make_course()
    many = queries_for(client, "/")
    assert many == few, f"{few} queries for 1 course, {many} for 7"


def test_lead_home(client, auth, db):
    lead, team, agents = ev.make_team_with_agents(2)
    for agent in agents:
        ev.make_chat(agent)
        ev.make_score(agent, 90.0)
        ev.make_review(agent, polarity="criticism")
    auth.login_user(lead)
    few = queries_for(client, "/")
    for _ in range(6):
        agent = make_user(roles=("agent",), team=team)
        for _ in range(2):
            ev.make_chat(agent)
            ev.make_score(agent, 70.0, values={"greeting": 1})
            ev.make_review(agent, polarity="criticism")
    many = queries_for(client, "/")
    assert many == few, f"{few} queries for 2 agents, {many} for 8"


def test_agent_home(client, auth, db):
    from qa_app.training.services import assigning

    from .training.factories import make_course

    _lead, _team, (agent,) = ev.make_team_with_agents(1)

    def add_history(count: int) -> None:
        for _ in range(count):
            ev.make_chat(agent)
            ev.make_score(agent, 80.0)
            ev.make_review(agent, polarity="praise")
            assigning.assign(None, [agent], course=make_course())

    add_history(1)
    auth.login_user(agent)
    few = queries_for(client, "/")
    add_history(5)
    many = queries_for(client, "/")
    assert many == few, f"{few} queries with 1 of everything, {many} with 6"


def test_calibration_list(client, auth, db):
    from qa_app.dbtypes import utcnow
    from qa_app.qa import calibration, scores

    rubric = qa.make_rubric()
    graders = [make_user(roles=("qa",)), make_user(roles=("qa",))]
    agent = make_user(roles=("agent",))

    def add_closed_sessions(count: int) -> None:
        for _ in range(count):
            chats = [qa.make_chat(agent, started_at=utcnow()) for _ in range(2)]
            session = calibration.create_session(
                graders[0],
                title="Week",
                rubric=rubric,
                grader_ids=[g.id for g in graders],
                chat_count=2,
                chat_ids=[c.id for c in chats],
            )
            for chat in chats:
                for grader in graders:
                    score = calibration.score_for(session, chat.id, grader, create=True)
                    scores.save(
                        score,
                        grader,
                        expected_version=score.version_id,
                        submit=True,
                        answers=qa.answers_for(score, {"greeting": 1, "answer": 3, "offers": 2, "honest": 1}),
                    )
            calibration.close(graders[0], session)

    add_closed_sessions(1)
    auth.login_user(graders[0])
    few = queries_for(client, "/qa/calibration")
    add_closed_sessions(3)
    many = queries_for(client, "/qa/calibration")
    assert many == few, f"{few} queries for 1 session, {many} for 4"


def test_score_page_does_not_grow_with_the_rubric(client, auth, db):
    from pathlib import Path

    from qa_app.qa import scores

    grader = make_user(roles=("qa",))
    agent = make_user(roles=("agent",))
    small = qa.make_rubric("small")
    large = qa.make_rubric(
        "large", (Path(__file__).parents[1] / "rubrics" / "pre-sale.toml").read_text(encoding="utf-8")
    )

    def page_of(rubric) -> str:
        score = scores.start_for_sample(qa.make_sample(qa.make_chat(agent), rubric, grader), grader)
        return f"/qa/scores/{score.id}"

    auth.login_user(grader)
    few = queries_for(client, page_of(small))
    many = queries_for(client, page_of(large))
    assert len(large.current.criteria) > 2 * len(small.current.criteria)
    assert many == few, f"{few} queries for the small rubric, {many} for the large one"
