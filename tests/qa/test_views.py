"""QA pages: permissions, the scoring loop over HTTP, empty states, exports."""

from datetime import date, timedelta

import sqlalchemy as sa

from qa_app.dbtypes import utcnow
from qa_app.qa.models import Sample, Score

from ..factories import make_user
from .factories import SMALL_RUBRIC, make_chat, make_sample, submitted_score


def test_agent_cannot_open_the_scoring_queue(client, login_as):
    login_as("agent")
    assert client.get("/qa/queue").status_code == 403


def test_empty_queue_says_what_to_do_next(client, login_as):
    login_as("qa")
    response = client.get("/qa/queue")
    assert response.status_code == 200 and b"/qa/plans" in response.data


def test_qa_plans_samples_scores_and_submits_over_http(client, login_as, db, rubric):
    qa = login_as("qa")
    agent = make_user()
    for day in range(3):
        make_chat(agent, started_at=utcnow() - timedelta(days=day))
    today = date.today()
    response = client.post(
        "/qa/plans/new",
        data={
            "name": "Weekly",
            "rubric_id": rubric.id,
            "mode": "per_agent",
            "per_agent_per_week": 1,
            "date_from": (today - timedelta(days=14)).isoformat(),
            "date_to": today.isoformat(),
            "shop_id": 0,
            "failed_check": "",
            "negative_review": "",
        },
    )
    assert response.status_code == 302
    plan_url = response.headers["Location"]
    client.post(plan_url + "/run")
    sample = db.session.scalar(sa.select(Sample))
    assert sample.assigned_to_id == qa.id
    response = client.post(f"/qa/samples/{sample.id}/score")
    score = db.session.scalar(sa.select(Score))
    page = client.get(f"/qa/scores/{score.id}")
    assert page.status_code == 200 and b"scoring.js" in page.data
    form = {"version": score.version_id, "action": "submit", "praise": "Warm", "criticism": ""}
    for item in score.items:
        form[f"c-{item.criterion_id}-value"] = "na" if item.criterion.na_allowed else "1"
    client.post(f"/qa/scores/{score.id}", data=form)
    db.session.refresh(score)
    assert score.status == "submitted" and score.praise == "Warm"


def test_stale_form_is_refused_with_a_message(client, login_as, db, rubric):
    qa = login_as("qa")
    sample = make_sample(make_chat(make_user()), rubric, qa)
    client.post(f"/qa/samples/{sample.id}/score")
    score = db.session.scalar(sa.select(Score))
    stale = score.version_id
    client.post(f"/qa/scores/{score.id}", data={"version": stale, "action": "save"})
    response = client.post(
        f"/qa/scores/{score.id}", data={"version": stale, "action": "save"}, follow_redirects=True
    )
    assert b"changed by someone else" in response.data


def test_bad_values_do_not_cause_errors(client, login_as, db, rubric):
    qa = login_as("qa")
    sample = make_sample(make_chat(make_user()), rubric, qa)
    client.post(f"/qa/samples/{sample.id}/score")
    score = db.session.scalar(sa.select(Score))
    form = {"version": "x", "action": "submit"}
    form.update({f"c-{i.criterion_id}-value": "99" for i in score.items})
    assert client.post(f"/qa/scores/{score.id}", data=form).status_code == 200


def test_agent_sees_own_submitted_score_but_not_anothers(client, auth, db, rubric, team_setup):
    score = submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    auth.login_user(team_setup["agent"])
    assert client.get(f"/qa/scores/{score.id}").status_code == 200
    assert client.get("/qa/my-scores").status_code == 200
    auth.login_user(team_setup["other"])
    assert client.get(f"/qa/scores/{score.id}").status_code == 404


def test_agent_disputes_and_lead_resolves_over_http(client, auth, db, rubric, team_setup):
    score = submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    auth.login_user(team_setup["agent"])
    response = client.post(f"/qa/scores/{score.id}/dispute", data={"reason": "Look again"})
    dispute_url = response.headers["Location"]
    auth.login_user(team_setup["lead"])
    assert b"Look again" in client.get("/qa/disputes").data
    client.post(dispute_url, data={"outcome": "upheld", "note": "Stands."})
    auth.login_user(team_setup["agent"])
    home = client.get("/")
    assert b"the score stands" in home.data


def test_rubric_can_be_edited_in_the_ui(client, login_as, db, rubric):
    login_as("qa")
    response = client.post(
        f"/qa/rubrics/{rubric.id}/edit",
        data={"slug": "test", "toml": SMALL_RUBRIC.replace("Greeting", "Hello")},
    )
    assert response.status_code == 302
    db.session.refresh(rubric)
    assert rubric.current.number == 2


def test_invalid_rubric_edit_shows_the_field(client, login_as, db, rubric):
    login_as("qa")
    response = client.post(f"/qa/rubrics/{rubric.id}/edit", data={"slug": "test", "toml": "title = 1"})
    assert response.status_code == 200 and b"title" in response.data


def test_reports_render_charts_and_export_csv(client, login_as, db, rubric, team_setup):
    submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    login_as("qa")
    page = client.get("/qa/reports?group=agent")
    assert page.status_code == 200 and b"<svg" in page.data
    csv = client.get("/qa/reports/scores.csv")
    assert csv.mimetype == "text/csv" and csv.data.count(b"\n") == 2
    assert client.get("/qa/reports/criteria.csv").data.count(b"\n") == 5


def test_reports_ignore_bad_dates(client, login_as):
    login_as("lead")
    assert client.get("/qa/reports?start=nope&end=2026-13-45&rubric=x").status_code == 200


def test_calibration_pages_render(client, login_as, db, rubric):
    qa = login_as("qa")
    other = make_user(roles=("qa",))
    chat = make_chat(make_user(), started_at=utcnow())
    response = client.post(
        "/qa/calibration/new",
        data={"title": "W45", "rubric_id": rubric.id, "grader_ids": [qa.id, other.id], "chat_count": 1},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and chat.external_id.encode() not in b"" and b"W45" in page.data
    assert client.get("/qa/calibration").status_code == 200


def test_home_panels_render_for_each_role(client, auth, db, rubric, team_setup):
    submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    for user in (team_setup["qa"], team_setup["agent"], team_setup["lead"]):
        auth.login_user(user)
        assert client.get("/").status_code == 200


def test_paginated_list_with_a_next_page_renders(client, login_as, db, rubric, team_setup):
    for _ in range(26):
        submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    login_as("qa")
    response = client.get("/qa/scores")
    assert response.status_code == 200 and b"page=2" in response.data


def test_plans_list_counts_samples_in_one_query_whatever_the_number_of_plans(client, login_as, db, rubric):
    from qa_app.qa import sampling

    from ..test_query_counts import counted

    qa = login_as("qa")
    agent = make_user()
    for _ in range(3):
        make_chat(agent)

    def add_plan(name: str) -> None:
        plan = sampling.create_plan(
            qa,
            name=name,
            rubric=rubric,
            mode="per_agent",
            per_agent_per_week=1,
            percent=None,
            date_from=date(2026, 11, 2),
            date_to=date(2026, 11, 8),
            filters={},
            seed=1,
        )
        sampling.run(plan, qa)

    def listed() -> tuple[int, str]:
        client.get("/qa/plans")
        with counted() as statements:
            page = client.get("/qa/plans").get_data(as_text=True)
        return len(statements), page

    add_plan("first")
    few, _ = listed()
    for name in ("second", "third"):
        add_plan(name)
    many, page = listed()
    assert many == few, f"{few} statements for 1 plan, {many} for 3"
    assert page.count("<td>1</td>") == 3


def _score_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Score))


def test_opening_a_sample_to_score_stores_nothing(client, login_as, db, rubric):
    qa = login_as("qa")
    sample = make_sample(make_chat(make_user()), rubric, qa)
    response = client.get(f"/qa/samples/{sample.id}/score")
    assert response.status_code == 200
    assert f'action="/qa/samples/{sample.id}/score"'.encode() in response.data
    assert _score_count(db) == 0


def test_starting_a_sample_by_post_makes_the_draft_and_opens_it(client, login_as, db, rubric):
    qa = login_as("qa")
    sample = make_sample(make_chat(make_user()), rubric, qa)
    response = client.post(f"/qa/samples/{sample.id}/score")
    score = db.session.scalar(sa.select(Score))
    assert score.status == "draft" and score.grader_id == qa.id
    assert response.headers["Location"].endswith(f"/qa/scores/{score.id}")


def test_opening_a_started_sample_goes_to_its_score(client, login_as, db, rubric):
    qa = login_as("qa")
    sample = make_sample(make_chat(make_user()), rubric, qa)
    client.post(f"/qa/samples/{sample.id}/score")
    score = db.session.scalar(sa.select(Score))
    response = client.get(f"/qa/samples/{sample.id}/score")
    assert response.headers["Location"].endswith(f"/qa/scores/{score.id}")
    assert _score_count(db) == 1


def test_the_queue_starts_scoring_with_a_form_not_a_link(client, login_as, db, rubric):
    qa = login_as("qa")
    sample = make_sample(make_chat(make_user()), rubric, qa)
    page = client.get("/qa/queue").data.decode()
    assert f'<form method="post" action="/qa/samples/{sample.id}/score"' in page
    assert f'href="/qa/samples/{sample.id}/score"' not in page
    assert _score_count(db) == 0


def test_submitting_a_score_starts_the_next_one_in_the_queue(client, login_as, db, rubric):
    qa = login_as("qa")
    first, second = (make_sample(make_chat(make_user()), rubric, qa) for _ in range(2))
    client.post(f"/qa/samples/{first.id}/score")
    score = db.session.scalar(sa.select(Score).where(Score.sample_id == first.id))
    form = {"version": score.version_id, "action": "submit"}
    for item in score.items:
        form[f"c-{item.criterion_id}-value"] = "na" if item.criterion.na_allowed else "1"
    response = client.post(f"/qa/scores/{score.id}", data=form)
    upcoming = db.session.scalar(sa.select(Score).where(Score.sample_id == second.id))
    assert upcoming is not None and upcoming.status == "draft"
    assert response.headers["Location"].endswith(f"/qa/scores/{upcoming.id}")
